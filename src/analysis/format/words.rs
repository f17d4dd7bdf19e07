//! An instruction as a row of words, each with what the user wrote before it: spaces, or a
//! continuation with the comment lines inside it and the indent of the line it goes on.

use std::ops::Range;

/// One word of an instruction, in document offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub source: Range<usize>,
    /// What to print instead of the source (a keyword in another case, `k=v` for `k v`).
    pub text: Option<String>,
    /// The separator expected in the source before the word (`,` between JSON strings).
    pub separator: Option<u8>,
    /// Printed against the word before it unless the line breaks there (`[` and `]`).
    pub tight: bool,
    pub before: Gap,
}

impl Word {
    pub fn new(source: Range<usize>) -> Word {
        Word {
            source,
            text: None,
            separator: None,
            tight: false,
            before: Gap::default(),
        }
    }

    pub fn with_text(source: Range<usize>, text: impl Into<String>) -> Word {
        Word {
            text: Some(text.into()),
            ..Word::new(source)
        }
    }

    /// What the word prints as.
    pub fn print<'t>(&'t self, text: &'t str) -> &'t str {
        self.text
            .as_deref()
            .unwrap_or_else(|| text.get(self.source.clone()).unwrap_or(""))
    }
}

/// What lies between two words in the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Gap {
    /// The user continued the instruction on a new line here.
    pub broken: bool,
    /// Comment lines inside the continuation, trimmed, in order, and lines of nothing but
    /// the escape character (kept as such).
    pub comments: Vec<Range<usize>>,
    /// The indent (in columns) of the line the next word starts, when broken.
    pub column: usize,
}

/// Reads `text[range]`, the source between two words: blanks, at most one `separator` on
/// the lines that are not comments, continuations (the escape at a line's end), blank lines
/// and comment lines. `None` when anything else is there. A `trailing` gap follows the
/// last word: its last line may be a comment or blank too.
pub(crate) fn read_gap(
    text: &str,
    range: Range<usize>,
    escape: char,
    separator: Option<u8>,
    unit: usize,
    trailing: bool,
) -> Option<Gap> {
    let src = text.get(range.clone())?;
    let mut gap = Gap::default();
    let mut separators = 0;
    let mut offset = range.start;
    let last = memchr::memchr_iter(b'\n', src.as_bytes()).count();
    for (k, raw) in src.split('\n').enumerate() {
        let line_start = offset;
        offset += raw.len() + 1;
        if k == last && !(trailing && k > 0) {
            if k > 0 {
                let body = raw.trim_start_matches([' ', '\t']);
                gap.column = columns(&raw[..raw.len() - body.len()], unit);
                gap.broken = true;
                if !only_separators(body, separator, &mut separators) {
                    return None;
                }
            } else if !only_separators(raw, separator, &mut separators) {
                return None;
            }
            continue;
        }
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim_start_matches([' ', '\t']);
        if k > 0 && trimmed.starts_with('#') {
            let lead = line.len() - trimmed.len();
            let body = trimmed.trim_end();
            gap.comments
                .push(line_start + lead..line_start + lead + body.len());
            continue;
        }
        if k > 0 && trimmed.trim_end().is_empty() {
            if k == last {
                continue;
            }
            // A blank line inside the continuation: BuildKit drops it (with a warning).
            continue;
        }
        let content = line.trim_end_matches([' ', '\t']);
        if k == last && content.trim_start().is_empty() {
            continue;
        }
        let before = content.strip_suffix(escape)?;
        if k > 0 && before.trim_start_matches([' ', '\t']).is_empty() && separator.is_none() {
            // A line of nothing but the escape: a visual pause the user made; kept.
            let at = line_start + before.len();
            gap.comments.push(at..at + escape.len_utf8());
            continue;
        }
        if !only_separators(before, separator, &mut separators) {
            return None;
        }
    }
    (separators == usize::from(separator.is_some())).then_some(gap)
}

fn only_separators(s: &str, separator: Option<u8>, count: &mut usize) -> bool {
    s.bytes().all(|b| match b {
        b' ' | b'\t' => true,
        b if Some(b) == separator => {
            *count += 1;
            true
        }
        _ => false,
    })
}

/// Indent columns with tabs counting up to the next multiple of `unit`.
fn columns(indent: &str, unit: usize) -> usize {
    let mut w = 0;
    for c in indent.chars() {
        w = if c == '\t' {
            (w / unit + 1) * unit
        } else {
            w + 1
        };
    }
    w
}

/// Fills in the gap before each word (after the first) from the source between them.
/// `None` when words overlap or a gap holds something other than layout.
pub(crate) fn read_gaps(text: &str, words: &mut [Word], escape: char, unit: usize) -> Option<()> {
    for i in 1..words.len() {
        let (from, to) = (words[i - 1].source.end, words[i].source.start);
        if from > to {
            return None;
        }
        words[i].before = read_gap(text, from..to, escape, words[i].separator, unit, false)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps() {
        let text = "a , \\\n  # c  \n\n\t\\\n   b";
        let gap = read_gap(text, 1..text.len() - 1, '\\', Some(b','), 4, false);
        assert_eq!(
            gap,
            Some(Gap {
                broken: true,
                comments: std::iter::once(8..11).collect(),
                column: 3
            })
        );
        assert_eq!(&text[8..11], "# c");
        assert_eq!(
            read_gap("a  b", 1..3, '\\', None, 4, false),
            Some(Gap::default())
        );
        assert_eq!(read_gap("a x b", 1..4, '\\', None, 4, false), None);
        assert_eq!(read_gap("a b", 1..2, '\\', Some(b','), 4, false), None);
        assert_eq!(read_gap("a\r\n b", 1..4, '\\', None, 4, false), None);
        let crlf = "a `\r\n\tb";
        let gap = read_gap(crlf, 1..6, '`', None, 4, false).map(|g| g.column);
        assert_eq!(gap, Some(4));
    }
}
