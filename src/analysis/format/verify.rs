//! The meaning check of a printed file: which instructions would read differently, or how
//! the file as a whole would.
//!
//! Parsing the whole output again costs as much as the formatting itself, so only what
//! changed is parsed: the directive header, and every instruction whose text changed, each
//! followed by its heredoc bodies, all in one text one after the other. That is enough
//! because an instruction's reading depends on nothing before it but the escape character
//! (the incremental reparse of [`Model::update`] rests on the same fact): an instruction
//! printed byte for byte as in the input (its lines, line break and heredoc bodies) reads
//! as it did, a comment between instructions stays a comment, and
//! what is left is that no changed instruction reaches into what follows it, which the
//! joined text shows (each must start where it was put, and one line after the last must
//! stay an instruction of its own). Files with lines the formatter prints as written
//! outside instructions (`fmt off` regions, stray lines) are parsed whole, as is any output
//! whose changed instructions do not hold that shape.

use std::ops::Range;

use crate::model::{Instruction, Model};

use super::FormatOptions;
use super::file::{Block, Printed, bodies, line_ending};
use super::meaning;
use super::shell_words::Dialect;

/// The input of the formatter, as the check needs it.
pub(super) struct Source<'a> {
    pub text: &'a str,
    pub model: &'a Model,
    pub blocks: &'a [Block],
    pub dialects: &'a [Dialect],
    pub opts: &'a FormatOptions,
}

/// How the file as a whole would read differently.
#[derive(Debug)]
pub(super) enum Whole {
    Directives,
    Count(usize, usize),
}

impl std::fmt::Display for Whole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Whole::Directives => f.write_str("the parser directives would change"),
            Whole::Count(after, before) => {
                write!(
                    f,
                    "the file would have {after} instructions instead of {before}"
                )
            }
        }
    }
}

/// The instructions whose reading in `out` differs from the input's, with why; `Err` when
/// the file as a whole reads differently. `spans` are the instructions' own lines in `out`.
pub(super) fn verify(
    src: &Source<'_>,
    printed: &[Printed],
    out: &str,
    spans: &[Range<usize>],
) -> Result<Vec<(usize, String)>, Whole> {
    let as_written_outside = src
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Stray(_) | Block::Verbatim(_)));
    if as_written_outside || src.model.instructions.is_empty() {
        return whole_file(src, out);
    }
    changed_only(src, printed, out, spans).unwrap_or_else(|| whole_file(src, out))
}

fn whole_file(src: &Source<'_>, out: &str) -> Result<Vec<(usize, String)>, Whole> {
    verify_whole(src.model, out, src.dialects, src.opts)
}

/// The check by parsing the whole output (what [`verify`] does when it must, and what the
/// tests hold its answers to).
pub(super) fn verify_whole(
    model: &Model,
    out: &str,
    dialects: &[Dialect],
    opts: &FormatOptions,
) -> Result<Vec<(usize, String)>, Whole> {
    let (_, after) = Model::open(out);
    same_header(model, &after)?;
    if after.instructions.len() != model.instructions.len() {
        return Err(Whole::Count(
            after.instructions.len(),
            model.instructions.len(),
        ));
    }
    let pairs = model.instructions.iter().zip(&after.instructions);
    Ok(compare_all(dialects, opts, pairs.enumerate()))
}

/// The check by parsing the header and the changed instructions only; `None` when the
/// changed instructions do not hold the shape that makes this enough.
fn changed_only(
    src: &Source<'_>,
    printed: &[Printed],
    out: &str,
    spans: &[Range<usize>],
) -> Option<Result<Vec<(usize, String)>, Whole>> {
    let model = src.model;
    let (_, header) = Model::open(out.get(..spans.first()?.start)?);
    if let Err(whole) = same_header(model, &header) {
        return Some(Err(whole));
    }
    let eol = line_ending(src.text);
    let mut joined = String::new();
    if model.escape != '\\' {
        joined.push_str("# escape=");
        joined.push(model.escape);
        joined.push('\n');
    }
    // The changed instructions by index, with where each starts in `joined`.
    let mut changed: Vec<(usize, usize)> = Vec::new();
    for (i, (inst, printed)) in model.instructions.iter().zip(printed).enumerate() {
        let own = match printed {
            Printed::Formatted(own) => own.as_str(),
            Printed::AsWritten => src.text.get(inst.line_range())?,
        };
        if printed_as_written(src.text, inst, own, eol) {
            continue;
        }
        changed.push((i, joined.len()));
        joined.push_str(own);
        joined.push_str(eol);
        if let Some(bodies) = bodies(src.text, inst) {
            joined.push_str(bodies);
            if !joined.ends_with('\n') {
                joined.push_str(eol);
            }
        }
    }
    if changed.is_empty() {
        return Some(Ok(Vec::new()));
    }
    let last_line = joined.len();
    joined.push_str("ARG end");
    joined.push_str(eol);
    let (_, after) = Model::open(joined);
    let starts = changed.iter().map(|&(_, at)| at).chain([last_line]);
    let in_place = after.escape == model.escape
        && after.instructions.len() == changed.len() + 1
        && starts
            .zip(&after.instructions)
            .all(|(at, inst)| inst.start() == at);
    if !in_place {
        return None;
    }
    let pairs = changed
        .iter()
        .zip(&after.instructions)
        .map(|(&(i, _), b)| (i, (&model.instructions[i], b)));
    Some(Ok(compare_all(src.dialects, src.opts, pairs)))
}

