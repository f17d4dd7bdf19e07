//! DL3034: Non-interactive switch missing from zypper command.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "zypper asks questions unless told not to, and a build cannot answer them. Use `zypper \
        -n`/`--non-interactive`, or `-y` on the subcommand.";

/// DL3034: zypper without `-n`/`-y` waits for an answer.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let words = [
        "install",
        "in",
        "remove",
        "rm",
        "source-install",
        "si",
        "patch",
    ];
    missing_switch(
        cx,
        out,
        "DL3034",
        "Non-interactive switch missing from `zypper` command: `zypper install -y`",
        &words,
        |c| c.has_args("zypper", &words),
        |c| c.has_any_flag(&["non-interactive", "n", "no-confirm", "y"]),
        " -y",
    );
}
