//! DL3015: Avoid additional packages by specifying --no-install-recommends.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "apt-get installs \"recommended\" packages by default, which often pulls in many packages \
        the image never uses. Add `--no-install-recommends` to `apt-get install` (the quick fix \
        does) and name what is really needed.";

/// DL3015: `apt-get install` without `--no-install-recommends` installs more than asked.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    missing_switch(
        cx,
        out,
        "DL3015",
        "Avoid additional packages by specifying `--no-install-recommends`",
        &["install"],
        |c| c.has_args("apt-get", &["install"]),
        |c| c.has_flag("no-install-recommends") || c.has_arg("APT::Install-Recommends=false"),
        " --no-install-recommends",
    );
}
