//! `workspace/symbol`: the stages and global ARGs of every open document that match.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{WorkspaceSymbolParams, WorkspaceSymbolResponse};

use crate::analysis::workspace_symbols::workspace_symbols;
use crate::lsp::nav_to_proto;
use crate::lsp::session::Session;

use super::catch_panic;

#[tracing::instrument(name = "workspace/symbol", level = "debug", skip_all)]
pub(crate) fn handle(
    session: &Session,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let enc = session.encoding();
    let mut out = Vec::new();
    for uri in session.documents.uris() {
        // Documents set aside to save memory are read without being kept analysed.
        let Some(snapshot) = session.documents.snapshot_for_reading(&uri) else {
            continue;
        };
        let found = catch_panic("workspace symbols", || {
            workspace_symbols(&snapshot, &params.query)
        })?;
        out.extend(found.into_iter().map(|s| {
            nav_to_proto::symbol_information(
                &snapshot,
                enc,
                &uri,
                s.name,
                s.kind,
                s.range,
                Some(s.detail),
            )
        }));
    }
    out.sort_by(|a, b| {
        (a.location.uri.as_str(), a.location.range.start.line)
            .cmp(&(b.location.uri.as_str(), b.location.range.start.line))
    });
    Ok(Some(WorkspaceSymbolResponse::Flat(out)))
}
