//! DL3003: Use WORKDIR to switch to a directory.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`cd` inside a RUN only lasts for that RUN, so it is easy to believe later instructions \
        run there too. Use WORKDIR to change directory for the rest of the stage, or absolute \
        paths in the script.";

/// DL3003: `cd` in RUN; WORKDIR says where the next instructions run.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(false) {
        if cmd.is("cd") {
            out.push(Finding::new(
                "DL3003",
                run.doc(script, cmd.range.clone()),
                "Use WORKDIR to switch to a directory",
            ));
        }
    }
}
