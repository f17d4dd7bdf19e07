//! `initialized`: start forwarding our log to the client, then fetch the user's settings.

use tower_lsp_server::ls_types::Registration;
use tower_lsp_server::ls_types::notification::{DidChangeConfiguration, Notification};

use crate::lsp::session::Session;

use super::did_change_configuration::{self, CLIENT_TIMEOUT};

#[tracing::instrument(name = "initialized", level = "debug", skip_all)]
pub(crate) async fn handle(session: &Session) {
    if let Some(log) = session.take_client_log() {
        tokio::spawn(log.forward(session.client.clone()));
    }
    let caps = session.caps();
    if caps.register_configuration_changes {
        let registration = Registration {
            id: DidChangeConfiguration::METHOD.to_string(),
            method: DidChangeConfiguration::METHOD.to_string(),
            register_options: None,
        };
        let registered = tokio::time::timeout(
            CLIENT_TIMEOUT,
            session.client.register_capability(vec![registration]),
        );
        match registered.await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => {
                tracing::warn!("client refused configuration-change registration: {err}")
            }
            Err(_) => tracing::warn!("client did not answer client/registerCapability"),
        }
    }
    if caps.pull_configuration {
        did_change_configuration::pull(session, serde_json::Value::Null).await;
    }
}
