//! DL3011: Valid UNIX ports range from 0 to 65535.

use super::{Cx, Finding};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "EXPOSE takes port numbers from 0 to 65535; a larger number cannot be published and is a \
        typo. Fix the number.";

/// DL3011: an EXPOSEd port above 65535.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Expose) {
        let Arguments::List(words) = &inst.command().args else {
            continue;
        };
        for w in words {
            let port = w.value.split('/').next().unwrap_or("");
            let too_big = port
                .split('-')
                .filter_map(|p| p.parse::<u64>().ok())
                .any(|p| p > 65535);
            if too_big {
                out.push(Finding::new(
                    "DL3011",
                    inst.abs(&w.range),
                    "Valid UNIX ports range from 0 to 65535",
                ));
            }
        }
    }
}
