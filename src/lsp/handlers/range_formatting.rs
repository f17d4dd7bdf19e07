//! `textDocument/rangeFormatting`: the whole instructions that overlap the range.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentRangeFormattingParams, TextEdit};

use crate::analysis::format;
use crate::lsp::session::Session;
use crate::lsp::{from_proto, to_proto};

use super::catch_panic;
use super::formatting::{log_kept, options};

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
    let settings = session.settings_for(&params.text_document.uri);
    if !settings.format.enable {
        return Ok(None);
    }
    let Some(doc) = session.document(&params.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let range = from_proto::range(snapshot, params.range, enc);
    let opts = options(&settings.format, &params.options);
    let (edits, formatted) = catch_panic("range formatting", || {
        format::range_edits(snapshot, range, &opts)
    })?;
    log_kept(
        params.text_document.uri.as_str(),
        snapshot.text(),
        &formatted,
    );
    Ok(Some(
        edits
            .into_iter()
            .map(|e| to_proto::text_edit(snapshot, enc, e))
            .collect(),
    ))
}
