//! Line index over a document: byte offset ↔ (line, column) ↔ LSP position in any encoding.
//!
//! Lines end at `\n` only, as BuildKit's line scanner and tree-sitter's rows do; a lone `\r`
//! is ordinary content. In a `\r\n` line the `\r` is content too (a position may point just
//! before or after it), but [`LineIndex::line_end_trimmed`] excludes it for callers that want
//! the visible end of the line.

use std::ops::Range;

use super::PositionEncoding;

/// A position as the client sends it: 0-based line and a column counted in the negotiated
/// [`PositionEncoding`]. Our own type so that the text layer does not depend on LSP crates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub const fn new(line: u32, character: u32) -> Self {
        Position { line, character }
    }
}

/// The line contains a byte ≥ 0x80, so UTF-16/32 columns differ from byte columns.
const NON_ASCII: u8 = 1;
/// The line ends with `\r\n`.
const CRLF: u8 = 2;

/// Start offsets of every line of a text, plus per-line flags that let ASCII lines skip
/// char-by-char conversion.
///
/// The index does not keep the text; methods that need it take it alongside. Passing a text
/// the index was not built from gives meaningless answers but never a panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; `starts[0] == 0`, and a text ending in `\n` has a
    /// last, empty line starting at its end (as LSP and tree-sitter count lines).
    starts: Vec<usize>,
    /// `NON_ASCII` / `CRLF` bits per line, same length as `starts`.
    flags: Vec<u8>,
    /// Length of the indexed text, to clamp offsets without the text at hand.
    len: usize,
}

impl Default for LineIndex {
    fn default() -> Self {
        LineIndex::new("")
    }
}

/// See [`LineIndex::ascending`].
#[derive(Debug)]
pub struct Ascending<'a> {
    index: &'a LineIndex,
    text: &'a str,
    enc: PositionEncoding,
    /// The line of the last offset converted.
    line: usize,
}

impl Ascending<'_> {
    /// What [`LineIndex::position`] gives for `offset`. The line is searched for outward
    /// from the previous offset's, so an offset near it (ahead or behind) costs a few steps.
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset);
        self.line = self.index.line_near(self.line, offset);
        self.index
            .position_on(self.text, self.line, offset, self.enc)
    }
}

