//! Features computed from the model: diagnostics, hover, completion, code actions, ...
//!
//! Every function here takes a [`Snapshot`] and byte offsets and returns plain structs with
//! byte ranges; the LSP layer and the CLI translate them. Nothing here knows about LSP.

mod snapshot;
pub mod types;

pub use snapshot::Snapshot;
pub use types::*;

/// Everything wrong with the document that a user should see, in source order.
pub fn diagnostics(snapshot: &Snapshot) -> Vec<Diagnostic> {
    let _ = snapshot;
    Vec::new()
}

/// Documentation for what is under the cursor.
pub fn hover(snapshot: &Snapshot, offset: usize) -> Option<Hover> {
    let _ = (snapshot, offset);
    None
}

/// Completions at the cursor.
pub fn completion(snapshot: &Snapshot, offset: usize) -> Vec<CompletionItem> {
    let _ = (snapshot, offset);
    Vec::new()
}

/// Code actions for a range, given the diagnostics the client sent back.
pub fn code_actions(
    snapshot: &Snapshot,
    range: std::ops::Range<usize>,
    diagnostics: &[Diagnostic],
) -> Vec<CodeAction> {
    let _ = (snapshot, range, diagnostics);
    Vec::new()
}
