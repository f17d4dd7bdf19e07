//! DL3045: COPY to a relative destination without WORKDIR set.

use rustc_hash::FxHashMap;

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
    let mut set: FxHashMap<String, bool> = FxHashMap::default();
    let mut current: Option<String> = None;
    let mark = |set: &mut FxHashMap<String, bool>, key: &Option<String>, value: bool| {
        set.insert(key.clone().unwrap_or_default(), value);
    };
    // Only the window is checked; what comes after it tells nothing about it.
    for (index, inst) in cx.through_window(&[
        InstructionKind::From,
        InstructionKind::Workdir,
        InstructionKind::Copy,
    ]) {
        match inst.kind() {
            InstructionKind::From => {
                let Some((alias, image)) = stage_key(inst) else {
                    continue;
                };
                let parent = set.get(&image).is_some_and(|v| *v);
                current = Some(alias);
                mark(&mut set, &current, parent);
            }
            InstructionKind::Workdir => mark(&mut set, &current, true),
            InstructionKind::Copy if cx.visits(index) => {
                if set
                    .get(current.as_deref().unwrap_or_default())
                    .is_some_and(|v| *v)
                {
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
