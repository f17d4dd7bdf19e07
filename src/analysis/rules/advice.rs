//! Advice about the build cache that no linter gives, with our own ids:
//!
//! - `dependency-install-after-copy`: a dependency install that runs after `COPY . .`
//!   though it only needs the manifest, so every source change reinstalls everything.
//! - `package-cache-in-layer`: a package manager's download cache left in the layer, where a
//!   `--mount=type=cache` would keep it out of the image and reuse it across builds.
//! - `apt-update-separate-run`: `apt-get install` in a RUN after the one that ran
//!   `apt-get update`: the cached update layer goes stale and the install fails or installs
//!   old versions.

use std::ops::Range;

use super::hadolint::{Cx, Finding, Options};
use super::{Emit, Family, Group, Rule};
use crate::analysis::Edit;
use crate::analysis::types::Severity;
use crate::model::{Arguments, Instruction};
use crate::shell::ShellCommand;
use crate::shell::packages::is_pip_install;
use crate::syntax::InstructionKind;

/// The engine's metadata of the advice rules.
static RULES: &[Rule] = &[
    advice(
        "dependency-install-after-copy",
        "Install dependencies from the manifest before copying the whole context",
        "A layer is rebuilt when anything it copied changed. An install after `COPY . .` \
         therefore runs again on every source edit; copying only the manifest (and lock file) \
         first lets the install layer stay cached until the dependencies change.",
        "https://github.com/dockerfile-ls/dockerfile-ls/blob/main/docs/rules.md#dependency-install-after-copy",
        "Move the install before `COPY . .` with a COPY of the manifest",
    ),
    advice(
        "package-cache-in-layer",
        "Keep package manager caches out of the layer with a cache mount",
        "Downloaded packages and indexes left in a layer make the image bigger and are \
         fetched again by the next build. A `--mount=type=cache` keeps them outside the image \
         and reuses them across builds.",
        "https://github.com/dockerfile-ls/dockerfile-ls/blob/main/docs/rules.md#package-cache-in-layer",
        "Add a `--mount=type=cache` for the cache",
    ),
    advice(
        "apt-update-separate-run",
        "Run `apt-get update` in the RUN that installs",
        "The layer of a RUN that only updates the package lists is cached for as long as its \
         text stays the same, so a later install reads lists that may be months old and fails \
         on versions the mirrors dropped.",
        "https://github.com/dockerfile-ls/dockerfile-ls/blob/main/docs/rules.md#apt-update-separate-run",
        "Prefix the install with `apt-get update &&`",
    ),
];

const fn advice(
    id: &'static str,
    summary: &'static str,
    explanation: &'static str,
    url: &'static str,
    fix: &'static str,
) -> Rule {
    Rule {
        id,
        group: Group::Advice,
        severity: Severity::Information,
        summary,
        explanation,
        url: Some(url),
        experimental: false,
        tags: &[],
        fix: Some(fix),
        safe_fix: false,
        local_config: true,
        check: None,
        stage_local: false,
    }
}

pub static FAMILY: Family = Family {
    rules: RULES,
    check: None,
    local: Some(run),
};

fn run(cx: &super::Cx, out: &mut Emit) {
    let options = Options::default();
    let ours = Cx {
        model: cx.model,
        text: cx.text,
        shell: cx.snapshot.shell(),
        options: &options,
        window: cx.window(),
    };
    let mut found = Vec::new();
    dependency_install_after_copy(&ours, &mut found);
    package_cache_in_layer(&ours, &mut found);
    apt_update_separate_run(&ours, &mut found);
    for f in found {
        let item = out.push(Severity::Information, f.range, f.code.into(), f.message);
        if let Some((title, edits)) = f.fix {
            item.fix_edits(title, edits);
        }
    }
}

/// The manifest files an install command reads, and what to call the tool in messages.
fn manifests(cmd: &ShellCommand) -> Option<(Vec<String>, &'static str)> {
    let sub = |words: &[&str]| cmd.arg_values().any(|a| words.contains(&a));
    let name = cmd.name.as_deref()?;
    let files = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Some(match name {
        "npm" if sub(&["install", "ci", "i"]) && cmd.operands(&[]).len() == 1 => {
            (files(&["package.json", "package-lock.json*"]), "npm")
        }
        "yarn" if cmd.args.is_empty() || sub(&["install"]) && cmd.operands(&[]).len() == 1 => {
            (files(&["package.json", "yarn.lock"]), "yarn")
        }
        "pnpm" if sub(&["install", "i"]) && cmd.operands(&[]).len() == 1 => {
            (files(&["package.json", "pnpm-lock.yaml"]), "pnpm")
        }
        "go" if sub(&["mod"]) && sub(&["download"]) => (files(&["go.mod", "go.sum"]), "go"),
        "bundle" if cmd.args.is_empty() || sub(&["install"]) => {
            (files(&["Gemfile", "Gemfile.lock"]), "bundler")
        }
        _ if is_pip_install(cmd) => {
            let requirement = cmd.flag_values("r").first().map(|w| w.value.clone())?;
            (vec![requirement], "pip")
        }
        _ => return None,
    })
}

