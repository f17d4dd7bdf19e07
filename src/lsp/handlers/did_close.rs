//! `textDocument/didClose`: forget the document and clear its diagnostics.

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::lsp::session::Session;

use super::diagnostics;

#[tracing::instrument(
    name = "textDocument/didClose",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) async fn handle(session: &Session, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    session.semantic_tokens.forget(&uri);
    if session.documents.remove(&uri) {
        diagnostics::clear(session, uri).await;
    } else {
        tracing::debug!("close of a document that is not open; ignored");
    }
}
