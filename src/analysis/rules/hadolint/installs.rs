//! How package managers are run: non-interactive switches, caches left behind, download
//! progress output.

use super::context::Run;
use super::{Cx, Finding};
use crate::analysis::Edit;
use crate::model::{Arguments, Model};
use crate::shell::{Script, ShellCommand, Word};
use crate::syntax::InstructionKind;

/// The word of `cmd` that is its subcommand (`install` in `apt-get -q install x`).
fn subcommand<'c>(cmd: &'c ShellCommand, words: &[&str]) -> Option<&'c Word> {
    cmd.args.iter().find(|w| words.contains(&w.value.as_str()))
}

/// Reports commands `applies` picks that lack a switch, with a fix inserting `switch` after
/// the subcommand.
#[allow(clippy::too_many_arguments)]
fn missing_switch(
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

/// DL3014: `apt-get install` without `-y` waits for an answer nobody gives.
pub fn dl3014(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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

/// DL3015: `apt-get install` without `--no-install-recommends` installs more than asked.
pub fn dl3015(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    missing_switch(
        cx,
        out,
        "DL3015",
        "Avoid additional packages by specifying `--no-install-recommends`",
        &["install"],
        |c| c.has_args("apt-get", &["install"]),
        |c| c.has_flag("no-install-recommends") || c.has_arg("APT::Install-Recommends=false"),
        " --no-install-recommends",
    );
}

/// DL3019: `apk add` without `--no-cache` keeps the index in the layer (a cache mount on
/// `/var/cache/apk` is fine).
pub fn dl3019(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if !cmd.has_args("apk", &["add"]) || cmd.has_flag("no-cache") {
            continue;
        }
        if run.has_cache_mount("/var/cache/apk") {
            continue;
        }
        let mut finding = Finding::new(
            "DL3019",
            run.doc(script, cmd.range.clone()),
            "Use the `--no-cache` switch to avoid the need to use `--update` and remove \
             `/var/cache/apk/*` when done installing packages",
        );
        if let Some(word) = subcommand(cmd, &["add"]) {
            finding = finding.with_fix(
                "Add `--no-cache`",
                vec![run.insert_after(script, word, " --no-cache")],
            );
        }
        out.push(finding);
    }
}

/// DL3030: `yum install` without `-y`.
pub fn dl3030(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let words = ["install", "groupinstall", "localinstall"];
    missing_switch(
        cx,
        out,
        "DL3030",
        "Use the -y switch to avoid manual input `yum install -y <package>`",
        &words,
        |c| c.has_args("yum", &words),
        |c| c.has_any_flag(&["y", "assumeyes"]),
        " -y",
    );
}

/// DL3038: `dnf install` without `-y`.
pub fn dl3038(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let words = ["install", "groupinstall", "localinstall"];
    missing_switch(
        cx,
        out,
        "DL3038",
        "Use the -y switch to avoid manual input `dnf install -y <package>`",
        &words,
        |c| c.any_has_args(&["dnf", "microdnf"], &words),
        |c| c.has_any_flag(&["y", "assumeyes"]),
        " -y",
    );
}

/// DL3034: zypper without `-n`/`-y` waits for an answer.
pub fn dl3034(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let words = [
        "install",
        "in",
        "remove",
        "rm",
        "source-install",
        "si",
        "patch",
    ];
    missing_switch(
        cx,
        out,
        "DL3034",
        "Non-interactive switch missing from `zypper` command: `zypper install -y`",
        &words,
        |c| c.has_args("zypper", &words),
        |c| c.has_any_flag(&["non-interactive", "n", "no-confirm", "y"]),
        " -y",
    );
}

/// DL3035: `zypper dist-upgrade` in a build.
pub fn dl3035(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if cmd.has_args("zypper", &["dist-upgrade", "dup"]) {
            out.push(Finding::new(
                "DL3035",
                run.doc(script, cmd.range.clone()),
                "Do not use `zypper dist-upgrade`.",
            ));
        }
    }
}

