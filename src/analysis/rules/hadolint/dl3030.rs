//! DL3030: Use the -y switch with yum install.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Without `-y`, `yum install` waits for a confirmation that never comes in a build. Add \
        `-y` (or `--assumeyes`).";

/// DL3030: `yum install` without `-y`.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let words = ["install", "groupinstall", "localinstall"];
    missing_switch(
        cx,
        out,
        "DL3030",
        "Use the -y switch to avoid manual input `yum install -y <package>`",
        &words,
        |c| c.has_args("yum", &words),
        |c| c.has_any_flag(&["y", "assumeyes"]),
        " -y",
    );
}
