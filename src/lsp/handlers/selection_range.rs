//! `textDocument/selectionRange`: for each position, the ranges from the word outwards.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{SelectionRange, SelectionRangeParams};

use crate::analysis::selection::selection_ranges;
use crate::lsp::session::Session;
use crate::lsp::{from_proto, nav_to_proto};

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/selectionRange",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: SelectionRangeParams,
) -> Result<Option<Vec<SelectionRange>>> {
    let Some(doc) = session.document(&params.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let mut out = Vec::with_capacity(params.positions.len());
    for position in params.positions {
        let offset = from_proto::offset(snapshot, position, enc);
        let chain = catch_panic("selection ranges", || selection_ranges(snapshot, offset))?;
        out.push(nav_to_proto::selection_range(
            snapshot, enc, chain, position,
        ));
    }
    Ok(Some(out))
}
