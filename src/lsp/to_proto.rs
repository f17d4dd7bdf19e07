//! Conversions from our analysis results (byte ranges) to LSP types in the negotiated encoding.
//!
//! Offsets converted here come from our own analyses, so they are valid for the snapshot;
//! the line index clamps anyway, which keeps a buggy analysis from producing a panic.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, Mutex, PoisonError};

use serde_json::json;
use tower_lsp_server::ls_types::{
    self, CodeActionOrCommand, CompletionItemKind, CompletionTextEdit, DiagnosticSeverity,
    DocumentChanges, Documentation, HoverContents, InsertTextFormat, Location, MarkupContent,
    MarkupKind, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::analysis::highlight::{Highlight, HighlightKind};
use crate::analysis::{
    CodeAction, CodeActionKind, CompletionItem, CompletionKind, Diagnostic, DiagnosticTag, Edit,
    Hover, Severity, Snapshot, rules,
};
use crate::text::PositionEncoding;

use super::capabilities::ClientCaps;

/// `source` of the diagnostics of our own rules; BuildKit's checks (and later groups) have
/// their group's name (see [`rules::Group::name`]).
pub(crate) const SOURCE: &str = "dockerfile-ls";

pub(crate) fn position(
    snapshot: &Snapshot,
    offset: usize,
    enc: PositionEncoding,
) -> ls_types::Position {
    let doc = &snapshot.doc;
    let p = doc.line_index().position(doc.text(), offset, enc);
    ls_types::Position::new(p.line, p.character)
}

pub(crate) fn range(
    snapshot: &Snapshot,
    range: Range<usize>,
    enc: PositionEncoding,
) -> ls_types::Range {
    ls_types::Range::new(
        position(snapshot, range.start, enc),
        position(snapshot, range.end, enc),
    )
}

pub(crate) fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The typed diagnostic. Publications write their JSON directly
/// (`answer_json::diagnostics`); the tests check it against this.
#[cfg(test)]
pub(crate) fn diagnostic(
    snapshot: &Snapshot,
    uri: &Uri,
    enc: PositionEncoding,
    d: &Diagnostic,
) -> ls_types::Diagnostic {
    let related: Vec<ls_types::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|(r, message)| ls_types::DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range(snapshot, r.clone(), enc)),
            message: message.clone(),
        })
        .collect();
    let tags: Vec<ls_types::DiagnosticTag> = d.tags.iter().map(|t| diagnostic_tag(*t)).collect();
    let (code_description, source) = described(&d.code);
    ls_types::Diagnostic {
        range: range(snapshot, d.range.clone(), enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description,
        source: Some(source.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        ..ls_types::Diagnostic::default()
    }
}

pub(crate) fn diagnostic_tag(tag: DiagnosticTag) -> ls_types::DiagnosticTag {
    match tag {
        DiagnosticTag::Deprecated => ls_types::DiagnosticTag::DEPRECATED,
        DiagnosticTag::Unnecessary => ls_types::DiagnosticTag::UNNECESSARY,
    }
}

/// The documentation link and `source` of a code. Parsing the link is the costly part of
/// converting a diagnostic and a large file publishes hundreds with a few dozen codes, so
/// each code's are worked out once per process (codes are a bounded set: ours, BuildKit's,
/// hadolint's and ShellCheck's).
pub(crate) fn described(code: &str) -> (Option<ls_types::CodeDescription>, &'static str) {
    type Described = (Option<ls_types::CodeDescription>, &'static str);
    static KNOWN: LazyLock<Mutex<HashMap<String, Described>>> = LazyLock::new(Mutex::default);
    let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = known.get(code) {
        return found.clone();
    }
    let info = rules::info(code);
    let code_description = info
        .as_ref()
        .and_then(|i| i.url.as_deref())
        .and_then(|url| url.parse::<Uri>().ok())
        .map(|href| ls_types::CodeDescription { href });
    let found = (code_description, info.map_or(SOURCE, |i| i.group.name()));
    known.insert(code.to_string(), found.clone());
    found
}

/// Whether the client's diagnostic `theirs` is `ours` sent back (same source, code, range).
pub(crate) fn is_echo_of(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    ours: &Diagnostic,
    theirs: &ls_types::Diagnostic,
) -> bool {
    // Some clients drop `source`; the code and the exact range are distinctive enough.
    theirs
        .source
        .as_deref()
        .is_none_or(|s| s == SOURCE || rules::Group::from_name(s).is_some())
        && matches!(&theirs.code, Some(NumberOrString::String(c)) if *c == ours.code)
        && theirs.range == range(snapshot, ours.range.clone(), enc)
}

pub(crate) fn hover(snapshot: &Snapshot, enc: PositionEncoding, h: Hover) -> ls_types::Hover {
    ls_types::Hover {
        contents: HoverContents::Markup(markdown(h.markdown)),
        range: Some(range(snapshot, h.range, enc)),
    }
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

/// Editors choose icons from the kind; nothing else depends on it.
pub(crate) fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword | CompletionKind::Directive => CompletionItemKind::KEYWORD,
        CompletionKind::Flag => CompletionItemKind::PROPERTY,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Variable => CompletionItemKind::VARIABLE,
        CompletionKind::Stage => CompletionItemKind::REFERENCE,
        CompletionKind::Image => CompletionItemKind::MODULE,
        CompletionKind::Tag => CompletionItemKind::CONSTANT,
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
    }
}

/// Our kind's name in `data`, for `completionItem/resolve`: the LSP kinds are coarser than
/// ours (keywords and directives share one), and resolve needs ours back.
pub(crate) fn completion_kind_name(kind: CompletionKind) -> &'static str {
    match kind {
        CompletionKind::Keyword => "keyword",
        CompletionKind::Flag => "flag",
        CompletionKind::Value => "value",
        CompletionKind::Variable => "variable",
        CompletionKind::Stage => "stage",
        CompletionKind::Image => "image",
        CompletionKind::Tag => "tag",
        CompletionKind::Directive => "directive",
        CompletionKind::Snippet => "snippet",
    }
}

