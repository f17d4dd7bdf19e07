//! `textDocument/rename`: every occurrence of a stage, variable or heredoc name, or a
//! refusal that says why.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{RenameParams, WorkspaceEdit};

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::{catch_panic, document_at};

#[tracing::instrument(
    name = "textDocument/rename",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position.text_document.uri.as_str())
)]
pub(crate) fn handle(session: &Session, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let at = params.text_document_position;
    let Some((doc, offset)) = document_at(session, &at) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let uri = &at.text_document.uri;
    let new_name = params.new_name;
    let edits = catch_panic("rename", || {
        analysis::rename::rename(snapshot, offset, &new_name)
    })?
    .map_err(|refused| to_proto::request_failed(refused.0))?;
    let caps = session.caps();
    Ok(Some(to_proto::workspace_edit(
        snapshot,
        enc,
        caps,
        uri,
        doc.version,
        edits,
    )))
}
