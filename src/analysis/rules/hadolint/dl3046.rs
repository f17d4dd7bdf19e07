//! DL3046: useradd without flag -l and high UID will result in excessively large image.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`useradd -u` with a long UID and without `-l` writes a record for every lower UID into \
        /var/log/lastlog and faillog, which can make the layer gigabytes large. Add `-l` \
        (`--no-log-init`); the quick fix does.";

/// DL3046: `useradd -u` with a long UID and without `-l`, which fills the lastlog file.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        let long_uid = cmd
            .flag_values("u")
            .iter()
            .any(|w| w.value.chars().count() > 5);
        if cmd.is("useradd")
            && !cmd.has_any_flag(&["l", "no-log-init"])
            && cmd.has_any_flag(&["u", "uid"])
            && long_uid
        {
            let name = cmd.first.as_ref();
            let mut finding = Finding::new(
                "DL3046",
                run.name(script, cmd),
                "`useradd` without flag `-l` and high UID will result in excessively large Image.",
            );
            if let Some(word) = name {
                finding = finding.with_fix(
                    "Add `-l` (do not add the user to the lastlog)",
                    vec![run.insert_after(script, word, " -l")],
                );
            }
            out.push(finding);
        }
    }
}
