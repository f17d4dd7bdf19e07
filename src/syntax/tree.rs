//! Parsing with tree-sitter, and keeping a tree in step with edits (`Tree::edit` + reparse).
//!
//! A large text is parsed in pieces, one per core (see [`super::pieces`]); everything above
//! this module sees one tree through [`SourceFile`].

use std::cell::RefCell;
use std::ops::Range;

use rayon::prelude::*;
use tree_sitter::{InputEdit, Node, Parser, Point, Range as TsRange, Tree};

use super::ast::{PieceFile, SourceFile, for_each_node, top_level};
use super::kinds::language;
use super::pieces::{
    Mark, Piece, can_start_piece, choose_starts, end_of_line, header_end, included_ranges,
    starts_instruction_at,
};
use crate::text::TextEdit;

/// Texts of at least twice this many bytes are parsed in pieces, one per core: below that the
/// hand-off costs about what it saves.
const MIN_PIECE: usize = 32 * 1024;

/// A Dockerfile's syntax tree.
#[derive(Clone, Debug)]
pub struct SyntaxTree {
    /// In text order; one piece covering the whole text for most files.
    pieces: Vec<Piece>,
    /// The end of the directive header, which every piece after the first parses first.
    header: Mark,
    /// An edit reached the header: the pieces may no longer agree on the escape character.
    resplit: bool,
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("the grammar is generated for this tree-sitter ABI");
    parser
}

/// Parses `text`, or the `ranges` of it (all of it when empty). `None` only when the ranges
/// are out of order, which the pieces never ask for.
fn run_parser(text: &str, old: Option<&Tree>, ranges: &[TsRange]) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut parser = cell.borrow_mut();
        parser.set_included_ranges(ranges).ok()?;
        // Without a timeout or cancellation flag, tree-sitter always returns a tree.
        parser.parse(text, old)
    })
}

fn parse_whole(text: &str, old: Option<&Tree>) -> Tree {
    run_parser(text, old, &[]).expect("parsing a whole text without a timeout yields a tree")
}

impl SyntaxTree {
    /// Parses a whole text; a large one in pieces, side by side.
    pub fn parse(text: &str) -> SyntaxTree {
        Self::parse_and_read_in_pieces(text, Self::piece_count_for(text), |_| ()).0
    }

    /// Parses `text` in up to `count` pieces (fewer when the text does not split that way).
    /// For tests that check pieces against one whole parse on small texts.
    #[doc(hidden)]
    pub fn parse_in_pieces(text: &str, count: usize) -> SyntaxTree {
        Self::parse_and_read_in_pieces(text, count, |_| ()).0
    }

    /// How many pieces [`SyntaxTree::parse`] tries for `text`.
    pub(crate) fn piece_count_for(text: &str) -> usize {
        if text.len() < 2 * MIN_PIECE {
            1
        } else {
            rayon::current_num_threads().min(text.len() / MIN_PIECE)
        }
    }

