//! DL3043: ONBUILD, FROM or MAINTAINER triggered from within ONBUILD.

use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "ONBUILD runs its instruction in images built FROM this one; ONBUILD ONBUILD, ONBUILD FROM \
        and ONBUILD MAINTAINER are refused there. Move the instruction out of ONBUILD.";

/// DL3043: ONBUILD triggering ONBUILD, FROM or MAINTAINER.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Onbuild) {
        let Some(trigger) = inst.data().trigger.as_deref() else {
            continue;
        };
        if matches!(
            trigger.kind,
            InstructionKind::Onbuild | InstructionKind::From | InstructionKind::Maintainer
        ) {
            out.push(Finding::new(
                "DL3043",
                inst.abs(&trigger.keyword_range),
                "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
            ));
        }
    }
}
