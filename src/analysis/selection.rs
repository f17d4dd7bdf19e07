//! Selection ranges: from the word under the cursor outwards — a mount field's value or a
//! variable, the flag's value or the argument, the flag or the argument list, the
//! instruction's own lines, the instruction with its heredocs, the stage, the file.

use std::ops::Range;

use super::Snapshot;
use super::cursor::{Target, locate};
use super::spans::{stage_range, without_line_break};

/// The ranges around `offset`, innermost first, each containing the one before it.
pub fn selection_ranges(snapshot: &Snapshot, offset: usize) -> Vec<Range<usize>> {
    let text = snapshot.text();
    let model = &snapshot.model;
    let cursor = locate(snapshot, offset);
    let offset = cursor.offset;
    let mut chain: Vec<Range<usize>> = vec![word(text, offset)];
    let mut push = |r: Range<usize>| chain.push(r);
    match &cursor.target {
        Target::Variable {
            range, name_range, ..
        } => {
            push(name_range.clone());
            push(range.clone());
        }
        Target::MountField { at, flag, field } => {
            if let Some(v) = field.value_range.clone().filter(|_| field.on_value) {
                push(v);
            }
            push(
                field.key_range.start
                    ..field
                        .value_range
                        .as_ref()
                        .map_or(field.key_range.end, |v| v.end),
            );
            if let Some(v) = &flag.value_range {
                push(at.abs(v));
            }
            push(at.abs(&flag.range));
        }
        Target::FlagValue { at, flag, range } => {
            push(range.clone());
            push(at.abs(&flag.range));
        }
        Target::FlagName { at, flag, range } => {
            push(range.clone());
            push(at.abs(&flag.range));
        }
        Target::Word { range, .. } | Target::HeredocMarker { range, .. } => push(range.clone()),
        Target::Directive { directive, .. } => {
            push(directive.value_range.clone());
            push(directive.range.clone());
        }
        Target::Comment { range, .. } => push(range.clone()),
        Target::HeredocBody { at, heredoc } => {
            let lines = snapshot.doc.line_index();
            if let Some(line) = lines.line_range(lines.line_of(offset)) {
                push(line);
            }
            if let Some(body) = &heredoc.content_range {
                push(at.abs(body));
            }
        }
        Target::Keyword { range, .. } => push(range.clone()),
        Target::Blank { .. } | Target::Gap { .. } => {}
    }
    if let Some(at) = cursor.target.at() {
        let command = at.command;
        // All the flags, or all the arguments, whichever the cursor is in.
        let flags = match (command.flags.first(), command.flags.last()) {
            (Some(first), Some(last)) => Some(at.abs(&(first.range.start..last.range.end))),
            _ => None,
        };
        let rest = (!command.rest.is_empty()).then(|| at.abs(&command.rest));
        for group in [flags, rest].into_iter().flatten() {
            if group.start <= offset && offset <= group.end {
                push(group);
            }
        }
        push(without_line_break(text, at.instruction.line_range()));
        push(without_line_break(text, at.instruction.range()));
        if let Some(stage) = model.stage_of(at.index) {
            push(stage_range(model, text, stage));
        }
    }
    push(0..text.len());
    nested(chain, offset)
}

/// The run of word characters around `offset` (letters, digits, `_`, `-`, `.`), or the
/// empty range at the cursor.
fn word(text: &str, offset: usize) -> Range<usize> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    start..end
}

/// Keeps the ranges that contain the cursor and grow strictly, so each holds the last.
fn nested(chain: Vec<Range<usize>>, offset: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(chain.len());
    for r in chain {
        if r.start > offset || r.end < offset {
            continue;
        }
        match out.last() {
            Some(last) if r == *last => {}
            Some(last) if r.start <= last.start && last.end <= r.end => out.push(r),
            Some(_) => {}
            None => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(fixture: &str) -> Vec<String> {
        let offset = fixture.find("$0").expect("a $0 cursor");
        let text = fixture.replacen("$0", "", 1);
        let snapshot = Snapshot::new(text.as_str());
        selection_ranges(&snapshot, offset)
            .into_iter()
            .map(|r| text[r].replace('\n', "⏎"))
            .collect()
    }

    #[test]
    fn mount_field_to_file() {
        let text = "FROM a AS b\nRUN --mount=type=cache,target=/v$0ar/x \\\n  make all\nFROM c\n";
        assert_eq!(
            chain(text),
            [
                "var",
                "/var/x",
                "target=/var/x",
                "type=cache,target=/var/x",
                "--mount=type=cache,target=/var/x",
                "RUN --mount=type=cache,target=/var/x \\⏎  make all",
                "FROM a AS b⏎RUN --mount=type=cache,target=/var/x \\⏎  make all",
                "FROM a AS b⏎RUN --mount=type=cache,target=/var/x \\⏎  make all⏎FROM c⏎",
            ]
        );
    }

    #[test]
    fn argument_and_variable() {
        let text = "FROM a\nCOPY --chown=1 sr$0c/app /dst\n";
        assert_eq!(
            chain(text),
            [
                "src",
                "src/app",
                "src/app /dst",
                "COPY --chown=1 src/app /dst",
                "FROM a⏎COPY --chown=1 src/app /dst",
                "FROM a⏎COPY --chown=1 src/app /dst⏎",
            ]
        );
        let text = "FROM a\nRUN echo ${HO$0ME:-x}\n";
        assert_eq!(
            chain(text),
            [
                "HOME",
                "${HOME:-x}",
                "echo ${HOME:-x}",
                "RUN echo ${HOME:-x}",
                "FROM a⏎RUN echo ${HOME:-x}",
                "FROM a⏎RUN echo ${HOME:-x}⏎",
            ]
        );
    }

    #[test]
    fn heredoc_body_and_blank_space() {
        let text = "FROM a\nRUN <<EOF\nec$0ho hi\nEOF\n";
        assert_eq!(
            chain(text),
            [
                "echo",
                "echo hi",
                "echo hi⏎",
                "RUN <<EOF⏎echo hi⏎EOF",
                "FROM a⏎RUN <<EOF⏎echo hi⏎EOF",
                "FROM a⏎RUN <<EOF⏎echo hi⏎EOF⏎",
            ]
        );
        assert_eq!(chain("FROM a\n\n$0\n"), ["", "FROM a⏎⏎⏎"]);
    }
}