/// Whether a COPY copies the whole context (`COPY . .`, `COPY ./ /app/`).
fn copies_everything(inst: &Instruction) -> bool {
    let cmd = inst.command();
    if cmd.kind != InstructionKind::Copy || cmd.flag("from").is_some() {
        return false;
    }
    let words = match &cmd.args {
        Arguments::List(w) | Arguments::Json(w) => w.as_slice(),
        _ => return false,
    };
    words.len() >= 2
        && words[..words.len() - 1]
            .iter()
            .any(|w| w.value == "." || w.value == "./")
}

/// The line of `text` that holds `range` with its line break, for moving it.
fn whole_lines(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    // An instruction's range may already end with its line break.
    let last = range.end.saturating_sub(1).max(range.start);
    let end = text[last..].find('\n').map_or(text.len(), |i| last + i + 1);
    start..end
}

/// `dependency-install-after-copy`.
pub fn dependency_install_after_copy(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut copy_all: Option<usize> = None;
    let mut manifest_copied = false;
    for (index, inst) in cx.indexed() {
        match inst.kind() {
            InstructionKind::From => {
                copy_all = None;
                manifest_copied = false;
                continue;
            }
            InstructionKind::Copy if copies_everything(inst) => {
                copy_all.get_or_insert(index);
                continue;
            }
            InstructionKind::Copy if copy_all.is_none() => {
                manifest_copied = true;
                continue;
            }
            InstructionKind::Run => {}
            _ => continue,
        }
        let (Some(copy), false) = (copy_all, manifest_copied) else {
            continue;
        };
        let Some(shell) = cx.shell.shell(index) else {
            continue;
        };
        let installs: Vec<(Vec<String>, &str, &ShellCommand)> = shell
            .commands()
            .filter_map(|(_, c)| manifests(c).map(|(m, tool)| (m, tool, c)))
            .collect();
        let Some((files, tool, _)) = installs.first() else {
            continue;
        };
        let copy_inst = &cx.model.instructions[copy];
        let mut finding = Finding::new(
            "dependency-install-after-copy",
            inst.keyword_range(),
            format!(
                "This {tool} install runs after `COPY . .`, so any source change reinstalls every \
                 dependency. Copy {} first and install before copying the rest.",
                files.join(", ")
            ),
        );
        // Moving the RUN is mechanical when it only installs.
        let only_installs = shell.commands().count() == installs.len();
        let dest = match &copy_inst.command().args {
            Arguments::List(w) | Arguments::Json(w) => w.last().map(|d| d.value.to_string()),
            _ => None,
        };
        if let (true, Some(dest)) = (only_installs, dest) {
            let run_lines = whole_lines(cx.text, inst.range());
            let copy_start = whole_lines(cx.text, copy_inst.range()).start;
            let run_text = cx.text[run_lines.clone()].to_string();
            let dest = if dest.ends_with('/') {
                dest
            } else {
                format!("{dest}/")
            };
            let run_text = if run_text.ends_with('\n') {
                run_text
            } else {
                format!("{run_text}\n")
            };
            finding = finding.with_fix(
                format!("Copy {} and install before `COPY . .`", files.join(", ")),
                vec![
                    Edit {
                        range: copy_start..copy_start,
                        new_text: format!("COPY {} {dest}\n{run_text}", files.join(" ")),
                    },
                    Edit {
                        range: run_lines,
                        new_text: String::new(),
                    },
                ],
            );
        }
        out.push(finding);
        // One finding per stage is enough to make the point.
        copy_all = None;
        manifest_copied = true;
    }
}

/// `package-cache-in-layer`: pip without `--no-cache-dir` and apt-get without clean-up
/// keep their downloads in the layer; a cache mount keeps them out and reuses them.
pub fn package_cache_in_layer(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for run in cx.runs(true) {
        let mut cleans_apt = false;
        let mut pip = None;
        let mut apt = None;
        for (script, cmd) in run.commands() {
            if cmd.has_args("apt-get", &["install"]) {
                apt.get_or_insert_with(|| run.doc(script, cmd.range.clone()));
            }
            if cmd.has_args("apt-get", &["clean"])
                || cmd.is("rm")
                    && cmd
                        .arg_values()
                        .any(|a| a.starts_with("/var/lib/apt/lists"))
            {
                cleans_apt = true;
            }
            if is_pip_install(cmd) && !cmd.has_arg("--no-cache-dir") {
                pip.get_or_insert_with(|| run.doc(script, cmd.range.clone()));
            }
        }
        let keyword_end = run.inst.keyword_range().end;
        let add_mount = |target: &str, extra: &str| Edit {
            range: keyword_end..keyword_end,
            new_text: format!(" --mount=type=cache,target={target}{extra}"),
        };
        if let Some(range) = pip.filter(|_| !run.has_cache_mount(".cache/pip")) {
            out.push(
                Finding::new(
                    "package-cache-in-layer",
                    range,
                    "pip keeps its download cache in this layer. A cache mount keeps it out of \
                     the image and reuses it in the next build.",
                )
                .with_fix(
                    "Mount a cache on /root/.cache/pip",
                    vec![add_mount("/root/.cache/pip", "")],
                ),
            );
        }
        if let Some(range) = apt.filter(|_| !cleans_apt && !run.has_cache_mount("/var/cache/apt")) {
            out.push(
                Finding::new(
                    "package-cache-in-layer",
                    range,
                    "apt-get keeps the downloaded packages and lists in this layer. Cache mounts \
                     on /var/cache/apt and /var/lib/apt keep them out of the image and reuse them \
                     (on Debian and Ubuntu images, also remove /etc/apt/apt.conf.d/docker-clean).",
                )
                .with_fix(
                    "Mount caches on /var/cache/apt and /var/lib/apt",
                    vec![Edit {
                        range: keyword_end..keyword_end,
                        new_text: " --mount=type=cache,target=/var/cache/apt,sharing=locked \
                                   --mount=type=cache,target=/var/lib/apt,sharing=locked"
                            .into(),
                    }],
                ),
            );
        }
    }
}

