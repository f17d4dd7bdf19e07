//! Notifications the server writes to stdout itself, past tower-lsp-server.
//!
//! tower-lsp-server turns every outgoing message into a `serde_json::Value` before encoding
//! it. For `publishDiagnostics` on a large file (thousands of diagnostics, hundreds of KB)
//! that detour cost more than finding the diagnostics: a map and a string per field, built
//! and freed on every keystroke. Here the diagnostics arrive as JSON already (written by
//! `super::answer_json`), are framed, and are queued for the stdout thread, the same queue
//! tower-lsp-server's own frames go through, so a frame is never split.
//!
//! Order: the frames sent here keep their order among themselves (publications of
//! diagnostics are serialized by `Session::publishing`). Against tower-lsp-server's frames
//! there is no order to keep: the protocol orders neither notifications nor responses
//! against notifications.

use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};

use super::transport::FrameQueue;

/// The message of a `publishDiagnostics` whose diagnostics are `diagnostics`: their JSON,
/// separated by commas (see `super::answer_json::diagnostics`).
fn publication(uri: &Uri, diagnostics: &[u8], version: Option<i32>) -> serde_json::Result<Vec<u8>> {
    let mut body = Vec::with_capacity(diagnostics.len() + 256);
    body.extend_from_slice(br#"{"jsonrpc":"2.0","method":""#);
    body.extend_from_slice(PublishDiagnostics::METHOD.as_bytes());
    body.extend_from_slice(br#"","params":{"uri":"#);
    serde_json::to_writer(&mut body, uri)?;
    body.extend_from_slice(br#","diagnostics":["#);
    body.extend_from_slice(diagnostics);
    body.push(b']');
    if let Some(version) = version {
        body.extend_from_slice(br#","version":"#);
        serde_json::to_writer(&mut body, &version)?;
    }
    body.extend_from_slice(b"}}");
    Ok(body)
}

/// The sending end for notifications written without tower-lsp-server.
#[derive(Clone, Debug)]
pub(crate) struct Outbox {
    queue: FrameQueue,
}

impl Outbox {
    pub fn new(queue: FrameQueue) -> Outbox {
        Outbox { queue }
    }

    /// `textDocument/publishDiagnostics`, with `diagnostics` already written as JSON and
    /// separated by commas.
    pub fn publish_diagnostics(&self, uri: Uri, diagnostics: Vec<u8>, version: Option<i32>) {
        match publication(&uri, &diagnostics, version) {
            Ok(body) => {
                if !self.queue.send(&body) {
                    tracing::debug!("{}: the client is gone", PublishDiagnostics::METHOD);
                }
            }
            Err(err) => tracing::error!("cannot encode {}: {err}", PublishDiagnostics::METHOD),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{
        Diagnostic, DiagnosticSeverity, NumberOrString, Position, PublishDiagnosticsParams, Range,
    };

    /// The framed diagnostics read as the same message as the typed params encoded at once.
    #[test]
    fn publications_read_like_the_typed_message() {
        let uri: Uri = "file:///w/Dockerfile".parse().expect("a valid URI");
        for count in [0, 1, 2, 300] {
            let diagnostics: Vec<Diagnostic> = (0..count)
                .map(|i| Diagnostic {
                    range: Range::new(Position::new(i, 0), Position::new(i, 3)),
                    severity: Some(DiagnosticSeverity::WARNING),
                    code: Some(NumberOrString::String(format!("DL{i}"))),
                    message: format!("finding \"{i}\"\n"),
                    ..Diagnostic::default()
                })
                .collect();
            let written: Vec<String> = diagnostics
                .iter()
                .map(|d| serde_json::to_string(d).expect("encodes"))
                .collect();
            for version in [None, Some(7)] {
                let params =
                    PublishDiagnosticsParams::new(uri.clone(), diagnostics.clone(), version);
                let typed = serde_json::json!({
                    "jsonrpc": "2.0",
                    "method": PublishDiagnostics::METHOD,
                    "params": params,
                });
                let ours =
                    publication(&uri, written.join(",").as_bytes(), version).expect("encodes");
                let parsed: serde_json::Value = serde_json::from_slice(&ours).expect("valid JSON");
                assert_eq!(parsed, typed, "{count} diagnostics, version {version:?}");
            }
        }
    }
}
