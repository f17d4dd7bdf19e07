//! The file around the instructions: directives, comments, blank lines, `fmt off` regions,
//! line endings; and the printing of the whole file from its blocks.

use std::ops::Range;

use crate::model::{Instruction, Model};

use super::options::FormatOptions;
use super::suppress::{Switch, switch};

/// One top-level piece of the file, in source order. Ranges cover whole lines, line
/// breaks included (the last line of a file may have none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Block {
    Blank,
    Comment(Range<usize>),
    Directive(Range<usize>),
    /// An instruction, by index in the model.
    Instruction(usize),
    /// A line outside instructions that is none of the above: printed as written.
    Stray(Range<usize>),
    /// A `fmt off` region: printed as written, instructions and all.
    Verbatim(Range<usize>),
}

/// The blocks of a file, with `fmt off` regions folded into [`Block::Verbatim`], and the
/// instructions a `fmt skip` comment keeps as written.
pub(crate) fn blocks(text: &str, model: &Model, start: usize) -> (Vec<Block>, Vec<usize>) {
    let mut raw: Vec<(Block, Range<usize>)> = Vec::new();
    let mut pos = start;
    let directive_at = |s: usize| model.directives.iter().any(|d| d.range.start == s);
    let lines_until = |pos: &mut usize, end: usize, raw: &mut Vec<(Block, Range<usize>)>| {
        while *pos < end {
            let line_end =
                memchr::memchr(b'\n', &text.as_bytes()[*pos..end]).map_or(end, |n| *pos + n + 1);
            let line = &text[*pos..line_end];
            let trimmed = line.trim_start();
            let body = *pos + (line.len() - trimmed.len());
            let block = if trimmed.trim_end().is_empty() {
                Block::Blank
            } else if directive_at(*pos) || directive_at(body) {
                Block::Directive(*pos..line_end)
            } else if trimmed.starts_with('#') {
                Block::Comment(*pos..line_end)
            } else {
                Block::Stray(*pos..line_end)
            };
            raw.push((block, *pos..line_end));
            *pos = line_end;
        }
    };
    for (i, inst) in model.instructions.iter().enumerate() {
        // The instruction's first line starts at its line start (indented keywords).
        let line_start = text[..inst.start()]
            .rfind('\n')
            .map_or(start, |n| n + 1)
            .max(pos);
        lines_until(&mut pos, line_start, &mut raw);
        let end = inst.range().end.min(text.len());
        let end = if end > 0 && text.as_bytes()[end - 1] == b'\n' {
            end
        } else {
            memchr::memchr(b'\n', &text.as_bytes()[end..]).map_or(text.len(), |n| end + n + 1)
        };
        raw.push((Block::Instruction(i), line_start..end));
        pos = end;
    }
    lines_until(&mut pos, text.len(), &mut raw);

    let mut out = Vec::with_capacity(raw.len());
    let mut skipped = Vec::new();
    let mut k = 0;
    while k < raw.len() {
        let (block, range) = &raw[k];
        let comment_switch = match block {
            Block::Comment(r) => switch(&text[r.clone()]),
            _ => None,
        };
        match comment_switch {
            Some(Switch::Off) => {
                let on = raw[k + 1..].iter().position(|(b, _)| {
                    matches!(b, Block::Comment(r) if switch(&text[r.clone()]) == Some(Switch::On))
                });
                let last = on.map_or(raw.len() - 1, |n| k + 1 + n);
                out.push(Block::Verbatim(range.start..raw[last].1.end));
                k = last + 1;
                continue;
            }
            Some(Switch::Skip) => {
                if let Some((Block::Instruction(i), _)) = raw[k + 1..]
                    .iter()
                    .find(|(b, _)| !matches!(b, Block::Blank | Block::Comment(_)))
                {
                    skipped.push(*i);
                }
            }
            _ => {}
        }
        out.push(block.clone());
        k += 1;
    }
    (out, skipped)
}

