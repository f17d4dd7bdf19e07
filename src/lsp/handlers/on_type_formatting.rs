//! `textDocument/onTypeFormatting`: a new line after a continued one gets its indent.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentOnTypeFormattingParams, TextEdit};

use crate::analysis::format;
use crate::lsp::from_proto;
use crate::lsp::session::Session;

use super::formatting::answer;

#[tracing::instrument(
    name = "textDocument/onTypeFormatting",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: DocumentOnTypeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let at = &params.text_document_position;
    answer(
        session,
        &at.text_document.uri,
        &params.options,
        "on-type formatting",
        |snapshot, enc, opts| {
            let offset = from_proto::offset(snapshot, at.position, enc);
            (format::on_type(snapshot, offset, &params.ch, opts), None)
        },
    )
}