    /// Parses `text` in up to `count` pieces (as many as cores on a large text), and runs
    /// `read` on each piece as soon as that piece is parsed, on the same core: reading a
    /// piece's instructions while its nodes are fresh in the cache, and while the other pieces
    /// still parse, saves a second pass over the whole tree. The readings come back in text
    /// order, or `None` when the text was parsed whole or its pieces did not hold (then read
    /// the tree as usual).
    pub fn parse_and_read_in_pieces<T: Send>(
        text: &str,
        count: usize,
        read: impl Fn(PieceFile<'_>) -> T + Sync,
    ) -> (SyntaxTree, Option<Vec<T>>) {
        let header = header_end(text);
        let mut starts = vec![Mark::ZERO];
        if count > 1 {
            starts.extend(choose_starts(text, header, count));
        }
        if starts.len() == 1 {
            return (Self::whole(text, header), None);
        }
        // Each piece: where it starts, where the next one starts, and where its parse stops.
        let plans: Vec<(Mark, Option<Mark>, Option<Mark>)> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let next = starts.get(i + 1).copied();
                (start, next, next.map(|n| end_of_line(text, n)))
            })
            .collect();
        let parsed: Option<Vec<(Tree, T)>> = plans
            .par_iter()
            .map(|&(start, next, reach)| {
                let tree = run_parser(text, None, &included_ranges(start, reach, header))?;
                let owned = start.byte..next.map_or(usize::MAX, |n| n.byte);
                let reading = read(PieceFile::new(tree.root_node(), owned));
                Some((tree, reading))
            })
            .collect();
        let Some(parsed) = parsed else {
            return (Self::whole(text, header), None);
        };
        let count = plans.len();
        let (pieces, readings): (Vec<Piece>, Vec<T>) = plans
            .into_iter()
            .zip(parsed)
            .map(|((start, _, reach), (tree, reading))| {
                let piece = Piece {
                    tree,
                    start,
                    reach: reach.unwrap_or(start),
                    dirty: false,
                };
                (piece, reading)
            })
            .unzip();
        let mut tree = SyntaxTree {
            pieces,
            header,
            resplit: false,
        };
        tree.settle(text);
        // A boundary that did not hold merged two pieces, and their readings with it.
        let held = tree.pieces.len() == count;
        (tree, held.then_some(readings))
    }

    fn whole(text: &str, header: Mark) -> SyntaxTree {
        SyntaxTree {
            pieces: vec![Piece {
                tree: parse_whole(text, None),
                start: Mark::ZERO,
                reach: Mark::ZERO,
                dirty: false,
            }],
            header,
            resplit: false,
        }
    }

    /// Records an edit in the tree, before [`SyntaxTree::reparse`].
    pub fn edit(&mut self, edit: &TextEdit) {
        let input = input_edit(edit);
        let count = self.pieces.len();
        if count > 1 && edit.start <= self.header.byte {
            self.resplit = true;
        }
        for (i, piece) in self.pieces.iter_mut().enumerate() {
            piece.tree.edit(&input);
            let last = i + 1 == count;
            let reached =
                edit.old_end >= piece.start.byte && (last || edit.start <= piece.reach.byte);
            piece.dirty |= reached;
            if i > 0 {
                piece.start = piece.start.after(edit);
            }
            piece.reach = piece.reach.after(edit);
        }
    }

    /// Parses `text` again, reusing the parts of the edited tree that did not change.
    pub fn reparse(&mut self, text: &str) {
        if self.resplit {
            *self = Self::parse(text);
            return;
        }
        // Boundaries the text alone rules out go first, so no piece is parsed twice for them.
        let mut i = 1;
        while i < self.pieces.len() {
            let start = self.pieces[i].start;
            if start.byte <= self.pieces[i - 1].start.byte || !can_start_piece(text, start) {
                self.merge_into_previous(i);
            } else {
                i += 1;
            }
        }
        for i in 0..self.pieces.len() {
            if self.pieces[i].dirty {
                self.reparse_piece(i, text);
            }
        }
        self.settle(text);
    }

    /// Drops every boundary that the parse before it does not confirm (see [`super::pieces`]).
    fn settle(&mut self, text: &str) {
        let mut i = 1;
        while i < self.pieces.len() {
            let start = self.pieces[i].start.byte;
            if starts_instruction_at(&self.pieces[i - 1].tree, start) {
                i += 1;
            } else {
                self.merge_into_previous(i);
                self.reparse_piece(i - 1, text);
            }
        }
    }

    /// Piece `i` joins the one before it, which then needs a new parse.
    fn merge_into_previous(&mut self, i: usize) {
        self.pieces.remove(i);
        self.pieces[i - 1].dirty = true;
    }

    fn reparse_piece(&mut self, i: usize, text: &str) {
        let next = self.pieces.get(i + 1).map(|n| n.start);
        let reach = next.map(|n| end_of_line(text, n));
        let ranges = if self.pieces.len() == 1 {
            Vec::new()
        } else {
            included_ranges(self.pieces[i].start, reach, self.header)
        };
        let piece = &mut self.pieces[i];
        piece.tree = match run_parser(text, Some(&piece.tree), &ranges) {
            Some(tree) => tree,
            // Unreachable with ranges built from marks in order; one whole tree is always right.
            None => {
                *self = Self::whole(text, header_end(text));
                return;
            }
        };
        piece.reach = reach.unwrap_or(piece.start);
        piece.dirty = false;
    }

    pub fn source_file(&self) -> SourceFile<'_> {
        SourceFile::new(self)
    }

    /// Each piece's root with the byte range it speaks for (to the end of the text for the
    /// last). A piece's tree also holds the header and the next piece's first line, outside
    /// that range.
    pub(crate) fn roots(&self) -> impl Iterator<Item = (Node<'_>, Range<usize>)> + '_ {
        let count = self.pieces.len();
        self.pieces.iter().enumerate().map(move |(i, piece)| {
            let end = if i + 1 == count {
                usize::MAX
            } else {
                self.pieces[i + 1].start.byte
            };
            (piece.tree.root_node(), piece.start.byte..end)
        })
    }

    /// How many pieces the text was parsed in (for tests and benchmarks).
    #[doc(hidden)]
    pub fn piece_count(&self) -> usize {
        self.pieces.len()
    }

    /// The tree as an S-expression (for tests and `dockerfile-ls dump --tree`); the same
    /// whether or not the text was parsed in pieces.
    pub fn to_sexp(&self) -> String {
        if let [piece] = self.pieces.as_slice() {
            return piece.tree.root_node().to_sexp();
        }
        let mut out = String::from("(source_file");
        for node in top_level(self).filter(|n| n.is_named() || n.is_missing()) {
            out.push(' ');
            out.push_str(&node.to_sexp());
        }
        out.push(')');
        out
    }
}

