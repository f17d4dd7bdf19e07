//! DL3004: Do not use sudo.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "sudo in a RUN is unnecessary (build steps run as the current USER, root by default) and \
        has unpredictable TTY and signal behaviour. Run the step as root with `USER root` and \
        switch back, or use gosu in entrypoints that must drop privileges.";

/// DL3004: `sudo` in RUN (the build already runs as the USER it names).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if cmd.is("sudo") {
            out.push(Finding::new(
                "DL3004",
                run.name(script, cmd),
                "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to \
                 enforce root",
            ));
        }
    }
}
