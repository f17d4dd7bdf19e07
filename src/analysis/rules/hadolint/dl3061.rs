//! DL3061: Dockerfile must begin with FROM, ARG or a comment.

use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "A Dockerfile starts with FROM (or ARGs used by FROM); another instruction before the \
        first FROM belongs to no stage and the build fails. Move it below a FROM.";

/// DL3061: an instruction other than ARG before the first FROM.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.model.instructions {
        match inst.kind() {
            InstructionKind::From => return,
            InstructionKind::Arg => {}
            _ => out.push(Finding::new(
                "DL3061",
                inst.keyword_range(),
                "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
            )),
        }
    }
}
