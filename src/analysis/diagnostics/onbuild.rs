//! ONBUILD: BuildKit refuses `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.
//!
//! The trigger itself is checked like any instruction (see `mod.rs`), as warnings.

use super::{CommandCx, Out};
use crate::syntax::InstructionKind;

pub(super) fn check_command(c: &CommandCx, out: &mut Out) {
    let Some(trigger) = c.inst.data().trigger.as_deref() else {
        return;
    };
    let range = c.abs(&trigger.keyword_range);
    let message = match trigger.kind {
        InstructionKind::Onbuild => {
            "ONBUILD cannot trigger another ONBUILD: chaining is not allowed"
        }
        InstructionKind::From => {
            "FROM cannot be an ONBUILD trigger: a build that uses this image already starts with its own FROM"
        }
        InstructionKind::Maintainer => {
            "MAINTAINER cannot be an ONBUILD trigger: use `ONBUILD LABEL maintainer=...` instead"
        }
        _ => return,
    };
    out.error(range, "onbuild-invalid-trigger", message);
}

#[cfg(test)]
mod tests {
    use super::super::test_util::check;

    #[test]
    fn invalid_triggers() {
        check(
            "FROM a\nONBUILD ONBUILD RUN x\nONBUILD from b\nONBUILD MAINTAINER me\n",
            &[
                ("onbuild-invalid-trigger", "ONBUILD"),
                ("onbuild-invalid-trigger", "from"),
                ("onbuild-invalid-trigger", "MAINTAINER"),
            ],
        );
        check("FROM a\nONBUILD RUN x\nONBUILD COPY . /app\n", &[]);
    }
}
