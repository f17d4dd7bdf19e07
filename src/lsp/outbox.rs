//! Notifications the server writes to stdout itself, past tower-lsp-server.
//!
//! tower-lsp-server turns every outgoing message into a `serde_json::Value` before encoding
//! it. For `publishDiagnostics` on a large file (thousands of diagnostics, hundreds of KB)
//! that detour cost more than finding the diagnostics: a map and a string per field, built
//! and freed on every keystroke. Here the typed params are encoded straight into the frame
//! and queued for the stdout thread, the same queue tower-lsp-server's own frames go
//! through, so a frame is never split.
//!
//! Order: the frames sent here keep their order among themselves (publications of
//! diagnostics are serialized by `Session::publishing`). Against tower-lsp-server's frames
//! there is no order to keep: the protocol orders neither notifications nor responses
//! against notifications.

use serde::Serialize;
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
use tower_lsp_server::ls_types::{Diagnostic, PublishDiagnosticsParams, Uri};

use super::transport::FrameQueue;

/// The sending end for notifications written without tower-lsp-server.
#[derive(Clone, Debug)]
pub(crate) struct Outbox {
    queue: FrameQueue,
}

impl Outbox {
    pub fn new(queue: FrameQueue) -> Outbox {
        Outbox { queue }
    }

    /// `textDocument/publishDiagnostics`.
    pub fn publish_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.notify::<PublishDiagnostics>(&params);
    }

    fn notify<N: Notification>(&self, params: &N::Params)
    where
        N::Params: Serialize,
    {
        #[derive(Serialize)]
        struct Message<'a, P> {
            jsonrpc: &'static str,
            method: &'static str,
            params: &'a P,
        }
        let message = Message {
            jsonrpc: "2.0",
            method: N::METHOD,
            params,
        };
        match serde_json::to_vec(&message) {
            Ok(body) => {
                if !self.queue.send(&body) {
                    tracing::debug!("{}: the client is gone", N::METHOD);
                }
            }
            // The params are LSP types with string keys: this cannot happen, and should it,
            // dropping one notification is all it costs.
            Err(err) => tracing::error!("cannot encode {}: {err}", N::METHOD),
        }
    }
}
