//! What the rules about version pinning share.

use super::{Cx, Finding, Run};
use crate::model::Arguments;
use crate::shell::packages::Manager;
use crate::shell::{Script, ShellCommand, Word};
use crate::syntax::InstructionKind;
use rustc_hash::FxHashSet;

/// How many unpinned packages a finding's message names before it counts the rest.
const NAMED: usize = 5;

/// One finding for the unpinned packages of one install command, or none when all are
/// pinned. hadolint reports such a command once, whatever the number of packages; a warning
/// per package buried long install lists in identical warnings (and made a keystroke on a
/// large file publish thousands). The range runs from the first unpinned package to the
/// last, and the message names them.
pub(super) fn unpinned(
    run: &Run<'_>,
    script: &Script,
    code: &'static str,
    message: &str,
    words: &[&Word],
) -> Option<Finding> {
    let (first, last) = (words.first()?, words.last()?);
    let range = run.word(script, first).start..run.word(script, last).end;
    let mut names = words
        .iter()
        .take(NAMED)
        .map(|w| w.value.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if words.len() > NAMED {
        names.push_str(&format!(" and {} more", words.len() - NAMED));
    }
    Some(Finding::new(
        code,
        range,
        format!("{message} (unpinned: {names})"),
    ))
}

/// Reports the package words `unpinned` says are not pinned, once per command `packages`
/// finds any in.
pub(super) fn report(
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
    code: &'static str,
    manager: Manager,
    message: &str,
    packages: impl Fn(&ShellCommand) -> Vec<&Word>,
    is_unpinned: impl Fn(&str) -> bool,
) {
    if !cx.options.pins(manager) {
        return;
    }
    for (run, script, cmd) in cx.run_commands(true) {
        let words: Vec<&Word> = packages(cmd)
            .into_iter()
            .filter(|w| is_unpinned(&w.value))
            .collect();
        out.extend(self::unpinned(&run, script, code, message, &words));
    }
}

/// The operands of `cmd` other than the subcommand words, when it is `name` with one of
/// `subcommands` among its arguments.
pub(super) fn operands<'c>(
    cmd: &'c ShellCommand,
    name: &str,
    subcommands: &[&str],
    with_value: &[&str],
) -> Vec<&'c Word> {
    if !cmd.has_args(name, subcommands) {
        return Vec::new();
    }
    cmd.operands(with_value)
        .into_iter()
        .filter(|w| !subcommands.contains(&w.value.as_str()))
        .collect()
}

pub(super) fn gems(cmd: &ShellCommand) -> Vec<&Word> {
    if !cmd.has_args("gem", &["install", "i"])
        || cmd.has_arg("-v")
        || cmd.has_arg("--version")
        || cmd.arg_values().any(|a| a.starts_with("--version="))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut args = cmd.args.iter().take_while(|w| w.value != "--").peekable();
    while let Some(w) = args.next() {
        if w.value.starts_with('-') {
            // An option and, as hadolint reads it, its value.
            args.next();
        } else if w.value != "install" && w.value != "i" {
            out.push(w);
        }
    }
    out
}

/// The words after the first `install` (and any repeated `install`).
pub(super) fn after_install<'w>(operands: &[&'w Word]) -> Vec<&'w Word> {
    operands
        .iter()
        .skip_while(|w| w.value != "install")
        .skip_while(|w| w.value == "install")
        .copied()
        .collect()
}

pub(super) const VCS_SCHEMES: &[&str] = &[
    "git+file",
    "git+https",
    "git+ssh",
    "git+http",
    "git+git",
    "git",
    "hg+file",
    "hg+http",
    "hg+https",
    "hg+ssh",
    "hg+static-http",
    "svn",
    "svn+svn",
    "svn+http",
    "svn+https",
    "svn+ssh",
    "bzr+http",
    "bzr+https",
    "bzr+ssh",
    "bzr+sftp",
    "bzr+ftp",
    "bzr+lp",
];

pub(super) fn pip_pinned(p: &str) -> bool {
    let vcs = VCS_SCHEMES.iter().any(|s| p.starts_with(s));
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
        .iter()
        .any(|s| p.contains(s))
        || vcs && p.contains('@')
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || !vcs && p.contains('/')
}

pub(super) fn npm_pinned(p: &str) -> bool {
    if ["git://", "git+ssh://", "git+http://", "git+https://"]
        .iter()
        .any(|g| p.starts_with(g))
    {
        return p.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"].iter().any(|s| p.ends_with(s)) {
        return true;
    }
    if ["/", "./", "../", "~/"].iter().any(|s| p.starts_with(s)) {
        return true;
    }
    // A scope (`@types/node`) is no version.
    let unscoped = if p.starts_with('@') {
        p.trim_start_matches(|c: char| c != '/')
    } else {
        p
    };
    unscoped.contains('@')
}

