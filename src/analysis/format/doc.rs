//! The layout document an instruction is printed from: text, spaces, continuation breaks,
//! groups that break only when they do not fit the line width, and indents.

use super::options::FormatOptions;

/// One part of an instruction's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    /// Printed as it is. Only a word kept as written (a quoted string continued over
    /// lines) has line breaks in it.
    Text(&'a str),
    Space,
    /// Nothing, or a continuation when its group breaks (inside `[` … `]`).
    Tight,
    /// A continuation: a space and the escape character, the line break, the comment lines
    /// that sat there, and the indent of the next line (`extra` columns past the unit).
    Break {
        comments: Vec<&'a str>,
        extra: usize,
    },
    /// A space, or a continuation when its group breaks.
    #[allow(dead_code)] // for layouts that break only what does not fit
    Soft,
    /// Breaks all its soft parts, or none of them.
    #[allow(dead_code)]
    Group(Vec<Part<'a>>),
    /// One more indent unit for the continuations inside.
    #[allow(dead_code)]
    Indent(Vec<Part<'a>>),
}

/// Lays out `parts` (the keyword first) as the lines of one instruction, joined with `eol`,
/// without a final line break.
pub(crate) fn print(parts: &[Part<'_>], opts: &FormatOptions, eol: &str, escape: char) -> String {
    let mut p = Printer {
        opts,
        eol,
        escape,
        out: String::with_capacity(flat_len(parts)),
        column: 0,
    };
    p.parts(parts, 1, false);
    p.out
}

struct Printer<'a> {
    opts: &'a FormatOptions,
    eol: &'a str,
    escape: char,
    out: String,
    column: usize,
}

impl Printer<'_> {
    fn parts(&mut self, parts: &[Part<'_>], level: usize, broken: bool) {
        for part in parts {
            match part {
                Part::Text(text) => self.text(text),
                Part::Space => self.text(" "),
                Part::Tight => {
                    if broken {
                        self.newline(&[], level, 0);
                    }
                }
                Part::Soft => {
                    if broken {
                        self.newline(&[], level, 0);
                    } else {
                        self.text(" ");
                    }
                }
                Part::Break { comments, extra } => self.newline(comments, level, *extra),
                Part::Group(inner) => {
                    let breaks = match flat_width(inner) {
                        Some(w) => self.column + w > self.opts.line_width,
                        None => true,
                    };
                    self.parts(inner, level, breaks);
                }
                Part::Indent(inner) => self.parts(inner, level + 1, broken),
            }
        }
    }

    fn text(&mut self, text: &str) {
        self.out.push_str(text);
        match text.rfind('\n') {
            Some(i) => self.column = width(&text[i + 1..]),
            None => self.column += width(text),
        }
    }

    fn newline(&mut self, comments: &[&str], level: usize, extra: usize) {
        // No trailing whitespace: the space before the escape only after a word.
        if !self.out.ends_with([' ', '\t']) && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push(self.escape);
        self.out.push_str(self.eol);
        let columns = level * self.opts.unit() + extra;
        for c in comments {
            self.opts.push_indent(&mut self.out, columns);
            self.out.push_str(c);
            self.out.push_str(self.eol);
        }
        let start = self.out.len();
        self.opts.push_indent(&mut self.out, columns);
        self.column = width(&self.out[start..]);
    }
}

/// About the length of `parts` printed: their text and one byte for every other part.
fn flat_len(parts: &[Part<'_>]) -> usize {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(t) => t.len(),
            Part::Group(inner) | Part::Indent(inner) => flat_len(inner),
            _ => 8,
        })
        .sum()
}

/// The width of `parts` on one line; `None` if they cannot be on one line.
fn flat_width(parts: &[Part<'_>]) -> Option<usize> {
    let mut w = 0;
    for part in parts {
        w += match part {
            Part::Text(t) if t.contains('\n') => return None,
            Part::Text(t) => width(t),
            Part::Space | Part::Soft => 1,
            Part::Tight => 0,
            Part::Break { .. } => return None,
            Part::Group(inner) | Part::Indent(inner) => flat_width(inner)?,
        };
    }
    Some(w)
}

/// Columns of a line's text: characters, a tab counting as up to the next multiple of 8.
pub(crate) fn width(text: &str) -> usize {
    let mut w = 0;
    for c in text.chars() {
        w = if c == '\t' { (w / 8 + 1) * 8 } else { w + 1 };
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Part<'_> {
        Part::Text(s)
    }

    #[test]
    fn groups_break_only_when_too_wide() {
        let opts = FormatOptions {
            line_width: 12,
            ..FormatOptions::default()
        };
        let doc = [
            t("RUN"),
            Part::Space,
            Part::Group(vec![t("a"), Part::Soft, t("&& b")]),
        ];
        assert_eq!(print(&doc, &opts, "\n", '\\'), "RUN a && b");
        let doc = [
            t("RUN"),
            Part::Space,
            Part::Group(vec![t("aaaa"), Part::Soft, t("&& bbbb")]),
        ];
        assert_eq!(print(&doc, &opts, "\n", '\\'), "RUN aaaa \\\n    && bbbb");
    }

    #[test]
    fn breaks_carry_comments_and_extra_indent() {
        let opts = FormatOptions {
            use_tabs: true,
            ..FormatOptions::default()
        };
        let doc = [
            t("RUN"),
            Part::Space,
            t("a"),
            Part::Break {
                comments: vec!["# why"],
                extra: 2,
            },
            t("b"),
        ];
        assert_eq!(
            print(&doc, &opts, "\r\n", '`'),
            "RUN a `\r\n\t  # why\r\n\t  b"
        );
    }
}
