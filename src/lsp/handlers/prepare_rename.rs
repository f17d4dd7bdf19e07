//! `textDocument/prepareRename`: the name a rename would change, or why it cannot.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{PrepareRenameResponse, TextDocumentPositionParams};

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::{catch_panic, document_at};

#[tracing::instrument(
    name = "textDocument/prepareRename",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((doc, offset)) = document_at(session, &params) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let target = catch_panic("prepare rename", || {
        analysis::rename::prepare_rename(snapshot, offset)
    })?
    .map_err(|refused| to_proto::request_failed(refused.0))?;
    Ok(target.map(|t| PrepareRenameResponse::RangeWithPlaceholder {
        range: to_proto::range(snapshot, t.range, enc),
        placeholder: t.placeholder,
    }))
}
