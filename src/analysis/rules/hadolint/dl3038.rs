//! DL3038: Use the -y switch with dnf install.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Without `-y`, `dnf install` (or microdnf) waits for a confirmation that never comes in a \
        build. Add `-y` (or `--assumeyes`).";

/// DL3038: `dnf install` without `-y`.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let words = ["install", "groupinstall", "localinstall"];
    missing_switch(
        cx,
        out,
        "DL3038",
        "Use the -y switch to avoid manual input `dnf install -y <package>`",
        &words,
        |c| c.any_has_args(&["dnf", "microdnf"], &words),
        |c| c.has_any_flag(&["y", "assumeyes"]),
        " -y",
    );
}
