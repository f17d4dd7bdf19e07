//! `textDocument/didOpen`: store the new document, then publish its diagnostics.

use std::sync::Arc;

use tower_lsp_server::ls_types::{DidOpenTextDocumentParams, Uri};

use crate::analysis::Snapshot;
use crate::lsp::arrivals::ArrivedOpenParams;
use crate::lsp::registry;
use crate::lsp::session::Session;

use super::{catch_panic, diagnostics};

/// A `didOpen` parked by the stdin thread: its turn has come, and its snapshot is built or
/// on the way.
pub(crate) async fn handle_arrived(session: &Session, params: ArrivedOpenParams) {
    match session.arrivals.claim(params.ticket) {
        Some(arrived) => {
            let (uri, version, len) = (arrived.uri.clone(), arrived.version, arrived.len);
            open(session, uri, version, len, || arrived.snapshot()).await;
        }
        None => tracing::error!(ticket = params.ticket, "no parked didOpen for this ticket"),
    }
}

/// A `didOpen` that tower-lsp-server decoded.
pub(crate) async fn handle(session: &Session, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    let len = item.text.len();
    let build = || catch_panic("opening the document", || Snapshot::new(item.text)).ok();
    open(session, item.uri, item.version, len, build).await;
}

#[tracing::instrument(name = "textDocument/didOpen", level = "debug", skip_all, fields(uri = uri.as_str()))]
async fn open(
    session: &Session,
    uri: Uri,
    version: i32,
    len: usize,
    build: impl FnOnce() -> Option<Snapshot>,
) {
    // The store is updated before the first `.await`, so a `didChange` arriving right behind
    // this notification (handled concurrently) already finds the document.
    session.documents.make_room(len);
    match build() {
        Some(snapshot) => {
            let doc = session
                .documents
                .insert(uri.clone(), version, Arc::new(snapshot));
            // Diagnostics first: with the registry on, they find the image sites that
            // prefetching needs, in parallel with the rest on a large file. What registry
            // data is cached does not depend on the order (both only start fetches).
            diagnostics::publish(session, uri, &doc).await;
            if let Some(r) = session.registry() {
                let _ = catch_panic("prefetching images", || {
                    registry::prefetch(&r, &doc.snapshot);
                });
            }
        }
        // Logged already; without a snapshot, requests about it get empty answers.
        None => {
            session.documents.remove(&uri);
        }
    }
}
