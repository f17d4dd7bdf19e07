//! Logical lines: the physical lines of one instruction joined the way BuildKit's `Parse`
//! loop joins them, with every byte mapped back to its offset in the source.

use std::borrow::Cow;
use std::ops::Range;

/// One instruction's text as BuildKit sees it, plus the way back to the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalLine<'a> {
    /// Borrowed from the source when the line is one piece of it (most instructions are
    /// written on one line); joined into a string of its own otherwise.
    pub text: Cow<'a, str>,
    /// The source offset of the first byte of `text`.
    first: u32,
    /// Where the pieces of `text` after the first come from: `(logical start, source start)`
    /// per piece copied from one place of the source, in order (empty for a one-piece line,
    /// so that it needs no allocation).
    segments: Vec<(u32, u32)>,
    /// The source offset just after the last byte of `text` (or the span start when `text` is
    /// empty), so that a logical end offset maps too.
    end: u32,
    /// Source ranges (line break excluded) of the blank lines inside the continuation, which
    /// BuildKit drops with a warning.
    pub empty_continuation_lines: Vec<Range<usize>>,
}

impl LogicalLine<'_> {
    /// The source offset of a logical offset; offsets past the end map to the end.
    pub fn source_offset(&self, logical: usize) -> usize {
        if logical >= self.text.len() {
            return self.end as usize;
        }
        let i = self
            .segments
            .partition_point(|&(start, _)| start as usize <= logical);
        match i.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(start, source)) => source as usize + (logical - start as usize),
            None => self.first as usize + logical,
        }
    }

    /// The runs of the logical text, in order: `(logical start, source start, length)` for
    /// each piece copied from one place of the source, so a reader can map whole pieces at
    /// once instead of byte by byte.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let len = self.text.len();
        let mut starts = Vec::with_capacity(self.segments.len() + 1);
        if len > 0 {
            starts.push((0, self.first as usize));
        }
        starts.extend(self.segments.iter().map(|&(l, s)| (l as usize, s as usize)));
        let mut out = Vec::with_capacity(starts.len());
        for (i, &(logical, source)) in starts.iter().enumerate() {
            let next = starts.get(i + 1).map_or(len, |&(l, _)| l);
            if next > logical {
                out.push((logical, source, next - logical));
            }
        }
        out
    }

    /// Maps a logical byte range to the source: from the first byte's offset to just after
    /// the last byte's. An empty range maps to the point where it sits.
    pub fn source_range(&self, logical: Range<usize>) -> Range<usize> {
        let start = logical.start.min(self.text.len());
        let end = logical.end.min(self.text.len());
        let from = self.source_offset(start);
        if end <= start {
            return from..from;
        }
        // Bytes in between may come from different physical lines; the range spans them.
        let last = self.source_offset(end - 1);
        from..last + 1
    }
}

/// Joins the lines of one instruction as BuildKit does.
///
/// `source[start..end]` runs from the instruction keyword to the end of its last physical
/// line (line break and heredoc bodies excluded). The first line is left-trimmed; a line is
/// continued when it ends in `escape` plus optional spaces or tabs and the character before
/// `escape` is not `escape` itself (BuildKit's regex `([^E])E[ \t]*$|^E[ \t]*$`). Following
/// lines are not trimmed; a following line that is a comment (`#` after optional
/// whitespace) is dropped, and one that is blank is dropped and recorded in
/// [`LogicalLine::empty_continuation_lines`]; neither ends the continuation. Lines of the span
/// after the first one that is not continued are ignored, and a span that ends while still
/// continued is accepted. A span whose first line is blank or a comment (BuildKit would skip
/// it) gives an empty line.
pub fn assemble(source: &str, start: usize, end: usize, escape: char) -> LogicalLine<'_> {
    walk(source, start, end, escape).0
}