impl LineIndex {
    /// Indexes `text` in one pass.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // A rough guess at the line count saves most reallocations on real Dockerfiles.
        let guess = bytes.len() / 32 + 1;
        let mut starts = Vec::with_capacity(guess);
        let mut flags = Vec::with_capacity(guess);
        let mut start = 0;
        starts.push(0);
        // Most texts are ASCII: then one check of the whole text spares one per line.
        let ascii = bytes.is_ascii();
        for end in memchr::memchr_iter(b'\n', bytes) {
            let line = &bytes[start..end];
            flags.push(if ascii {
                crlf_flag(line)
            } else {
                flags_of(line, true)
            });
            start = end + 1;
            starts.push(start);
        }
        flags.push(flags_of(&bytes[start..], false));
        LineIndex {
            starts,
            flags,
            len: bytes.len(),
        }
    }

    /// Length in bytes of the text this index describes.
    pub fn text_len(&self) -> usize {
        self.len
    }

    /// Number of lines; never 0 (the empty text has one empty line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where `line` starts, or `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// Byte offset where `line`'s content ends: before its `\n`, after a `\r` if any.
    pub fn line_end(&self, line: usize) -> Option<usize> {
        (line < self.starts.len()).then(|| self.content_end(line))
    }

    /// Like [`line_end`](Self::line_end) but also before the `\r` of a `\r\n` line.
    pub fn line_end_trimmed(&self, line: usize) -> Option<usize> {
        let end = self.line_end(line)?;
        let crlf = self.flags.get(line).is_some_and(|f| f & CRLF != 0);
        Some(if crlf { end.saturating_sub(1) } else { end })
    }

    /// The content of `line` (a `\r` included, the `\n` not).
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        Some(self.line_start(line)?..self.line_end(line)?)
    }

    /// The whole of `line` including its `\n`, i.e. up to the next line's start.
    pub fn line_range_full(&self, line: usize) -> Option<Range<usize>> {
        let start = self.line_start(line)?;
        let end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        Some(start..end)
    }

    /// Whether `line` ends with `\r\n`.
    pub fn is_crlf(&self, line: usize) -> bool {
        self.flags.get(line).is_some_and(|f| f & CRLF != 0)
    }

    /// The line containing `offset` (clamped to the text). An offset at a `\n` belongs to the
    /// line that `\n` ends.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// [`line_of`](Self::line_of), searched for from `line` in steps that double (1, 2, 4,
    /// …) until they pass `offset`: O(log distance) rather than O(log lines).
    fn line_near(&self, line: usize, offset: usize) -> usize {
        let starts = &self.starts;
        let offset = offset.min(self.len);
        // The last line in `lo..hi` starting at or before `offset`, given `starts[lo] <= offset`.
        let within =
            |lo: usize, hi: usize| lo + starts[lo + 1..hi].partition_point(|&s| s <= offset);
        let mut step = 1;
        if starts.get(line).is_some_and(|&s| s <= offset) {
            let mut lo = line;
            loop {
                let hi = lo.saturating_add(step).min(starts.len());
                if hi == starts.len() || starts[hi] > offset {
                    return within(lo, hi);
                }
                lo = hi;
                step *= 2;
            }
        }
        let mut hi = line.min(starts.len());
        loop {
            if hi <= step {
                // `starts[0]` is 0, at or before any offset.
                return within(0, hi.max(1));
            }
            let lo = hi - step;
            if starts[lo] <= offset {
                return within(lo, hi);
            }
            hi = lo;
            step *= 2;
        }
    }

    /// 0-based line and byte column of `offset` (clamped to the text): exactly a tree-sitter
    /// `Point`'s row and column. O(log lines); see [`point_of`] for a variant without an index.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        (line, offset - start.min(offset))
    }

    /// Byte offset of `pos`, counted in `enc`.
    ///
    /// Clamps like editors expect: a line past the end gives the end of the text, a character
    /// past the end of its line gives the line's end (before `\n`). A position that falls
    /// inside a char (the middle of a UTF-16 surrogate pair, or of a multi-byte UTF-8
    /// sequence) rounds down to that char's start. The result is always a char boundary
    /// of `text`.
    pub fn offset(&self, text: &str, pos: Position, enc: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = floor_char_boundary(text, self.starts[line]);
        let end = floor_char_boundary(text, self.content_end(line)).max(start);
        let want = pos.character as usize;
        let line_len = end - start;
        let ascii = self.flags.get(line).is_none_or(|f| f & NON_ASCII == 0);
        if enc == PositionEncoding::Utf8 || ascii {
            // For UTF-8 the column is already a byte count; for an ASCII line every encoding
            // counts bytes. Rounding down still guards against a text that does not match.
            return floor_char_boundary(text, start + want.min(line_len));
        }
        let Some(content) = text.get(start..end) else {
            return start;
        };
        let mut units = 0;
        for (i, c) in content.char_indices() {
            units += enc.units(c);
            if units > want {
                return start + i;
            }
        }
        end
    }

    /// Position of byte `offset`, counted in `enc`. The offset is clamped to the text and
    /// rounded down to a char boundary first.
    pub fn position(&self, text: &str, offset: usize, enc: PositionEncoding) -> Position {
        let offset = floor_char_boundary(text, offset);
        self.position_on(text, self.line_of(offset), offset, enc)
    }

    /// A converter for offsets that mostly come in ascending order (the tokens of a
    /// document): each moves a cursor forward instead of searching every line, which keeps
    /// converting a whole document linear in its size.
    pub fn ascending<'a>(&'a self, text: &'a str, enc: PositionEncoding) -> Ascending<'a> {
        Ascending {
            index: self,
            text,
            enc,
            line: 0,
        }
    }

    /// The position of `offset` (a char boundary) on `line`, the line that holds it.
    fn position_on(
        &self,
        text: &str,
        line: usize,
        offset: usize,
        enc: PositionEncoding,
    ) -> Position {
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let ascii = self.flags.get(line).is_none_or(|f| f & NON_ASCII == 0);
        let column = if enc == PositionEncoding::Utf8 || ascii {
            offset - start
        } else {
            text.get(start..offset).map_or(0, |s| enc.len_of(s))
        };
        Position {
            line: saturating_u32(line),
            character: saturating_u32(column),
        }
    }

    /// Byte range of an LSP range; a reversed range is put in order.
    pub fn offset_range(
        &self,
        text: &str,
        start: Position,
        end: Position,
        enc: PositionEncoding,
    ) -> Range<usize> {
        let a = self.offset(text, start, enc);
        let b = self.offset(text, end, enc);
        a.min(b)..a.max(b)
    }

    /// LSP positions of a byte range.
    pub fn position_range(
        &self,
        text: &str,
        range: Range<usize>,
        enc: PositionEncoding,
    ) -> (Position, Position) {
        (
            self.position(text, range.start, enc),
            self.position(text, range.end, enc),
        )
    }

    /// Brings the index up to date after `start..old_end` of the indexed text was replaced,
    /// giving `text` in which the new content spans `start..new_end`.
    ///
    /// Costs O(lines) for shifting later line starts plus the length of the touched lines,
    /// rather than re-reading the whole text. Falls back to a rebuild when the arguments do
    /// not describe a consistent edit, so a caller bug costs time, not correctness.
    pub(crate) fn update(&mut self, text: &str, start: usize, old_end: usize, new_end: usize) {
        let consistent = start <= old_end
            && old_end <= self.len
            && start <= new_end
            && new_end <= text.len()
            && self.len - (old_end - start) + (new_end - start) == text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(new_end);
        if !consistent {
            *self = LineIndex::new(text);
            return;
        }
        let bytes = text.as_bytes();
        // Lines [first_line, last) of the old text are touched: the one holding `start`, and
        // those starting inside the replaced range (their `\n` was removed).
        let first = self.starts.partition_point(|&s| s <= start);
        let last = self.starts.partition_point(|&s| s <= old_end);
        let first_line = first.saturating_sub(1);
        let inserted: Vec<usize> = bytes[start..new_end]
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| start + i + 1)
            .collect();
        let added_lines = inserted.len();
        if new_end >= old_end {
            let d = new_end - old_end;
            self.starts[last..].iter_mut().for_each(|s| *s += d);
        } else {
            let d = old_end - new_end;
            self.starts[last..].iter_mut().for_each(|s| *s -= d);
        }
        self.starts.splice(first..last, inserted);
        self.len = text.len();
        let new_flags: Vec<u8> = (first_line..=first_line + added_lines)
            .map(|line| {
                let s = self.starts[line];
                let e = self.content_end(line);
                flags_of(&bytes[s..e], line + 1 < self.starts.len())
            })
            .collect();
        self.flags.splice(first_line..last, new_flags);
    }

    /// End of `line`'s content; `line` must be in range.
    fn content_end(&self, line: usize) -> usize {
        match self.starts.get(line + 1) {
            Some(&next) => next - 1,
            None => self.len,
        }
    }
}

