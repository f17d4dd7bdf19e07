//! DL3066: Non-numeric user-id may not be resolvable by host system.

use super::variables::references;
use super::{Cx, Finding};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "A USER given by name is resolved in the container's /etc/passwd, which the host and \
        Kubernetes `runAsNonRoot` checks cannot see. Use a numeric UID (and GID), e.g. `USER \
        10001:10001`.";

/// DL3066: USER with a name rather than a numeric id (unless it comes from an ARG).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut args: Vec<String> = Vec::new();
    // Only the window is checked; what comes after it tells nothing about it.
    for (index, inst) in cx.through_window(&[InstructionKind::Arg, InstructionKind::User]) {
        match (inst.kind(), &inst.command().args) {
            (InstructionKind::Arg, Arguments::List(words)) => {
                args.extend(
                    words
                        .iter()
                        .map(|w| w.value.split('=').next().unwrap_or("").to_string()),
                );
            }
            (InstructionKind::User, Arguments::Text(user)) if cx.visits(index) => {
                let uid = user.value.split(':').next().unwrap_or("");
                // Most users are plain names: only a `$` can make the ARG scan worthwhile.
                let from_arg = uid.contains('$')
                    && args
                        .iter()
                        .any(|a| references(uid, a) || uid.contains(&format!("${a}")));
                if !uid.chars().all(|c| c.is_ascii_digit()) && !from_arg {
                    out.push(Finding::new(
                        "DL3066",
                        inst.abs(&user.range),
                        "Non-numeric user-id may not be resolvable by host system",
                    ));
                }
            }
            _ => {}
        }
    }
}