/// The end (line break excluded) of the last physical line of the instruction that starts
/// at `start`, following continuations the way [`assemble`] does. A caller that has no
/// syntax tree can use it to find the span to give to [`assemble`].
pub fn continuation_end(source: &str, start: usize, escape: char) -> usize {
    walk(source, start, source.len(), escape).1
}

/// The largest char boundary of `s` at or below `i`.
pub(crate) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// BuildKit's `trimContinuationCharacter`: the line without the continuation mark, and
/// whether the line ends the instruction.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    // The escape is ASCII in every valid directive: compare the last bytes directly.
    if let Ok(e) = u8::try_from(escape)
        && e.is_ascii()
    {
        let bytes = trimmed.as_bytes();
        return match bytes {
            [.., b, last] if *last == e && *b != e => (&trimmed[..bytes.len() - 1], false),
            [last] if *last == e => ("", false),
            _ => (line, true),
        };
    }
    if let Some(before) = trimmed.strip_suffix(escape) {
        // An escaped escape (`\\`) is no continuation, but a lone `\` on its line is.
        if !before.ends_with(escape) {
            return (before, false);
        }
    }
    (line, true)
}

/// BuildKit's `trimNewline`: the scanner keeps line ends and this drops every trailing CR/LF.
fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

struct Builder<'a> {
    text: Cow<'a, str>,
    first: u32,
    segments: Vec<(u32, u32)>,
    end: Option<u32>,
    /// The span's length: room enough for the joined text.
    capacity: usize,
}

impl<'a> Builder<'a> {
    /// Appends `piece`, which is `source[source_offset..]`; `rest` is the source after the
    /// current line, which bounds the number of pieces still to come.
    fn push(&mut self, piece: &'a str, source_offset: usize, rest: &str) {
        if piece.is_empty() {
            return;
        }
        if self.end.is_none() {
            self.text = Cow::Borrowed(piece);
            self.first = to_u32(source_offset);
        } else {
            if let Cow::Borrowed(first) = self.text {
                let mut joined = String::with_capacity(self.capacity);
                joined.push_str(first);
                self.text = Cow::Owned(joined);
                // One more piece per line at most: this one and one per line break left.
                self.segments
                    .reserve_exact(1 + memchr::memchr_iter(b'\n', rest.as_bytes()).count());
            }
            self.segments
                .push((to_u32(self.text.len()), to_u32(source_offset)));
            self.text.to_mut().push_str(piece);
        }
        self.end = Some(to_u32(source_offset + piece.len()));
    }
}

fn to_u32(offset: usize) -> u32 {
    // Documents past 4 GiB are not edited in a language server; saturate rather than wrap.
    u32::try_from(offset).unwrap_or(u32::MAX)
}

fn walk(source: &str, start: usize, end: usize, escape: char) -> (LogicalLine<'_>, usize) {
    let end = floor_boundary(source, end);
    let start = floor_boundary(source, start.min(end));
    let span = source.get(start..end).unwrap_or("");

    let mut builder = Builder {
        text: Cow::Borrowed(""),
        first: 0,
        segments: Vec::new(),
        end: None,
        capacity: span.len(),
    };
    let mut empty_lines = Vec::new();
    let mut lines = PhysicalLines {
        rest: span,
        offset: start,
    };

    let Some((first, first_offset)) = lines.next() else {
        return (finish(builder, empty_lines, start), start);
    };
    let first_trimmed = trim_newline(first);
    let mut last_end = first_offset + first_trimmed.len();
    let content = first_trimmed.trim_start();
    let content_offset = first_offset + (first_trimmed.len() - content.len());
    // `trimComments` empties a line whose first character is `#`.
    let content = if content.starts_with('#') {
        ""
    } else {
        content
    };
    let (kept, mut ended) = trim_continuation(content, escape);
    if ended && kept.is_empty() {
        return (finish(builder, empty_lines, content_offset), last_end);
    }
    builder.push(kept, content_offset, lines.rest);
    let point = content_offset;

    while !ended {
        let Some((line, offset)) = lines.next() else {
            break;
        };
        let line = trim_newline(line);
        last_end = offset + line.len();
        // BuildKit tests the raw line for a comment before it tests the processed one for
        // blankness, so an indented comment is dropped silently, not as an empty line.
        let content = line.trim_start();
        if content.starts_with('#') {
            continue;
        }
        if content.is_empty() {
            empty_lines.push(offset..offset + line.len());
            continue;
        }
        let (kept, is_end) = trim_continuation(line, escape);
        ended = is_end;
        builder.push(kept, offset, lines.rest);
    }
    (finish(builder, empty_lines, point), last_end)
}

