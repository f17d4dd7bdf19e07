//! DL3016: Pin versions in npm.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::Word;
use crate::shell::packages::Manager;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`npm install pkg` installs the newest matching release at build time. Pin each package \
        (`pkg@1.2.3`); git URLs and tarballs count as pinned.";

/// DL3016: `npm install pkg` without `@version` (git URLs need `#ref`; tarballs and
/// folders are pinned).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    if !cx.options.pins(Manager::Npm) {
        return;
    }
    for (run, script, cmd) in cx.run_commands(true) {
        if !cmd.has_args("npm", &["install"]) {
            continue;
        }
        let operands = cmd.operands(&["loglevel", "registry"]);
        if operands.first().is_none_or(|w| w.value != "install") {
            continue;
        }
        let words: Vec<&Word> = after_install(&operands)
            .into_iter()
            .filter(|w| !npm_pinned(&w.value))
            .collect();
        out.extend(unpinned(
            &run,
            script,
            "DL3016",
            "Pin versions in npm. Instead of `npm install <package>` use `npm install \
             <package>@<version>`",
            &words,
        ));
    }
}
