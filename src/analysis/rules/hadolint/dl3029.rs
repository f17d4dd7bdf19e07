//! DL3029: Do not use --platform flag with FROM.

use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`FROM --platform=` with a fixed value pins the platform of the base image, so the \
        Dockerfile no longer builds natively for the target the user asks for. Leave it out; \
        values naming `$BUILDPLATFORM` or `$TARGETPLATFORM` (cross-compilation stages) are not \
        reported.";

/// DL3029: `FROM --platform=` with a value other than `$BUILDPLATFORM`/`$TARGETPLATFORM`.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::From) {
        let Some(flag) = inst.command().flag("platform") else {
            continue;
        };
        let value = flag.value.as_deref().unwrap_or("");
        if !value.contains("BUILDPLATFORM") && !value.contains("TARGETPLATFORM") {
            out.push(Finding::new(
                "DL3029",
                inst.abs(&flag.range),
                "Do not use --platform flag with FROM",
            ));
        }
    }
}
