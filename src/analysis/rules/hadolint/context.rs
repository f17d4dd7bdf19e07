//! What the hadolint rules read: the model, the shell model, and the options.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::analysis::Edit;
use crate::model::{Command, Instruction, Model, Severity};
use crate::shell::packages::Manager;
use crate::shell::{InstructionShell, Script, ShellCommand, ShellIndex, Word};
use crate::syntax::InstructionKind;

/// hadolint's severities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
    Style,
    /// Off (hadolint's `ignore` / `none`).
    Ignore,
}

impl Level {
    /// hadolint's name of a severity (`error`, `warning`, `info`, `style`, `ignore`/`none`).
    pub fn parse(name: &str) -> Option<Level> {
        Some(match name {
            "error" => Level::Error,
            "warning" => Level::Warning,
            "info" => Level::Info,
            "style" => Level::Style,
            "ignore" | "none" => Level::Ignore,
            _ => return None,
        })
    }

    /// The engine's default severity of a rule at this level (a rule that is off by
    /// default, hadolint's `ignore`, is reported as a hint once someone turns it on).
    pub const fn engine_severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Information,
            Level::Style | Level::Ignore => Severity::Hint,
        }
    }

    /// The editor's severity: error → error, warning → warning, info → information,
    /// style → hint.
    pub fn severity(self) -> Option<Severity> {
        Some(match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Information,
            Level::Style => Severity::Hint,
            Level::Ignore => return None,
        })
    }
}

/// A label type of hadolint's `label-schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelType {
    Email,
    Hash,
    Text,
    Rfc3339,
    SemVer,
    Spdx,
    Url,
}

impl LabelType {
    pub fn parse(name: &str) -> Option<LabelType> {
        Some(match name {
            "email" => LabelType::Email,
            "hash" => LabelType::Hash,
            "text" | "" => LabelType::Text,
            "rfc3339" => LabelType::Rfc3339,
            "semver" => LabelType::SemVer,
            "spdx" => LabelType::Spdx,
            "url" => LabelType::Url,
            _ => return None,
        })
    }
}

/// How the rules are configured (hadolint's configuration file, our settings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Severity per rule id (`ignored` rules are [`Level::Ignore`]).
    pub levels: FxHashMap<String, Level>,
    /// Registries FROM may use (`trustedRegistries`); empty means any.
    pub trusted_registries: Vec<String>,
    /// Labels each stage must have, with their types (`label-schema`).
    pub label_schema: Vec<(String, LabelType)>,
    /// Only labels of the schema are allowed (`strict-labels`).
    pub strict_labels: bool,
    /// Package managers whose version pinning rules are off.
    pub unpinned: Vec<Manager>,
}

impl Options {
    /// The level of a rule: the configured one, or its default.
    pub fn level(&self, code: &str, default: Level) -> Level {
        self.levels.get(code).copied().unwrap_or(default)
    }

    /// Whether the pinning rule of `manager` is on.
    pub fn pins(&self, manager: Manager) -> bool {
        !self.unpinned.contains(&manager)
    }
}

/// Everything a rule reads.
pub struct Cx<'a> {
    pub model: &'a Model,
    pub text: &'a str,
    pub shell: &'a ShellIndex,
    pub options: &'a Options,
    /// The instructions the rules visit (whole stages; see the engine's `incremental`).
    /// Rules read the rest of the model as context.
    pub window: Range<usize>,
}

/// A RUN instruction (or an ONBUILD RUN) whose scripts a shell runs.
pub struct Run<'a> {
    pub index: usize,
    pub inst: &'a Instruction,
    pub cmd: &'a Command,
    pub shell: &'a InstructionShell,
    pub trigger: bool,
}

