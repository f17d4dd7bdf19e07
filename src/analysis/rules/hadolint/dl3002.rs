//! DL3002: Last USER should not be root.

use super::{Cx, Finding};
use crate::model::{Arguments, Instruction};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "If the last USER of the final stage is root, the container runs as root unless the \
        runtime overrides it, which widens the damage of any compromise. Switch to an \
        unprivileged user after the steps that need root.";

/// DL3002: a stage whose last USER is root.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut last_root: Option<&Instruction> = None;
    let flush = |last: Option<&Instruction>, out: &mut Vec<Finding>| {
        if let Some(inst) = last {
            out.push(Finding::new(
                "DL3002",
                inst.keyword_range(),
                "Last USER should not be root",
            ));
        }
    };
    for (_, inst) in cx.indexed() {
        match (inst.kind(), &inst.command().args) {
            (InstructionKind::From, _) => flush(last_root.take(), out),
            (InstructionKind::User, Arguments::Text(user)) => {
                let u = user.value.as_str();
                let root = u == "root" || u == "0" || u.starts_with("root:") || u.starts_with("0:");
                last_root = root.then_some(inst);
            }
            _ => {}
        }
    }
    flush(last_root, out);
}