/// Whether the output holds the instruction's bytes exactly as the input does: its own
/// lines (`own`), the line break, its heredoc bodies and the line break after them. (Not so
/// when the input's line break differs from `eol`, or when the file ends in heredoc bodies
/// without one.)
fn printed_as_written(text: &str, inst: &Instruction, own: &str, eol: &str) -> bool {
    let Some(rest) = text
        .get(inst.line_range().start..)
        .and_then(|rest| rest.strip_prefix(own))
        .and_then(|rest| rest.strip_prefix(eol))
    else {
        return false;
    };
    match bodies(text, inst) {
        None => true,
        Some(bodies) => rest
            .strip_prefix(bodies)
            .is_some_and(|rest| bodies.ends_with('\n') || rest.starts_with(eol)),
    }
}

fn same_header(model: &Model, after: &Model) -> Result<(), Whole> {
    let same_directives = after.directives.len() == model.directives.len()
        && after
            .directives
            .iter()
            .zip(&model.directives)
            .all(|(a, b)| a.name == b.name && a.value == b.value);
    if after.escape != model.escape || !same_directives {
        return Err(Whole::Directives);
    }
    Ok(())
}

/// Each instruction by index, before and after.
type Pair<'m> = (usize, (&'m Instruction, &'m Instruction));

fn compare_all<'m>(
    dialects: &[Dialect],
    opts: &FormatOptions,
    pairs: impl Iterator<Item = Pair<'m>>,
) -> Vec<(usize, String)> {
    pairs
        .filter_map(|(i, (before, after))| {
            meaning::compare(before, after, dialects[i], opts.sort_flags)
                .err()
                .map(|why| (i, why))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::dialect::dialects;
    use super::super::file::{blocks, print};
    use super::*;

    type Answer = Result<Vec<usize>, String>;

    /// The answers of [`verify`] and of [`verify_whole`] for `input` printed with each
    /// instruction's lines replaced by `own` (`None`: as written).
    fn both(input: &str, own: &[Option<&str>]) -> (Answer, Answer) {
        let (_, model) = Model::open(input);
        let (blocks, _) = blocks(input, &model, 0);
        let dialects = dialects(&model);
        let opts = FormatOptions::default();
        let printed: Vec<Printed> = own
            .iter()
            .map(|o| o.map_or(Printed::AsWritten, |s| Printed::Formatted(s.to_string())))
            .collect();
        let (out, spans) = print(input, &model, &blocks, &printed, &opts, "", false);
        let src = Source {
            text: input,
            model: &model,
            blocks: &blocks,
            dialects: &dialects,
            opts: &opts,
        };
        let answer = |r: Result<Vec<(usize, String)>, Whole>| {
            r.map(|failed| failed.into_iter().map(|(i, _)| i).collect())
                .map_err(|whole| whole.to_string())
        };
        (
            answer(verify(&src, &printed, &out, &spans)),
            answer(verify_whole(&model, &out, &dialects, &opts)),
        )
    }

    #[test]
    fn the_changed_instructions_alone_answer_as_the_whole_file() {
        let file = "# syntax=x\nFROM a\nRUN b\n# c\nRUN d\n";
        let heredoc = "FROM a\nRUN <<EOF\nbody\nEOF\nRUN d\n";
        let backtick = "# escape=`\nFROM a\nRUN b `\n  c\nRUN d\n";
        let count = |n| Err(format!("the file would have {n} instructions instead of 3"));
        let cases: [(&str, &[Option<&str>], Answer); 11] = [
            (file, &[None, Some("RUN  b"), None], Ok(vec![])),
            (
                file,
                &[None, Some("RUN echo"), Some("RUN   d")],
                Ok(vec![1]),
            ),
            // Reaching into what follows: the comment, then the next instruction.
            (file, &[None, Some("RUN b \\"), None], count(2)),
            (file, &[Some("FROM a\nRUN x"), None, None], count(4)),
            (
                heredoc,
                &[None, Some("RUN <<EOF"), Some("RUN  d")],
                Ok(vec![]),
            ),
            (heredoc, &[None, Some("RUN <<EOT"), None], count(2)),
            (heredoc, &[None, Some("RUN <<-EOF"), None], Ok(vec![1])),
            // As written, but the file ends in the body: the line break printed after it
            // would be read into the body.
            ("FROM a\nRUN <<EOF\nbody", &[None, None], Ok(vec![1])),
            // A backtick file is taken for Windows: cmd keeps every space.
            (
                backtick,
                &[None, Some("RUN b `\n  c"), Some("RUN  d")],
                Ok(vec![]),
            ),
            (backtick, &[None, Some("RUN b `\n    c"), None], Ok(vec![1])),
            (backtick, &[None, Some("RUN b \\\n    c"), None], count(4)),
        ];
        for (input, own, expected) in cases {
            let (fast, whole) = both(input, own);
            assert_eq!(fast, whole, "{input:?} with {own:?}");
            assert_eq!(fast, expected, "{input:?} with {own:?}");
        }
        // A blank line before `# escape=` made it a comment; without it, it is a directive.
        let (fast, whole) = both("\n# escape=`\nFROM a\n", &[Some("FROM  a")]);
        assert_eq!(fast, whole);
        assert_eq!(fast, Err("the parser directives would change".into()));
    }
}
