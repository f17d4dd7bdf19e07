//! Base images: tags, registries, platforms.

use super::{Cx, Finding};
use crate::model::{Arguments, Instruction, SpannedStr};
use crate::syntax::InstructionKind;

/// FROM's image word and its stage name, if written.
fn from_words(inst: &Instruction) -> Option<(&SpannedStr, Option<&SpannedStr>)> {
    let Arguments::List(words) = &inst.command().args else {
        return None;
    };
    let image = words.first()?;
    let alias = match words.as_slice() {
        [_, kw, name] if kw.value.eq_ignore_ascii_case("as") => Some(name),
        _ => None,
    };
    Some((image, alias))
}

/// The tag of an image reference (after the last `:` that follows the last `/`).
fn tag(image: &str) -> Option<&str> {
    let name = image.split('@').next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    last.split_once(':').map(|(_, t)| t)
}

/// DL3006: `FROM image` without a tag (scratch, digests, variables and earlier stage names
/// are fine).
pub fn dl3006(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut aliases: Vec<&str> = Vec::new();
    for (_, inst) in cx.instructions(InstructionKind::From) {
        let Some((image, alias)) = from_words(inst) else {
            continue;
        };
        let value = image.value.as_str();
        let untagged = value != "scratch"
            && !value.contains('@')
            && tag(value).is_none()
            && !value.starts_with('$')
            && !aliases.contains(&value);
        if untagged {
            out.push(Finding::new(
                "DL3006",
                inst.abs(&image.range),
                "Always tag the version of an image explicitly",
            ));
        }
        if let Some(alias) = alias {
            aliases.push(alias.value.as_str());
        }
    }
}

/// DL3007: `FROM image:latest` (without a digest).
pub fn dl3007(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::From) {
        let Some((image, _)) = from_words(inst) else {
            continue;
        };
        if !image.value.contains('@') && tag(&image.value) == Some("latest") {
            out.push(Finding::new(
                "DL3007",
                inst.abs(&image.range),
                "Using latest is prone to errors if the image will ever update. Pin the version \
                 explicitly to a release tag",
            ));
        }
    }
}

/// DL3029: `FROM --platform=` with a value other than `$BUILDPLATFORM`/`$TARGETPLATFORM`.
pub fn dl3029(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::From) {
        let Some(flag) = inst.command().flag("platform") else {
            continue;
        };
        let value = flag.value.as_deref().unwrap_or("");
        if !value.contains("BUILDPLATFORM") && !value.contains("TARGETPLATFORM") {
            out.push(Finding::new(
                "DL3029",
                inst.abs(&flag.range),
                "Do not use --platform flag with FROM",
            ));
        }
    }
}

/// The registry of an image reference, when it names one (`ghcr.io/x/y`).
fn registry(image: &str) -> Option<&str> {
    let (first, _) = image.split_once('/')?;
    (first.contains(['.', ':']) || first == "localhost").then_some(first)
}

/// Whether a `trustedRegistries` entry (`docker.io`, `*.example.com`, `registry.*`, `*`)
/// allows a registry.
fn allows(pattern: &str, registry: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return registry.ends_with(suffix);
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return registry.starts_with(prefix);
    }
    pattern == registry
}

/// DL3026: FROM, `COPY --from` or a mount `from=` using a registry not in
/// `trustedRegistries` (only when that list is set).
pub fn dl3026(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