/// A completion item for the list. Documentation is left out to keep long lists small; it
/// comes with `completionItem/resolve`, which finds it again from the label, the detail and
/// our kind (kept in `data`).
pub(crate) fn completion_item(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    caps: ClientCaps,
    item: CompletionItem,
) -> ls_types::CompletionItem {
    let snippet = item.is_snippet && caps.snippets;
    let new_text = if item.is_snippet && !caps.snippets {
        snippet_to_plain(&item.insert_text)
    } else {
        item.insert_text
    };
    ls_types::CompletionItem {
        label: item.label,
        kind: Some(completion_kind(item.kind)),
        detail: item.detail,
        sort_text: item.sort_text,
        filter_text: item.filter_text,
        insert_text_format: Some(if snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range(snapshot, item.edit_range, enc),
            new_text,
        ))),
        data: Some(json!({ "kind": completion_kind_name(item.kind) })),
        ..ls_types::CompletionItem::default()
    }
}

/// The part of an item that `completionItem/resolve` adds.
pub(crate) fn completion_documentation(item: &CompletionItem) -> Option<Documentation> {
    item.documentation
        .clone()
        .map(|d| Documentation::MarkupContent(markdown(d)))
}

/// What a snippet inserts when the client cannot expand snippets: placeholders keep their
/// default text, tab stops and choices vanish or keep their first choice, escapes are undone.
pub(crate) fn snippet_to_plain(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&n @ ('$' | '}' | '\\' | ',' | '|')) => {
                    out.push(n);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '$' => match chars.peek() {
                Some(d) if d.is_ascii_digit() => {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                }
                Some('{') => {
                    chars.next();
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    match chars.next() {
                        // `${1:default}`: keep the default, which may nest further snippets.
                        Some(':') => {
                            let inner = take_until_close(&mut chars);
                            out.push_str(&snippet_to_plain(&inner));
                        }
                        // `${1|a,b|}`: keep the first choice.
                        Some('|') => {
                            let inner = take_until_close(&mut chars);
                            let first = inner.split([',', '|']).next().unwrap_or("");
                            out.push_str(first);
                        }
                        // `${1}` or malformed: nothing to insert.
                        _ => {}
                    }
                }
                _ => out.push('$'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The text up to the `}` that closes an already-opened `${`, consuming that `}`.
fn take_until_close(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut depth = 1;
    let mut inner = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                inner.push(c);
                if let Some(n) = chars.next() {
                    inner.push(n);
                }
            }
            '{' => {
                depth += 1;
                inner.push(c);
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
                inner.push(c);
            }
            _ => inner.push(c),
        }
    }
    inner
}

pub(crate) fn code_action_kind(kind: CodeActionKind) -> ls_types::CodeActionKind {
    match kind {
        CodeActionKind::QuickFix => ls_types::CodeActionKind::QUICKFIX,
        CodeActionKind::Refactor => ls_types::CodeActionKind::REFACTOR,
        CodeActionKind::Source => ls_types::CodeActionKind::SOURCE,
    }
}

pub(crate) fn text_edit(snapshot: &Snapshot, enc: PositionEncoding, edit: Edit) -> TextEdit {
    TextEdit::new(range(snapshot, edit.range, enc), edit.new_text)
}

