//! `textDocument/declaration`: where the symbol at the cursor is first declared (the global
//! ARG behind an `ARG NAME` in a stage).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::request::{GotoDeclarationParams, GotoDeclarationResponse};

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::{catch_panic, document_at};

#[tracing::instrument(
    name = "textDocument/declaration",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position_params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: GotoDeclarationParams,
) -> Result<Option<GotoDeclarationResponse>> {
    let at = params.text_document_position_params;
    let Some((doc, offset)) = document_at(session, &at) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let target = catch_panic("declaration", || {
        analysis::definition::declaration(snapshot, offset)
    })?;
    let uri = &at.text_document.uri;
    Ok(target.map(|r| GotoDeclarationResponse::Scalar(to_proto::location(snapshot, enc, uri, r))))
}
