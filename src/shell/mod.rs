//! The shell model: the scripts of RUN, shell-form CMD/ENTRYPOINT/HEALTHCHECK and shell
//! heredoc bodies, parsed with tree-sitter-bash, with a byte map back to the Dockerfile.
//!
//! [`InstructionShell::read`] reads one instruction; its data is relative to the
//! instruction's start, like the model's, so [`ShellIndex`] can keep it for every
//! instruction an edit did not touch. What rules read: the commands of each script (name,
//! words, flags as the tool reads them), the package managers among them, `cd`,
//! `set -o pipefail`, and which shell runs the script. What a formatter reads: the
//! top-level list and pipeline operators and the spans it must never rewrite. Every script
//! range maps to the Dockerfile through [`Script::rel`] / [`Script::doc`].

mod bash;
mod command;
mod dialect;
mod extract;
mod index;
mod map;
pub mod packages;

use std::ops::Range;

pub use bash::{Operator, OperatorKind};
pub use command::{FlagName, ShellCommand, Word};
pub use dialect::Dialect;
pub use extract::Origin;
pub use index::{ShellIndex, ShellState, states};
pub use map::ByteMap;

/// The bash trees of the scripts of the instruction being edited, so that its next version
/// (a keystroke later) is parsed from them: reading a long RUN again is most of the cost
/// of a keystroke in it. Only that instruction's are kept.
#[derive(Debug, Default)]
pub(crate) struct Trees {
    before: ScriptTrees,
    /// The trees of this read, when they are to be kept.
    after: Option<ScriptTrees>,
}

/// The tree of each script of an instruction, with the script's text.
pub(crate) type ScriptTrees = Vec<(Origin, String, tree_sitter::Tree)>;

impl Trees {
    /// Trees that keep what is parsed, starting from `before` (the previous version's).
    fn keeping(before: ScriptTrees) -> Trees {
        Trees {
            before,
            after: Some(Vec::new()),
        }
    }

    fn parse(&mut self, origin: Origin, text: &str) -> bash::Parsed {
        let before = self
            .before
            .iter()
            .find(|(o, _, _)| *o == origin)
            .map(|(_, t, tree)| (t.as_str(), tree));
        let (parsed, tree) = bash::parse_after(text, before);
        if let (Some(after), Some(tree)) = (&mut self.after, tree) {
            after.push((origin, text.to_string(), tree));
        }
        parsed
    }
}

use crate::model::{Instruction, Rel};

/// One script with its parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub origin: Origin,
    pub text: String,
    pub map: ByteMap,
    /// The shell the script names itself (a heredoc's shebang, or the shell a heredoc is fed
    /// to); `None` means the `SHELL` in effect runs it.
    pub interpreter: Option<Dialect>,
    /// Every simple command, nested ones included, parents before children.
    pub commands: Vec<ShellCommand>,
    /// The list and pipeline operators of the top level.
    pub operators: Vec<Operator>,
    /// Every `|` and `|&`, at any depth.
    pub pipes: Vec<Range<usize>>,
    /// Spans a formatter must keep as written (quotes, expansions, substitutions,
    /// here-strings, heredocs, comments).
    pub protected: Vec<Range<usize>>,
    /// Whether tree-sitter-bash found a syntax error in it.
    pub has_error: bool,
}

impl Script {
    fn parsed(
        origin: Origin,
        text: String,
        map: ByteMap,
        interpreter: Option<Dialect>,
        trees: &mut Trees,
    ) -> Script {
        let parsed = trees.parse(origin, &text);
        Script {
            origin,
            text,
            map,
            interpreter,
            commands: parsed.commands,
            operators: parsed.operators,
            pipes: parsed.pipes,
            protected: parsed.protected,
            has_error: parsed.has_error,
        }
    }

    /// A script range as a range relative to the instruction's start.
    pub fn rel(&self, range: Range<usize>) -> Rel {
        self.map.source_range(range)
    }

    /// A script range in the document, for the instruction `inst`.
    pub fn doc(&self, inst: &Instruction, range: Range<usize>) -> Range<usize> {
        inst.abs(&self.rel(range))
    }

    /// The commands whose program is `name`.
    pub fn commands_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ShellCommand> {
        self.commands.iter().filter(move |c| c.is(name))
    }

    /// Whether a command runs `name`.
    pub fn uses(&self, name: &str) -> bool {
        self.commands_named(name).next().is_some()
    }

    /// The `cd` commands.
    pub fn cds(&self) -> impl Iterator<Item = &ShellCommand> {
        self.commands_named("cd")
    }

    /// Whether the script turns on `pipefail` itself before its first pipe (`set -o
    /// pipefail`, `set -euxo pipefail`).
    pub fn sets_pipefail(&self) -> bool {
        let first_pipe = self.pipes.first().map_or(usize::MAX, |p| p.start);
        self.commands_named("set")
            .filter(|c| c.range.start < first_pipe)
            .any(|c| {
                c.flags.iter().any(|f| {
                    f.name == "o" && c.args.get(f.arg + 1).is_some_and(|w| w.value == "pipefail")
                })
            })
    }
}

/// The scripts of one instruction (none for an instruction that runs no shell).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstructionShell {
    pub scripts: Vec<Script>,
}

impl InstructionShell {
    /// Reads the scripts of an instruction (or of its ONBUILD trigger). `text` is the
    /// document the instruction belongs to.
    pub fn read(inst: &Instruction, text: &str) -> InstructionShell {
        Self::read_with(inst, text, &mut Trees::default())
    }