/// Edits of document `uri` at `version`, as a workspace edit.
pub(crate) fn workspace_edit(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    caps: ClientCaps,
    uri: &Uri,
    version: i32,
    edits: Vec<Edit>,
) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = edits
        .into_iter()
        .map(|e| text_edit(snapshot, enc, e))
        .collect();
    // Versioned edits let the client refuse them if the document changed in the meantime.
    if caps.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

pub(crate) fn location(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    uri: &Uri,
    r: Range<usize>,
) -> Location {
    Location::new(uri.clone(), range(snapshot, r, enc))
}

pub(crate) fn document_highlight(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    h: Highlight,
) -> ls_types::DocumentHighlight {
    ls_types::DocumentHighlight {
        range: range(snapshot, h.range, enc),
        kind: Some(match h.kind {
            HighlightKind::Read => ls_types::DocumentHighlightKind::READ,
            HighlightKind::Write => ls_types::DocumentHighlightKind::WRITE,
        }),
    }
}

/// A refusal the user should read (`RequestFailed`), e.g. why a rename cannot be done.
pub(crate) fn request_failed(message: String) -> tower_lsp_server::jsonrpc::Error {
    tower_lsp_server::jsonrpc::Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

/// A code action editing `uri` at `version`. `echoed` are the diagnostics the client sent;
/// those this action fixes are attached so the editor can show the fix next to them.
pub(crate) fn code_action(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    caps: ClientCaps,
    uri: &Uri,
    version: i32,
    action: CodeAction,
    echoed: &[ls_types::Diagnostic],
) -> CodeActionOrCommand {
    let edit = workspace_edit(snapshot, enc, caps, uri, version, action.edits);
    let fixed: Vec<ls_types::Diagnostic> = echoed
        .iter()
        .filter(|t| {
            action.fixes.iter().any(|(r, code)| {
                matches!(&t.code, Some(NumberOrString::String(c)) if c == code)
                    && t.range == range(snapshot, r.clone(), enc)
            })
        })
        .cloned()
        .collect();
    CodeActionOrCommand::CodeAction(ls_types::CodeAction {
        title: action.title,
        kind: Some(code_action_kind(action.kind)),
        diagnostics: (!fixed.is_empty()).then_some(fixed),
        edit: Some(edit),
        is_preferred: action.is_preferred.then_some(true),
        ..ls_types::CodeAction::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(
            snippet_to_plain("FROM ${1:image}:${2:tag}$0"),
            "FROM image:tag"
        );
        assert_eq!(
            snippet_to_plain("--mount=type=${1|cache,bind|}"),
            "--mount=type=cache"
        );
        assert_eq!(snippet_to_plain("a ${1:b ${2:c}} d"), "a b c d");
        assert_eq!(snippet_to_plain(r"\$HOME \} \\"), r"$HOME } \");
        assert_eq!(snippet_to_plain("$ ${1} $"), "$  $");
        assert_eq!(snippet_to_plain("${1:unclosed"), "unclosed");
        assert_eq!(snippet_to_plain("é😀$1x"), "é😀x");
    }

    #[test]
    fn diagnostics_in_the_negotiated_encoding() {
        let snap = Snapshot::new("# é😀\nFROM x\n");
        let uri = ls_types::Uri::from_str("file:///Dockerfile").unwrap_or_else(|e| panic!("{e}"));
        let d = Diagnostic {
            range: 2..8,
            severity: Severity::Warning,
            code: "some-code".into(),
            message: "m".into(),
            related: vec![(9..15, "here".into())],
            tags: vec![DiagnosticTag::Unnecessary],
        };
        let p = diagnostic(&snap, &uri, PositionEncoding::Utf16, &d);
        assert_eq!(p.range.end, ls_types::Position::new(0, 5));
        assert_eq!(p.code, Some(NumberOrString::String("some-code".into())));
        assert_eq!(p.source.as_deref(), Some(SOURCE));
        let p8 = diagnostic(&snap, &uri, PositionEncoding::Utf8, &d);
        assert_eq!(p8.range.end, ls_types::Position::new(0, 8));
        assert!(is_echo_of(&snap, PositionEncoding::Utf8, &d, &p8));
        assert!(!is_echo_of(&snap, PositionEncoding::Utf16, &d, &p8));
        let bk = Diagnostic {
            code: "StageNameCasing".into(),
            ..d
        };
        let p = diagnostic(&snap, &uri, PositionEncoding::Utf8, &bk);
        assert_eq!(p.source.as_deref(), Some("buildkit"));
        assert_eq!(
            p.code_description.as_ref().map(|c| c.href.to_string()),
            Some("https://docs.docker.com/go/dockerfile/rule/stage-name-casing/".to_string())
        );
        assert!(is_echo_of(&snap, PositionEncoding::Utf8, &bk, &p));
    }
}
