//! `textDocument/onTypeFormatting`: a new line after a continued one gets its indent.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentOnTypeFormattingParams, TextEdit};

use crate::analysis::format;
use crate::lsp::session::Session;
use crate::lsp::{from_proto, to_proto};

use super::catch_panic;
use super::formatting::options;

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
    let settings = session.settings_for(&params.text_document_position.text_document.uri);
    if !settings.format.enable {
        return Ok(None);
    }
    let at = params.text_document_position;
    let Some(doc) = session.document(&at.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let offset = from_proto::offset(snapshot, at.position, enc);
    let opts = options(&settings.format, &params.options);
    let edits = catch_panic("on-type formatting", || {
        format::on_type(snapshot, offset, &params.ch, &opts)
    })?;
    Ok(Some(
        edits
            .into_iter()
            .map(|e| to_proto::text_edit(snapshot, enc, e))
            .collect(),
    ))
}
