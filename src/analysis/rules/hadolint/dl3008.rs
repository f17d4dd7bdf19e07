//! DL3008: Pin versions in apt-get install.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::packages::Manager;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`apt-get install pkg` installs whatever version the mirror has on the day of the build, \
        so two builds of the same Dockerfile can differ. Pin each package as `pkg=1.2.3-1`; a \
        path or a `.deb` file counts as pinned. The pinning rules can be turned off per package \
        manager.";

/// DL3008: `apt-get install pkg` without `=version` (a path or a `.deb` file is pinned too).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3008",
        Manager::AptGet,
        "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get \
         install <package>=<version>`",
        |c| operands(c, "apt-get", &["install"], &["t", "target-release"]),
        |p| !(p.contains('=') || p.contains('/') || p.ends_with(".deb")),
    );
}
