//! `textDocument/semanticTokens/full/delta`: the difference from the result the client
//! has, or every token when we no longer have that result.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    SemanticTokens, SemanticTokensDelta, SemanticTokensDeltaParams, SemanticTokensFullDeltaResult,
};

use crate::analysis::semantic_tokens::semantic_tokens;
use crate::lsp::answer_json;
use crate::lsp::departures::DEPARTURES;
use crate::lsp::semantic_tokens::{diff, encode};
use crate::lsp::session::Session;

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/semanticTokens/full/delta",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: SemanticTokensDeltaParams,
) -> Result<Option<SemanticTokensFullDeltaResult>> {
    let uri = params.text_document.uri;
    let Some(doc) = session.document(&uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let previous = session
        .semantic_tokens
        .previous(&uri, &params.previous_result_id);
    let data = catch_panic("semantic tokens", || {
        encode(snapshot, enc, &semantic_tokens(snapshot, None))
    })?;
    let data: Arc<[_]> = data.into();
    let result_id = session.semantic_tokens.store(&uri, Arc::clone(&data));
    let edits = previous.map(|previous| diff(&previous, &data));
    // A large result leaves as JSON we write (see `departures`).
    if let Some(stand_in) = DEPARTURES.send_json(|| match &edits {
        Some(edits) => answer_json::semantic_tokens_delta(&result_id, edits),
        None => answer_json::semantic_tokens(&result_id, &data),
    }) {
        return Ok(stand_in);
    }
    let result_id = Some(result_id);
    Ok(Some(match edits {
        Some(edits) => {
            SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta { result_id, edits })
        }
        None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
            result_id,
            data: data.to_vec(),
        }),
    }))
}
