//! A document's text, line index and syntax tree, kept in step through incremental edits.

use std::ops::Range;

use crate::text::{ContentChange, LineIndex, PositionEncoding, TextEdit, apply_changes_indexed};

use super::{PieceFile, SyntaxTree};

/// Texts of at least this many bytes are indexed and parsed in parallel.
const PARALLEL_FROM: usize = 64 * 1024;

/// The text of one Dockerfile with its line index and tree. Cloning is cheap enough to take a
/// snapshot per change (the tree is reference-counted; the text and index are copied).
#[derive(Clone, Debug)]
pub struct Document {
    text: String,
    line_index: LineIndex,
    tree: SyntaxTree,
}

impl Document {
    pub fn new(text: impl Into<String>) -> Document {
        Self::new_and_read(text, |_, _| ()).0
    }

    /// A document whose text is parsed in up to `pieces` pieces, whatever its size: for tests
    /// that check pieces against one whole parse.
    #[doc(hidden)]
    pub fn new_in_pieces(text: impl Into<String>, pieces: usize) -> Document {
        Self::new_and_read_in_pieces(text, pieces, |_, _| ()).0
    }

    /// A new document, and `read` run on each piece of its tree as soon as that piece is
    /// parsed (see [`SyntaxTree::parse_and_read_in_pieces`]): `None` when the text was not parsed in
    /// pieces that held.
    pub fn new_and_read<T: Send>(
        text: impl Into<String>,
        read: impl Fn(&str, PieceFile<'_>) -> T + Sync,
    ) -> (Document, Option<Vec<T>>) {
        let text = text.into();
        let pieces = SyntaxTree::piece_count_for(&text);
        Self::new_and_read_in_pieces(text, pieces, read)
    }

    /// [`Document::new_and_read`] in up to `pieces` pieces, whatever the text's size.
    #[doc(hidden)]
    pub fn new_and_read_in_pieces<T: Send>(
        text: impl Into<String>,
        pieces: usize,
        read: impl Fn(&str, PieceFile<'_>) -> T + Sync,
    ) -> (Document, Option<Vec<T>>) {
        let text = text.into();
        let parse =
            || SyntaxTree::parse_and_read_in_pieces(&text, pieces, |piece| read(&text, piece));
        // Independent passes over the text; side by side on a large file.
        let (line_index, (tree, readings)) = if text.len() >= PARALLEL_FROM {
            rayon::join(|| LineIndex::new(&text), parse)
        } else {
            (LineIndex::new(&text), parse())
        };
        let doc = Document {
            text,
            line_index,
            tree,
        };
        (doc, readings)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }

    pub fn tree(&self) -> &SyntaxTree {
        &self.tree
    }

    /// Applies LSP content changes in order: each one edits the tree (`Tree::edit`), and one
    /// incremental reparse follows them all. Returns the byte edits, in order.
    pub fn apply_changes(
        &mut self,
        changes: &[ContentChange],
        encoding: PositionEncoding,
    ) -> Vec<TextEdit> {
        let edits = apply_changes_indexed(&mut self.text, &mut self.line_index, changes, encoding);
        for edit in &edits {
            self.tree.edit(edit);
        }
        if !edits.is_empty() {
            self.tree.reparse(&self.text);
        }
        edits
    }

    /// The text of a byte range, or "" when it is not a valid range of this text.
    pub fn slice(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }
}
