//! `textDocument/documentSymbol`: the outline, as a tree or (for clients without
//! hierarchical support) as a flat list with container names.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentSymbolParams, DocumentSymbolResponse};

use crate::analysis::document_symbols::{document_symbols, flatten};
use crate::lsp::answer_json;
use crate::lsp::departures::DEPARTURES;
use crate::lsp::nav_to_proto;
use crate::lsp::session::Session;

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/documentSymbol",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let uri = params.text_document.uri;
    let Some(doc) = session.document(&uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let symbols = catch_panic("document symbols", || document_symbols(snapshot))?;
    let hierarchical = session.caps().nav.hierarchical_symbols;
    // A large outline leaves as JSON we write (see `departures`).
    if let Some(stand_in) = DEPARTURES.send_json(|| {
        if hierarchical {
            answer_json::outline(snapshot, enc, &symbols)
        } else {
            answer_json::flat_outline(snapshot, enc, &uri, &symbols)
        }
    }) {
        return Ok(stand_in);
    }
    let answer = if hierarchical {
        DocumentSymbolResponse::Nested(
            symbols
                .into_iter()
                .map(|s| nav_to_proto::document_symbol(snapshot, enc, s))
                .collect(),
        )
    } else {
        DocumentSymbolResponse::Flat(
            flatten(symbols)
                .into_iter()
                .map(|(s, container)| {
                    nav_to_proto::symbol_information(
                        snapshot, enc, &uri, s.name, s.kind, s.range, container,
                    )
                })
                .collect(),
        )
    };
    Ok(Some(answer))
}
