//! Pieces: runs of whole top-level instructions that tree-sitter parses side by side.
//!
//! Tree-sitter parses one text on one core, and on a large file that single parse is most of
//! the time to first diagnostics. A piece is parsed as a tree of its own through
//! `Parser::set_included_ranges`, so its nodes keep the positions they have in the whole text.
//!
//! Why a piece parses like the same lines inside the whole file: at the start of a top-level
//! instruction nothing carries over from the text before it except what the directive header
//! decides (the escape character). So every piece also includes the header, the comment and
//! blank lines before the first instruction, and then its own lines.
//!
//! Whether a line really starts an instruction cannot be told without lexing everything before
//! it: a heredoc body or a continued line can hold any text. So the parse of each piece reaches
//! one line into the next piece, and the boundary holds only when that parse starts an
//! instruction exactly there. A boundary that does not hold is dropped and its two pieces merge,
//! which costs time, never correctness.

use tree_sitter::{Node, Point, Range as TsRange, Tree};

use super::kinds::kinds;
use super::tree::input_edit;
use crate::syntax::ast::InstructionKind;
use crate::text::{TextEdit, point_of};

/// A place in the text, as a byte offset and the matching tree-sitter point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    pub byte: usize,
    pub point: Point,
}

impl Mark {
    pub const ZERO: Mark = Mark {
        byte: 0,
        point: Point { row: 0, column: 0 },
    };

    /// Where this mark is after `edit`. A mark inside the replaced text, or exactly at its
    /// start, goes to the start: text typed at the start of a piece's first line stays in
    /// that piece.
    pub fn after(self, edit: &TextEdit) -> Mark {
        let edit = input_edit(edit);
        if self.byte < edit.start_byte {
            self
        } else if self.byte < edit.old_end_byte || self.byte == edit.start_byte {
            Mark {
                byte: edit.start_byte,
                point: edit.start_position,
            }
        } else {
            let (old_end, new_end) = (edit.old_end_position, edit.new_end_position);
            let row = self.point.row.saturating_sub(old_end.row) + new_end.row;
            let column = if self.point.row == old_end.row {
                self.point.column.saturating_sub(old_end.column) + new_end.column
            } else {
                self.point.column
            };
            Mark {
                byte: self.byte - edit.old_end_byte + edit.new_end_byte,
                point: Point { row, column },
            }
        }
    }
}

/// One piece: its tree, where its own text starts, and whether an edit reached it since it
/// was last parsed.
#[derive(Clone, Debug)]
pub(crate) struct Piece {
    pub tree: Tree,
    pub start: Mark,
    /// Where the last parse of this piece stopped (the end of the next piece's first line),
    /// moved through later edits: an edit at or before it needs a new parse.
    pub reach: Mark,
    pub dirty: bool,
}

/// The end of the header: the blank and comment lines (directives among them) before the
/// first instruction. Every piece after the first is parsed after it.
pub(crate) fn header_end(text: &str) -> Mark {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut row = 0;
    while at < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let mut line = &bytes[at..line_end];
        if at == 0 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        let first = line.iter().find(|&&b| !matches!(b, b' ' | b'\t' | b'\r'));
        if first.is_some_and(|&b| b != b'#') {
            break;
        }
        at = (line_end + 1).min(bytes.len());
        row += 1;
    }
    if at == bytes.len() {
        // Only comments: nothing to split, and the last line may lack its line break.
        let (row, column) = point_of(text, at);
        return Mark {
            byte: at,
            point: Point { row, column },
        };
    }
    Mark {
        byte: at,
        point: Point { row, column: 0 },
    }
}

/// How far the search for a piece start may go past where the piece would ideally start.
const SEARCH_LINES: usize = 200;

