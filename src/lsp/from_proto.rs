//! Conversions from LSP types to ours: client positions become byte offsets, clamped.
//!
//! Together with `to_proto`, the only place that knows both worlds. Client positions are
//! never trusted: past the end of a line or of the document, or inside a multi-unit
//! character, they are clamped by the line index instead of failing.

use std::ops::Range;

use tower_lsp_server::ls_types;

use crate::analysis::{CompletionItem, CompletionKind, Diagnostic, Snapshot};
use crate::text::{ContentChange, Position, PositionEncoding};

use super::to_proto;

/// Our position type for an LSP one.
pub(crate) fn position(p: ls_types::Position) -> Position {
    Position::new(p.line, p.character)
}

/// The byte offset of a client position in `snapshot`.
pub(crate) fn offset(snapshot: &Snapshot, p: ls_types::Position, enc: PositionEncoding) -> usize {
    let doc = &snapshot.doc;
    doc.line_index().offset(doc.text(), position(p), enc)
}

/// The byte range of a client range; a reversed range is put in order.
pub(crate) fn range(
    snapshot: &Snapshot,
    r: ls_types::Range,
    enc: PositionEncoding,
) -> Range<usize> {
    let doc = &snapshot.doc;
    doc.line_index()
        .offset_range(doc.text(), position(r.start), position(r.end), enc)
}

/// A `didChange` content change; the positions are resolved later, against the text as the
/// earlier changes of the same notification left it.
pub(crate) fn content_change(change: ls_types::TextDocumentContentChangeEvent) -> ContentChange {
    match change.range {
        Some(r) => ContentChange::ranged(position(r.start), position(r.end), change.text),
        None => ContentChange::full(change.text),
    }
}

/// Which of `ours` (the snapshot's current diagnostics) the client sent back in a code-action
/// request. Clients echo our diagnostics, so matching code and range recovers them exactly;
/// anything else (other tools' diagnostics, stale ones) matches nothing.
pub(crate) fn diagnostics(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    ours: Vec<Diagnostic>,
    theirs: &[ls_types::Diagnostic],
) -> Vec<Diagnostic> {
    ours.into_iter()
        .filter(|d| {
            theirs
                .iter()
                .any(|t| to_proto::is_echo_of(snapshot, enc, d, t))
        })
        .collect()
}

/// A completion item sent back for `completionItem/resolve`, as far as resolving needs it:
/// label, detail, and our kind from `data`. `None` if it is not one of ours.
pub(crate) fn completion_item(item: &ls_types::CompletionItem) -> Option<CompletionItem> {
    let name = item.data.as_ref()?.get("kind")?.as_str()?;
    let kind = [
        CompletionKind::Keyword,
        CompletionKind::Flag,
        CompletionKind::Value,
        CompletionKind::Variable,
        CompletionKind::Stage,
        CompletionKind::Image,
        CompletionKind::Tag,
        CompletionKind::Directive,
        CompletionKind::Snippet,
    ]
    .into_iter()
    .find(|&k| to_proto::completion_kind_name(k) == name)?;
    Some(CompletionItem {
        label: item.label.clone(),
        kind,
        detail: item.detail.clone(),
        documentation: None,
        insert_text: String::new(),
        is_snippet: false,
        edit_range: 0..0,
        sort_text: None,
        filter_text: None,
        incomplete: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ls_types::{Position as P, Range as R, TextDocumentContentChangeEvent};

    #[test]
    fn clamps_positions() {
        let snap = Snapshot::new("FROM a😀b\nRUN x\n");
        let enc = PositionEncoding::Utf16;
        assert_eq!(offset(&snap, P::new(0, 0), enc), 0);
        // Inside the surrogate pair: rounds down to the start of the emoji.
        assert_eq!(offset(&snap, P::new(0, 7), enc), 6);
        assert_eq!(offset(&snap, P::new(0, 999), enc), 11);
        assert_eq!(offset(&snap, P::new(u32::MAX, u32::MAX), enc), 18);
        assert_eq!(range(&snap, R::new(P::new(1, 3), P::new(0, 0)), enc), 0..15);
    }

    #[test]
    fn completion_items_come_back_with_our_kind() {
        let item = |data: serde_json::Value| ls_types::CompletionItem {
            label: "FROM".into(),
            detail: Some("d".into()),
            data: Some(data),
            ..ls_types::CompletionItem::default()
        };
        for kind in [
            CompletionKind::Keyword,
            CompletionKind::Directive,
            CompletionKind::Tag,
        ] {
            let name = to_proto::completion_kind_name(kind);
            let back = completion_item(&item(serde_json::json!({ "kind": name })));
            assert_eq!(
                back.map(|i| (i.kind, i.label, i.detail)),
                Some((kind, "FROM".into(), Some("d".into())))
            );
        }
        assert!(completion_item(&item(serde_json::json!({"kind": "nope"}))).is_none());
        assert!(completion_item(&item(serde_json::json!(3))).is_none());
    }

    #[test]
    fn content_changes() {
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "x".into(),
        };
        assert_eq!(content_change(full), ContentChange::full("x"));
        let part = TextDocumentContentChangeEvent {
            range: Some(R::new(P::new(1, 2), P::new(1, 3))),
            range_length: Some(1),
            text: "y".into(),
        };
        assert_eq!(
            content_change(part),
            ContentChange::ranged(Position::new(1, 2), Position::new(1, 3), "y")
        );
    }
}
