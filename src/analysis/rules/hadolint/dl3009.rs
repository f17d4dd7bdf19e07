//! DL3009: Delete the apt lists after installing something.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`apt-get update` leaves the package lists in /var/lib/apt/lists, tens of megabytes in the \
        layer. Remove them in the same RUN (`rm -rf /var/lib/apt/lists/*`, or `apt-get \
        dist-clean`), or keep them out of the layer with a cache mount. Reported in the last \
        stage and in stages a later FROM builds on, whose layers end up in an image.";

/// DL3009: `apt-get update` without removing `/var/lib/apt/lists` leaves the lists in the
/// layer (a cache mount on them is fine). Reported for stages that end up in an image.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for run in cx.runs(true) {
        let mut updates = None;
        let mut cleans = false;
        for (script, cmd) in run.commands() {
            if updates.is_none()
                && (cmd.has_args("apt", &["update"])
                    || cmd.has_args("apt-get", &["update"])
                    || cmd.has_args("aptitude", &["update"]))
            {
                updates = Some(run.doc(script, cmd.range.clone()));
            }
            // `apt-get dist-clean` (apt 2.7) removes the lists too.
            cleans |=
                removes(cmd, "/var/lib/apt/lists") || cmd.has_args("apt-get", &["dist-clean"]);
        }
        let Some(range) = updates else {
            continue;
        };
        if cleans
            || run.has_cache_mount("/var/lib/apt/lists")
            || run.has_cache_mount("/var/lib/apt") && run.has_cache_mount("/var/cache/apt")
        {
            continue;
        }
        let stage = cx.model.stage_of(run.index).map(|s| s.index);
        if !stage_matters(cx.model, stage) {
            continue;
        }
        out.push(Finding::new(
            "DL3009",
            range,
            "Delete the apt lists (/var/lib/apt/lists) after installing something",
        ));
    }
}