/// DL3027: `apt` is meant for people at a terminal; its interface is not stable.
pub fn dl3027(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    const SAME_IN_APT_GET: &[&str] = &[
        "install",
        "update",
        "upgrade",
        "remove",
        "purge",
        "autoremove",
        "dist-upgrade",
        "clean",
    ];
    for (run, script, cmd) in cx.run_commands(true) {
        if !cmd.is("apt") {
            continue;
        }
        let mut finding = Finding::new(
            "DL3027",
            run.name(script, cmd),
            "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache \
             instead",
        );
        // Only where apt-get does the same; `apt search` and the like have no twin there.
        let mechanical = cmd
            .args
            .iter()
            .find(|w| !w.value.starts_with('-'))
            .is_some_and(|w| SAME_IN_APT_GET.contains(&w.value.as_str()));
        if let (true, Some(first)) = (mechanical, &cmd.first) {
            finding = finding.with_fix(
                "Use `apt-get`",
                vec![Edit {
                    range: run.word(script, first),
                    new_text: "apt-get".into(),
                }],
            );
        }
        out.push(finding);
    }
}

/// DL3047: `wget` without a progress setting prints a bar per kilobyte into the build log.
pub fn dl3047(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if !cmd.is("wget")
            || cmd.has_flag("progress")
            || cmd.has_any_flag(&["q", "quiet", "o", "output-file", "a", "append-output"])
            || cmd.has_flag("no-verbose")
            || cmd.has_arg("-nv")
        {
            continue;
        }
        let mut finding = Finding::new(
            "DL3047",
            run.doc(script, cmd.range.clone()),
            "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or \
             consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
        );
        if let Some(first) = &cmd.first {
            finding = finding.with_fix(
                "Add `--progress=dot:giga`",
                vec![run.insert_after(script, first, " --progress=dot:giga")],
            );
        }
        out.push(finding);
    }
}

/// Whether `cmd` is an `rm` of a path under `dir`. (hadolint takes any `rm -rf`, even of
/// another directory, for the clean-up.)
fn removes(cmd: &ShellCommand, dir: &str) -> bool {
    cmd.is("rm") && cmd.operands(&[]).iter().any(|w| w.value.starts_with(dir))
}

