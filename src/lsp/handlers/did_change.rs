//! `textDocument/didChange`: apply the edits to the stored snapshot, then publish diagnostics.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::analysis::Snapshot;
use crate::lsp::from_proto;
use crate::lsp::session::Session;
use crate::lsp::typing;
use crate::text::ContentChange;

use super::{catch_panic, diagnostics};

#[tracing::instrument(
    name = "textDocument/didChange",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) async fn handle(session: &Session, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let changes: Vec<ContentChange> = params
        .content_changes
        .into_iter()
        .map(from_proto::content_change)
        .collect();
    let enc = session.encoding();
    // Synchronous, before any `.await`: tower-lsp-server starts handlers in arrival order,
    // so applying here applies every change in the order the client sent it. Versions are
    // recorded, not checked: the client's order is the truth.
    let update = session
        .documents
        .update(&uri, params.text_document.version, |old| {
            catch_panic("applying changes", || {
                let next = old.apply(&changes, enc);
                let focus = typing::focus_of(old, &next, &changes, enc);
                (next, focus)
            })
        });
    match update {
        Some(Ok(doc)) => {
            // The reference being typed is fetched for once the user stops.
            typing::settle_later(session, uri.clone(), &doc);
            diagnostics::publish(session, uri, &doc).await;
            // After the diagnostics, which the user waits for: built beside them, the index
            // took a core from them.
            if session.caps().nav.semantic_tokens {
                warm_symbol_index(&doc.snapshot);
            }
        }
        // The document was dropped; take its now meaningless diagnostics with it.
        Some(Err(_)) => diagnostics::clear(session, uri).await,
        None => tracing::debug!("change to a document that is not open; ignored"),
    }
}

/// Builds the new version's symbol index on the analysis threads once its diagnostics are
/// out. A client with semantic tokens asks for them (a delta) after every change, and the
/// index was most of that request's time: it is built on first use, and on a file full of
/// variables it costs more than the tokens themselves.
fn warm_symbol_index(snapshot: &Arc<Snapshot>) {
    let snapshot = Arc::clone(snapshot);
    rayon::spawn(move || {
        // A panic is logged by `catch_panic`; the request that needs the index will meet
        // it again and answer with an error.
        let _ = catch_panic("building the symbol index", || {
            snapshot.index();
        });
    });
}
