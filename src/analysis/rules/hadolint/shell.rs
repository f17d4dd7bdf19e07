//! Rules about how RUN uses the shell: pipes without pipefail, `cd`, `sudo`, commands that
//! make no sense in a build, consecutive RUNs.

use super::{Cx, Finding};
use crate::shell::Dialect;
use crate::syntax::InstructionKind;

/// DL4006: a RUN with a pipe, while the shell does not have `-o pipefail` (a failing
/// command before the pipe would go unnoticed). Not reported when the script turns
/// `pipefail` on itself before its first pipe, or when the shell is not a POSIX one.
pub fn dl4006(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for run in cx.runs(false) {
        let state = cx.shell.state(run.index);
        // hadolint counts pipefail only for shells that have it.
        let has_pipefail =
            state.pipefail && matches!(state.dialect, Dialect::Bash | Dialect::Zsh | Dialect::Ash);
        if has_pipefail {
            continue;
        }
        let Some(script) = run.shell.main() else {
            continue;
        };
        let Some(pipe) = script.pipes.first() else {
            continue;
        };
        if script.sets_pipefail() {
            continue;
        }
        out.push(Finding::new(
            "DL4006",
            run.doc(script, pipe.clone()),
            "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using \
             /bin/sh in an alpine image or if your shell is symlinked to busybox then consider \
             explicitly setting your SHELL to /bin/ash, or disable this check",
        ));
    }
}

/// DL3003: `cd` in RUN; WORKDIR says where the next instructions run.
pub fn dl3003(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(false) {
        if cmd.is("cd") {
            out.push(Finding::new(
                "DL3003",
                run.doc(script, cmd.range.clone()),
                "Use WORKDIR to switch to a directory",
            ));
        }
    }
}

/// DL3004: `sudo` in RUN (the build already runs as the USER it names).
pub fn dl3004(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if cmd.is("sudo") {
            out.push(Finding::new(
                "DL3004",
                run.name(script, cmd),
                "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to \
                 enforce root",
            ));
        }
    }
}

/// DL3001: commands that make no sense in a build step.
pub fn dl3001(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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

/// DL3046: `useradd -u` with a long UID and without `-l`, which fills the lastlog file.
pub fn dl3046(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        let long_uid = cmd
            .flag_values("u")
            .iter()
            .any(|w| w.value.chars().count() > 5);
        if cmd.is("useradd")
            && !cmd.has_any_flag(&["l", "no-log-init"])
            && cmd.has_any_flag(&["u", "uid"])
            && long_uid
        {
            let name = cmd.first.as_ref();
            let mut finding = Finding::new(
                "DL3046",
                run.name(script, cmd),
                "`useradd` without flag `-l` and high UID will result in excessively large Image.",
            );
            if let Some(word) = name {
                finding = finding.with_fix(
                    "Add `-l` (do not add the user to the lastlog)",
                    vec![run.insert_after(script, word, " -l")],
                );
            }
            out.push(finding);
        }
    }
}

/// DL4001: both wget and curl in one stage.
pub fn dl4001(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut stage = usize::MAX;
    let (mut curl, mut wget) = (false, false);
    for run in cx.runs(true) {
        let current = cx.model.stage_of(run.index).map_or(usize::MAX, |s| s.index);
        if current != stage {
            stage = current;
            (curl, wget) = (false, false);
        }
        let mut uses = false;
        for (_, cmd) in run.commands() {
            curl |= cmd.is("curl");
            wget |= cmd.is("wget");
            uses |= cmd.is_any(&["curl", "wget"]);
        }
        if uses && curl && wget {
            out.push(Finding::new(
                "DL4001",
                run.inst.keyword_range(),
                "Either use Wget or Curl but not both",
            ));
        }
    }
}

/// DL4005: `ln … /bin/sh` instead of SHELL.
pub fn dl4005(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if cmd.has_args("ln", &["/bin/sh"]) {
            out.push(Finding::new(
                "DL4005",
                run.doc(script, cmd.range.clone()),
                "Use SHELL to change the default shell",
            ));
        }
    }
}

/// DL3059: consecutive RUNs with the same flags that each run one command could be one
/// layer; a RUN that chains several commands was split on purpose. (hadolint's threshold
/// of two counts every command twice, as ShellCheck's tree wraps each in a redirection
/// node.) Comments between RUNs do not separate them; any other instruction does.
pub fn dl3059(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    // The flags and command count of the RUN just before, if the previous instruction was one.
    let mut previous: Option<(Vec<String>, usize)> = None;
    for (index, inst) in cx.model.instructions.iter().enumerate() {
        if inst.kind() != InstructionKind::Run {
            previous = None;
            continue;
        }
        let mut flags: Vec<String> = inst
            .command()
            .flags
            .iter()
            .map(|f| f.text.to_string())
            .collect();
        flags.sort();
        // A RUN another shell runs is one command line to the rule.
        let count = if cx.shell.state(index).dialect.is_shell() {
            cx.shell.shell(index).map_or(0, |s| {
                s.commands().filter(|(_, c)| c.name.is_some()).count()
            })
        } else {
            1
        };
        if let Some((prev_flags, prev_count)) = &previous
            && *prev_flags == flags
            && count <= 1
            && *prev_count <= 1
        {
            out.push(Finding::new(
                "DL3059",
                inst.keyword_range(),
                "Multiple consecutive `RUN` instructions. Consider consolidation.",
            ));
            continue;
        }
        previous = Some((flags, count));
    }
}
