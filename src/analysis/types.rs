//! Plain result types of the analyses, in byte ranges of the document text.

use std::borrow::Cow;
use std::ops::Range;

pub use crate::model::Severity;

/// A diagnostic's code: the id of the rule that reports it (`StageNameCasing`,
/// `unknown-instruction`), static for most rules and built at run time for families whose
/// codes are open-ended (ShellCheck's `SC2086`). See [`crate::analysis::rules`].
pub type Code = Cow<'static, str>;

/// A problem to show in the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: Range<usize>,
    pub severity: Severity,
    /// The id of the rule that found it, e.g. `unknown-instruction` or `StageNameCasing`.
    pub code: Code,
    pub message: String,
    /// Extra places that explain the problem (e.g. the first of two duplicate stage names).
    pub related: Vec<(Range<usize>, String)>,
    /// Marks text that is deprecated or unnecessary, for editors that render it specially.
    pub tags: Vec<DiagnosticTag>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticTag {
    Deprecated,
    Unnecessary,
}

/// Hover documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: Range<usize>,
    pub markdown: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Flag,
    Value,
    Variable,
    Stage,
    Image,
    Tag,
    Directive,
    Snippet,
}

/// One completion proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// Text replacing `edit_range`; a snippet (`$1`, `${1:x}`) when `is_snippet`.
    pub insert_text: String,
    pub is_snippet: bool,
    pub edit_range: Range<usize>,
    /// Orders items; compared as strings.
    pub sort_text: Option<String>,
    pub filter_text: Option<String>,
    /// Whether the list is known to be partial (e.g. a registry fetch is still running).
    pub incomplete: bool,
}

/// A text edit in byte offsets of the current document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeActionKind {
    QuickFix,
    Refactor,
    Source,
}

/// A code action that edits this document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub kind: CodeActionKind,
    pub edits: Vec<Edit>,
    /// The diagnostics (by code and range) this action fixes.
    pub fixes: Vec<(Range<usize>, Code)>,
    pub is_preferred: bool,
}