/// Where pieces 2.. of `text` start, about `len / count` bytes apart, each at a line that
/// looks like an instruction (`KEYWORD ...` at column 0, after a line that does not end with
/// an escape character). Looking is only a guess; the parse decides (see the module docs).
pub(crate) fn choose_starts(text: &str, header: Mark, count: usize) -> Vec<Mark> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    // Rows are counted as the search moves forward, never twice over the same bytes.
    let mut counted = Mark::ZERO;
    let advance_to = |counted: &mut Mark, byte: usize| {
        let rows = memchr::memchr_iter(b'\n', &bytes[counted.byte..byte]).count();
        *counted = Mark {
            byte,
            point: Point {
                row: counted.point.row + rows,
                column: 0,
            },
        };
    };
    for i in 1..count {
        let target = (bytes.len() * i / count).max(header.byte + 1);
        let floor = starts.last().map_or(header.byte, |m: &Mark| m.byte) + 1;
        let Some(mut line) = line_start_at_or_after(bytes, target.max(floor)) else {
            break;
        };
        for _ in 0..SEARCH_LINES {
            if line >= bytes.len() {
                break;
            }
            if looks_like_instruction_start(bytes, line) {
                advance_to(&mut counted, line);
                starts.push(counted);
                break;
            }
            match memchr::memchr(b'\n', &bytes[line..]) {
                Some(i) => line += i + 1,
                None => break,
            }
        }
    }
    starts
}

fn line_start_at_or_after(bytes: &[u8], at: usize) -> Option<usize> {
    if at >= bytes.len() {
        return None;
    }
    if bytes[at - 1] == b'\n' {
        return Some(at);
    }
    memchr::memchr(b'\n', &bytes[at..]).map(|i| at + i + 1)
}

fn looks_like_instruction_start(bytes: &[u8], line: usize) -> bool {
    let rest = &bytes[line..];
    let word_len = rest
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let word = std::str::from_utf8(&rest[..word_len]).unwrap_or("");
    if word.is_empty()
        || InstructionKind::from_keyword(word) == InstructionKind::Unknown
        || !matches!(rest.get(word_len), Some(b' ' | b'\t'))
    {
        return false;
    }
    let before = &bytes[..line - 1];
    let previous = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(before, |i| &before[i + 1..]);
    let trimmed = previous
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r'))
        .map(|i| previous[i]);
    !matches!(trimmed, Some(b'\\' | b'`'))
}

/// The end of the line that starts at `line` (after its line break), or the end of the text.
pub(crate) fn end_of_line(text: &str, line: Mark) -> Mark {
    let bytes = text.as_bytes();
    let from = line.byte.min(bytes.len());
    match memchr::memchr(b'\n', &bytes[from..]) {
        Some(i) => Mark {
            byte: from + i + 1,
            point: Point {
                row: line.point.row + 1,
                column: 0,
            },
        },
        None => Mark {
            byte: bytes.len(),
            point: Point {
                row: line.point.row,
                column: line.point.column + (bytes.len() - from),
            },
        },
    }
}

/// Whether a piece may start at `mark` as far as the text tells: at the start of a line that
/// begins with a letter (a comment line there would read as a directive in the piece's own
/// parse, and a blank one as nothing).
pub(crate) fn can_start_piece(text: &str, mark: Mark) -> bool {
    let bytes = text.as_bytes();
    mark.byte > 0
        && mark.byte < bytes.len()
        && mark.point.column == 0
        && bytes[mark.byte - 1] == b'\n'
        && bytes[mark.byte].is_ascii_alphabetic()
}

/// Whether the parse of the piece before a boundary starts a top-level instruction exactly at
/// it: the proof that the boundary holds.
pub(crate) fn starts_instruction_at(tree: &Tree, byte: usize) -> bool {
    let root = tree.root_node();
    let mut cursor = root.walk();
    if cursor.goto_first_child_for_byte(byte).is_none() {
        return false;
    }
    let node: Node<'_> = cursor.node();
    node.start_byte() == byte && kinds().instruction_kind(node.kind_id()).is_some()
}

/// The ranges tree-sitter reads for a piece starting at `start` whose parse stops at `reach`
/// (`None` for the last piece, which reads to the end).
pub(crate) fn included_ranges(start: Mark, reach: Option<Mark>, header: Mark) -> Vec<TsRange> {
    let end = reach.unwrap_or_else(|| {
        // To the end, whatever it is: tree-sitter's own default end.
        let max = u32::MAX as usize;
        Mark {
            byte: max,
            point: Point {
                row: max,
                column: max,
            },
        }
    });
    let mut ranges = Vec::with_capacity(2);
    if start.byte > 0 && header.byte > 0 {
        ranges.push(range(Mark::ZERO, header));
    }
    ranges.push(range(start, end));
    ranges
}

fn range(start: Mark, end: Mark) -> TsRange {
    TsRange {
        start_byte: start.byte,
        end_byte: end.byte,
        start_point: start.point,
        end_point: end.point,
    }
}
