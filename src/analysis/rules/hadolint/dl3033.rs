//! DL3033: Specify version with yum install.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::packages::Manager;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`yum install pkg` installs the newest version in the repositories at build time. Pin each \
        package (`pkg-1.2.3`) so rebuilds are reproducible; local `.rpm` files count as pinned.";

/// DL3033: `yum install pkg` without `-version` (`yum module install` needs `:stream`).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    rpm_versions(
        cx,
        out,
        "DL3033",
        Manager::Yum,
        &["yum"],
        &["module"],
        "Specify version with `yum install -y <package>-<version>`.",
    );
}
