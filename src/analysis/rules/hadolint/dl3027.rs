//! DL3027: Do not use apt, use apt-get or apt-cache.

use super::{Cx, Finding};
use crate::analysis::Edit;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "apt's command-line interface is meant for people and warns that it is not stable for \
        scripts. Use `apt-get` (or `apt-cache`) in RUN; the quick fix replaces `apt` with \
        `apt-get`.";

/// DL3027: `apt` is meant for people at a terminal; its interface is not stable.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    const SAME_IN_APT_GET: &[&str] = &[
        "install",
        "update",
        "upgrade",
        "remove",
        "purge",
        "autoremove",
        "dist-upgrade",
        "clean",
    ];
    for (run, script, cmd) in cx.run_commands(true) {
        if !cmd.is("apt") {
            continue;
        }
        let mut finding = Finding::new(
            "DL3027",
            run.name(script, cmd),
            "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache \
             instead",
        );
        // Only where apt-get does the same; `apt search` and the like have no twin there.
        let mechanical = cmd
            .args
            .iter()
            .find(|w| !w.value.starts_with('-'))
            .is_some_and(|w| SAME_IN_APT_GET.contains(&w.value.as_str()));
        if let (true, Some(first)) = (mechanical, &cmd.first) {
            finding = finding.with_fix(
                "Use `apt-get`",
                vec![Edit {
                    range: run.word(script, first),
                    new_text: "apt-get".into(),
                }],
            );
        }
        out.push(finding);
    }
}
