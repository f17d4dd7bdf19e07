//! DL3057: HEALTHCHECK instruction missing.

use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The final image has no HEALTHCHECK, so orchestrators cannot tell a hung container from a \
        healthy one. Add a HEALTHCHECK (or `HEALTHCHECK NONE` to say it is deliberate). Off by \
        default, as in hadolint; turn it on in the configuration.";

/// DL3057 (off unless configured): a stage without HEALTHCHECK, neither its own nor one of
/// the stage it is built from.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut has: Vec<bool> = Vec::new();
    for (s, stage) in cx.model.stages.iter().enumerate() {
        let own = cx.model.instructions
            [stage.instruction..stage.end_instruction.min(cx.model.instructions.len())]
            .iter()
            .any(|i| i.kind() == InstructionKind::Healthcheck);
        let inherited = cx
            .model
            .parent_stage(s)
            .and_then(|p| has.get(p).copied())
            .unwrap_or(false);
        has.push(own || inherited);
    }
    for (s, stage) in cx.model.stages.iter().enumerate() {
        // A stage others build on gets its check from them.
        let used_later = cx
            .model
            .stages
            .iter()
            .skip(s + 1)
            .enumerate()
            .any(|(j, _)| cx.model.parent_stage(s + 1 + j) == Some(s) && has[s + 1 + j]);
        if !has[s] && !used_later {
            let inst = &cx.model.instructions[stage.instruction];
            out.push(Finding::new(
                "DL3057",
                inst.keyword_range(),
                "`HEALTHCHECK` instruction missing.",
            ));
        }
    }
}
