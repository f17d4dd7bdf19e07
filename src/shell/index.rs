//! The shell model of a whole document, kept across edits: an instruction the edit did not
//! touch keeps its parsed scripts, so a keystroke re-parses only the scripts it changed.
//!
//! The model shares an untouched instruction's data (`Arc<InstructionData>`) between its
//! versions; the index keeps each instruction's data beside its scripts, and finds the
//! entries of the instructions before and after an edit by position, comparing the data by
//! pointer (holding the data keeps the pointer from being reused while the entry lives).
//! Which shell runs each instruction depends on the instructions before it, so it is worked
//! out again on every build; that pass only reads `SHELL`, `FROM` and the comments between
//! instructions.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::{Dialect, InstructionShell};
use crate::model::{Arguments, InstructionData, Model, PARALLEL_FROM};
use crate::syntax::InstructionKind;

/// The shell that runs an instruction's shell form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShellState {
    pub dialect: Dialect,
    /// The `SHELL` array turns on `pipefail` (`["/bin/bash", "-o", "pipefail", "-c"]`).
    pub pipefail: bool,
    /// Set by `SHELL` (rather than the default `/bin/sh -c` or a comment).
    pub explicit: bool,
}

impl Default for ShellState {
    /// BuildKit's default on Linux: `["/bin/sh", "-c"]`.
    fn default() -> Self {
        ShellState {
            dialect: Dialect::Sh,
            pipefail: false,
            explicit: false,
        }
    }
}

impl ShellState {
    /// The state a `SHELL` exec-form array sets.
    pub fn from_shell_array<'a>(words: impl Iterator<Item = &'a str> + Clone) -> ShellState {
        let dialect = Dialect::from_command_line(words.clone());
        let words: Vec<&str> = words.collect();
        let pipefail = words.windows(2).any(|w| {
            w[1] == "pipefail"
                && w[0].starts_with('-')
                && !w[0].starts_with("--")
                && w[0].contains('o')
        });
        ShellState {
            dialect,
            pipefail,
            explicit: true,
        }
    }
}

/// The scripts of every instruction of a document, and the shell each runs in.
#[derive(Debug, Default)]
pub struct ShellIndex {
    entries: Vec<Entry>,
    states: Arc<[ShellState]>,
    /// The instruction the last edit changed, when it changed one, with its scripts' trees.
    edited: Option<(Arc<InstructionData>, super::ScriptTrees)>,
}

#[derive(Debug, Clone)]
struct Entry {
    data: Arc<InstructionData>,
    shell: Arc<InstructionShell>,
}

/// The scripts of instructions that run none, shared.
fn no_scripts() -> Arc<InstructionShell> {
    static EMPTY: OnceLock<Arc<InstructionShell>> = OnceLock::new();
    Arc::clone(EMPTY.get_or_init(|| Arc::new(InstructionShell::default())))
}

/// Whether an instruction can have a script (cheap, before anything is read).
fn may_run_shell(data: &InstructionData) -> bool {
    let cmd = data.trigger.as_deref().unwrap_or(&data.command);
    matches!(
        cmd.kind,
        InstructionKind::Run
            | InstructionKind::Cmd
            | InstructionKind::Entrypoint
            | InstructionKind::Healthcheck
    )
}

impl ShellIndex {
    /// The index of `model` (whose text is `text`), reusing what `previous` read for the
    /// instructions both models share.
    pub fn build(model: &Model, text: &str, previous: Option<&ShellIndex>) -> ShellIndex {
        Self::build_with_states(model, text, previous, states(model, text).into())
    }

    /// [`ShellIndex::build`] with the shell states of `model`, found already (see
    /// [`states`]).
    pub fn build_with_states(
        model: &Model,
        text: &str,
        previous: Option<&ShellIndex>,
        states: Arc<[ShellState]>,
    ) -> ShellIndex {
        let instructions = &model.instructions;
        let old = previous.map_or(&[][..], |p| &p.entries[..]);
        // An edit keeps the instructions before and after it (the same data, in the same
        // order): their entries are found by position, and only the ones between are read.
        let (prefix, suffix) =
            crate::text::common_ends_by(old, instructions, |e, i| Arc::ptr_eq(&e.data, i.data()));
        let changed = &instructions[prefix..instructions.len() - suffix];
        // One instruction edited: its new version is parsed from the trees of its previous
        // one, when the previous edit was in it too, and keeps its trees for the next.
        if let ([inst], [was]) = (changed, &old[prefix..old.len() - suffix])
            && may_run_shell(inst.data())
        {
            let before = previous
                .and_then(|p| p.edited.as_ref())
                .filter(|(data, _)| Arc::ptr_eq(data, &was.data))
                .map(|(_, trees)| trees.clone())
                .unwrap_or_default();
            let mut trees = super::Trees::keeping(before);
            let shell = InstructionShell::read_with(inst, text, &mut trees);
            let shell = if shell.scripts.is_empty() {
                no_scripts()
            } else {
                Arc::new(shell)
            };
            let mut entries = Vec::with_capacity(instructions.len());
            entries.extend_from_slice(&old[..prefix]);
            entries.push(Entry {
                data: Arc::clone(inst.data()),
                shell,
            });
            entries.extend_from_slice(&old[old.len() - suffix..]);
            return ShellIndex {
                entries,
                states,
                edited: trees.after.map(|after| (Arc::clone(inst.data()), after)),
            };
        }
        let read = |inst: &crate::model::Instruction| {
            let data = inst.data();
            let shell = if !may_run_shell(data) {
                no_scripts()
            } else {
                let shell = InstructionShell::read(inst, text);
                if shell.scripts.is_empty() {
                    no_scripts()
                } else {
                    Arc::new(shell)
                }
            };
            Entry {
                data: Arc::clone(data),
                shell,
            }
        };
        let fresh = changed.iter().filter(|i| may_run_shell(i.data())).count();
        let middle: Vec<Entry> = if fresh >= PARALLEL_FROM {
            changed.par_iter().map(read).collect()
        } else {
            changed.iter().map(read).collect()
        };
        let mut entries = Vec::with_capacity(instructions.len());
        entries.extend_from_slice(&old[..prefix]);
        entries.extend(middle);
        entries.extend_from_slice(&old[old.len() - suffix..]);
        ShellIndex {
            entries,
            states,
            edited: None,
        }
    }

