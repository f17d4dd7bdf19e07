//! DL3023: COPY --from cannot reference its own FROM alias.

use super::stages::*;
use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "A stage cannot copy from itself: `COPY --from` naming the stage it is in refers to an \
        image, not to the files built so far. Copy from an earlier stage or use the files \
        directly.";

/// DL3023: `COPY --from=` naming the stage it is in.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut alias: Option<String> = None;
    for (_, inst) in cx.indexed() {
        match inst.kind() {
            InstructionKind::From => {
                alias = stage_key(inst).and_then(|(a, i)| (a != i).then_some(a));
            }
            InstructionKind::Copy => {
                let Some(flag) = inst.command().flag("from") else {
                    continue;
                };
                if alias
                    .as_deref()
                    .is_some_and(|a| flag.value.as_deref() == Some(a))
                {
                    out.push(Finding::new(
                        "DL3023",
                        inst.abs(flag.value_range.as_ref().unwrap_or(&flag.range)),
                        "`COPY --from` cannot reference its own `FROM` alias",
                    ));
                }
            }
            _ => {}
        }
    }
}
