//! Features computed from the model: diagnostics, hover, completion, code actions, ...
//!
//! Every function here takes a [`Snapshot`] and byte offsets and returns plain structs with
//! byte ranges; the LSP layer and the CLI translate them. Nothing here knows about LSP.

pub mod build_context;
pub mod code_actions;
pub mod completion;
pub mod convert;
pub mod cursor;
pub mod definition;
pub mod diagnostics;
pub mod document_symbols;
pub mod fix_all;
pub mod folding;
pub mod format;
pub mod highlight;
pub mod hover;
pub mod index;
pub mod inlay_hints;
pub mod links;
pub mod references;
pub mod registry;
pub mod rename;
pub mod rules;
pub mod selection;
pub mod semantic_tokens;
pub mod shift;
pub mod signature_help;
mod snapshot;
pub mod spans;
pub mod types;

pub mod workspace_symbols;

pub use snapshot::Snapshot;
pub use types::*;

/// Everything wrong with the document that a user should see, in source order: every rule
/// of [`rules`], with no inputs beyond the file (no build arguments, build context or
/// registry data) and the default configuration.
pub fn diagnostics(snapshot: &Snapshot) -> Vec<Diagnostic> {
    diagnostics_with(snapshot, &rules::Inputs::default())
}

/// [`diagnostics`] with build arguments, the build context, registry data and settings.
pub fn diagnostics_with(snapshot: &Snapshot, inputs: &rules::Inputs) -> Vec<Diagnostic> {
    rules::run(snapshot, inputs)
        .into_iter()
        .map(|f| f.diagnostic)
        .collect()
}

/// The rule engine's findings with `inputs`: those remembered on the snapshot when it has
/// them (see [`Snapshot::remember_findings`]), else a fresh run.
pub fn findings(snapshot: &Snapshot, inputs: &rules::Inputs) -> std::sync::Arc<[rules::Found]> {
    snapshot
        .remembered_findings()
        .unwrap_or_else(|| rules::run(snapshot, inputs).into())
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
    code_actions::code_actions(snapshot, &rules::Inputs::default(), range, diagnostics)
}

/// [`code_actions`] for diagnostics computed with `inputs`.
pub fn code_actions_with(
    snapshot: &Snapshot,
    inputs: &rules::Inputs,
    range: std::ops::Range<usize>,
    diagnostics: &[Diagnostic],
) -> Vec<CodeAction> {
    code_actions::code_actions(snapshot, inputs, range, diagnostics)
}
