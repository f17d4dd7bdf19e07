//! DL3045: COPY to a relative destination without WORKDIR set.

use super::stages::*;
use super::{Cx, Finding};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "A relative COPY destination is resolved against the working directory, which is whatever \
        the base image set when the stage has no WORKDIR. Set WORKDIR in the stage, or write an \
        absolute destination.";

/// DL3045: COPY to a relative destination in a stage without WORKDIR (the destination then
/// depends on the base image's working directory).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    // Stage name → whether a WORKDIR was set in it (or in the stage it is built from).
    let mut set: Vec<(String, bool)> = Vec::new();
    let mut current: Option<String> = None;
    let mark = |set: &mut Vec<(String, bool)>, key: &Option<String>, value: bool| {
        let key = key.clone().unwrap_or_default();
        match set.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => set.push((key, value)),
        }
    };
    for (index, inst) in cx.model.instructions.iter().enumerate() {
        match inst.kind() {
            InstructionKind::From => {
                let Some((alias, image)) = stage_key(inst) else {
                    continue;
                };
                let parent = set
                    .iter()
                    .find(|(k, _)| *k == image)
                    .is_some_and(|(_, v)| *v);
                current = Some(alias);
                mark(&mut set, &current, parent);
            }
            InstructionKind::Workdir => mark(&mut set, &current, true),
            InstructionKind::Copy if cx.visits(index) => {
                let key = current.clone().unwrap_or_default();
                if set.iter().any(|(k, v)| *k == key && *v) {
                    continue;
                }
                let words = match &inst.command().args {
                    Arguments::List(w) | Arguments::Json(w) => w.as_slice(),
                    _ => continue,
                };
                let Some(dest) = words.last().filter(|_| words.len() > 1) else {
                    continue;
                };
                let d = dest.value.trim_matches(['"', '\'']);
                let windows =
                    d.len() > 1 && d.as_bytes()[0].is_ascii_alphabetic() && d.as_bytes()[1] == b':';
                if !(d.starts_with('/') || d.starts_with('$') || windows) {
                    out.push(Finding::new(
                        "DL3045",
                        inst.abs(&dest.range),
                        "`COPY` to a relative destination without `WORKDIR` set.",
                    ));
                }
            }
            _ => {}
        }
    }
}
