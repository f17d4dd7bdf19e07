//! DL3026: Use only an allowed registry in the FROM image.

use super::images::*;
use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configuration lists trusted registries (`trustedRegistries` in `.hadolint.yaml`); \
        this FROM pulls from another one. Use an image from an allowed registry, or add the \
        registry to the list. Only reported when such a list is configured.";

/// DL3026: FROM, `COPY --from` or a mount `from=` using a registry not in
/// `trustedRegistries` (only when that list is set).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let trusted = &cx.options.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let allowed = |image: &str| match registry(image) {
        Some(r) => trusted.iter().any(|p| allows(p, r)),
        None => {
            image == "scratch"
                || trusted
                    .iter()
                    .any(|p| allows(p, "docker.io") || allows(p, "hub.docker.com"))
        }
    };
    let mut aliases: Vec<String> = Vec::new();
    let message = "Use only an allowed registry in the FROM image";
    for inst in &cx.model.instructions {
        let cmd = inst.command();
        match cmd.kind {
            InstructionKind::From => {
                let Some((image, alias)) = from_words(inst) else {
                    continue;
                };
                let known = aliases.iter().any(|a| *a == image.value);
                if !known && !allowed(&image.value) {
                    out.push(Finding::new("DL3026", inst.abs(&image.range), message));
                }
                if let Some(alias) = alias {
                    aliases.push(alias.value.to_string());
                }
            }
            InstructionKind::Copy => {
                if let Some(flag) = cmd.flag("from") {
                    let value = flag.value.as_deref().unwrap_or("");
                    let known = aliases.iter().any(|a| a == value);
                    if !known && !allowed(value) {
                        out.push(Finding::new("DL3026", inst.abs(&flag.range), message));
                    }
                }
            }
            InstructionKind::Run => {
                for flag in cmd.flags.iter().filter(|f| f.name == "mount") {
                    let value = flag.value.as_deref().unwrap_or("");
                    let from = value
                        .split(',')
                        .find_map(|f| f.strip_prefix("from="))
                        .unwrap_or("scratch");
                    let kind = value
                        .split(',')
                        .find_map(|f| f.strip_prefix("type="))
                        .unwrap_or("bind");
                    let known = aliases.iter().any(|a| a == from);
                    if matches!(kind, "bind" | "cache") && !known && !allowed(from) {
                        out.push(Finding::new("DL3026", inst.abs(&flag.range), message));
                    }
                }
            }
            _ => {}
        }
    }
}
