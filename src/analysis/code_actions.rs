//! Quick fixes for diagnostics whose fix is mechanical.

use std::ops::Range;

use super::{CodeAction, Diagnostic, Snapshot};

/// Code actions for `range`, given the diagnostics the client sent back.
pub fn code_actions(
    snapshot: &Snapshot,
    range: Range<usize>,
    diagnostics: &[Diagnostic],
) -> Vec<CodeAction> {
    let _ = (snapshot, range, diagnostics);
    Vec::new()
}
