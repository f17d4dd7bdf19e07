//! DL3013: Pin versions in pip.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::Word;
use crate::shell::packages::{Manager, is_pip_install};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`pip install pkg` installs the newest release at build time. Pin each requirement \
        (`pkg==1.2.3`), or install from a requirements (`-r`) or constraints (`-c`) file that \
        pins them.";

/// DL3013: `pip install pkg` without a version specifier, unless requirements or
/// constraints files are used.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    if !cx.options.pins(Manager::Pip) {
        return;
    }
    for (run, script, cmd) in cx.run_commands(true) {
        if !is_pip_install(cmd)
            || cmd.has_any_flag(&["constraint", "c"])
            || ["--requirement", "-r", "."].iter().any(|a| cmd.has_arg(a))
        {
            continue;
        }
        let operands = cmd.operands(Manager::Pip.options_with_value());
        let packages = after_install(&operands);
        let words: Vec<&Word> = packages
            .iter()
            .copied()
            .filter(|w| !pip_pinned(&w.value))
            .collect();
        out.extend(unpinned(
            &run,
            script,
            "DL3013",
            "Pin versions in pip. Instead of `pip install <package>` use `pip install \
             <package>==<version>` or `pip install --requirement <requirements file>`",
            &words,
        ));
    }
}
