//! `textDocument/didOpen`: store the new document, then publish its diagnostics.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::analysis::Snapshot;
use crate::lsp::arrivals::ArrivedOpenParams;
use crate::lsp::registry;
use crate::lsp::session::Session;

use super::{catch_panic, diagnostics};

/// A `didOpen` parked by the stdin thread: its turn has come.
pub(crate) async fn handle_arrived(session: &Session, params: ArrivedOpenParams) {
    match session.arrivals.claim(params.ticket) {
        Some(params) => handle(session, params).await,
        None => tracing::error!(ticket = params.ticket, "no parked didOpen for this ticket"),
    }
}

#[tracing::instrument(
    name = "textDocument/didOpen",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) async fn handle(session: &Session, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    // The store is updated before the first `.await`, so a `didChange` arriving right behind
    // this notification (handled concurrently) already finds the document.
    session.documents.make_room(item.text.len());
    match catch_panic("opening the document", || Snapshot::new(item.text)) {
        Ok(snapshot) => {
            let doc = session
                .documents
                .insert(item.uri.clone(), item.version, Arc::new(snapshot));
            // Diagnostics first: with the registry on, they find the image sites that
            // prefetching needs, in parallel with the rest on a large file. What registry
            // data is cached does not depend on the order (both only start fetches).
            diagnostics::publish(session, item.uri, &doc).await;
            if let Some(r) = session.registry() {
                let _ = catch_panic("prefetching images", || {
                    registry::prefetch(&r, &doc.snapshot);
                });
            }
        }
        // Logged already; without a snapshot, requests about it get empty answers.
        Err(_) => {
            session.documents.remove(&item.uri);
        }
    }
}