/// The RPM package rules: a package is pinned when what follows its first `-` reads as a
/// version, or it is an `.rpm` file, or a `${VAR}` in it names an ENV of the stage or an ARG.
pub(super) fn rpm_versions(
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
    code: &'static str,
    manager: Manager,
    names: &[&str],
    not_packages: &[&str],
    message: &str,
) {
    if !cx.options.pins(manager) {
        return;
    }
    // Built on first use: most windows have no RPM install.
    let variables = std::cell::OnceCell::new();
    for run in cx.runs(true) {
        let mut unpinned: Vec<(&Script, &Word)> = Vec::new();
        for (script, cmd) in run.commands() {
            if !cmd.any_has_args(names, &["install"]) {
                continue;
            }
            let is_module = cmd.any_has_args(names, &["module"]);
            if !is_module && cmd.any_has_args(names, not_packages) {
                continue;
            }
            for word in cmd.operands(&[]) {
                let p = word.value.as_str();
                if p == "install" || p == "module" {
                    continue;
                }
                let pinned = if is_module {
                    p.contains(':')
                } else {
                    rpm_pinned(p, |name| {
                        variables
                            .get_or_init(|| StageVariables::new(cx))
                            .defined(run.index, name)
                    })
                };
                if !pinned {
                    unpinned.push((script, word));
                }
            }
        }
        for (script, word) in unpinned {
            out.push(Finding::new(code, run.word(script, word), message));
        }
    }
}

pub(super) fn rpm_pinned(p: &str, defined: impl Fn(&str) -> bool) -> bool {
    // An RPM file names its version (hadolint checks for a dash first and so reports
    // `./app.rpm`).
    if p.ends_with(".rpm") {
        return true;
    }
    let parts: Vec<&str> = p.split('-').collect();
    if parts.len() <= 1 {
        return false;
    }
    if p.contains('$') {
        return variable_names(p).any(defined);
    }
    let rest = &parts[1..];
    rest.iter().all(|part| {
        part.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c))
    }) && rest
        .iter()
        .any(|part| part.starts_with(|c: char| c.is_ascii_digit()))
}

/// The names of the `${NAME}` references in a word.
pub(super) fn variable_names(word: &str) -> impl Iterator<Item = &str> {
    word.split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(n, _)| n))
}

/// ENV names per stage (a stage built from another starts with its ENVs) and every ARG
/// name, as the RPM rules read them.
pub(super) struct StageVariables {
    /// For each instruction: the ENV names of its stage so far.
    envs: Vec<usize>,
    sets: Vec<FxHashSet<String>>,
    args: FxHashSet<String>,
}

impl StageVariables {
    fn new(cx: &Cx<'_>) -> StageVariables {
        let mut sets: Vec<FxHashSet<String>> = vec![FxHashSet::default()];
        let mut stage_sets: Vec<usize> = Vec::new();
        let mut current = 0;
        let mut envs = Vec::with_capacity(cx.model.instructions.len());
        let mut args = FxHashSet::default();
        for (i, inst) in cx.model.instructions.iter().enumerate() {
            match (inst.kind(), &inst.command().args) {
                (InstructionKind::From, _) => {
                    let stage = cx.model.stages.partition_point(|s| s.instruction < i);
                    let inherited = cx
                        .model
                        .parent_stage(stage)
                        .and_then(|p| stage_sets.get(p))
                        .map(|&s| sets[s].clone())
                        .unwrap_or_default();
                    sets.push(inherited);
                    current = sets.len() - 1;
                    stage_sets.push(current);
                }
                (InstructionKind::Env, Arguments::Pairs(pairs)) => {
                    for p in pairs {
                        sets[current].insert(p.key.value.to_string());
                    }
                }
                (InstructionKind::Arg, Arguments::List(words)) => {
                    for w in words {
                        let name = w.value.split('=').next().unwrap_or("");
                        args.insert(name.to_string());
                    }
                }
                _ => {}
            }
            envs.push(current);
        }
        StageVariables { envs, sets, args }
    }

    fn defined(&self, index: usize, name: &str) -> bool {
        self.args.contains(name)
            || self
                .envs
                .get(index)
                .and_then(|&s| self.sets.get(s))
                .is_some_and(|set| set.contains(name))
    }
}
