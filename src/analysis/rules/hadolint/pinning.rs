//! Version pinning of installed packages (each rule can be turned off per package manager).

use rustc_hash::FxHashSet;

use super::{Cx, Finding};
use crate::model::Arguments;
use crate::shell::packages::{Manager, is_pip_install};
use crate::shell::{Script, ShellCommand, Word};
use crate::syntax::InstructionKind;

/// Reports each package word `unpinned` says is not pinned, for the commands `select` picks.
fn report(
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
    code: &'static str,
    manager: Manager,
    message: &str,
    packages: impl Fn(&ShellCommand) -> Vec<&Word>,
    unpinned: impl Fn(&str) -> bool,
) {
    if !cx.options.pins(manager) {
        return;
    }
    for (run, script, cmd) in cx.run_commands(true) {
        for word in packages(cmd) {
            if unpinned(&word.value) {
                out.push(Finding::new(code, run.word(script, word), message));
            }
        }
    }
}

/// The operands of `cmd` other than the subcommand words, when it is `name` with one of
/// `subcommands` among its arguments.
fn operands<'c>(
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

/// DL3008: `apt-get install pkg` without `=version` (a path or a `.deb` file is pinned too).
pub fn dl3008(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3008",
        Manager::AptGet,
        "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get \
         install <package>=<version>`",
        |c| operands(c, "apt-get", &["install"], &["t", "target-release"]),
        |p| !(p.contains('=') || p.contains('/') || p.ends_with(".deb")),
    );
}

/// DL3018: `apk add pkg` without `=version` (or `~`, `>`, `<`; an `.apk` file is pinned).
pub fn dl3018(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3018",
        Manager::Apk,
        "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
        |c| operands(c, "apk", &["add"], &["t", "virtual", "repository", "X"]),
        |p| !(p.contains(['=', '~', '>', '<']) || p.ends_with(".apk")),
    );
}

/// DL3028: `gem install gem` without `:version` (unless `-v`/`--version` is given).
pub fn dl3028(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3028",
        Manager::Gem,
        "Pin versions in gem install. Instead of `gem install <gem>` use `gem install \
         <gem>:<version>`",
        gems,
        |p| !p.contains(':'),
    );
}

fn gems(cmd: &ShellCommand) -> Vec<&Word> {
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

/// DL3013: `pip install pkg` without a version specifier, unless requirements or
/// constraints files are used.
pub fn dl3013(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
        let unpinned: Vec<&&Word> = packages.iter().filter(|w| !pip_pinned(&w.value)).collect();
        for word in unpinned {
            out.push(Finding::new(
                "DL3013",
                run.word(script, word),
                "Pin versions in pip. Instead of `pip install <package>` use `pip install \
                 <package>==<version>` or `pip install --requirement <requirements file>`",
            ));
        }
    }
}

/// The words after the first `install` (and any repeated `install`).
fn after_install<'w>(operands: &[&'w Word]) -> Vec<&'w Word> {
    operands
        .iter()
        .skip_while(|w| w.value != "install")
        .skip_while(|w| w.value == "install")
        .copied()
        .collect()
}

const VCS_SCHEMES: &[&str] = &[
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

fn pip_pinned(p: &str) -> bool {
    let vcs = VCS_SCHEMES.iter().any(|s| p.starts_with(s));
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
        .iter()
        .any(|s| p.contains(s))
        || vcs && p.contains('@')
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || !vcs && p.contains('/')
}

/// DL3016: `npm install pkg` without `@version` (git URLs need `#ref`; tarballs and
/// folders are pinned).
pub fn dl3016(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
        for word in after_install(&operands) {
            if !npm_pinned(&word.value) {
                out.push(Finding::new(
                    "DL3016",
                    run.word(script, word),
                    "Pin versions in npm. Instead of `npm install <package>` use `npm install \
                     <package>@<version>`",
                ));
            }
        }
    }
}

fn npm_pinned(p: &str) -> bool {
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

/// DL3037: `zypper install pkg` without a version.
pub fn dl3037(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3037",
        Manager::Zypper,
        "Specify version with `zypper install -y <package>=<version>`.",
        |c| operands(c, "zypper", &["install", "in"], &[]),
        |p| !(p.contains(['=', '>', '<']) || p.ends_with(".rpm")),
    );
}

/// DL3062: `go install`/`go get`/`go run` of a package without `@version` (or with
/// `@latest`/`@none`).
pub fn dl3062(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    if !cx.options.pins(Manager::Go) {
        return;
    }
    for run in cx.runs(true) {
        let mut found: Vec<(&Script, &Word)> = Vec::new();
        for (script, cmd) in run.commands() {
            if cmd.has_args("go", &["run"]) {
                let words = cmd.operands(&[]);
                found.extend(
                    words
                        .into_iter()
                        .take(2)
                        .filter(|w| w.value != "run")
                        .map(|w| (script, w)),
                );
            }
        }
        if found.is_empty() {
            for (script, cmd) in run.commands() {
                if cmd.has_args("go", &["install", "get"]) {
                    found.extend(
                        cmd.operands(&[])
                            .into_iter()
                            .filter(|w| !["install", "get", "tool"].contains(&w.value.as_str()))
                            .map(|w| (script, w)),
                    );
                }
            }
        }
        for (script, word) in found {
            let p = word.value.as_str();
            let local = p == "." || p.starts_with('/') || p.starts_with('.');
            let pinned = p.contains('@') && !p.ends_with("@latest") && !p.ends_with("@none");
            if !local && !pinned {
                out.push(Finding::new(
                    "DL3062",
                    run.word(script, word),
                    "Pin versions in go. Instead of `go install <package>` use `go install \
                     <package>@<version>`",
                ));
            }
        }
    }
}

/// DL3033: `yum install pkg` without `-version` (`yum module install` needs `:stream`).
pub fn dl3033(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    rpm_versions(
        cx,
        out,
        "DL3033",
        Manager::Yum,
        &["yum"],
        &["module"],
        "Specify version with `yum install -y <package>-<version>`.",
    );
}

/// DL3041: `dnf install pkg` without `-version` (`dnf module install` needs `:stream`).
pub fn dl3041(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    rpm_versions(
        cx,
        out,
        "DL3041",
        Manager::Dnf,
        &["dnf", "microdnf"],
        &["module", "group"],
        "Specify version with `dnf install -y <package>-<version>`.",
    );
}

/// The RPM package rules: a package is pinned when what follows its first `-` reads as a
/// version, or it is an `.rpm` file, or a `${VAR}` in it names an ENV of the stage or an ARG.
fn rpm_versions(
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
    let variables = StageVariables::new(cx);
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
                    rpm_pinned(p, |name| variables.defined(run.index, name))
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

fn rpm_pinned(p: &str, defined: impl Fn(&str) -> bool) -> bool {
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
fn variable_names(word: &str) -> impl Iterator<Item = &str> {
    word.split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(n, _)| n))
}

/// ENV names per stage (a stage built from another starts with its ENVs) and every ARG
/// name, as the RPM rules read them.
struct StageVariables {
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
