//! DL3035: Do not use zypper dist-upgrade.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`zypper dist-upgrade` upgrades the whole distribution in the image, which makes the \
        result depend on the build date and can change its release. Use a newer base image \
        instead.";

/// DL3035: `zypper dist-upgrade` in a build.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if cmd.has_args("zypper", &["dist-upgrade", "dup"]) {
            out.push(Finding::new(
                "DL3035",
                run.doc(script, cmd.range.clone()),
                "Do not use `zypper dist-upgrade`.",
            ));
        }
    }
}
