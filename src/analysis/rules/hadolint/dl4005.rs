//! DL4005: Use SHELL to change the default shell.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`RUN ln -sf /bin/bash /bin/sh` changes the shell of every later RUN behind the \
        Dockerfile's back. Use the SHELL instruction to choose the shell.";

/// DL4005: `ln … /bin/sh` instead of SHELL.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if cmd.has_args("ln", &["/bin/sh"]) {
            out.push(Finding::new(
                "DL4005",
                run.doc(script, cmd.range.clone()),
                "Use SHELL to change the default shell",
            ));
        }
    }
}