    /// [`InstructionShell::read`], parsing from the trees of the instruction's previous
    /// version (and keeping the new ones) when `trees` has them.
    pub(crate) fn read_with(inst: &Instruction, text: &str, trees: &mut Trees) -> InstructionShell {
        let cmd = inst.effective();
        let mut scripts = Vec::new();
        if let Some(form) = extract::shell_form(cmd) {
            let logical = extract::logical_line(inst, text);
            let Some(line) =
                extract::from_line(&logical, inst.start(), form.range.start, &form.value)
            else {
                return InstructionShell::default();
            };
            let heredocs = &inst.data().heredocs;
            if cmd.kind != crate::syntax::InstructionKind::Run || heredocs.is_empty() {
                scripts.push(Script::parsed(Origin::Line, line.0, line.1, None, trees));
            } else if heredocs.len() == 1 && extract::is_bare_heredoc(&form.value) {
                let (body, map) = extract::heredoc_body(&heredocs[0]);
                let interpreter = Dialect::from_shebang(&body);
                scripts.push(Script::parsed(
                    Origin::Heredoc(0),
                    body,
                    map,
                    interpreter,
                    trees,
                ));
            } else {
                let (full, map) = extract::with_heredocs(line, heredocs, text, inst.start());
                let script = Script::parsed(Origin::Line, full, map, None, trees);
                let inputs = shell_inputs(&script, heredocs);
                scripts.push(script);
                for (i, dialect) in inputs {
                    let (body, map) = extract::heredoc_body(&heredocs[i]);
                    let interpreter = Dialect::from_shebang(&body).or(Some(dialect));
                    scripts.push(Script::parsed(
                        Origin::HeredocInput(i),
                        body,
                        map,
                        interpreter,
                        trees,
                    ));
                }
            }
        } else if let Some(items) = extract::exec_form(cmd) {
            let logical = extract::logical_line(inst, text);
            let rest = &cmd.rest;
            let raw = logical_slice(&logical, inst, rest);
            if let Some((array, map)) =
                raw.and_then(|r| extract::from_line(&logical, inst.start(), rest.start, &r))
            {
                let words = items
                    .iter()
                    .filter_map(|item| {
                        Some(Word {
                            value: item.value.to_string(),
                            range: extract::item_range(&map, item)?,
                            literal: true,
                        })
                    })
                    .collect();
                let whole = 0..array.len();
                scripts.push(Script {
                    origin: Origin::Exec,
                    commands: vec![ShellCommand::from_argv(0, words, whole)],
                    text: array,
                    map,
                    interpreter: None,
                    operators: Vec::new(),
                    pipes: Vec::new(),
                    protected: Vec::new(),
                    has_error: false,
                });
            }
        }
        InstructionShell { scripts }
    }

    /// The main script (the shell form, the bare heredoc body, or the exec form).
    pub fn main(&self) -> Option<&Script> {
        self.scripts.first()
    }

    /// Every command of every script, with its script.
    pub fn commands(&self) -> impl Iterator<Item = (&Script, &ShellCommand)> {
        self.scripts
            .iter()
            .flat_map(|s| s.commands.iter().map(move |c| (s, c)))
    }
}

/// The text of the logical line at an instruction-relative range.
fn logical_slice(
    logical: &crate::model::logical_line::LogicalLine<'_>,
    inst: &Instruction,
    rel: &Rel,
) -> Option<String> {
    let start = inst.start() + rel.start;
    let end = inst.start() + rel.end;
    let runs = logical.runs();
    let lo = runs
        .iter()
        .find(|&&(_, s, len)| (s..s + len).contains(&start))
        .map(|&(l, s, _)| l + (start - s))?;
    let hi = runs
        .iter()
        .find(|&&(_, s, len)| (s + 1..=s + len).contains(&end))
        .map(|&(l, s, _)| l + (end - s))?;
    logical.text.get(lo..hi).map(str::to_string)
}

/// The heredocs of a RUN line that a shell reads as its script (`bash <<EOF`, not
/// `bash -c '…' <<EOF` or `python3 <<EOF`), with that shell.
fn shell_inputs(script: &Script, heredocs: &[crate::model::Heredoc]) -> Vec<(usize, Dialect)> {
    heredocs
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let marker = script.map.script(h.marker_range.start)?;
            let cmd = heredoc_reader(script, marker)?;
            let dialect = Dialect::from_interpreter(cmd.name.as_deref()?);
            // `bash -c '…' <<EOF` and `bash script.sh <<EOF` read the heredoc as data.
            let reads_script = !cmd.has_flag("c") && cmd.operands(&["o"]).is_empty();
            (dialect.is_shell() && reads_script).then_some((i, dialect))
        })
        .collect()
}

/// The command a heredoc marker at script offset `marker` is a redirection of: the last
/// command that starts before it with no list or pipe operator in between. (Read from the
/// text rather than the tree: tree-sitter-bash gives up on some lines with several
/// heredocs, such as `cat <<A > /x && bash <<B`.)
fn heredoc_reader(script: &Script, marker: usize) -> Option<&ShellCommand> {
    let cmd = script
        .commands
        .iter()
        .filter(|c| c.range.start <= marker)
        .max_by_key(|c| c.range.start)?;
    let between = script.text.get(cmd.range.start..marker)?;
    let separated = ["&&", "||", ";", "|", "\n"]
        .iter()
        .any(|op| between.contains(op));
    (!separated).then_some(cmd)
}

#[cfg(test)]
mod tests;
