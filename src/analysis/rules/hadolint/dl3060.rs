//! DL3060: yarn cache clean missing after yarn install.

use super::installs::*;
use super::{Cx, Finding};
use crate::shell::{Script, ShellCommand};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`yarn install` leaves its download cache in the layer. Run `yarn cache clean` in the same \
        RUN, or use a cache mount for yarn's cache folder.";

/// DL3060: `yarn install` without `yarn cache clean` after it (a cache mount on
/// `.cache/yarn` is fine). Reported for stages that end up in an image.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for run in cx.runs(true) {
        let commands: Vec<(&Script, &ShellCommand)> = run.commands().collect();
        let install = commands
            .iter()
            .position(|(_, c)| c.has_args("yarn", &["install"]));
        let clean = commands
            .iter()
            .position(|(_, c)| c.has_args("yarn", &["cache", "clean"]));
        let Some(install) = install else {
            continue;
        };
        let missing = clean.is_none() && !run.has_cache_mount(".cache/yarn");
        let too_early = clean.is_some_and(|c| c < install);
        if !(missing || too_early) {
            continue;
        }
        let stage = cx.model.stage_of(run.index).map(|s| s.index);
        if !stage_matters(cx.model, stage) {
            continue;
        }
        let (script, cmd) = commands[install];
        out.push(Finding::new(
            "DL3060",
            run.doc(script, cmd.range.clone()),
            "`yarn cache clean` missing after `yarn install` was run.",
        ));
    }
}
