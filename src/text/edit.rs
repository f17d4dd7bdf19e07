//! Applying LSP `didChange` content changes to a document, reporting byte-level edits for
//! tree-sitter.

use super::{LineIndex, Position, PositionEncoding, point_of};

/// One entry of `TextDocumentContentChangeEvent`: a range to replace, or the whole document
/// when `range` is `None`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ContentChange {
    pub range: Option<(Position, Position)>,
    pub text: String,
}

impl ContentChange {
    /// A change replacing the whole document.
    pub fn full(text: impl Into<String>) -> Self {
        ContentChange {
            range: None,
            text: text.into(),
        }
    }

    /// A change replacing `start..end`.
    pub fn ranged(start: Position, end: Position, text: impl Into<String>) -> Self {
        ContentChange {
            range: Some((start, end)),
            text: text.into(),
        }
    }
}

/// What one applied change did, in byte offsets of the text at that moment: `start..old_end`
/// was replaced by `start..new_end`.
///
/// The `*_point` fields are the same places as (row, byte column) — the old text's for
/// `start_point`/`old_end_point`, the new text's for `new_end_point` — because tree-sitter's
/// `InputEdit` needs them and `old_end_point` cannot be recomputed once the old text is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
    pub start_point: (usize, usize),
    pub old_end_point: (usize, usize),
    pub new_end_point: (usize, usize),
}

/// Applies `changes` to `text` in order, each one against the text as the previous ones left
/// it (the LSP rule), and returns one [`TextEdit`] per change in the same order.
///
/// Positions are clamped as [`LineIndex::offset`] does, and a range whose start comes after
/// its end is treated as the same range put in order. Never panics.
pub fn apply_changes(
    text: &mut String,
    changes: &[ContentChange],
    enc: PositionEncoding,
) -> Vec<TextEdit> {
    let mut index = None;
    apply(text, &mut index, changes, enc)
}

/// Like [`apply_changes`], for a caller that keeps a [`LineIndex`] of `text`: the index is
/// used for the conversions and left describing the new text.
///
/// If `index` visibly does not belong to `text` (different length) it is rebuilt first.
pub fn apply_changes_indexed(
    text: &mut String,
    index: &mut LineIndex,
    changes: &[ContentChange],
    enc: PositionEncoding,
) -> Vec<TextEdit> {
    let mut slot = (index.text_len() == text.len()).then(|| std::mem::take(index));
    let edits = apply(text, &mut slot, changes, enc);
    *index = slot.unwrap_or_else(|| LineIndex::new(text));
    edits
}

/// The shared loop. `index` is `None` whenever no up-to-date index exists; it is built only
/// when a ranged change needs it, so a lone full replacement never indexes the old text.
fn apply(
    text: &mut String,
    index: &mut Option<LineIndex>,
    changes: &[ContentChange],
    enc: PositionEncoding,
) -> Vec<TextEdit> {
    let mut edits = Vec::with_capacity(changes.len());
    for change in changes {
        let edit = match change.range {
            None => {
                let old_len = text.len();
                let old_end_point = match index {
                    Some(idx) => idx.line_col(old_len),
                    None => point_of(text, old_len),
                };
                text.clone_from(&change.text);
                *index = None;
                TextEdit {
                    start: 0,
                    old_end: old_len,
                    new_end: text.len(),
                    start_point: (0, 0),
                    old_end_point,
                    new_end_point: point_of(text, text.len()),
                }
            }
            Some((a, b)) => {
                let idx = index.get_or_insert_with(|| LineIndex::new(text));
                let range = idx.offset_range(text, a, b, enc);
                let (start, old_end) = (range.start, range.end);
                let start_point = idx.line_col(start);
                let old_end_point = idx.line_col(old_end);
                // Both ends are char boundaries (offset() guarantees it), so this cannot panic.
                text.replace_range(start..old_end, &change.text);
                let new_end = start + change.text.len();
                idx.update(text, start, old_end, new_end);
                TextEdit {
                    start,
                    old_end,
                    new_end,
                    start_point,
                    old_end_point,
                    new_end_point: idx.line_col(new_end),
                }
            }
        };
        edits.push(edit);
    }
    edits
}

