//! DL3001: Command makes no sense in a Docker container.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Commands such as ssh, vim, shutdown, service, ps, free, top, kill or mount do nothing \
        useful in a build step: there is no init system, no terminal and no running service to \
        talk to. Remove them, or move the work to the container's entrypoint.";

/// DL3001: commands that make no sense in a build step.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    const POINTLESS: &[&str] = &[
        "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
    ];
    for (run, script, cmd) in cx.run_commands(true) {
        if cmd.is_any(POINTLESS) {
            out.push(Finding::new(
                "DL3001",
                run.name(script, cmd),
                "For some bash commands it makes no sense running them in a Docker container \
                 like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, \
                 `ifconfig`",
            ));
        }
    }
}
