//! `textDocument/rangeFormatting`: the whole instructions that overlap the range.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentRangeFormattingParams, TextEdit};

use crate::analysis::format;
use crate::lsp::from_proto;
use crate::lsp::session::Session;

use super::formatting::answer;

#[tracing::instrument(
    name = "textDocument/rangeFormatting",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let uri = &params.text_document.uri;
    answer(
        session,
        uri,
        &params.options,
        "range formatting",
        |snapshot, enc, opts| {
            let range = from_proto::range(snapshot, params.range, enc);
            let (edits, formatted) = format::range_edits(snapshot, range, opts);
            (edits, Some(formatted))
        },
    )
}