/// Row and byte column of `offset` in `text` (clamped to its length), as tree-sitter wants
/// for a `Point`, without needing a [`LineIndex`].
///
/// O(offset) but with a tight byte loop; prefer [`LineIndex::line_col`] when an index exists.
/// The offset need not be a char boundary: tree-sitter columns are bytes.
pub fn point_of(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (row, offset - line_start)
}

fn flags_of(content: &[u8], terminated: bool) -> u8 {
    let mut flags = 0;
    if !content.is_ascii() {
        flags |= NON_ASCII;
    }
    if terminated {
        flags |= crlf_flag(content);
    }
    flags
}

/// `CRLF` for a line (without its `\n`) that ends in `\r`.
fn crlf_flag(content: &[u8]) -> u8 {
    if content.last() == Some(&b'\r') {
        CRLF
    } else {
        0
    }
}

/// `offset` clamped to `text` and moved back to the start of the char it falls in.
/// (`str::floor_char_boundary` is newer than our minimum Rust version.)
pub(crate) fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf8, Utf16, Utf32};

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn the_ascending_cursor_agrees_with_the_search() {
        let text = "FROM a\r\n\nRUN é😀 x\n  \\\n# c\n";
        let idx = LineIndex::new(text);
        for enc in [Utf8, Utf16, Utf32] {
            let mut cursor = idx.ascending(text, enc);
            // Every offset in order (inside chars and past the end too), then some going back
            // and forth.
            let offsets = (0..text.len() + 3).chain([9, 0, 14, 3, text.len(), 1, 24, 23, 8, 0]);
            for offset in offsets {
                assert_eq!(
                    cursor.position(offset),
                    idx.position(text, offset, enc),
                    "{offset} in {enc:?}"
                );
            }
        }
    }

    proptest::proptest! {
        /// Jumps of every size, forward and back, find the line the search finds.
        #[test]
        fn the_cursor_agrees_with_the_search_wherever_it_jumps(
            lines in proptest::collection::vec("[a é\\r]{0,6}", 1..200),
            offsets in proptest::collection::vec(0usize..2000, 1..60),
        ) {
            let text = lines.join("\n");
            let idx = LineIndex::new(&text);
            let mut cursor = idx.ascending(&text, Utf16);
            for offset in offsets {
                proptest::prop_assert_eq!(cursor.position(offset), idx.position(&text, offset, Utf16));
            }
        }
    }

    #[test]
    fn empty_text_has_one_empty_line() {
        let idx = LineIndex::new("");
        assert_eq!(idx.line_count(), 1);
        assert_eq!(idx.line_range(0), Some(0..0));
        assert_eq!(idx.line_range(1), None);
        for enc in [Utf8, Utf16, Utf32] {
            assert_eq!(idx.offset("", pos(0, 0), enc), 0);
            assert_eq!(idx.offset("", pos(0, 7), enc), 0);
            assert_eq!(idx.offset("", pos(3, 7), enc), 0);
            assert_eq!(idx.position("", 5, enc), pos(0, 0));
        }
    }

    #[test]
    fn trailing_newline_opens_an_empty_last_line() {
        let text = "FROM a\nRUN b\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_range(1), Some(7..12));
        assert_eq!(idx.line_range_full(1), Some(7..13));
        assert_eq!(idx.line_range(2), Some(13..13));
        assert_eq!(idx.offset(text, pos(2, 0), Utf16), 13);
        assert_eq!(idx.position(text, 13, Utf16), pos(2, 0));
        // The `\n` itself is the end of the line it terminates.
        assert_eq!(idx.position(text, 6, Utf16), pos(0, 6));
    }

    #[test]
    fn no_trailing_newline() {
        let text = "FROM a\nRUN b";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 2);
        assert_eq!(idx.line_range_full(1), Some(7..12));
        assert_eq!(idx.offset(text, pos(1, 100), Utf16), 12);
        assert_eq!(idx.offset(text, pos(9, 0), Utf16), 12);
        assert_eq!(idx.position(text, 999, Utf16), pos(1, 5));
    }

    #[test]
    fn ascii_all_encodings_agree() {
        let text = "FROM alpine\nRUN echo hi\n";
        let idx = LineIndex::new(text);
        for enc in [Utf8, Utf16, Utf32] {
            assert_eq!(idx.offset(text, pos(1, 4), enc), 16);
            assert_eq!(idx.position(text, 16, enc), pos(1, 4));
            // Past the end of a line clamps before its `\n`, not into the next line.
            assert_eq!(idx.offset(text, pos(0, 50), enc), 11);
        }
    }

    #[test]
    fn crlf_keeps_cr_as_content() {
        let text = "ab\r\ncd\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_range(0), Some(0..3));
        assert_eq!(idx.line_end_trimmed(0), Some(2));
        assert_eq!(idx.line_end(0), Some(3));
        assert!(idx.is_crlf(0) && idx.is_crlf(1) && !idx.is_crlf(2));
        assert_eq!(idx.offset(text, pos(0, 3), Utf16), 3);
        assert_eq!(idx.offset(text, pos(0, 9), Utf16), 3);
        assert_eq!(idx.offset(text, pos(1, 0), Utf16), 4);
        assert_eq!(idx.position(text, 4, Utf16), pos(1, 0));
        assert_eq!(idx.line_end_trimmed(2), Some(8));
    }

    #[test]
    fn lone_cr_is_not_a_line_break() {
        let text = "a\rb\nc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 2);
        assert!(!idx.is_crlf(0));
        assert_eq!(idx.line_end_trimmed(0), Some(3));
        assert_eq!(idx.position(text, 2, Utf16), pos(0, 2));
    }

    #[test]
    fn non_ascii_columns_per_encoding() {
        // Bytes: é=2, 中=3, 😀=4 (UTF-16: 1, 1, 2).
        let text = "xé中😀y\nz";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap_or(0);
        assert_eq!(y, 10);
        assert_eq!(idx.offset(text, pos(0, 5), Utf16), y);
        assert_eq!(idx.offset(text, pos(0, 4), Utf32), y);
        assert_eq!(idx.offset(text, pos(0, 10), Utf8), y);
        assert_eq!(idx.position(text, y, Utf16), pos(0, 5));
        assert_eq!(idx.position(text, y, Utf32), pos(0, 4));
        assert_eq!(idx.position(text, y, Utf8), pos(0, 10));
        assert_eq!(idx.offset(text, pos(0, 99), Utf16), 11);
        assert_eq!(idx.offset(text, pos(1, 1), Utf16), 13);
    }

    #[test]
    fn inside_a_char_rounds_down() {
        let text = "a😀b";
        let idx = LineIndex::new(text);
        // UTF-16 column 2 is between the two surrogates of 😀.
        assert_eq!(idx.offset(text, pos(0, 2), Utf16), 1);
        assert_eq!(idx.offset(text, pos(0, 3), Utf16), 5);
        // UTF-8 columns 2..=4 are inside the 4-byte sequence.
        for c in 2..=4 {
            assert_eq!(idx.offset(text, pos(0, c), Utf8), 1);
        }
        assert_eq!(idx.offset(text, pos(0, 5), Utf8), 5);
        // A byte offset inside 😀 is reported at its start.
        assert_eq!(idx.position(text, 3, Utf16), pos(0, 1));
        assert_eq!(idx.position(text, 3, Utf8), pos(0, 1));
    }

    #[test]
    fn mismatched_text_never_panics() {
        let idx = LineIndex::new("aaaa\nbbbb\ncccc\n");
        for text in ["", "é", "😀😀\n😀", "x\ny"] {
            for enc in [Utf8, Utf16, Utf32] {
                for line in 0..5 {
                    for ch in 0..10 {
                        let o = idx.offset(text, pos(line, ch), enc);
                        assert!(text.is_char_boundary(o));
                    }
                }
                for o in 0..20 {
                    let _ = idx.position(text, o, enc);
                }
            }
        }
    }

    #[test]
    fn huge_positions_clamp() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset(text, pos(u32::MAX, u32::MAX), Utf16), 5);
        assert_eq!(idx.offset(text, pos(0, u32::MAX), Utf32), 2);
        assert_eq!(idx.position(text, usize::MAX, Utf8), pos(1, 2));
    }

    #[test]
    fn line_col_and_point_of_agree() {
        let text = "é\r\n\n中x\n";
        let idx = LineIndex::new(text);
        for o in 0..=text.len() + 2 {
            assert_eq!(idx.line_col(o), point_of(text, o), "offset {o}");
        }
        assert_eq!(point_of(text, 4), (1, 0));
        assert_eq!(point_of(text, 9), (2, 4));
        assert_eq!(idx.line_of(2), 0);
    }

    #[test]
    fn offset_range_orders_reversed_ranges() {
        let text = "hello\nworld";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset_range(text, pos(1, 2), pos(0, 1), Utf16), 1..8);
        assert_eq!(
            idx.position_range(text, 1..8, Utf16),
            (pos(0, 1), pos(1, 2))
        );
    }

    #[test]
    fn update_matches_rebuild() {
        let cases: &[(&str, usize, usize, &str)] = &[
            ("a\nb\nc", 1, 3, ""),
            ("a\nb\nc", 0, 0, "x\r\n"),
            ("a\r\nb", 2, 2, "中"),
            ("a\r\nb", 1, 2, ""),
            ("abc", 3, 3, "\n\n"),
            ("a\nb\n", 4, 4, "é\n"),
            ("a\nb\n", 0, 4, ""),
            ("é\nb", 0, 2, "e"),
        ];
        for &(before, start, old_end, ins) in cases {
            let mut idx = LineIndex::new(before);
            let mut text = before.to_string();
            text.replace_range(start..old_end, ins);
            idx.update(&text, start, old_end, start + ins.len());
            assert_eq!(
                idx,
                LineIndex::new(&text),
                "{before:?} {start}..{old_end} {ins:?}"
            );
        }
    }

    #[test]
    fn inconsistent_update_rebuilds() {
        let mut idx = LineIndex::new("abc\ndef");
        idx.update("zz\n", 5, 2, 99);
        assert_eq!(idx, LineIndex::new("zz\n"));
    }
}
