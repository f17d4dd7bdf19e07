//! Source text: line index, position encodings (UTF-8/16/32) and applying LSP-style edits.

pub mod edit;
pub mod encoding;
pub mod line_index;

pub use edit::{
    ContentChange, TextEdit, apply_changes, apply_changes_indexed, common_ends, common_ends_by,
};
pub use encoding::PositionEncoding;
pub use line_index::{LineIndex, Position, point_of};

/// Whether `needle` occurs in `text`, ASCII letters compared without case (image names on
/// FROM lines, read on every keystroke: lower-casing a copy first allocated each time).
pub fn contains_ignore_ascii_case(text: &str, needle: &str) -> bool {
    needle.is_empty()
        || text
            .as_bytes()
            .windows(needle.len())
            .any(|part| part.eq_ignore_ascii_case(needle.as_bytes()))
}
