//! DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it.

use super::{Cx, Finding};
use crate::shell::Dialect;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "A RUN whose script pipes one command into another fails only when the last command of the \
        pipe fails: `curl … | tar x` succeeds with a broken download. Set `SHELL [\"/bin/bash\", \
        \"-o\", \"pipefail\", \"-c\"]` before such RUNs (or `set -o pipefail` in the script) so any \
        failing stage fails the build. Where /bin/sh is busybox, set SHELL to /bin/ash, which has \
        pipefail too.";

/// DL4006: a RUN with a pipe, while the shell does not have `-o pipefail` (a failing
/// command before the pipe would go unnoticed). Not reported when the script turns
/// `pipefail` on itself before its first pipe, or when the shell is not a POSIX one.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for run in cx.runs(false) {
        let state = cx.shell.state(run.index);
        // hadolint counts pipefail only for shells that have it.
        let has_pipefail =
            state.pipefail && matches!(state.dialect, Dialect::Bash | Dialect::Zsh | Dialect::Ash);
        if has_pipefail {
            continue;
        }
        let Some(script) = run.shell.main() else {
            continue;
        };
        let Some(pipe) = script.pipes.first() else {
            continue;
        };
        if script.sets_pipefail() {
            continue;
        }
        out.push(Finding::new(
            "DL4006",
            run.doc(script, pipe.clone()),
            "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using \
             /bin/sh in an alpine image or if your shell is symlinked to busybox then consider \
             explicitly setting your SHELL to /bin/ash, or disable this check",
        ));
    }
}
