//! `initialized`: start forwarding our log to the client, register for settings and
//! project-file changes, then fetch the user's settings.

use tower_lsp_server::ls_types::Registration;
use tower_lsp_server::ls_types::notification::{DidChangeConfiguration, Notification};

use crate::lsp::session::Session;

use super::did_change_configuration::{self, CLIENT_TIMEOUT};
use super::did_change_watched_files;

#[tracing::instrument(name = "initialized", level = "debug", skip_all)]
pub(crate) async fn handle(session: &Session) {
    if let Some(log) = session.take_client_log() {
        tokio::spawn(log.forward(session.client.clone()));
    }
    let caps = session.caps();
    let mut registrations = Vec::new();
    if caps.register_configuration_changes {
        registrations.push(Registration {
            id: DidChangeConfiguration::METHOD.to_string(),
            method: DidChangeConfiguration::METHOD.to_string(),
            register_options: None,
        });
    }
    if caps.register_file_watchers {
        registrations.push(did_change_watched_files::registration());
    }
    if !registrations.is_empty() {
        let registered = tokio::time::timeout(
            CLIENT_TIMEOUT,
            session.client.register_capability(registrations),
        );
        match registered.await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::warn!("client refused our registrations: {err}"),
            Err(_) => tracing::warn!("client did not answer client/registerCapability"),
        }
    }
    if caps.pull_configuration {
        did_change_configuration::pull(session, serde_json::Value::Null).await;
    }
}
