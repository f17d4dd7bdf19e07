//! One instruction printed from its model: the words BuildKit reads (keyword, flags,
//! arguments), each from where it is written, laid out with the user's line breaks.

use std::ops::Range;

use crate::model::logical_line::{LogicalLine, assemble};
use crate::model::{Arguments, Command, Instruction, InstructionKind, NameVal, Spanned};
use crate::shell::InstructionShell;

use super::doc::Part;
use super::meaning::{flag_name, is_shell_form};
use super::options::{FormatOptions, KeywordCase};
use super::shell_words::{Dialect, pieces};
use super::words::{Word, read_gaps};

/// What the printer of an instruction needs besides the instruction.
pub(crate) struct Cx<'a> {
    pub text: &'a str,
    pub opts: &'a FormatOptions,
    pub escape: char,
    pub dialect: Dialect,
    /// The instruction's scripts, when the document's shell model has them already.
    pub shell: Option<&'a InstructionShell>,
}

/// An instruction ready to print: its words with the gaps before them, and the comment
/// lines of a continuation left dangling after the last word.
pub(crate) struct Row {
    pub words: Vec<Word>,
    pub trailing_comments: Vec<Range<usize>>,
}

/// The words of `inst`, or why it must be left as written.
pub(crate) fn row(cx: &Cx<'_>, inst: &Instruction) -> Result<Row, String> {
    if inst.has_errors() {
        return Err("it has parse errors".into());
    }
    let data = inst.data();
    let line = inst.line_range();
    let mut words = Vec::new();
    let mut sorts = Vec::new();
    command_words(cx, inst, &data.command, &mut words, &mut sorts)?;
    if let Some(trigger) = &data.trigger {
        if matches!(trigger.args, Arguments::SubCommand(_)) {
            return Err("ONBUILD nested in ONBUILD is left as written".into());
        }
        command_words(cx, inst, trigger, &mut words, &mut sorts)?;
    }
    let unit = cx.opts.unit();
    if words.first().is_none_or(|w| w.source.start != line.start)
        || words
            .windows(2)
            .any(|w| w[0].source.end > w[1].source.start)
    {
        return Err("its words could not be placed".into());
    }
    read_gaps(cx.text, &mut words, cx.escape, unit)
        .ok_or("something between its words is not layout")?;
    // Sorted after the gaps are read, so each flag keeps the line break before it.
    for (first, names) in sorts {
        let mut flags: Vec<(String, Word)> = names
            .into_iter()
            .zip(words[first..].iter().cloned())
            .collect();
        flags.sort_by(|a, b| a.0.cmp(&b.0));
        for (slot, (_, w)) in words[first..].iter_mut().zip(flags) {
            *slot = w;
        }
    }
    let end = words.last().map_or(line.start, |w| w.source.end);
    let trailing = super::words::read_gap(cx.text, end..line.end, cx.escape, None, unit, true)
        .ok_or("something after its last word is not layout")?;
    if !trailing.comments.is_empty() && !data.heredocs.is_empty() {
        return Err("a comment ends its continuation before heredoc bodies".into());
    }
    // A line of nothing but the escape at the very end continues nothing: it goes.
    let trailing_comments = trailing
        .comments
        .into_iter()
        .filter(|r| cx.text[r.clone()].starts_with('#'))
        .collect();
    Ok(Row {
        words,
        trailing_comments,
    })
}

/// The generic layout: one space between words, and a continuation wherever the user
/// broke the line, indented by one unit plus how much deeper than the shallowest
/// continuation line the user put it.
pub(crate) fn generic_parts<'a>(cx: &Cx<'a>, row: &'a Row) -> Vec<Part<'a>> {
    // A closing `]` on a line of its own goes at the base level, whatever its column.
    let base = row
        .words
        .iter()
        .filter(|w| w.before.broken && !w.tight)
        .map(|w| w.before.column)
        .min()
        .unwrap_or(0);
    let mut parts = Vec::with_capacity(row.words.len() * 2);
    for (i, w) in row.words.iter().enumerate() {
        if i > 0 {
            parts.push(gap_part(cx, w, base));
        }
        parts.push(Part::Text(w.print(cx.text)));
    }
    parts
}

