//! `textDocument/definition`: a stage, variable or heredoc name to the declaration it means.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{GotoDefinitionParams, GotoDefinitionResponse};

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::{catch_panic, document_at};

#[tracing::instrument(
    name = "textDocument/definition",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position_params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    let Some((doc, offset)) = document_at(session, &at) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let target = catch_panic("definition", || {
        analysis::definition::definition(snapshot, offset)
    })?;
    let uri = &at.text_document.uri;
    Ok(target.map(|r| GotoDefinitionResponse::Scalar(to_proto::location(snapshot, enc, uri, r))))
}
