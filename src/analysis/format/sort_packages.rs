//! `format.sortPackages`: the packages of `apt-get install`, `apk add`, `pip install` and
//! friends in sorted order. This is the one change the formatter makes on purpose to what
//! BuildKit reads (the command's words move), so it is done as a step of its own, before the
//! layout: the words trade places in the source text, and the formatter then lays out and
//! checks that text like any other. Only a run of packages with nothing else between them
//! is sorted (`-y`, `-r requirements.txt` stay where they are), and only in a shell-form
//! RUN of a POSIX shell whose script parses.

use std::ops::Range;

use crate::model::{Arguments, InstructionKind, Model};
use crate::shell::packages::install;
use crate::shell::{InstructionShell, Origin};

use super::run_layout::is_option;
use super::shell_words::Dialect;

/// The text with every sortable package run sorted, or `None` when nothing moves.
/// `skip[i]` marks instructions that must stay as written (`fmt off`).
pub(crate) fn sorted(
    text: &str,
    model: &Model,
    dialects: &[Dialect],
    skip: &[bool],
) -> Option<String> {
    let mut moves: Vec<(Range<usize>, String)> = Vec::new();
    for (i, inst) in model.instructions.iter().enumerate() {
        let command = inst.command();
        if skip.get(i).copied().unwrap_or(true)
            || dialects.get(i) != Some(&Dialect::Posix)
            || command.kind != InstructionKind::Run
            || inst.data().trigger.is_some()
            || inst.has_errors()
            || !matches!(command.args, Arguments::Text(_))
        {
            continue;
        }
        let line = inst.line_range();
        let shell = InstructionShell::read(inst, text);
        let Some(script) = shell.main() else { continue };
        if script.has_error || script.origin != Origin::Line {
            continue;
        }
        // Not inside `$(…)`, subshells or conditions: only the script's own commands.
        for cmd in script.commands.iter().filter(|c| !c.nested) {
            let Some(found) = install(cmd) else { continue };
            // Runs of packages that are next to each other among the command's words.
            let mut run: Vec<usize> = Vec::new();
            let mut runs: Vec<Vec<usize>> = Vec::new();
            for (a, word) in cmd.args.iter().enumerate() {
                let package = found.packages.iter().any(|p| p.range == word.range)
                    && !(a > 0 && is_option(&cmd.args[a - 1].value));
                if package {
                    run.push(a);
                } else if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
            runs.push(run);
            for run in runs.into_iter().filter(|r| r.len() >= 2) {
                let slots: Option<Vec<Range<usize>>> = run
                    .iter()
                    .map(|&a| {
                        let r = script.doc(inst, cmd.args[a].range.clone());
                        let inside = r.start >= line.start && r.end <= line.end;
                        let one_line = text.get(r.clone()).is_some_and(|w| !w.contains('\n'));
                        (inside && one_line).then_some(r)
                    })
                    .collect();
                let Some(slots) = slots else { continue };
                let mut order: Vec<usize> = (0..run.len()).collect();
                order.sort_by(|&x, &y| cmd.args[run[x]].value.cmp(&cmd.args[run[y]].value));
                for (slot, &from) in slots.iter().zip(&order) {
                    let word = &text[slots[from].clone()];
                    if &text[slot.clone()] != word {
                        moves.push((slot.clone(), word.to_string()));
                    }
                }
            }
        }
    }
    if moves.is_empty() {
        return None;
    }
    moves.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, word) in moves {
        if r.start < at {
            return None; // overlapping words: leave the text alone
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&word);
        at = r.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}
