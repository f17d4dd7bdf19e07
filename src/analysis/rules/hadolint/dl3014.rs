//! DL3014: Use the -y switch with apt-get install.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Without `-y`, `apt-get install` asks for confirmation and, without a terminal, the build \
        aborts. Add `-y` (or `--yes`/`--assume-yes`/`-qq`); the quick fix adds `-y`.";

/// DL3014: `apt-get install` without `-y` waits for an answer nobody gives.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    missing_switch(
        cx,
        out,
        "DL3014",
        "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
        &["install"],
        |c| c.has_args("apt-get", &["install"]),
        |c| {
            c.has_any_flag(&["y", "yes", "qq", "assume-yes"])
                || c.count_flag("q") == 2
                || c.count_flag("quiet") == 2
                || c.has_arg("-q=2")
        },
        " -y",
    );
}
