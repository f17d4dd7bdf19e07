//! Publishing diagnostics (`textDocument/publishDiagnostics`), pushed after every change.

use tower_lsp_server::ls_types::{self, Uri};

use crate::analysis;
use crate::lsp::documents::Document;
use crate::lsp::registry;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::catch_panic;

/// Publishes the diagnostics of `doc` (the version just stored), if the user wants them.
pub(crate) async fn publish(session: &Session, uri: Uri, doc: &Document) {
    if !session.settings().diagnostics.enable {
        return;
    }
    let enc = session.encoding();
    let snapshot = &doc.snapshot;
    // A panicking analysis publishes nothing for this version rather than stale results.
    let settings = session.settings();
    let registry = session.registry();
    let found = catch_panic("diagnostics", || {
        let mut found = analysis::diagnostics(snapshot);
        if let Some(r) = &registry {
            found.extend(registry::diagnostics(r, snapshot, &settings.diagnostics));
        }
        found
    })
    .unwrap_or_default();
    let diagnostics: Vec<ls_types::Diagnostic> = found
        .iter()
        .map(|d| to_proto::diagnostic(snapshot, &uri, enc, d))
        .collect();
    session
        .client
        .publish_diagnostics(uri, diagnostics, Some(doc.version))
        .await;
}

/// Removes everything we published for `uri`.
pub(crate) async fn clear(session: &Session, uri: Uri) {
    session
        .client
        .publish_diagnostics(uri, Vec::new(), None)
        .await;
}

/// After a settings change: publish for every open document, or clear them all when
/// diagnostics were turned off.
pub(crate) async fn refresh_all(session: &Session) {
    let enabled = session.settings().diagnostics.enable;
    for (uri, doc) in session.documents.all() {
        if enabled {
            publish(session, uri, &doc).await;
        } else {
            clear(session, uri).await;
        }
    }
}
