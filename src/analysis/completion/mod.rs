//! Completion: keywords, flags and their values, mount fields, variables, stages, parser
//! directives, and (through the [`images::ImageCatalog`] seam) image names and tags.
//!
//! [`completion_with`] asks [`cursor::locate`](super::cursor::locate) where the cursor is and
//! hands over to one module per context. Each looks at the word being typed (the text
//! between the last blank and the cursor) because half-typed text is exactly what the model
//! cannot fully classify, and answers with items whose `edit_range` covers that word.
//!
//! Costly documentation (the rendered catalog pages) is left out of the list and filled in
//! by [`completion_resolve`] for the one item the user looks at.

mod arguments;
mod directives;
mod flags;
pub mod images;
mod keywords;
mod mounts;
mod resolve;
mod stages;
mod variables;

use std::ops::Range;

pub use images::{ImageCatalog, ImageSuggestion, TagSuggestion};
pub use resolve::completion_resolve;

use super::cursor::{self, Target};
use super::{CompletionItem, CompletionKind, Snapshot};
use crate::model::Model;

/// The answer to a completion request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompletionList {
    pub items: Vec<CompletionItem>,
    /// The list is partial (e.g. a registry fetch is running): the client should ask again
    /// as the user types instead of filtering this list. Can be true with no items at all.
    pub incomplete: bool,
}

/// Completions at `offset`, without registry data.
pub fn completion(snapshot: &Snapshot, offset: usize) -> Vec<CompletionItem> {
    completion_with(snapshot, offset, None).items
}

/// Completions at `offset`; image names and tags come from `images` when given.
pub fn completion_with(
    snapshot: &Snapshot,
    offset: usize,
    images: Option<&dyn ImageCatalog>,
) -> CompletionList {
    let cursor = cursor::locate(snapshot, offset);
    let ctx = Ctx {
        snapshot,
        text: snapshot.text(),
        model: &snapshot.model,
        offset: cursor.offset,
        images,
    };
    let mut out = CompletionList::default();
    match &cursor.target {
        Target::Directive { .. } | Target::Comment { header: true, .. } => {
            directives::complete(&ctx, &mut out);
        }
        Target::Comment { .. } | Target::HeredocMarker { .. } => {}
        Target::Blank { header } => keywords::at_blank(&ctx, *header, &mut out),
        Target::Keyword { at, range } => keywords::at_keyword(&ctx, *at, range.clone(), &mut out),
        Target::HeredocBody { at, heredoc } => {
            // The body is a script or a file: only variables make sense, and only where
            // something expands them.
            if heredoc.expand {
                variables::in_line(&ctx, *at, &mut out);
            }
        }
        target => {
            if let Some(at) = target.at() {
                if ctx.offset > at.instruction.line_range().end {
                    variables::in_line(&ctx, at, &mut out);
                } else {
                    arguments::complete(&ctx, at, &mut out);
                }
            }
        }
    }
    out.incomplete |= out.items.iter().any(|i| i.incomplete);
    out
}

/// What every completion context needs.
pub(crate) struct Ctx<'a> {
    pub snapshot: &'a Snapshot,
    pub text: &'a str,
    pub model: &'a Model,
    /// The cursor, clamped into the text on a char boundary.
    pub offset: usize,
    pub images: Option<&'a dyn ImageCatalog>,
}

impl Ctx<'_> {
    /// The text from `start` to the cursor.
    fn before(&self, start: usize) -> &str {
        self.text.get(start..self.offset).unwrap_or("")
    }

    /// The end of the word at the cursor, for edit ranges that replace the whole word:
    /// characters accepted by `keep`, stopping at blanks.
    fn word_end(&self, keep: impl Fn(char) -> bool) -> usize {
        cursor::word_end(self.text, self.offset, |c| !c.is_whitespace() && keep(c))
    }
}

/// A plain item that inserts its label.
fn item(label: impl Into<String>, kind: CompletionKind, range: Range<usize>) -> CompletionItem {
    let label = label.into();
    CompletionItem {
        insert_text: label.clone(),
        label,
        kind,
        detail: None,
        documentation: None,
        is_snippet: false,
        edit_range: range,
        sort_text: None,
        filter_text: None,
        incomplete: false,
    }
}

/// An item inserting a snippet (`${1:x}` placeholders).
fn snippet(
    label: impl Into<String>,
    kind: CompletionKind,
    range: Range<usize>,
    body: impl Into<String>,
) -> CompletionItem {
    CompletionItem {
        insert_text: body.into(),
        is_snippet: true,
        ..item(label, kind, range)
    }
}

/// Escapes text for the inside of a snippet (`$`, `}` and `\` are special there).
fn snippet_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A sort key keeping the order in which items were produced.
fn order(group: u8, i: usize) -> Option<String> {
    Some(format!("{group}{i:04}"))
}

/// Whether the file writes its keywords in lower case, judged from the instructions around
/// `index` (not the whole file, to keep the cost constant); `None` when there are none.
fn lowercase_file(model: &Model, index: usize, skip: Option<usize>) -> Option<bool> {
    const NEIGHBOURS: usize = 4;
    let from = index.saturating_sub(NEIGHBOURS);
    let to = (index + NEIGHBOURS).min(model.instructions.len());
    let (mut lower, mut other) = (0, 0);
    for (i, inst) in model.instructions[from..to].iter().enumerate() {
        if Some(from + i) == skip {
            continue;
        }
        let keyword = &inst.command().keyword;
        if keyword.chars().all(|c| !c.is_uppercase()) {
            lower += 1;
        } else {
            other += 1;
        }
    }
    (lower + other > 0).then_some(lower > other)
}

/// `word` in the file's casing.
fn cased(word: &str, lowercase: bool) -> String {
    if lowercase {
        word.to_ascii_lowercase()
    } else {
        word.to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests;