/// The tree-sitter form of a byte edit (also for tests and fuzzers that keep a tree of their
/// own beside a [`SyntaxTree`]).
pub fn input_edit(edit: &TextEdit) -> InputEdit {
    let point = |(row, column): (usize, usize)| Point { row, column };
    InputEdit {
        start_byte: edit.start,
        old_end_byte: edit.old_end,
        new_end_byte: edit.new_end,
        start_position: point(edit.start_point),
        old_end_position: point(edit.old_end_point),
        new_end_position: point(edit.new_end_point),
    }
}

/// Every node of a tree, depth-first, one line each: field, kind, flags (anonymous, MISSING,
/// ERROR) and byte and point ranges. For comparing two trees in tests and fuzzing, where an
/// S-expression would hide the ranges.
pub fn node_lines(tree: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    for_each_node(tree.root_node(), |cursor, depth| {
        let n = cursor.node();
        out.push(format!(
            "{:indent$}{}{}{}{}{} {}..{} ({},{})-({},{})",
            "",
            cursor
                .field_name()
                .map(|f| format!("{f}: "))
                .unwrap_or_default(),
            n.kind(),
            if n.is_named() { "" } else { " (anon)" },
            if n.is_missing() { " MISSING" } else { "" },
            if n.is_error() { " ERROR" } else { "" },
            n.start_byte(),
            n.end_byte(),
            n.start_position().row,
            n.start_position().column,
            n.end_position().row,
            n.end_position().column,
            indent = depth * 2
        ));
    });
    out
}

#[cfg(test)]
mod tests {
    use super::SyntaxTree;

    #[test]
    fn a_file_that_ends_where_a_heredoc_body_should_start_parses_without_errors() {
        // These once left a MISSING chunk end (or an ERROR) at the end of the tree.
        for text in [
            "RUN <<EOF\n",
            "RUN <<EOF",
            "COPY <<A <<B /d\nbody\nA\n",
            "RUN <<X\nX\nRUN <<Y\n",
        ] {
            let tree = SyntaxTree::parse(text);
            assert!(
                !tree.source_file().has_error(),
                "{text:?}: {}",
                tree.to_sexp()
            );
            assert!(
                !tree.to_sexp().contains("MISSING"),
                "{text:?}: {}",
                tree.to_sexp()
            );
        }
    }

    #[test]
    fn pieces_give_the_whole_tree_and_hold_through_a_keystroke() {
        use crate::syntax::Document;
        use crate::text::{ContentChange, Position, PositionEncoding};

        let text: String = (0..60)
            .map(|i| format!("RUN echo {i}\nENV A{i}=1\n"))
            .collect();
        let mut doc = Document::new_in_pieces(text.clone(), 4);
        assert_eq!(doc.tree().piece_count(), 4);
        assert_eq!(doc.tree().to_sexp(), SyntaxTree::parse(&text).to_sexp());

        // Line 62 is `RUN echo 31`, in the middle of the third piece.
        let at = Position::new(62, 4);
        doc.apply_changes(
            &[ContentChange::ranged(at, at, "x")],
            PositionEncoding::Utf8,
        );
        assert!(doc.text().contains("RUN xecho 31\n"));
        assert_eq!(doc.tree().piece_count(), 4);
        assert_eq!(
            doc.tree().to_sexp(),
            SyntaxTree::parse(doc.text()).to_sexp()
        );
    }
}
