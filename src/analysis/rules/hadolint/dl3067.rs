//! DL3067: Do not copy an entire filesystem from another stage.

use super::files::*;
use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`COPY --from=stage / /` copies the whole filesystem of another stage, including caches \
        and tools the final image does not need, and can overwrite its system files. Copy only \
        the paths you need.";

/// DL3067: `COPY --from=stage / /` copies a whole filesystem.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Copy) {
        if inst.command().flag("from").is_none() {
            continue;
        }
        let Some((sources, dest)) = paths(inst) else {
            continue;
        };
        if drop_quotes(&dest.value) == "/" && sources.iter().any(|s| drop_quotes(&s.value) == "/") {
            out.push(Finding::new(
                "DL3067",
                inst.keyword_range(),
                "Do not copy an entire filesystem from another stage",
            ));
        }
    }
}