/// How many bytes `old` and `new` share at their start, and how many at their end after
/// that (the two never overlap): what lies between is what an edit changed.
pub fn common_ends(old: &str, new: &str) -> (usize, usize) {
    common_ends_by(old.as_bytes(), new.as_bytes(), |a, b| a == b)
}

/// [`common_ends`] of two lists whose items `same` compares (tokens, or instructions and
/// what was read from them).
pub fn common_ends_by<A, B>(old: &[A], new: &[B], same: impl Fn(&A, &B) -> bool) -> (usize, usize) {
    let start = old.iter().zip(new).take_while(|(a, b)| same(a, b)).count();
    let room = old.len().min(new.len()) - start;
    let end = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| same(a, b))
        .count();
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf8, Utf16, Utf32};
    use proptest::prelude::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    fn apply_one(text: &str, change: ContentChange, enc: PositionEncoding) -> (String, TextEdit) {
        let mut s = text.to_string();
        let edits = apply_changes(&mut s, &[change], enc);
        assert_eq!(edits.len(), 1);
        (s, edits[0])
    }

    #[test]
    fn insert_delete_replace_ascii() {
        let (s, e) = apply_one(
            "FROM a\nRUN b\n",
            ContentChange::ranged(pos(1, 4), pos(1, 5), "echo"),
            Utf16,
        );
        assert_eq!(s, "FROM a\nRUN echo\n");
        assert_eq!((e.start, e.old_end, e.new_end), (11, 12, 15));
        assert_eq!(
            (e.start_point, e.old_end_point, e.new_end_point),
            ((1, 4), (1, 5), (1, 8))
        );

        let (s, e) = apply_one(
            "FROM a\nRUN b\n",
            ContentChange::ranged(pos(0, 6), pos(1, 0), ""),
            Utf16,
        );
        assert_eq!(s, "FROM aRUN b\n");
        assert_eq!(
            (e.start_point, e.old_end_point, e.new_end_point),
            ((0, 6), (1, 0), (0, 6))
        );

        let (s, _) = apply_one(
            "ab",
            ContentChange::ranged(pos(0, 1), pos(0, 1), "\n"),
            Utf16,
        );
        assert_eq!(s, "a\nb");
    }

    #[test]
    fn full_replacement() {
        let mut s = "old\ntext\n".to_string();
        let edits = apply_changes(&mut s, &[ContentChange::full("new")], Utf16);
        assert_eq!(s, "new");
        assert_eq!(
            edits,
            vec![TextEdit {
                start: 0,
                old_end: 9,
                new_end: 3,
                start_point: (0, 0),
                old_end_point: (2, 0),
                new_end_point: (0, 3),
            }]
        );
    }

    #[test]
    fn full_replacement_in_the_middle_of_a_batch() {
        let mut s = "abc".to_string();
        let changes = [
            ContentChange::ranged(pos(0, 0), pos(0, 1), "X"),
            ContentChange::full("line1\nline2"),
            ContentChange::ranged(pos(1, 4), pos(1, 5), "Z"),
        ];
        let edits = apply_changes(&mut s, &changes, Utf16);
        assert_eq!(s, "line1\nlineZ");
        assert_eq!(edits.len(), 3);
        assert_eq!((edits[1].old_end, edits[1].new_end), (3, 11));
        assert_eq!(
            (edits[2].start, edits[2].old_end, edits[2].new_end),
            (10, 11, 11)
        );
    }

    #[test]
    fn sequence_each_relative_to_previous_result() {
        let mut s = "a\nb\nc".to_string();
        let changes = [
            ContentChange::ranged(pos(0, 1), pos(0, 1), "1\n"),
            // Line 2 is now "b" (the old line 1), thanks to the inserted newline.
            ContentChange::ranged(pos(2, 0), pos(2, 1), "B"),
            ContentChange::ranged(pos(3, 0), pos(3, 1), ""),
        ];
        let edits = apply_changes(&mut s, &changes, Utf16);
        assert_eq!(s, "a1\n\nB\n");
        assert_eq!(edits[1].start, 4);
        assert_eq!(edits[2].start_point, (3, 0));
    }

    #[test]
    fn non_ascii_and_surrogates() {
        // Replace the emoji (UTF-16 columns 1..3) with "é".
        let (s, e) = apply_one(
            "a😀b",
            ContentChange::ranged(pos(0, 1), pos(0, 3), "é"),
            Utf16,
        );
        assert_eq!(s, "aéb");
        assert_eq!((e.start, e.old_end, e.new_end), (1, 5, 3));
        // Ending inside the surrogate pair rounds down: nothing of the emoji is removed.
        let (s, _) = apply_one(
            "a😀b",
            ContentChange::ranged(pos(0, 0), pos(0, 2), ""),
            Utf16,
        );
        assert_eq!(s, "😀b");
        let (s, _) = apply_one(
            "中😀b",
            ContentChange::ranged(pos(0, 1), pos(0, 2), "-"),
            Utf32,
        );
        assert_eq!(s, "中-b");
        let (s, _) = apply_one(
            "中😀b",
            ContentChange::ranged(pos(0, 3), pos(0, 7), "-"),
            Utf8,
        );
        assert_eq!(s, "中-b");
        // UTF-8 column 1 is inside 中: rounds down to 0.
        let (s, _) = apply_one("中b", ContentChange::ranged(pos(0, 1), pos(0, 3), ""), Utf8);
        assert_eq!(s, "b");
    }

    #[test]
    fn crlf_positions() {
        let (s, e) = apply_one(
            "a\r\nb",
            ContentChange::ranged(pos(0, 1), pos(1, 0), ""),
            Utf16,
        );
        assert_eq!(s, "ab");
        assert_eq!((e.start, e.old_end), (1, 3));
        // Past the end of a CRLF line lands after the `\r`, before the `\n`.
        let (s, _) = apply_one(
            "a\r\nb",
            ContentChange::ranged(pos(0, 9), pos(0, 9), "!"),
            Utf16,
        );
        assert_eq!(s, "a\r!\nb");
    }

    #[test]
    fn out_of_range_and_reversed() {
        let (s, e) = apply_one(
            "ab\ncd",
            ContentChange::ranged(pos(7, 0), pos(9, 9), "!"),
            Utf16,
        );
        assert_eq!(s, "ab\ncd!");
        assert_eq!((e.start, e.old_end, e.new_end), (5, 5, 6));
        let (s, _) = apply_one(
            "ab\ncd",
            ContentChange::ranged(pos(1, 1), pos(0, 1), ""),
            Utf16,
        );
        assert_eq!(s, "ad");
        let (s, _) = apply_one("", ContentChange::ranged(pos(3, 3), pos(0, 5), "x"), Utf16);
        assert_eq!(s, "x");
    }

    #[test]
    fn indexed_variant_keeps_index_current() {
        let mut s = "a\nb".to_string();
        let mut idx = LineIndex::new(&s);
        apply_changes_indexed(
            &mut s,
            &mut idx,
            &[ContentChange::ranged(pos(1, 0), pos(1, 0), "x\ny\n")],
            Utf16,
        );
        assert_eq!(idx, LineIndex::new(&s));
        apply_changes_indexed(&mut s, &mut idx, &[ContentChange::full("z")], Utf16);
        assert_eq!(idx, LineIndex::new("z"));
        // A stale index (wrong length) is detected and rebuilt before use.
        let mut stale = LineIndex::new("something else entirely");
        let edits = apply_changes_indexed(
            &mut s,
            &mut stale,
            &[ContentChange::ranged(pos(0, 1), pos(0, 1), "!")],
            Utf16,
        );
        assert_eq!(s, "z!");
        assert_eq!(edits[0].start, 1);
        assert_eq!(stale, LineIndex::new("z!"));
    }

    #[test]
    fn many_small_edits_on_a_large_document() {
        // Guards against accidental quadratic behaviour: 2000 edits on a ~1 MB text.
        let mut s = "RUN echo hello world\n".repeat(50_000);
        let changes: Vec<ContentChange> = (0..2000)
            .map(|i| ContentChange::ranged(pos(i * 20, 4), pos(i * 20, 8), "printf"))
            .collect();
        let edits = apply_changes(&mut s, &changes, Utf16);
        assert_eq!(edits.len(), 2000);
        assert!(s.starts_with("RUN printf hello"));
        assert_eq!(s.matches("printf").count(), 2000);
    }

    // ---- Reference implementation for the property test: deliberately naive. ----

    /// Offset of `p` computed by walking chars from the start of the text.
    fn naive_offset(text: &str, p: Position, enc: PositionEncoding) -> usize {
        let mut line = 0u32;
        let mut line_start = 0;
        if p.line > 0 {
            let mut found = false;
            for (i, c) in text.char_indices() {
                if c == '\n' {
                    line += 1;
                    if line == p.line {
                        line_start = i + 1;
                        found = true;
                        break;
                    }
                }
            }
            if !found {
                return text.len();
            }
        }
        let mut units = 0u64;
        for (i, c) in text[line_start..].char_indices() {
            if c == '\n' {
                return line_start + i;
            }
            let u = match enc {
                Utf8 => c.len_utf8(),
                Utf16 => c.len_utf16(),
                Utf32 => 1,
            } as u64;
            if units + u > u64::from(p.character) {
                return line_start + i;
            }
            units += u;
        }
        text.len()
    }

    fn enc_strategy() -> impl Strategy<Value = PositionEncoding> {
        prop_oneof![Just(Utf8), Just(Utf16), Just(Utf32)]
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => Just("a"),
                2 => Just("\n"),
                1 => Just("\r\n"),
                1 => Just("\r"),
                1 => Just("é"),
                1 => Just("中"),
                1 => Just("😀"),
            ],
            0..24,
        )
        .prop_map(|parts| parts.concat())
    }

    fn change_strategy() -> impl Strategy<Value = ContentChange> {
        let position = (0u32..6, 0u32..12).prop_map(|(l, c)| Position::new(l, c));
        prop_oneof![
            9 => (position.clone(), position, text_strategy())
                .prop_map(|(a, b, t)| ContentChange::ranged(a, b, t)),
            1 => text_strategy().prop_map(ContentChange::full),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn apply_changes_matches_naive_splicing(
            initial in text_strategy(),
            changes in proptest::collection::vec(change_strategy(), 0..12),
            enc in enc_strategy(),
        ) {
            let mut expected = initial.clone();
            let mut expected_edits = Vec::new();
            for change in &changes {
                let before = expected.clone();
                let (s, e) = match change.range {
                    None => (0, before.len()),
                    Some((a, b)) => {
                        let x = naive_offset(&before, a, enc);
                        let y = naive_offset(&before, b, enc);
                        (x.min(y), x.max(y))
                    }
                };
                expected.replace_range(s..e, &change.text);
                let ne = s + change.text.len();
                expected_edits.push(TextEdit {
                    start: s,
                    old_end: e,
                    new_end: ne,
                    start_point: point_of(&before, s),
                    old_end_point: point_of(&before, e),
                    new_end_point: point_of(&expected, ne),
                });
            }

            let mut actual = initial.clone();
            let edits = apply_changes(&mut actual, &changes, enc);
            prop_assert_eq!(&actual, &expected);
            prop_assert_eq!(&edits, &expected_edits);

            let mut via_index = initial.clone();
            let mut idx = LineIndex::new(&via_index);
            let edits2 = apply_changes_indexed(&mut via_index, &mut idx, &changes, enc);
            prop_assert_eq!(&via_index, &expected);
            prop_assert_eq!(&edits2, &expected_edits);
            prop_assert_eq!(idx, LineIndex::new(&expected));
        }

        #[test]
        fn position_offset_round_trip(text in text_strategy(), enc in enc_strategy()) {
            let idx = LineIndex::new(&text);
            for (o, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                let p = idx.position(&text, o, enc);
                prop_assert_eq!(idx.offset(&text, p, enc), o);
                prop_assert_eq!(idx.line_col(o), point_of(&text, o));
            }
        }

        #[test]
        fn offset_agrees_with_naive(
            text in text_strategy(),
            line in 0u32..8,
            character in 0u32..16,
            enc in enc_strategy(),
        ) {
            let idx = LineIndex::new(&text);
            let p = Position::new(line, character);
            prop_assert_eq!(idx.offset(&text, p, enc), naive_offset(&text, p, enc));
        }
    }
}
