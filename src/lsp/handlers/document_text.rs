//! `dockerfile-ls/documentText` (a debugging aid, see `ext`): the server's view of a document.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::ext::{DocumentTextParams, DocumentTextResult};
use crate::lsp::session::Session;

#[tracing::instrument(name = "dockerfile-ls/documentText", level = "debug", skip_all)]
pub(crate) fn handle(
    session: &Session,
    params: DocumentTextParams,
) -> Result<Option<DocumentTextResult>> {
    Ok(session
        .document(&params.text_document.uri)
        .map(|doc| DocumentTextResult {
            text: doc.snapshot.text().to_string(),
            version: doc.version,
        }))
}
