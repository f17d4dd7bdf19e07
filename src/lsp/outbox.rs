//! Notifications the server writes to stdout itself, past tower-lsp-server.
//!
//! tower-lsp-server turns every outgoing message into a `serde_json::Value` before encoding
//! it. For `publishDiagnostics` on a large file (thousands of diagnostics, hundreds of KB)
//! that detour cost more than finding the diagnostics: a map and a string per field, built
//! and freed on every keystroke. Here the typed params are encoded straight into the frame
//! and queued for the stdout thread, the same queue tower-lsp-server's own frames go
//! through, so a frame is never split.
//!
//! A large publication encodes its diagnostics in two halves side by side.
//!
//! Order: the frames sent here keep their order among themselves (publications of
//! diagnostics are serialized by `Session::publishing`). Against tower-lsp-server's frames
//! there is no order to keep: the protocol orders neither notifications nor responses
//! against notifications.

use serde::Serialize;
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
use tower_lsp_server::ls_types::{Diagnostic, PublishDiagnosticsParams, Uri};

use super::transport::FrameQueue;
use crate::model::PARALLEL_FROM;

/// The message of a large `publishDiagnostics`, the same bytes `notify` would write, with the
/// diagnostics encoded in two halves side by side (a large file publishes hundreds, and
/// encoding them is on the way from a keystroke to its diagnostics).
fn encode_diagnostics(
    uri: &Uri,
    diagnostics: &[Diagnostic],
    version: Option<i32>,
) -> serde_json::Result<Vec<u8>> {
    let half = diagnostics.len() / 2;
    let encode = |part: &[Diagnostic]| -> serde_json::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(part.len() * 256);
        for (i, d) in part.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, d)?;
        }
        Ok(out)
    };
    let (first, second) = rayon::join(
        || encode(&diagnostics[..half]),
        || encode(&diagnostics[half..]),
    );
    let (first, second) = (first?, second?);
    let mut body = Vec::with_capacity(first.len() + second.len() + 256);
    body.extend_from_slice(br#"{"jsonrpc":"2.0","method":""#);
    body.extend_from_slice(PublishDiagnostics::METHOD.as_bytes());
    body.extend_from_slice(br#"","params":{"uri":"#);
    serde_json::to_writer(&mut body, uri)?;
    body.extend_from_slice(br#","diagnostics":["#);
    body.extend_from_slice(&first);
    if !first.is_empty() && !second.is_empty() {
        body.push(b',');
    }
    body.extend_from_slice(&second);
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

    /// `textDocument/publishDiagnostics`.
    pub fn publish_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) {
        if diagnostics.len() >= PARALLEL_FROM {
            match encode_diagnostics(&uri, &diagnostics, version) {
                Ok(body) => {
                    if !self.queue.send(&body) {
                        tracing::debug!("{}: the client is gone", PublishDiagnostics::METHOD);
                    }
                }
                Err(err) => tracing::error!("cannot encode {}: {err}", PublishDiagnostics::METHOD),
            }
            return;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{DiagnosticSeverity, NumberOrString, Position, Range};

    /// The halves joined read as the same message as the typed params encoded at once.
    #[test]
    fn large_publications_encode_like_the_typed_message() {
        let uri: Uri = "file:///w/Dockerfile".parse().expect("a valid URI");
        for count in [0, 1, 2, 3, 300, 301] {
            let diagnostics: Vec<Diagnostic> = (0..count)
                .map(|i| Diagnostic {
                    range: Range::new(Position::new(i, 0), Position::new(i, 3)),
                    severity: Some(DiagnosticSeverity::WARNING),
                    code: Some(NumberOrString::String(format!("DL{i}"))),
                    message: format!("finding \"{i}\"\n"),
                    ..Diagnostic::default()
                })
                .collect();
            for version in [None, Some(7)] {
                let params =
                    PublishDiagnosticsParams::new(uri.clone(), diagnostics.clone(), version);
                let typed = serde_json::to_vec(&serde_json::json!({
                    "jsonrpc": "2.0",
                    "method": PublishDiagnostics::METHOD,
                    "params": params,
                }))
                .expect("encodes");
                let ours = encode_diagnostics(&uri, &diagnostics, version).expect("encodes");
                let parsed: serde_json::Value = serde_json::from_slice(&ours).expect("valid JSON");
                let expected: serde_json::Value =
                    serde_json::from_slice(&typed).expect("valid JSON");
                assert_eq!(parsed, expected, "{count} diagnostics, version {version:?}");
            }
        }
    }
}
