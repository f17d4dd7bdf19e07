//! DL3041: Specify version with dnf install.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::packages::Manager;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`dnf install pkg` installs the newest version at build time. Pin each package \
        (`pkg-1.2.3`) so rebuilds are reproducible; local `.rpm` files count as pinned.";

/// DL3041: `dnf install pkg` without `-version` (`dnf module install` needs `:stream`).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    rpm_versions(
        cx,
        out,
        "DL3041",
        Manager::Dnf,
        &["dnf", "microdnf"],
        &["module", "group"],
        "Specify version with `dnf install -y <package>-<version>`.",
    );
}
