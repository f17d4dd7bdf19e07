//! The formatter: one engine for `textDocument/formatting`, range and on-type formatting,
//! and `dockerfile-ls fmt`.
//!
//! It prints from the model, not by editing text: each instruction becomes a row of the
//! words BuildKit reads, laid out anew ([`doc`]), and the blocks around the instructions
//! (comments, blank lines, directives) are printed by [`file`]. Then the output is parsed
//! again and every instruction's BuildKit reading is compared with the original's
//! ([`meaning`]); an instruction whose reading would change is printed as written, and
//! the reason is reported. A file with parse errors is formatted where its instructions
//! are intact.

mod dialect;
mod doc;
mod file;
mod instruction;
mod meaning;
mod on_type;
mod options;
mod run_layout;
pub(crate) mod shell_words;
mod sort_packages;
mod suppress;
mod verify;
mod words;

#[cfg(test)]
mod tests;

use std::ops::Range;

use rayon::prelude::*;

pub use on_type::on_type;
pub use options::{FormatOptions, KeywordCase, MultilineRun};
pub use shell_words::Dialect;

use crate::model::{Model, PARALLEL_FROM};
use crate::shell::ShellIndex;

use super::Snapshot;
use super::types::Edit;
use file::{Printed, blocks, print};
use instruction::{Cx, generic_parts, row};
use verify::{Source, Whole, verify};

/// The formatted text and what was left as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatted {
    pub text: String,
    /// Instructions printed as written, and why, in source order.
    pub kept: Vec<Kept>,
    /// For each instruction: its own lines in the input, and in the output.
    pub spans: Vec<(Range<usize>, Range<usize>)>,
}

/// An instruction the formatter left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// Its own lines in the input.
    pub range: Range<usize>,
    pub because: Because,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Because {
    /// A `fmt off` region or a `fmt skip` comment.
    Suppressed,
    /// It has parse errors, or something the formatter does not lay out.
    Unformattable(String),
    /// Formatting it would change what BuildKit reads.
    MeaningWouldChange(String),
}

impl std::fmt::Display for Because {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Because::Suppressed => f.write_str("formatting is switched off there"),
            Because::Unformattable(why) => write!(f, "left as written: {why}"),
            Because::MeaningWouldChange(why) => {
                write!(
                    f,
                    "left as written, formatting would change its meaning: {why}"
                )
            }
        }
    }
}

/// Formats a whole document.
///
/// The scripts of its RUN instructions are taken from the snapshot's shell model, which the
/// diagnostics of an open document have built already (or build once, for both).
pub fn format(snapshot: &Snapshot, opts: &FormatOptions) -> Formatted {
    format_model(
        snapshot.text(),
        &snapshot.model,
        Some(snapshot.shell()),
        opts,
    )
}

/// Formats a text (parsing it first).
pub fn format_text(text: &str, opts: &FormatOptions) -> Formatted {
    let (_, model) = Model::open(text);
    format_model(text, &model, None, opts)
}

/// A few rounds at most: a second one only when the first left some instruction as written
/// for its meaning, and a third should find nothing new (the rest is printed as before).
const ROUNDS: usize = 3;

/// `shells`: the shell model of `model`, when there is one already (else each RUN laid out
/// by its shell structure is read on its own).
fn format_model(
    text: &str,
    model: &Model,
    shells: Option<&ShellIndex>,
    opts: &FormatOptions,
) -> Formatted {
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let (blocks, skipped) = blocks(text, model, bom.len());
    let dialects = dialect::dialects(model);
    let mut kept: Vec<Option<Because>> = vec![None; model.instructions.len()];
    for i in skipped {
        kept[i] = Some(Because::Suppressed);
    }
    for block in &blocks {
        if let file::Block::Verbatim(r) = block {
            for (i, inst) in model.instructions.iter().enumerate() {
                if r.contains(&inst.start()) {
                    kept[i] = Some(Because::Suppressed);
                }
            }
        }
    }
    if opts.sort_packages {
        let skip: Vec<bool> = kept.iter().map(Option::is_some).collect();
        if let Some(sorted) = sort_packages::sorted(text, model, &dialects, &skip) {
            // The packages trade places inside their instructions, which keep their byte
            // ranges (the same words in the same slots): the spans below still name the
            // input's instructions.
            let (_, sorted_model) = Model::open(sorted.as_str());
            let opts = FormatOptions {
                sort_packages: false,
                ..opts.clone()
            };
            return format_model(&sorted, &sorted_model, None, &opts);
        }
    }
    // Each instruction is printed on its own, so a large file is printed on all cores.
    let print_one = |(i, inst): (usize, &crate::model::Instruction)| {
        kept[i].is_none().then(|| {
            let cx = Cx {
                text,
                opts,
                escape: model.escape,
                dialect: dialects[i],
                shell: shells.and_then(|s| s.shell(i)),
            };
            instruction_text(&cx, inst)
        })
    };
    let texts: Vec<Option<Result<String, String>>> = if model.instructions.len() >= PARALLEL_FROM {
        model
            .instructions
            .par_iter()
            .enumerate()
            .map(print_one)
            .collect()
    } else {
        model
            .instructions
            .iter()
            .enumerate()
            .map(print_one)
            .collect()
    };
    let mut printed: Vec<Printed> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| match text {
            Some(Ok(s)) => Printed::Formatted(s),
            Some(Err(why)) => {
                kept[i] = Some(Because::Unformattable(why));
                Printed::AsWritten
            }
            None => Printed::AsWritten,
        })
        .collect();

    let source = Source {
        text,
        model,
        blocks: &blocks,
        dialects: &dialects,
        opts,
    };
    let mut keep_leading_blank = false;
    for _ in 0..ROUNDS {
        let (out, spans) = print(
            text,
            model,
            &blocks,
            &printed,
            opts,
            bom,
            keep_leading_blank,
        );
        match verify(&source, &printed, &out, &spans) {
            Ok(failed) if failed.is_empty() => {
                return finish(out, model, spans, kept);
            }
            Ok(failed) => {
                for (i, why) in failed {
                    if matches!(printed[i], Printed::Formatted(_)) {
                        tracing::debug!("instruction {i}: {why}");
                        printed[i] = Printed::AsWritten;
                        kept[i] = Some(Because::MeaningWouldChange(why));
                    }
                }
            }
            Err(Whole::Directives) if !keep_leading_blank => keep_leading_blank = true,
            Err(why) => {
                // Something outside the instructions changed the reading: give up whole.
                tracing::warn!("formatting left the file as written: {why}");
                return unchanged(text, model, &why.to_string());
            }
        }
    }
    unchanged(text, model, "the formatter did not settle")
}