/// `apt-update-separate-run`.
pub fn apt_update_separate_run(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut updated_in: Option<usize> = None;
    let mut stage = usize::MAX;
    for run in cx.runs(false) {
        let current = cx.model.stage_of(run.index).map_or(usize::MAX, |s| s.index);
        if current != stage {
            stage = current;
            updated_in = None;
        }
        let commands: Vec<_> = run.commands().collect();
        let updates = commands
            .iter()
            .any(|(_, c)| c.any_has_args(&["apt-get", "apt"], &["update"]));
        let install = commands
            .iter()
            .find(|(_, c)| c.any_has_args(&["apt-get", "apt"], &["install"]));
        if let (Some((script, cmd)), false, Some(earlier)) = (install, updates, updated_in) {
            let at = run.doc(script, cmd.range.clone()).start;
            let earlier_line = cx.model.instructions[earlier].keyword_range();
            let mut finding = Finding::new(
                "apt-update-separate-run",
                run.doc(script, cmd.range.clone()),
                "`apt-get update` runs in an earlier RUN: its cached layer goes stale and this \
                 install may fail or install old versions. Update in the same RUN.",
            );
            finding = finding.with_fix(
                "Run `apt-get update` in this RUN",
                vec![Edit {
                    range: at..at,
                    new_text: "apt-get update && ".into(),
                }],
            );
            let _ = earlier_line;
            out.push(finding);
        }
        if updates {
            updated_in = Some(run.index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Snapshot;
    use crate::analysis::rules::hadolint::Options;

    fn run(check: fn(&Cx<'_>, &mut Vec<Finding>), text: &str) -> Vec<Finding> {
        let snapshot = Snapshot::new(text);
        let options = Options::default();
        let cx = Cx::whole(&snapshot.model, snapshot.text(), snapshot.shell(), &options);
        let mut out = Vec::new();
        check(&cx, &mut out);
        out
    }

    fn apply(text: &str, finding: &Finding) -> String {
        let mut out = text.to_string();
        let mut edits = finding.fix.clone().expect("a fix").1;
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            out.replace_range(e.range.clone(), &e.new_text);
        }
        out
    }

    #[test]
    fn install_after_copy_all_moves_before_it() {
        let text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n";
        let found = run(dependency_install_after_copy, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "RUN");
        assert_eq!(
            apply(text, &found[0]),
            "FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n"
        );
        // A manifest copied first, or an install that needs the sources: nothing to say, or
        // nothing mechanical to do.
        assert!(
            run(
                dependency_install_after_copy,
                "FROM node:22\nCOPY package.json .\nRUN npm ci\nCOPY . .\nRUN npm ci\n"
            )
            .is_empty()
        );
        let mixed = run(
            dependency_install_after_copy,
            "FROM python:3\nCOPY . /src\nRUN pip install -r requirements.txt && make\n",
        );
        assert_eq!(mixed.len(), 1);
        assert!(mixed[0].fix.is_none());
        assert!(mixed[0].message.contains("requirements.txt"));
    }

    #[test]
    fn caches_left_in_the_layer() {
        let text = "FROM python:3\nRUN pip install flask==3\n";
        let found = run(package_cache_in_layer, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "pip install flask==3");
        assert_eq!(
            apply(text, &found[0]),
            "FROM python:3\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3\n"
        );
        assert!(
            run(
                package_cache_in_layer,
                "FROM python:3\nRUN pip install --no-cache-dir flask==3\n"
            )
            .is_empty()
        );
        let apt = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n";
        assert_eq!(run(package_cache_in_layer, apt).len(), 1);
        let cleaned = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
        assert!(run(package_cache_in_layer, cleaned).is_empty());
    }

    #[test]
    fn apt_update_in_another_run() {
        let text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n";
        let found = run(apt_update_separate_run, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "apt-get install -y curl");
        assert_eq!(
            apply(text, &found[0]),
            "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n"
        );
        assert!(
            run(
                apt_update_separate_run,
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
            )
            .is_empty()
        );
        assert!(
            run(
                apt_update_separate_run,
                "FROM debian:12\nRUN apt-get update\nFROM debian:12\nRUN apt-get install -y x\n"
            )
            .is_empty()
        );
    }
}
