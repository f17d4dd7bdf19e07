//! One file per LSP method: extract params → snapshot → pure analysis → convert.

pub(crate) mod code_action;
pub(crate) mod completion;
pub(crate) mod completion_resolve;
pub(crate) mod declaration;
pub(crate) mod definition;
pub(crate) mod diagnostics;
pub(crate) mod did_change;
pub(crate) mod did_change_configuration;
pub(crate) mod did_change_watched_files;
pub(crate) mod did_close;
pub(crate) mod did_open;
pub(crate) mod document_highlight;
pub(crate) mod document_link;
pub(crate) mod document_symbol;
pub(crate) mod document_text;
pub(crate) mod folding_range;
pub(crate) mod formatting;
pub(crate) mod hover;
pub(crate) mod initialize;
pub(crate) mod initialized;
pub(crate) mod inlay_hint;
pub(crate) mod on_type_formatting;
pub(crate) mod prepare_rename;
pub(crate) mod range_formatting;
pub(crate) mod references;
pub(crate) mod rename;
pub(crate) mod selection_range;
pub(crate) mod semantic_tokens_full;
pub(crate) mod semantic_tokens_full_delta;
pub(crate) mod semantic_tokens_range;
pub(crate) mod signature_help;
pub(crate) mod workspace_symbol;

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::TextDocumentPositionParams;

use super::documents::Document;
use super::from_proto;
use super::session::Session;

/// The open document a position request is about and the byte offset of its position;
/// `None` (answered with nothing) when the document is not open.
pub(crate) fn document_at(
    session: &Session,
    at: &TextDocumentPositionParams,
) -> Option<(Document, usize)> {
    let doc = session.document(&at.text_document.uri)?;
    let offset = from_proto::offset(&doc.snapshot, at.position, session.encoding());
    Some((doc, offset))
}

/// Runs one pure computation, turning a panic into a logged `InternalError` instead of a
/// dead server: a bug in one analysis must not cost the user every open document.
///
/// Unwind safety is asserted because the closures only read immutable snapshots; whatever a
/// panicking closure built is dropped with it.
pub(crate) fn catch_panic<T>(what: &str, f: impl FnOnce() -> T) -> jsonrpc::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let why = panic_message(payload.as_ref());
        tracing::error!("{what} panicked: {why}");
        jsonrpc::Error {
            code: jsonrpc::ErrorCode::InternalError,
            message: format!("internal error in {what}: {why}").into(),
            data: None,
        }
    })
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(no message)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_internal_errors() {
        assert_eq!(catch_panic("adding", || 1 + 1), Ok(2));
        let err = catch_panic("hover", || -> u8 { panic!("index {} out of range", 7) });
        let err = err.err().map(|e| (e.code, e.message.into_owned()));
        assert_eq!(
            err,
            Some((
                jsonrpc::ErrorCode::InternalError,
                "internal error in hover: index 7 out of range".to_string()
            ))
        );
    }
}
