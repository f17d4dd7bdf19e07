//! `completionItem/resolve`: adds the documentation left out of the completion list.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::CompletionItem;

use crate::analysis;
use crate::lsp::session::Session;
use crate::lsp::{from_proto, to_proto};

use super::catch_panic;

/// Stateless: the analysis finds the documentation from the item alone (label, kind,
/// detail), so neither the document nor its version matter here.
#[tracing::instrument(
    name = "completionItem/resolve",
    level = "debug",
    skip_all,
    fields(label = item.label)
)]
pub(crate) fn handle(_session: &Session, mut item: CompletionItem) -> Result<CompletionItem> {
    // Anything unexpected in what the client sent back resolves to the item unchanged.
    let Some(ours) = from_proto::completion_item(&item) else {
        return Ok(item);
    };
    let resolved = catch_panic("completion resolve", || analysis::completion_resolve(&ours))?;
    if item.documentation.is_none() {
        item.documentation = to_proto::completion_documentation(&resolved);
    }
    if item.detail.is_none() {
        item.detail = resolved.detail;
    }
    Ok(item)
}
