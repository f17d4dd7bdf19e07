//! DL3037: Specify version with zypper install.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::packages::Manager;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`zypper install pkg` installs the newest version at build time. Pin each package \
        (`pkg=1.2.3`, or with `>`/`<`) so rebuilds are reproducible; an `.rpm` file counts as \
        pinned.";

/// DL3037: `zypper install pkg` without a version.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3037",
        Manager::Zypper,
        "Specify version with `zypper install -y <package>=<version>`.",
        |c| operands(c, "zypper", &["install", "in"], &[]),
        |p| !(p.contains(['=', '>', '<']) || p.ends_with(".rpm")),
    );
}