fn finish<'a>(
    builder: Builder<'a>,
    empty_lines: Vec<Range<usize>>,
    point: usize,
) -> LogicalLine<'a> {
    LogicalLine {
        text: builder.text,
        first: builder.first,
        segments: builder.segments,
        end: builder.end.unwrap_or(to_u32(point)),
        empty_continuation_lines: empty_lines,
    }
}

/// Physical lines split at `\n` (the `\n` included, as BuildKit's `scanLines` keeps it),
/// each with its source offset.
struct PhysicalLines<'a> {
    rest: &'a str,
    offset: usize,
}

impl<'a> Iterator for PhysicalLines<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let len = memchr::memchr(b'\n', self.rest.as_bytes()).map_or(self.rest.len(), |i| i + 1);
        let (line, rest) = self.rest.split_at(len);
        let offset = self.offset;
        self.rest = rest;
        self.offset += len;
        Some((line, offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Assembles the instruction that starts at the first occurrence of `keyword`.
    fn at<'a>(source: &'a str, keyword: &str, escape: char) -> LogicalLine<'a> {
        let start = source.find(keyword).expect("keyword in source");
        let end = continuation_end(source, start, escape);
        let line = assemble(source, start, end, escape);
        check_offsets(source, &line);
        line
    }

    fn check_offsets(source: &str, line: &LogicalLine<'_>) {
        let offsets: Vec<usize> = (0..line.text.len())
            .map(|i| line.source_offset(i))
            .collect();
        for (i, b) in line.text.bytes().enumerate() {
            assert_eq!(source.as_bytes()[offsets[i]], b, "byte {i}");
        }
        assert!(offsets.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn single_line() {
        let src = "FROM busybox\nRUN echo hi\n";
        let line = at(src, "RUN", '\\');
        assert_eq!(line.text, "RUN echo hi");
        assert_eq!(line.source_range(4..8), 17..21);
        assert_eq!(line.source_range(11..11), 24..24);
        assert_eq!(line.source_range(3..3), 16..16);
    }

    #[test]
    fn crlf_and_trailing_cr_are_trimmed() {
        let src = "RUN a \\\r\n  b\r\r\nRUN c";
        let line = at(src, "RUN a", '\\');
        assert_eq!(line.text, "RUN a   b");
        assert_eq!(continuation_end(src, 0, '\\'), 12);
    }

    // testfiles/continueIndent
    #[test]
    fn continue_indent() {
        let src = "FROM ubuntu:14.04\n\nRUN echo hello\\\n  world\\\n  goodnight  \\\n  moon\\\n  light\\\nning\nRUN echo hello  \\\n  world\nRUN echo hello  \\\nworld\nRUN echo hello \\\ngoodbye\\\nfrog\nRUN echo hello  \\  \nworld\nRUN echo hi \\\n \\\n world \\\n\\\n good\\\n\\\nnight\nRUN echo goodbye\\\nfrog\nRUN echo good\\\nbye\\\nfrog\n\nRUN echo hello \\\n# this is a comment\n\n# this is a comment with a blank line surrounding it\n\nthis is some more useful stuff\n";
        let mut texts = Vec::new();
        let mut pos = 0;
        while let Some(i) = src[pos..].find("RUN") {
            let start = pos + i;
            let end = continuation_end(src, start, '\\');
            let line = assemble(src, start, end, '\\');
            check_offsets(src, &line);
            texts.push(line.text);
            pos = end;
        }
        assert_eq!(
            texts,
            [
                "RUN echo hello  world  goodnight    moon  lightning",
                "RUN echo hello    world",
                "RUN echo hello  world",
                "RUN echo hello goodbyefrog",
                "RUN echo hello  world",
                "RUN echo hi   world  goodnight",
                "RUN echo goodbyefrog",
                "RUN echo goodbyefrog",
                "RUN echo hello this is some more useful stuff",
            ]
        );
    }

    #[test]
    fn empty_continuation_lines_are_recorded() {
        let src = "RUN echo hello \\\n# this is a comment\n\n# c\n   \nthis is more\nRUN x";
        let line = at(src, "RUN echo", '\\');
        assert_eq!(line.text, "RUN echo hello this is more");
        assert_eq!(line.empty_continuation_lines, vec![37..37, 42..45]);
        assert_eq!(continuation_end(src, 0, '\\'), 58);
        // An indented comment is a comment, not an empty line.
        let line = at("RUN a \\\n   # c\nb", "RUN", '\\');
        assert_eq!(line.text, "RUN a b");
        assert!(line.empty_continuation_lines.is_empty());
    }

    // testfiles/trailing-backslash
    #[test]
    fn trailing_backslash() {
        let src = "ENV B another\\\\path\nENV C trailing\\\\backslash\\\\\nENV D This should not be appended to C\nENV E hello\\\n\\\nworld\nENV F hello\\\n \\\nworld\nENV G hello \\\n\\\nworld\n";
        assert_eq!(at(src, "ENV B", '\\').text, "ENV B another\\\\path");
        assert_eq!(
            at(src, "ENV C", '\\').text,
            "ENV C trailing\\\\backslash\\\\"
        );
        assert_eq!(at(src, "ENV E", '\\').text, "ENV E helloworld");
        assert_eq!(at(src, "ENV F", '\\').text, "ENV F hello world");
        assert_eq!(at(src, "ENV G", '\\').text, "ENV G hello world");
    }

    // testfiles/escapes
    #[test]
    fn escapes() {
        let src = "FROM ubuntu:14.04\nLABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>\\\"\n\nRUN apt-get \\update && \\\n  apt-get \\\"install znc -y\nADD \\conf\\\\\" /.znc\n\nRUN foo \\\n\nbar \\\n\nbaz\n\nCMD [ \"\\/usr\\\\\\\"/bin/znc\", \"-f\", \"-r\" ]\n";
        assert_eq!(
            at(src, "LABEL", '\\').text,
            "LABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>\\\""
        );
        assert_eq!(
            at(src, "RUN apt", '\\').text,
            "RUN apt-get \\update &&   apt-get \\\"install znc -y"
        );
        assert_eq!(at(src, "ADD", '\\').text, "ADD \\conf\\\\\" /.znc");
        let foo = at(src, "RUN foo", '\\');
        assert_eq!(foo.text, "RUN foo bar baz");
        assert_eq!(foo.empty_continuation_lines.len(), 2);
    }

    // testfiles/escape, escape-nonewline, escape-with-syntax: backtick escape.
    #[test]
    fn backtick_escape() {
        let src = "#escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go";
        assert_eq!(at(src, "ENV", '`').text, "ENV GOPATH \\go");
        assert_eq!(at(src, "FROM", '`').text, "FROM image");
        let src = "# escape = `\n\nFROM `\n    image\n";
        assert_eq!(at(src, "FROM", '`').text, "FROM     image");
        // With backtick as escape, a backslash does not continue.
        let src = "ENV GOPATH \\\n\\go";
        assert_eq!(at(src, "ENV", '`').text, "ENV GOPATH \\");
        // ... and the default escape does (testfiles/escape-after-comment).
        assert_eq!(at(src, "ENV", '\\').text, "ENV GOPATH \\go");
    }

    // testfiles/continue-at-eof
    #[test]
    fn continuation_at_eof() {
        let src = "FROM alpine:3.5\n\nRUN something \\";
        let line = at(src, "RUN", '\\');
        assert_eq!(line.text, "RUN something ");
        assert_eq!(continuation_end(src, 17, '\\'), src.len());
    }

    #[test]
    fn lone_escape_line_continues_and_escaped_escape_does_not() {
        assert_eq!(at("RUN a\\\\\nb", "RUN", '\\').text, "RUN a\\\\");
        assert_eq!(at("RUN a \\ \t\n\\\nb", "RUN", '\\').text, "RUN a b");
        // BuildKit's regex cannot see that the last of three escapes is not escaped.
        assert_eq!(at("RUN a\\\\\\\nb", "RUN", '\\').text, "RUN a\\\\\\");
    }

    #[test]
    fn span_is_cut_at_the_first_unc_continued_line() {
        let src = "RUN a\nRUN b";
        assert_eq!(assemble(src, 0, src.len(), '\\').text, "RUN a");
    }

    #[test]
    fn comment_or_blank_first_line_gives_empty_text() {
        let line = assemble("# hi \\\nRUN x", 0, 12, '\\');
        assert_eq!(line.text, "");
        assert_eq!(line.source_offset(0), 0);
        let line = assemble("   \nRUN x", 0, 9, '\\');
        assert_eq!(line.text, "");
    }

    #[test]
    fn first_line_is_left_trimmed() {
        let line = assemble("  \u{a0}RUN x", 0, 9, '\\');
        assert_eq!(line.text, "RUN x");
        assert_eq!(line.source_offset(0), 4);
    }

    #[test]
    fn out_of_range_and_mid_char_spans_do_not_panic() {
        let src = "RUN é";
        assert_eq!(assemble(src, 0, 100, '\\').text, "RUN é");
        assert_eq!(assemble(src, 5, 6, '\\').text, "é");
        assert_eq!(assemble(src, 50, 3, '\\').text, "");
        assert_eq!(continuation_end(src, 99, '\\'), src.len());
    }

    proptest::proptest! {
        // Never a panic, whatever the span; every logical byte maps to the same byte of the
        // source, in strictly increasing order; blank-line ranges slice blank text.
        #[test]
        fn assemble_is_total_and_maps_every_byte(
            src in "[ \\t\\r\\n\\\\`#aé堂\u{a0}\u{85}]{0,40}|\\PC{0,20}",
            a in 0usize..60,
            b in 0usize..60,
            backtick in proptest::bool::ANY,
        ) {
            let escape = if backtick { '`' } else { '\\' };
            let line = assemble(&src, a, b, escape);
            let offsets: Vec<usize> = (0..line.text.len()).map(|i| line.source_offset(i)).collect();
            proptest::prop_assert!(offsets.windows(2).all(|w| w[0] < w[1]));
            for (i, byte) in line.text.bytes().enumerate() {
                proptest::prop_assert_eq!(src.as_bytes().get(offsets[i]), Some(&byte));
            }
            for r in &line.empty_continuation_lines {
                let blank = src.get(r.clone());
                proptest::prop_assert!(blank.is_some_and(|t| t.trim().is_empty()));
            }
            for i in 0..=line.text.len() + 1 {
                for j in [0, i / 2, i, i + 3] {
                    let r = line.source_range(i..j);
                    proptest::prop_assert!(r.start <= r.end && r.end <= src.len() + 1);
                }
            }
            let end = continuation_end(&src, a, escape);
            proptest::prop_assert!(end <= src.len());
            proptest::prop_assert!(src.is_char_boundary(end));
        }
    }

    #[test]
    fn multibyte_escape_neighbours() {
        let line = at("RUN é\\\n ü", "RUN", '\\');
        assert_eq!(line.text, "RUN é ü");
    }
}