impl<'a> Run<'a> {
    /// Every command of every shell script of the instruction.
    pub fn commands(&self) -> impl Iterator<Item = (&'a Script, &'a ShellCommand)> + use<'a> {
        self.shell.commands()
    }

    /// Where a script range is in the document.
    pub fn doc(&self, script: &Script, range: Range<usize>) -> Range<usize> {
        script.doc(self.inst, range)
    }

    /// The document range of a word.
    pub fn word(&self, script: &Script, word: &Word) -> Range<usize> {
        self.doc(script, word.range.clone())
    }

    /// The document range of a command's program name (the whole command without one).
    pub fn name(&self, script: &Script, cmd: &ShellCommand) -> Range<usize> {
        let range = cmd
            .first
            .as_ref()
            .map_or(cmd.range.clone(), |w| w.range.clone());
        self.doc(script, range)
    }

    /// An edit inserting `text` just after a word.
    pub fn insert_after(&self, script: &Script, word: &Word, text: &str) -> Edit {
        let end = self.word(script, word).end;
        Edit {
            range: end..end,
            new_text: text.to_string(),
        }
    }

    /// Whether the RUN has a cache or tmpfs mount whose target contains `fragment`.
    pub fn has_cache_mount(&self, fragment: &str) -> bool {
        self.cmd
            .flags
            .iter()
            .filter(|f| f.name == "mount")
            .any(|f| {
                let value = f.value.as_deref().unwrap_or("");
                let mut kind = "bind";
                let mut target = "";
                for field in value.split(',') {
                    let (k, v) = field.split_once('=').unwrap_or((field, ""));
                    match k.trim() {
                        "type" => kind = v.trim(),
                        "target" | "dst" | "destination" => target = v.trim(),
                        _ => {}
                    }
                }
                matches!(kind, "cache" | "tmpfs") && target.contains(fragment)
            })
    }
}

impl<'a> Cx<'a> {
    /// The RUN instructions whose shell is a POSIX shell or bash (PowerShell and cmd get no
    /// shell rules), with ONBUILD RUN triggers when `onbuild`.
    pub fn runs(&self, onbuild: bool) -> impl Iterator<Item = Run<'a>> + use<'a, '_> {
        self.indexed().filter_map(move |(index, inst)| {
            let trigger = inst.data().trigger.is_some();
            let cmd = inst.effective();
            if cmd.kind != InstructionKind::Run || trigger && !onbuild {
                return None;
            }
            let shell = self.shell.shell(index)?;
            if shell.scripts.is_empty() || !self.shell.state(index).dialect.is_shell() {
                return None;
            }
            Some(Run {
                index,
                inst,
                cmd,
                shell,
                trigger,
            })
        })
    }

    /// Every command of every RUN (see [`Cx::runs`]), with its RUN and script.
    pub fn run_commands(
        &self,
        onbuild: bool,
    ) -> impl Iterator<Item = (Run<'a>, &'a Script, &'a ShellCommand)> + use<'a, '_> {
        self.runs(onbuild).flat_map(|run| {
            let shell = run.shell;
            shell.commands().map(move |(s, c)| {
                (
                    Run {
                        index: run.index,
                        inst: run.inst,
                        cmd: run.cmd,
                        shell,
                        trigger: run.trigger,
                    },
                    s,
                    c,
                )
            })
        })
    }

    /// The top-level instructions of a kind, with their indices (ONBUILD triggers excluded).
    /// RUN, COPY and ADD are looked for in the window only; the instructions that carry
    /// something to the rest of the file (FROM, ENV, …) are context, looked for everywhere,
    /// so that a rule can collect them across stages.
    pub fn instructions(
        &self,
        kind: InstructionKind,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + use<'a> {
        let windowed = matches!(
            kind,
            InstructionKind::Run | InstructionKind::Copy | InstructionKind::Add
        );
        let window = if windowed {
            self.window.clone()
        } else {
            0..self.model.instructions.len()
        };
        self.of_kinds(window, move |k| k == kind)
    }

    /// Whether instruction `index` is in the window: rules that collect context from the
    /// whole file check only those.
    pub fn visits(&self, index: usize) -> bool {
        self.window.contains(&index)
    }

    /// The instructions of `kinds` from the start of the file to the end of the window: what
    /// the rules that collect context (stage names, WORKDIRs, ARGs) read, checking the
    /// window's alone.
    pub fn through_window(
        &self,
        kinds: &'static [InstructionKind],
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + use<'a> {
        self.of_kinds(0..self.window.end, |k| kinds.contains(&k))
    }

    fn of_kinds<W: Fn(InstructionKind) -> bool + 'a>(
        &self,
        range: Range<usize>,
        wanted: W,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + use<'a, W> {
        let model: &'a Model = self.model;
        model
            .indices_where(range, wanted)
            .map(move |i| (i, &model.instructions[i]))
    }

    /// The instructions of the window, with their indices.
    pub fn indexed(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + use<'a> {
        let model: &'a Model = self.model;
        model.indexed_within(self.window.clone())
    }

    /// A context over the whole file.
    pub fn whole(
        model: &'a Model,
        text: &'a str,
        shell: &'a ShellIndex,
        options: &'a Options,
    ) -> Cx<'a> {
        Cx {
            model,
            text,
            shell,
            options,
            window: 0..model.instructions.len(),
        }
    }
}
