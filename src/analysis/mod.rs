//! Features computed from the model: diagnostics, hover, completion, code actions, ...
//!
//! Every function here takes a [`Snapshot`] and byte offsets and returns plain structs with
//! byte ranges; the LSP layer and the CLI translate them. Nothing here knows about LSP.

pub mod code_actions;
pub mod completion;
pub mod cursor;
pub mod diagnostics;
pub mod format;
pub mod hover;
pub mod registry;
mod snapshot;
pub mod types;

pub use snapshot::Snapshot;
pub use types::*;

/// Everything wrong with the document that a user should see, in source order.
pub fn diagnostics(snapshot: &Snapshot) -> Vec<Diagnostic> {
    diagnostics::diagnostics(snapshot)
}

/// Documentation for what is under the cursor.
pub fn hover(snapshot: &Snapshot, offset: usize) -> Option<Hover> {
    hover::hover(snapshot, offset)
}

/// Completions at the cursor.
pub fn completion(snapshot: &Snapshot, offset: usize) -> Vec<CompletionItem> {
    completion::completion(snapshot, offset)
}

/// Fills in the documentation of the completion item the user selected (`completionItem/resolve`).
pub fn completion_resolve(item: &CompletionItem) -> CompletionItem {
    completion::completion_resolve(item)
}

/// Code actions for a range, given the diagnostics the client sent back.
pub fn code_actions(
    snapshot: &Snapshot,
    range: std::ops::Range<usize>,
    diagnostics: &[Diagnostic],
) -> Vec<CodeAction> {
    code_actions::code_actions(snapshot, range, diagnostics)
}
