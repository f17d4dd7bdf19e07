//! DL3021: COPY with more than 2 arguments requires the last argument to end with /.

use super::files::*;
use super::{Cx, Finding};
use crate::analysis::Edit;
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "With more than one source, COPY copies into a folder, and the destination must say so by \
        ending with `/`; otherwise the build fails. Add the trailing `/` (the quick fix does).";

/// DL3021: COPY of several sources to a destination that does not end with `/`.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Copy) {
        let Some((sources, dest)) = paths(inst) else {
            continue;
        };
        if sources.len() > 1 && !drop_quotes(&dest.value).ends_with('/') {
            out.push(
                Finding::new(
                    "DL3021",
                    inst.abs(&dest.range),
                    "COPY with more than 2 arguments requires the last argument to end with /",
                )
                .with_fix(
                    "Add a trailing `/`",
                    vec![Edit {
                        range: inst.abs(&(dest.range.end..dest.range.end)),
                        new_text: "/".into(),
                    }]
                    .into_iter()
                    .filter(|_| dest.value.len() == dest.range.len())
                    .collect(),
                ),
            );
        }
    }
}
