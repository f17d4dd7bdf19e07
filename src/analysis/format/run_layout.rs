//! The shell-aware layout of a shell-form RUN, from the shell model of its script: a chain
//! of `&&` and `||` is broken one command a line with the operator leading the line (a `|`
//! only where the user already broke the line beside it), a command ended by `;` ends its
//! line, and the packages of `apt-get install`, `apk add`, `pip install` and friends go one
//! a line. It applies when the RUN is already written on several lines (unless
//! `multilineRun` is `keep`) or is longer than the line width, and only where the stage's
//! shell is a POSIX shell and the script parses. Everything else follows the generic layout:
//! breaks the user made inside a command stay, as much deeper than the shallowest
//! continuation line as the user put them.

use rustc_hash::FxHashSet;

use crate::model::{Arguments, Instruction, InstructionKind};
use crate::shell::packages::install;
use crate::shell::{InstructionShell, OperatorKind, Origin};

use super::doc::{Part, width};
use super::instruction::{Cx, Row, comments};
use super::options::MultilineRun;
use super::shell_words::Dialect;

/// The parts of the RUN laid out by its shell structure, or `None` for the generic layout.
pub(crate) fn parts<'a>(cx: &Cx<'a>, inst: &Instruction, row: &'a Row) -> Option<Vec<Part<'a>>> {
    let command = inst.command();
    if cx.dialect != Dialect::Posix
        || command.kind != InstructionKind::Run
        || inst.data().trigger.is_some()
        || !matches!(command.args, Arguments::Text(_))
    {
        return None;
    }
    let line = inst.line_range();
    let multiline = cx.text.get(line.clone())?.contains('\n');
    if multiline && cx.opts.multiline_run == MultilineRun::Keep {
        return None;
    }
    if !multiline {
        let flat: usize = row.words.iter().map(|w| width(w.print(cx.text)) + 1).sum();
        if flat <= cx.opts.line_width {
            return None;
        }
    }
    let read;
    let shell = match cx.shell {
        Some(shell) => shell,
        None => {
            read = InstructionShell::read(inst, cx.text);
            &read
        }
    };
    let script = shell.main()?;
    if script.has_error || script.origin != Origin::Line {
        return None;
    }
    let within = |r: &std::ops::Range<usize>| r.start >= line.start && r.end <= line.end;
    let starts: FxHashSet<usize> = row.words.iter().map(|w| w.source.start).collect();
    let mut leading = FxHashSet::default();
    let mut ending = FxHashSet::default();
    for op in &script.operators {
        let r = script.doc(inst, op.range.clone());
        if !within(&r) {
            continue;
        }
        match op.kind {
            OperatorKind::And | OperatorKind::Or if starts.contains(&r.start) => {
                leading.insert(r.start);
            }
            // A pipe is broken only where the user broke the line beside it: `a | b` is
            // mostly one short thought (`curl … | tar -x`), kept on its line.
            OperatorKind::Pipe | OperatorKind::PipeAll
                if starts.contains(&r.start) && broken_beside(row, r.start) =>
            {
                leading.insert(r.start);
            }
            OperatorKind::Semicolon => {
                ending.insert(r.end);
            }
            _ => {}
        }
    }
    let mut packages = FxHashSet::default();
    for cmd in script.commands.iter().filter(|c| !c.nested) {
        if let Some(found) = install(cmd).filter(|i| i.packages.len() >= 2) {
            for w in found.packages {
                let r = script.doc(inst, w.range.clone());
                if within(&r) {
                    packages.insert(r.start);
                }
            }
        }
    }
    if leading.is_empty() && ending.is_empty() && packages.is_empty() {
        return None;
    }

    let first_command = 1 + command.flags.len();
    let base = row
        .words
        .iter()
        .filter(|w| w.before.broken)
        .map(|w| w.before.column)
        .min()
        .unwrap_or(0);
    let unit = cx.opts.unit();
    // Comment lines the user put after a leading operator (`&& \`, `# why`, `cmd`) go before
    // the operator's line, which now starts the command.
    let moved = |i: usize| {
        let w = &row.words[i];
        let next = row.words.get(i + 1);
        let follows = leading.contains(&w.source.start) && i >= first_command;
        let mut notes = comments(cx, &w.before.comments);
        if follows && let Some(next) = next {
            notes.extend(comments(cx, &next.before.comments));
        }
        let own = !(i > 0 && leading.contains(&row.words[i - 1].source.start) && i > first_command);
        (notes, own)
    };
    let mut parts = Vec::with_capacity(row.words.len() * 2);
    for (i, w) in row.words.iter().enumerate() {
        if i > 0 {
            let prev = &row.words[i - 1];
            let (notes, own) = moved(i);
            let notes = if own { notes } else { Vec::new() };
            let part = if i <= first_command {
                // Flags, and the command, stay on the RUN line unless the user put them
                // under it; then they go one unit in, like every command.
                if w.before.broken || !notes.is_empty() {
                    Part::Break {
                        comments: notes,
                        extra: 0,
                    }
                } else {
                    Part::Space
                }
            } else if leading.contains(&w.source.start) || ending.contains(&prev.source.end) {
                Part::Break {
                    comments: notes,
                    extra: 0,
                }
            } else if packages.contains(&w.source.start) && !is_option(prev.print(cx.text)) {
                Part::Break {
                    comments: notes,
                    extra: unit,
                }
            } else if !notes.is_empty()
                || (w.before.broken && i > first_command) && !leading.contains(&prev.source.start)
            {
                Part::Break {
                    comments: notes,
                    extra: w.before.column.saturating_sub(base),
                }
            } else {
                Part::Space
            };
            parts.push(part);
        }
        parts.push(Part::Text(w.print(cx.text)));
    }
    Some(parts)
}

/// Whether the line is broken just before or just after the word that starts at `start`.
fn broken_beside(row: &Row, start: usize) -> bool {
    let Some(i) = row.words.iter().position(|w| w.source.start == start) else {
        return false;
    };
    row.words[i].before.broken || row.words.get(i + 1).is_some_and(|w| w.before.broken)
}

/// pip's options that name a file (`-r requirements.txt`), which the shell model's list of
/// options with a value does not have: the word after one is no package and stays beside it.
pub(crate) fn is_option(word: &str) -> bool {
    matches!(
        word,
        "-r" | "--requirement" | "-c" | "--constraint" | "-e" | "--editable"
    )
}
