//! `textDocument/semanticTokens/range`: the tokens of the visible part of a document.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    SemanticTokens, SemanticTokensRangeParams, SemanticTokensRangeResult,
};

use crate::analysis::semantic_tokens::semantic_tokens;
use crate::lsp::from_proto;
use crate::lsp::semantic_tokens::encode;
use crate::lsp::session::Session;

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/semanticTokens/range",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let Some(doc) = session.document(&params.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let range = from_proto::range(snapshot, params.range, enc);
    let data = catch_panic("semantic tokens", || {
        encode(snapshot, enc, &semantic_tokens(snapshot, Some(range)))
    })?;
    Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}