/// The line break the file uses: that of its first line with text on it (blank lines at the
/// start are dropped, so the formatted file's first line is that line, and a second run
/// chooses alike), or of its first line.
pub(crate) fn line_ending(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    let from = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let at = memchr::memchr(b'\n', &bytes[from..])
        .map(|n| from + n)
        .or_else(|| memchr::memchr(b'\n', bytes));
    match at {
        Some(n) if n > 0 && bytes[n - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// How each instruction is printed: its own lines (and the comments dangling at the end of
/// its continuation), without the final line break.
pub(crate) enum Printed {
    Formatted(String),
    AsWritten,
}

/// The whole file printed from its blocks (with one blank line kept at the start when
/// `keep_leading_blank`, and there was one). Returns the text and, for each instruction,
/// the range of its own lines in the output.
pub(crate) fn print(
    text: &str,
    model: &Model,
    blocks: &[Block],
    printed: &[Printed],
    opts: &FormatOptions,
    bom: &str,
    keep_leading_blank: bool,
) -> (String, Vec<Range<usize>>) {
    let eol = line_ending(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    out.push_str(bom);
    let mut spans = vec![0..0; model.instructions.len()];
    let mut blanks = 0usize;
    let mut first = true;
    for block in blocks {
        if *block == Block::Blank {
            blanks += 1;
            continue;
        }
        if !first {
            for _ in 0..blanks.min(opts.max_blank_lines) {
                out.push_str(eol);
            }
        } else if keep_leading_blank && blanks > 0 {
            // A blank line before a comment that reads like a directive is what makes it
            // a comment.
            out.push_str(eol);
        }
        blanks = 0;
        first = false;
        match block {
            Block::Blank => {}
            Block::Comment(r) => {
                let line = text[r.clone()].trim_start().trim_end_matches(['\n', '\r']);
                let line = if opts.trim_trailing_whitespace {
                    line.trim_end()
                } else {
                    line
                };
                out.push_str(line);
                out.push_str(eol);
            }
            Block::Directive(r) | Block::Stray(r) => {
                out.push_str(text[r.clone()].trim_end());
                out.push_str(eol);
            }
            Block::Verbatim(r) => {
                out.push_str(&text[r.clone()]);
                if !out.ends_with('\n') {
                    out.push_str(eol);
                }
            }
            Block::Instruction(i) => {
                let inst = &model.instructions[*i];
                let start = out.len();
                match &printed[*i] {
                    Printed::Formatted(s) => out.push_str(s),
                    Printed::AsWritten => out.push_str(&text[inst.line_range()]),
                }
                spans[*i] = start..out.len();
                out.push_str(eol);
                if let Some(bodies) = bodies(text, inst) {
                    out.push_str(bodies);
                    if !out.ends_with('\n') {
                        out.push_str(eol);
                    }
                }
            }
        }
    }
    if !opts.insert_final_newline && !text.ends_with('\n') && out.ends_with('\n') {
        out.truncate(out.len() - eol.len().min(out.len()));
    }
    (out, spans)
}

/// The heredoc bodies after an instruction's own lines, as written (printed after its line
/// break), or `None` when it has none.
pub(crate) fn bodies<'a>(text: &'a str, inst: &Instruction) -> Option<&'a str> {
    if inst.data().heredocs.is_empty() {
        return None;
    }
    let tail = text.get(inst.line_range().end..inst.range().end)?;
    let first_body = tail.find('\n')? + 1;
    tail.get(first_body..).filter(|b| !b.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_a_file() {
        let text = "# syntax=x\n\n# a\n  FROM a\n\n\n# dockerfile-ls: fmt off\nRUN  b\n# dockerfile-ls: fmt on\n# dockerfile-ls: fmt skip\nRUN c\n";
        let model = Model::open(text).1;
        let (b, skipped) = blocks(text, &model, 0);
        assert_eq!(
            b,
            [
                Block::Directive(0..11),
                Block::Blank,
                Block::Comment(12..16),
                Block::Instruction(0),
                Block::Blank,
                Block::Blank,
                Block::Verbatim(27..83),
                Block::Comment(83..109),
                Block::Instruction(2),
            ]
        );
        assert_eq!(skipped, [2]);
    }
}
