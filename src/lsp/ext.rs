//! Protocol extensions: requests beyond LSP that tools and our tests can send.

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::TextDocumentIdentifier;
use tower_lsp_server::ls_types::request::Request;

/// `dockerfile-ls/documentText`, a debugging aid: the server's current text and version of an
/// open document, so a client can check that the server's view after a series of incremental
/// edits matches its own (our end-to-end tests do exactly that).
///
/// Params `{ "textDocument": { "uri": ... } }`; result `{ "text": ..., "version": ... }`, or
/// `null` when the document is not open.
#[derive(Debug)]
pub enum DocumentText {}

impl Request for DocumentText {
    type Params = DocumentTextParams;
    type Result = Option<DocumentTextResult>;
    const METHOD: &'static str = "dockerfile-ls/documentText";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentTextResult {
    pub text: String,
    pub version: i32,
}