    /// The scripts of instruction `index`.
    pub fn shell(&self, index: usize) -> Option<&InstructionShell> {
        self.entries.get(index).map(|e| &*e.shell)
    }

    /// The shell in effect at instruction `index`.
    pub fn state(&self, index: usize) -> ShellState {
        self.states.get(index).copied().unwrap_or_default()
    }

    /// The dialect a script of instruction `index` runs in: its own interpreter, or the
    /// shell in effect.
    pub fn dialect(&self, index: usize, script: &super::Script) -> Dialect {
        script
            .interpreter
            .unwrap_or_else(|| self.state(index).dialect)
    }
}

/// The shell in effect at each instruction: `SHELL` sets it for the rest of its stage, a
/// stage built `FROM` an earlier stage starts with that stage's shell, and a
/// `# hadolint shell=…` comment sets it for what follows (until the next `SHELL` or stage).
/// Cheap beside reading the scripts: the rule engine finds them first, to learn whether it
/// may reuse its previous run, and reads the scripts beside other work.
pub fn states(model: &Model, text: &str) -> Vec<ShellState> {
    let mut out = Vec::with_capacity(model.instructions.len());
    let mut current = ShellState::default();
    // The shell each stage ended with, by stage index.
    let mut stage_ends: Vec<ShellState> = Vec::new();
    // Whether a base is a Windows image, by how it is written: a large file repeats its
    // FROM lines, and expanding one costs more than the rest of this pass.
    let mut windows: rustc_hash::FxHashMap<&str, bool> = rustc_hash::FxHashMap::default();
    for (i, (inst, gap)) in model.instructions.iter().zip(model.gaps(text)).enumerate() {
        if let Some(dialect) = pragma_shell(gap) {
            current = ShellState {
                dialect,
                pipefail: false,
                explicit: false,
            };
        }
        let cmd = inst.command();
        match cmd.kind {
            InstructionKind::From => {
                // The stage that ends here keeps its shell for the stages built from it.
                let starting = model.stages.partition_point(|s| s.instruction < i);
                while stage_ends.len() < starting {
                    stage_ends.push(current);
                }
                let mut is_windows = || {
                    let written = model.stages.get(starting).and_then(|s| s.base.as_ref());
                    written.is_some_and(|(base, _)| {
                        *windows
                            .entry(base.as_str())
                            .or_insert_with(|| windows_base(model, starting))
                    })
                };
                current = match model.parent_stage(starting) {
                    Some(parent) => stage_ends.get(parent).copied().unwrap_or_default(),
                    None if is_windows() => ShellState {
                        dialect: Dialect::Cmd,
                        pipefail: false,
                        explicit: false,
                    },
                    None => ShellState::default(),
                };
            }
            InstructionKind::Shell => {
                if let Arguments::Json(items) = &cmd.args {
                    current = ShellState::from_shell_array(items.iter().map(|s| s.value.as_str()));
                }
            }
            _ => {}
        }
        out.push(current);
    }
    out
}

/// Whether a stage's base is a Windows image, whose default shell is `cmd /S /C`: Windows
/// Server Core and Nano Server images (directly, or through global ARG defaults).
fn windows_base(model: &Model, stage: usize) -> bool {
    let Some(s) = model.stages.get(stage) else {
        return false;
    };
    let Some((base, _)) = &s.base else {
        return false;
    };
    // Expanding allocates, and this runs for every stage on every keystroke.
    let expanded = if base.contains('$') {
        model.expand_global(s.instruction, base)
    } else {
        None
    };
    let image = expanded.as_deref().unwrap_or(base);
    ["nanoserver", "servercore", "mcr.microsoft.com/windows"]
        .iter()
        .any(|w| crate::text::contains_ignore_ascii_case(image, w))
}

/// The shell a `# hadolint shell=NAME` comment in `gap` names (the last one wins).
fn pragma_shell(gap: &str) -> Option<Dialect> {
    // Most gaps are a line break: looking for a `#` first spares a substring search.
    if memchr::memchr(b'#', gap.as_bytes()).is_none() || !gap.contains("hadolint") {
        return None;
    }
    gap.lines().rev().find_map(|line| {
        let rest = line.trim_start().strip_prefix('#')?.trim_start();
        let rest = rest.strip_prefix("hadolint")?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let rest = rest.trim_start().strip_prefix("shell")?.trim_start();
        let name = rest.strip_prefix('=')?.split_whitespace().next()?;
        Some(Dialect::from_interpreter(name))
    })
}
