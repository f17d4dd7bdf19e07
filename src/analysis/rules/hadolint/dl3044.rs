//! DL3044: Do not refer to an environment variable within the same ENV statement where it is defined.

use super::variables::references;
use super::{Cx, Finding};
use crate::model::Arguments;
use crate::syntax::InstructionKind;
use rustc_hash::FxHashSet;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Within one ENV instruction, `$NAME` refers to the value before the instruction, not to a \
        NAME defined earlier on the same line. Split the ENV in two so the second sees the first, \
        unless the old value was meant.";

/// DL3044: an ENV that uses a variable it defines itself (the value is the one from before
/// the instruction), unless an earlier ENV or ARG defined it.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut known: FxHashSet<String> = FxHashSet::default();
    // Only the window is checked; what comes after it tells nothing about it.
    for (index, inst) in cx.through_window(&[InstructionKind::Env, InstructionKind::Arg]) {
        match (inst.kind(), &inst.command().args) {
            (InstructionKind::Env, Arguments::Pairs(pairs)) => {
                let offending = cx.visits(index)
                    && pairs.iter().enumerate().any(|(i, p)| {
                        !known.contains(p.key.value.as_str())
                            && pairs
                                .iter()
                                .enumerate()
                                .any(|(j, q)| i != j && references(&q.value.value, &p.key.value))
                    });
                if offending {
                    out.push(Finding::new(
                        "DL3044",
                        inst.keyword_range(),
                        "Do not refer to an environment variable within the same `ENV` statement \
                         where it is defined.",
                    ));
                }
                known.extend(pairs.iter().map(|p| p.key.value.to_string()));
            }
            (InstructionKind::Arg, Arguments::List(words)) => {
                known.extend(
                    words
                        .iter()
                        .map(|w| w.value.split('=').next().unwrap_or("").to_string()),
                );
            }
            _ => {}
        }
    }
}
