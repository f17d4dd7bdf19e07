//! `textDocument/completion`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CompletionList, CompletionParams, CompletionResponse};

use crate::analysis;
use crate::analysis::completion::ImageCatalog;
use crate::lsp::registry::Catalog;
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
    let registry = session.registry();
    let context = session.build_context(&at.text_document.uri);
    let list = catch_panic("completion", || {
        let catalog = registry.as_ref().map(|registry| Catalog { registry });
        let images = catalog.as_ref().map(|c| c as &dyn ImageCatalog);
        let mut list = analysis::completion::completion_with(snapshot, offset, images);
        if let Some(ctx) = &context
            && let Some(files) = analysis::build_context::source_completion(snapshot, offset, ctx)
        {
            list.items.extend(files);
        }
        list
    })?;
    let is_incomplete = list.incomplete || list.items.iter().any(|i| i.incomplete);
    let items = list
        .items
        .into_iter()
        .map(|i| to_proto::completion_item(snapshot, enc, caps, i))
        .collect();
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete,
        items,
    })))
}
