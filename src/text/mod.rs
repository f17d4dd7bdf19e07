//! Source text: line index, position encodings (UTF-8/16/32) and applying LSP-style edits.

pub mod edit;
pub mod encoding;
pub mod line_index;

pub use edit::{ContentChange, TextEdit, apply_changes, apply_changes_indexed, common_ends};
pub use encoding::PositionEncoding;
pub use line_index::{LineIndex, Position, point_of};
