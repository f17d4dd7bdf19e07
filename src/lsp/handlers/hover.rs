//! `textDocument/hover`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverParams};

use crate::analysis;
use crate::lsp::inputs;
use crate::lsp::registry;
use crate::lsp::session::Session;
use crate::lsp::{from_proto, to_proto};

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/hover",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position_params.text_document.uri.as_str())
)]
pub(crate) fn handle(session: &Session, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    let Some(doc) = session.document(&at.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let offset = from_proto::offset(snapshot, at.position, enc);
    let registry = session.registry();
    let settings = session.settings_for(&at.text_document.uri);
    let inputs = inputs::for_document(&settings, &at.text_document.uri, registry.as_ref());
    let hover = catch_panic("hover", || {
        let base = analysis::hover(snapshot, offset);
        let base = match &registry {
            Some(r) => registry::hover(r, snapshot, offset, base),
            None => base,
        };
        analysis::hover::with_rules(snapshot, &inputs, offset, base)
    })?;
    Ok(hover.map(|h| to_proto::hover(snapshot, enc, h)))
}
