//! DL3019: Use the --no-cache switch with apk add.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`apk add` keeps the downloaded index in /var/cache/apk, which ends up in the layer. Use \
        `apk add --no-cache` (the quick fix adds it) or a cache mount on /var/cache/apk.";

/// DL3019: `apk add` without `--no-cache` keeps the index in the layer (a cache mount on
/// `/var/cache/apk` is fine).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if !cmd.has_args("apk", &["add"]) || cmd.has_flag("no-cache") {
            continue;
        }
        if run.has_cache_mount("/var/cache/apk") {
            continue;
        }
        let mut finding = Finding::new(
            "DL3019",
            run.doc(script, cmd.range.clone()),
            "Use the `--no-cache` switch to avoid the need to use `--update` and remove \
             `/var/cache/apk/*` when done installing packages",
        );
        if let Some(word) = subcommand(cmd, &["add"]) {
            finding = finding.with_fix(
                "Add `--no-cache`",
                vec![run.insert_after(script, word, " --no-cache")],
            );
        }
        out.push(finding);
    }
}
