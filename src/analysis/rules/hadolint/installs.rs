//! What the rules about package managers share.

use super::context::Run;
use super::{Cx, Finding};
use crate::model::{Arguments, Model};
use crate::shell::{Script, ShellCommand, Word};
use crate::syntax::InstructionKind;

/// The word of `cmd` that is its subcommand (`install` in `apt-get -q install x`).
pub(super) fn subcommand<'c>(cmd: &'c ShellCommand, words: &[&str]) -> Option<&'c Word> {
    cmd.args.iter().find(|w| words.contains(&w.value.as_str()))
}

/// Reports commands `applies` picks that lack a switch, with a fix inserting `switch` after
/// the subcommand.
#[allow(clippy::too_many_arguments)]
pub(super) fn missing_switch(
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
    code: &'static str,
    message: &str,
    subcommands: &[&str],
    applies: impl Fn(&ShellCommand) -> bool,
    has_switch: impl Fn(&ShellCommand) -> bool,
    switch: &str,
) {
    for (run, script, cmd) in cx.run_commands(true) {
        if !applies(cmd) || has_switch(cmd) {
            continue;
        }
        let mut finding = Finding::new(code, run.doc(script, cmd.range.clone()), message);
        if let Some(word) = subcommand(cmd, subcommands) {
            finding = finding.with_fix(
                format!("Add `{}`", switch.trim()),
                vec![run.insert_after(script, word, switch)],
            );
        }
        out.push(finding);
    }
}

/// Whether `cmd` is an `rm` of a path under `dir`. (hadolint takes any `rm -rf`, even of
/// another directory, for the clean-up.)
pub(super) fn removes(cmd: &ShellCommand, dir: &str) -> bool {
    cmd.is("rm") && cmd.operands(&[]).iter().any(|w| w.value.starts_with(dir))
}

/// The first command that `is_install` picks, and whether a command `is_clean` picks comes
/// after it (hadolint compares the positions of the first of each).
pub(super) fn cleaned_after(
    run: &Run<'_>,
    is_install: impl Fn(&ShellCommand) -> bool,
    is_clean: impl Fn(&ShellCommand) -> bool,
) -> Option<(bool, (&'static str, std::ops::Range<usize>))> {
    let commands: Vec<(&Script, &ShellCommand)> = run.commands().collect();
    let install = commands.iter().position(|(_, c)| is_install(c))?;
    let clean = commands.iter().position(|(_, c)| is_clean(c));
    let (script, cmd) = commands[install];
    Some((
        clean.is_some_and(|c| install < c),
        ("", run.doc(script, cmd.range.clone())),
    ))
}

pub(super) fn missing_clean(
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
    code: &'static str,
    message: &str,
    cache: &[&str],
    is_install: impl Fn(&ShellCommand) -> bool + Copy,
    is_clean: impl Fn(&ShellCommand) -> bool + Copy,
) {
    for run in cx.runs(true) {
        if cache.iter().any(|c| run.has_cache_mount(c)) {
            continue;
        }
        if let Some((false, (_, range))) = cleaned_after(&run, is_install, is_clean) {
            out.push(Finding::new(code, range, message));
        }
    }
}

/// Whether the finding of a stage-wide rule on a RUN of stage `stage` is reported: the
/// stage is the last one, or a later FROM builds on it (as hadolint decides, by the stage's
/// name against the image names of every FROM).
pub(super) fn stage_matters(model: &Model, stage: Option<usize>) -> bool {
    let Some(stage) = stage else {
        return true;
    };
    if stage + 1 == model.stages.len() {
        return true;
    }
    let Some((name, _)) = model.stages.get(stage).and_then(|s| s.name.as_ref()) else {
        return false;
    };
    model
        .stages
        .iter()
        .filter_map(|s| s.base.as_ref())
        .any(|(base, _)| base.eq_ignore_ascii_case(name))
}

pub(super) const TRUTHY: &[&str] = &[
    "1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES",
];

/// `PIP_NO_CACHE_DIR=<truthy>` written in a script.
pub(super) fn script_sets_no_cache(text: &str) -> bool {
    text.split_once("PIP_NO_CACHE_DIR=")
        .is_some_and(|(_, rest)| TRUTHY.iter().any(|t| rest.starts_with(t)))
}

/// For each instruction, whether an ENV of its stage (or of the stages it is built from)
/// set `name` to a true value before it.
pub(super) fn stage_env_set(cx: &Cx<'_>, name: &str) -> Vec<bool> {
    let count = cx.model.instructions.len();
    let mut out = Vec::with_capacity(count);
    let mut ends: Vec<bool> = Vec::new();
    let mut current = false;
    // Only FROM and ENV change it: the instructions between take the value before them.
    for i in cx.model.indices_where(0..count, |k| {
        matches!(k, InstructionKind::From | InstructionKind::Env)
    }) {
        out.resize(i, current);
        let inst = &cx.model.instructions[i];
        match (inst.kind(), &inst.command().args) {
            (InstructionKind::From, _) => {
                let stage = cx.model.stages.partition_point(|s| s.instruction < i);
                while ends.len() < stage {
                    ends.push(current);
                }
                current = cx
                    .model
                    .parent_stage(stage)
                    .and_then(|p| ends.get(p).copied())
                    .unwrap_or(false);
            }
            (InstructionKind::Env, Arguments::Pairs(pairs)) => {
                if let Some(p) = pairs.iter().find(|p| p.key.value == name) {
                    current = TRUTHY.contains(&crate::model::unquote(&p.value.value).as_str());
                }
            }
            _ => {}
        }
        out.push(current);
    }
    out.resize(count, current);
    out
}
