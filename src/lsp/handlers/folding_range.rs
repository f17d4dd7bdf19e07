//! `textDocument/foldingRange`: stages, multi-line instructions, heredoc bodies, comment
//! blocks and the directive header, within the client's `rangeLimit`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeParams};

use crate::analysis::folding::folding_ranges;
use crate::lsp::departures::DEPARTURES;
use crate::lsp::nav_to_proto;
use crate::lsp::session::Session;

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/foldingRange",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    let Some(doc) = session.document(&params.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc, nav) = (&doc.snapshot, session.encoding(), session.caps().nav);
    let limit = nav.folding_range_limit.map(|l| l as usize);
    let folds = catch_panic("folding ranges", || folding_ranges(snapshot, limit))?;
    Ok(DEPARTURES.send(Some(
        folds
            .into_iter()
            .map(|f| nav_to_proto::folding_range(snapshot, enc, f, nav.line_folding_only))
            .collect(),
    )))
}
