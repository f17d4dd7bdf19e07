//! `textDocument/completion`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CompletionList, CompletionParams, CompletionResponse};

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::{from_proto, to_proto};

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/completion",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let at = params.text_document_position;
    let Some(doc) = session.document(&at.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc, caps) = (&doc.snapshot, session.encoding(), session.caps());
    let offset = from_proto::offset(snapshot, at.position, enc);
    let items = catch_panic("completion", || analysis::completion(snapshot, offset))?;
    let is_incomplete = items.iter().any(|i| i.incomplete);
    let items = items
        .into_iter()
        .map(|i| to_proto::completion_item(snapshot, enc, caps, i))
        .collect();
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete,
        items,
    })))
}
