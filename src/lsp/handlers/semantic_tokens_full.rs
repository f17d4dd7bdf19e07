//! `textDocument/semanticTokens/full`: every token, remembered for a later delta.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{SemanticTokens, SemanticTokensParams, SemanticTokensResult};

use crate::analysis::semantic_tokens::semantic_tokens;
use crate::lsp::answer_json;
use crate::lsp::departures::DEPARTURES;
use crate::lsp::semantic_tokens::encode;
use crate::lsp::session::Session;

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/semanticTokens/full",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let uri = params.text_document.uri;
    let Some(doc) = session.document(&uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let data = catch_panic("semantic tokens", || {
        encode(snapshot, enc, &semantic_tokens(snapshot, None))
    })?;
    let data: Arc<[_]> = data.into();
    let result_id = session.semantic_tokens.store(&uri, Arc::clone(&data));
    // A large result leaves as JSON we write (see `departures`).
    if let Some(stand_in) = DEPARTURES.send_json(|| answer_json::semantic_tokens(&result_id, &data))
    {
        return Ok(stand_in);
    }
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: Some(result_id),
        data: data.to_vec(),
    })))
}
