//! `textDocument/references`: every place the symbol at the cursor is written.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Location, ReferenceParams};

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::{catch_panic, document_at};

#[tracing::instrument(
    name = "textDocument/references",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position.text_document.uri.as_str())
)]
pub(crate) fn handle(session: &Session, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let at = params.text_document_position;
    let Some((doc, offset)) = document_at(session, &at) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let uri = &at.text_document.uri;
    let include = params.context.include_declaration;
    let found = catch_panic("references", || {
        analysis::references::references(snapshot, offset, include)
    })?;
    Ok(Some(
        found
            .into_iter()
            .map(|r| to_proto::location(snapshot, enc, uri, r))
            .collect(),
    ))
}