/// The file as it was, every instruction kept for `why`.
fn unchanged(text: &str, model: &Model, why: &str) -> Formatted {
    Formatted {
        text: text.to_string(),
        kept: model
            .instructions
            .iter()
            .map(|inst| Kept {
                range: inst.line_range(),
                because: Because::MeaningWouldChange(why.to_string()),
            })
            .collect(),
        spans: model
            .instructions
            .iter()
            .map(|inst| (inst.line_range(), inst.line_range()))
            .collect(),
    }
}

fn finish(
    text: String,
    model: &Model,
    spans: Vec<Range<usize>>,
    kept: Vec<Option<Because>>,
) -> Formatted {
    Formatted {
        text,
        kept: model
            .instructions
            .iter()
            .zip(kept)
            .filter_map(|(inst, because)| {
                because.map(|because| Kept {
                    range: inst.line_range(),
                    because,
                })
            })
            .collect(),
        spans: model
            .instructions
            .iter()
            .zip(spans)
            .map(|(inst, out)| (inst.line_range(), out))
            .collect(),
    }
}

/// One instruction's lines, or why it is left as written.
fn instruction_text(cx: &Cx<'_>, inst: &crate::model::Instruction) -> Result<String, String> {
    let row = row(cx, inst)?;
    let parts = run_layout::parts(cx, inst, &row).unwrap_or_else(|| generic_parts(cx, &row));
    let eol = file::line_ending(cx.text);
    let mut out = doc::print(&parts, cx.opts, eol, cx.escape);
    for c in instruction::comments(cx, &row.trailing_comments) {
        out.push_str(eol);
        out.push_str(c);
    }
    Ok(out)
}

/// The edits that turn the document into its formatted text: one per changed run of lines,
/// so that an editor keeps the cursor and folds where nothing changed.
pub fn edits(snapshot: &Snapshot, opts: &FormatOptions) -> (Vec<Edit>, Formatted) {
    let formatted = format(snapshot, opts);
    let edits = line_edits(snapshot.text(), &formatted.text);
    (edits, formatted)
}

/// The edits for the instructions that overlap `range` (whole instructions only).
pub fn range_edits(
    snapshot: &Snapshot,
    range: Range<usize>,
    opts: &FormatOptions,
) -> (Vec<Edit>, Formatted) {
    let formatted = format(snapshot, opts);
    let text = snapshot.text();
    let edits = formatted
        .spans
        .iter()
        .filter(|(input, _)| input.start <= range.end && range.start <= input.end)
        .filter_map(|(input, output)| {
            let new_text = formatted.text.get(output.clone())?;
            (text.get(input.clone()) != Some(new_text)).then(|| Edit {
                range: input.clone(),
                new_text: new_text.to_string(),
            })
        })
        .collect();
    (edits, formatted)
}

/// Line-level edits from `old` to `new`.
pub fn line_edits(old: &str, new: &str) -> Vec<Edit> {
    if old == new {
        return Vec::new();
    }
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(old, new);
    let old_starts = line_starts(old);
    let new_starts = line_starts(new);
    let mut edits: Vec<Edit> = Vec::new();
    for op in diff.ops() {
        if let similar::DiffOp::Equal { .. } = op {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        let range = old_starts[o.start]..old_starts[o.end];
        let new_text = &new[new_starts[n.start]..new_starts[n.end]];
        match edits.last_mut() {
            Some(last) if last.range.end == range.start => {
                last.range.end = range.end;
                last.new_text.push_str(new_text);
            }
            _ => edits.push(Edit {
                range,
                new_text: new_text.to_string(),
            }),
        }
    }
    edits
}

/// The offset of each line start, and the text's length last.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|n| n + 1));
    if *starts.last().unwrap_or(&0) != text.len() {
        starts.push(text.len());
    }
    starts
}