/// The part for the gap before `w`.
pub(crate) fn gap_part<'a>(cx: &Cx<'a>, w: &Word, base: usize) -> Part<'a> {
    if w.before.broken {
        Part::Break {
            comments: comments(cx, &w.before.comments),
            extra: if w.tight {
                0
            } else {
                w.before.column.saturating_sub(base)
            },
        }
    } else if w.tight {
        Part::Tight
    } else {
        Part::Space
    }
}

pub(crate) fn comments<'a>(cx: &Cx<'a>, ranges: &[Range<usize>]) -> Vec<&'a str> {
    ranges
        .iter()
        .map(|r| cx.text.get(r.clone()).unwrap_or(""))
        .collect()
}

/// The keyword in the configured case.
pub(crate) fn keyword_case(opts: &FormatOptions, word: &str) -> String {
    match opts.keyword_case {
        KeywordCase::Upper => word.to_ascii_uppercase(),
        KeywordCase::Lower => word.to_ascii_lowercase(),
        KeywordCase::Keep => word.to_string(),
    }
}

/// Flags to sort once the gaps are read: where they start among the words, and their names.
type FlagSort = (usize, Vec<String>);

fn command_words(
    cx: &Cx<'_>,
    inst: &Instruction,
    command: &Command,
    out: &mut Vec<Word>,
    sorts: &mut Vec<FlagSort>,
) -> Result<(), String> {
    if command.kind == InstructionKind::Unknown {
        return Err(format!("{} is not an instruction", command.keyword));
    }
    let abs = |r: &Range<usize>| inst.abs(r);
    let keyword = abs(&command.keyword_range);
    out.push(Word::with_text(
        keyword.clone(),
        keyword_case(cx.opts, &command.keyword),
    ));
    let first = out.len();
    out.extend(command.flags.iter().map(|f| Word::new(abs(&f.range))));
    if cx.opts.sort_flags && !command.flags.is_empty() {
        let names = command
            .flags
            .iter()
            .map(|f| flag_name(&f.text).to_string())
            .collect();
        sorts.push((first, names));
    }
    args_words(cx, inst, command, out)
}

fn args_words(
    cx: &Cx<'_>,
    inst: &Instruction,
    command: &Command,
    out: &mut Vec<Word>,
) -> Result<(), String> {
    let abs = |r: &Range<usize>| inst.abs(r);
    match &command.args {
        Arguments::None => {}
        Arguments::Ignored | Arguments::SubCommand(_) => {
            return Err("its arguments are not read by BuildKit".into());
        }
        Arguments::List(items) => {
            if items.iter().any(|w| w.value.is_empty()) {
                return Err("it has an empty word".into());
            }
            for (i, w) in items.iter().enumerate() {
                let is_as = command.kind == InstructionKind::From
                    && items.len() == 3
                    && i == 1
                    && w.value.eq_ignore_ascii_case("as");
                out.push(if is_as {
                    Word::with_text(abs(&w.range), keyword_case(cx.opts, &w.value))
                } else {
                    Word::new(abs(&w.range))
                });
            }
        }
        Arguments::Json(items) => json_words(cx, inst, &command.rest, items, out)?,
        Arguments::Text(text) => text_words(cx, inst, command.kind, text, out)?,
        Arguments::Pairs(pairs) => pair_words(cx, inst, pairs, out),
        Arguments::Health { kind, command: cmd } => {
            out.push(Word::with_text(
                abs(&kind.range),
                keyword_case(cx.opts, &kind.value),
            ));
            match &**cmd {
                Arguments::None => {}
                Arguments::Json(items) => {
                    let rest = kind.range.end..command.rest.end;
                    json_words(cx, inst, &rest, items, out)?;
                }
                Arguments::Text(text) => text_words(cx, inst, InstructionKind::Cmd, text, out)?,
                _ => return Err("its health check is not read by BuildKit".into()),
            }
        }
    }
    Ok(())
}