/// The first command that `is_install` picks, and whether a command `is_clean` picks comes
/// after it (hadolint compares the positions of the first of each).
fn cleaned_after(
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

fn missing_clean(
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

/// DL3032: `yum install` without a later `yum clean all`.
pub fn dl3032(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    missing_clean(
        cx,
        out,
        "DL3032",
        "`yum clean all` missing after yum command.",
        &[],
        |c| c.has_args("yum", &["install"]),
        |c| c.has_args("yum", &["clean", "all"]) || removes(c, "/var/cache/yum"),
    );
}

/// DL3036: `zypper install` without a later `zypper clean`.
pub fn dl3036(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    missing_clean(
        cx,
        out,
        "DL3036",
        "`zypper clean` missing after zypper use.",
        &["/var/cache/zypp"],
        |c| c.has_args("zypper", &["install", "in"]),
        |c| c.has_args("zypper", &["clean", "cc"]),
    );
}

/// DL3040: `dnf install` without a later `dnf clean all` (per program: dnf, microdnf).
pub fn dl3040(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    const INSTALLS: &[&str] = &[
        "install",
        "in",
        "upgrade",
        "up",
        "upgrade-minimal",
        "up-min",
        "reinstall",
        "rei",
    ];
    for name in ["dnf", "microdnf"] {
        missing_clean(
            cx,
            out,
            "DL3040",
            "`dnf clean all` missing after dnf command.",
            &["/var/cache/libdnf5", ".cache/libdnf5"],
            |c| c.has_args(name, INSTALLS),
            |c| {
                c.has_args(name, &["clean", "all"])
                    || c.has_args("rm", &["-rf", "/var/cache/libdnf5*"])
            },
        );
    }
}

/// Whether the finding of a stage-wide rule on a RUN of stage `stage` is reported: the
/// stage is the last one, or a later FROM builds on it (as hadolint decides, by the stage's
/// name against the image names of every FROM).
fn stage_matters(model: &Model, stage: Option<usize>) -> bool {
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

/// DL3009: `apt-get update` without removing `/var/lib/apt/lists` leaves the lists in the
/// layer (a cache mount on them is fine). Reported for stages that end up in an image.
pub fn dl3009(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for run in cx.runs(true) {
        let mut updates = None;
        let mut cleans = false;
        for (script, cmd) in run.commands() {
            if updates.is_none()
                && (cmd.has_args("apt", &["update"])
                    || cmd.has_args("apt-get", &["update"])
                    || cmd.has_args("aptitude", &["update"]))
            {
                updates = Some(run.doc(script, cmd.range.clone()));
            }
            // `apt-get dist-clean` (apt 2.7) removes the lists too.
            cleans |=
                removes(cmd, "/var/lib/apt/lists") || cmd.has_args("apt-get", &["dist-clean"]);
        }
        let Some(range) = updates else {
            continue;
        };
        if cleans
            || run.has_cache_mount("/var/lib/apt/lists")
            || run.has_cache_mount("/var/lib/apt") && run.has_cache_mount("/var/cache/apt")
        {
            continue;
        }
        let stage = cx.model.stage_of(run.index).map(|s| s.index);
        if !stage_matters(cx.model, stage) {
            continue;
        }
        out.push(Finding::new(
            "DL3009",
            range,
            "Delete the apt lists (/var/lib/apt/lists) after installing something",
        ));
    }
}

/// DL3060: `yarn install` without `yarn cache clean` after it (a cache mount on
/// `.cache/yarn` is fine). Reported for stages that end up in an image.
pub fn dl3060(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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

/// DL3042: `pip install` without `--no-cache-dir` keeps pip's cache in the layer, unless
/// `PIP_NO_CACHE_DIR` is set (by ENV in the stage or its parents, or in the script) or a
/// cache mount holds the cache.
pub fn dl3042(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let no_cache = stage_env_set(cx, "PIP_NO_CACHE_DIR");
    for run in cx.runs(true) {
        if no_cache.get(run.index).copied().unwrap_or(false)
            || run.has_cache_mount(".cache/pip")
            || run
                .shell
                .scripts
                .iter()
                .any(|s| script_sets_no_cache(&s.text))
        {
            continue;
        }
        for (script, cmd) in run.commands() {
            let wrapper = |w: &str| {
                cmd.name.as_deref().is_some_and(|n| n.contains(w))
                    || cmd.name.as_deref().is_some_and(|n| n.starts_with("python"))
                        && cmd
                            .arg_values()
                            .collect::<Vec<_>>()
                            .windows(2)
                            .any(|p| p == ["-m", w])
            };
            if !crate::shell::packages::is_pip_install(cmd)
                || cmd.has_arg("--no-cache-dir")
                || wrapper("pipx")
                || wrapper("pipenv")
            {
                continue;
            }
            let mut finding = Finding::new(
                "DL3042",
                run.doc(script, cmd.range.clone()),
                "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
            );
            if let Some(word) = subcommand(cmd, &["install"]) {
                finding = finding.with_fix(
                    "Add `--no-cache-dir`",
                    vec![run.insert_after(script, word, " --no-cache-dir")],
                );
            }
            out.push(finding);
        }
    }
}

const TRUTHY: &[&str] = &[
    "1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES",
];

/// `PIP_NO_CACHE_DIR=<truthy>` written in a script.
fn script_sets_no_cache(text: &str) -> bool {
    text.split_once("PIP_NO_CACHE_DIR=")
        .is_some_and(|(_, rest)| TRUTHY.iter().any(|t| rest.starts_with(t)))
}

/// For each instruction, whether an ENV of its stage (or of the stages it is built from)
/// set `name` to a true value before it.
fn stage_env_set(cx: &Cx<'_>, name: &str) -> Vec<bool> {
    let mut out = Vec::with_capacity(cx.model.instructions.len());
    let mut ends: Vec<bool> = Vec::new();
    let mut current = false;
    for (i, inst) in cx.model.instructions.iter().enumerate() {
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
    out
}
