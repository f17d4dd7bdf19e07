//! Ranges several features agree on: a stage's, and a range without its final line break.

use std::ops::Range;

use crate::model::{Model, Stage};

/// `range` without the line break(s) it ends with.
pub fn without_line_break(text: &str, range: Range<usize>) -> Range<usize> {
    let s = text.get(range.clone()).unwrap_or("");
    range.start..range.start + s.trim_end_matches(['\n', '\r']).len()
}

/// A stage: its FROM to the end of its last instruction (heredoc bodies included), without
/// the final line break.
pub fn stage_range(model: &Model, text: &str, stage: &Stage) -> Range<usize> {
    let from = &model.instructions[stage.instruction];
    let last = &model.instructions[stage.end_instruction.max(stage.instruction + 1) - 1];
    without_line_break(text, from.start()..last.range().end)
}
