//! `textDocument/documentHighlight`: the symbol at the cursor, declarations as writes.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentHighlight, DocumentHighlightParams};

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::{catch_panic, document_at};

#[tracing::instrument(
    name = "textDocument/documentHighlight",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position_params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let at = params.text_document_position_params;
    let Some((doc, offset)) = document_at(session, &at) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let found = catch_panic("document highlight", || {
        analysis::highlight::highlights(snapshot, offset)
    })?;
    Ok(Some(
        found
            .into_iter()
            .map(|h| to_proto::document_highlight(snapshot, enc, h))
            .collect(),
    ))
}
