//! DL3032: yum clean all missing after yum command.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "yum keeps its metadata and downloaded packages in /var/cache/yum. Run `yum clean all` \
        (and remove /var/cache/yum) in the same RUN as the install so they do not end up in the \
        layer.";

/// DL3032: `yum install` without a later `yum clean all`.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    missing_clean(
        cx,
        out,
        "DL3032",
        "`yum clean all` missing after yum command.",
        &[],
        |c| c.has_args("yum", &["install"]),
        |c| c.has_args("yum", &["clean", "all"]) || removes(c, "/var/cache/yum"),
    );
}