/// A JSON array: `[` and `]` as words of their own that print tight against the strings,
/// and a `,` expected before every string after the first.
fn json_words(
    cx: &Cx<'_>,
    inst: &Instruction,
    rest: &Range<usize>,
    items: &[Spanned<compact_str::CompactString>],
    out: &mut Vec<Word>,
) -> Result<(), String> {
    let rest = inst.abs(rest);
    let src = cx.text.get(rest.clone()).unwrap_or("");
    let open = rest.start + (src.len() - src.trim_start().len());
    let close = rest.start + src.trim_end().len();
    if cx.text.as_bytes().get(open) != Some(&b'[') || close == 0 {
        return Err("its JSON array could not be placed".into());
    }
    if cx.text.as_bytes().get(close - 1) != Some(&b']') {
        return Err("text follows its JSON array".into());
    }
    out.push(Word::with_text(open..open + 1, "["));
    for (i, item) in items.iter().enumerate() {
        let r = inst.abs(&item.range);
        let mut w = Word::new(r.clone());
        w.tight = i == 0;
        w.separator = (i > 0).then_some(b',');
        let own = cx.text.get(r).unwrap_or("");
        let last = i + 1 == items.len();
        w.text = Some(if last {
            own.to_string()
        } else {
            format!("{own},")
        });
        out.push(w);
    }
    let mut end = Word::with_text(close - 1..close, "]");
    end.tight = true;
    out.push(end);
    Ok(())
}

/// The shell form: the pieces between the whitespace the stage's shell ignores; other
/// text arguments (WORKDIR, USER, ...) are one word, every byte of which counts.
fn text_words(
    cx: &Cx<'_>,
    inst: &Instruction,
    kind: InstructionKind,
    text: &Spanned<compact_str::CompactString>,
    out: &mut Vec<Word>,
) -> Result<(), String> {
    let whole = inst.abs(&text.range);
    if !is_shell_form(kind) {
        out.push(Word::new(whole));
        return Ok(());
    }
    let line = inst.line_range();
    let logical = assemble(cx.text, line.start, line.end, cx.escape);
    let Some(start) = logical_start(&logical, whole.start, &text.value) else {
        return Err("its command could not be placed".into());
    };
    match pieces(&text.value, cx.dialect) {
        Some(pieces) => {
            for p in pieces {
                let r = logical.source_range(start + p.start..start + p.end);
                out.push(Word::new(r));
            }
        }
        None => out.push(Word::new(whole)),
    }
    Ok(())
}

/// Where the logical text of the argument that starts at document offset `source` begins
/// in the logical line, checked against the argument's text.
fn logical_start(line: &LogicalLine<'_>, source: usize, value: &str) -> Option<usize> {
    let text: &str = &line.text;
    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if line.source_offset(mid) < source {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (text.get(lo..lo + value.len()) == Some(value)).then_some(lo)
}

/// ENV and LABEL pairs: `k=v` words as written; the legacy `k v` as `k=v` when asked and
/// when the value can be written so that BuildKit reads it the same.
fn pair_words(cx: &Cx<'_>, inst: &Instruction, pairs: &[NameVal], out: &mut Vec<Word>) {
    for p in pairs {
        let key = inst.abs(&p.key.range);
        let value = inst.abs(&p.value.range);
        if !p.separator.is_empty() {
            out.push(Word::new(key.start..value.end));
            continue;
        }
        let source_value = cx.text.get(value.clone()).unwrap_or("\n");
        let rewritten = (cx.opts.normalize_key_value && !source_value.contains('\n'))
            .then(|| key_value(&p.key.value, &p.value.value, cx.escape))
            .flatten();
        match rewritten {
            Some(text) => out.push(Word::with_text(key.start..value.end, text)),
            None => {
                out.push(Word::new(key));
                out.push(Word::new(value));
            }
        }
    }
}

/// `key=value` for a legacy pair, quoting a value with whitespace in double quotes when
/// nothing in it would read differently there; `None` otherwise.
pub(crate) fn key_value(key: &str, value: &str, escape: char) -> Option<String> {
    if key.is_empty() || key.contains(['"', '\'', '=', '`']) || key.contains(escape) {
        return None;
    }
    if !value.contains(char::is_whitespace) {
        return Some(format!("{key}={value}"));
    }
    if value.contains(['"', '\'', '`']) || value.contains(escape) {
        return None;
    }
    Some(format!("{key}=\"{value}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_pairs() {
        assert_eq!(key_value("a", "b", '\\'), Some("a=b".into()));
        assert_eq!(key_value("a", "b  c", '\\'), Some("a=\"b  c\"".into()));
        assert_eq!(key_value("a", "$B c", '\\'), Some("a=\"$B c\"".into()));
        assert_eq!(key_value("a", "b \"c\"", '\\'), None);
        assert_eq!(key_value("a", "b\\ c", '\\'), None);
        assert_eq!(key_value("\"a", "b", '\\'), None);
    }
}
