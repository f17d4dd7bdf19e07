//! DL3040: dnf clean all missing after dnf command.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "dnf keeps its metadata and downloaded packages in /var/cache/dnf. Run `dnf clean all` \
        (and remove /var/cache/dnf) in the same RUN as the install so they do not end up in the \
        layer.";

/// DL3040: `dnf install` without a later `dnf clean all` (per program: dnf, microdnf).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    const INSTALLS: &[&str] = &[
        "install",
        "in",
        "upgrade",
        "up",
        "upgrade-minimal",
        "up-min",
        "reinstall",
        "rei",
    ];
    for name in ["dnf", "microdnf"] {
        missing_clean(
            cx,
            out,
            "DL3040",
            "`dnf clean all` missing after dnf command.",
            &["/var/cache/libdnf5", ".cache/libdnf5"],
            |c| c.has_args(name, INSTALLS),
            |c| {
                c.has_args(name, &["clean", "all"])
                    || c.has_args("rm", &["-rf", "/var/cache/libdnf5*"])
            },
        );
    }
}
