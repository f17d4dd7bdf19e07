//! DL3036: zypper clean missing after zypper use.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "zypper keeps repository metadata and downloaded packages in its cache. Run `zypper clean` \
        (or `zypper cc`) in the same RUN as the install so they do not end up in the layer.";

/// DL3036: `zypper install` without a later `zypper clean`.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    missing_clean(
        cx,
        out,
        "DL3036",
        "`zypper clean` missing after zypper use.",
        &["/var/cache/zypp"],
        |c| c.has_args("zypper", &["install", "in"]),
        |c| c.has_args("zypper", &["clean", "cc"]),
    );
}
