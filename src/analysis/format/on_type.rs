//! On-type formatting: after a line break typed at the end of a continued line, the new
//! line gets the continuation indent.

use super::Snapshot;
use super::options::FormatOptions;
use crate::analysis::types::Edit;

/// The edits after `typed` was inserted with the cursor now at `offset`. Only a line break
/// after a line that ends in the escape character, inside an instruction (not a comment,
/// not a heredoc body), is acted on: the new line is indented one unit past the
/// instruction's first line, or as deep as the continuation line before it.
pub fn on_type(snapshot: &Snapshot, offset: usize, typed: &str, opts: &FormatOptions) -> Vec<Edit> {
    if typed != "\n" {
        return Vec::new();
    }
    let text = snapshot.text();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    if line_start == 0 {
        return Vec::new();
    }
    let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |n| n + 1);
    let prev = text[prev_start..line_start - 1].trim_end_matches('\r');
    let escape = snapshot.model.escape;
    let content = prev.trim_end_matches([' ', '\t']);
    let continued = content.ends_with(escape)
        && !content[..content.len() - escape.len_utf8()].ends_with(escape);
    if !continued {
        return Vec::new();
    }
    let trimmed = prev.trim_start();
    let prev_body = prev_start + (prev.len() - trimmed.len());
    // The line must be one of an instruction's own lines: not a top-level comment, not a
    // heredoc body.
    let Some((_, inst)) = snapshot.model.instruction_at(prev_body) else {
        return Vec::new();
    };
    if inst.start() > prev_body || prev_start + prev.len() > inst.line_range().end {
        return Vec::new();
    }
    let indent = if inst.start() >= prev_start {
        opts.indent(opts.unit())
    } else {
        prev[..prev.len() - trimmed.len()].to_string()
    };
    let line = &text[line_start..];
    let current = line.len() - line.trim_start_matches([' ', '\t']).len();
    if line[..current] == indent {
        return Vec::new();
    }
    vec![Edit {
        range: line_start..line_start + current,
        new_text: indent,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
        let offset = text.find('|').expect("cursor");
        let text = text.replace('|', "");
        let snapshot = Snapshot::new(text);
        on_type(&snapshot, offset, "\n", &FormatOptions::default())
            .into_iter()
            .map(|e| (e.range, e.new_text))
            .collect()
    }

    #[test]
    fn indents_after_a_continued_line() {
        assert_eq!(typed("FROM a\nRUN a \\\n|"), [(15..15, "    ".to_string())]);
        assert_eq!(
            typed("FROM a\nRUN a \\\n  |b"),
            [(15..17, "    ".to_string())]
        );
        // A deeper continuation line sets the indent of the next.
        assert_eq!(
            typed("RUN a \\\n      b \\\n|"),
            [(18..18, "      ".to_string())]
        );
        assert_eq!(typed("RUN a \\\n    |"), []);
        assert_eq!(typed("RUN a\n|"), []);
        assert_eq!(typed("# a \\\n|"), []);
        assert_eq!(typed("RUN a \\\\\n|"), []);
        assert_eq!(typed("RUN <<EOF\nx \\\n|\nEOF\n"), []);
    }
}
