//! `workspace/didChangeConfiguration`, and pulling settings with `workspace/configuration`.

use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::ls_types::{ConfigurationItem, DidChangeConfigurationParams};

use crate::config::SECTION;
use crate::lsp::configuration::section_of;
use crate::lsp::session::Session;

use super::diagnostics;

/// How long we wait for the client to answer one of our requests. The wait occupies one of
/// tower-lsp-server's handler slots, so a client that never answers must not keep it.
pub(crate) const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

#[tracing::instrument(name = "workspace/didChangeConfiguration", level = "debug", skip_all)]
pub(crate) async fn handle(session: &Session, params: DidChangeConfigurationParams) {
    let pushed = section_of(&params.settings).clone();
    // Clients that support pulling usually send `null` here and expect us to ask.
    if session.caps().pull_configuration {
        pull(session, pushed).await;
    } else {
        apply(session, pushed).await;
    }
}

/// Asks the client for our section and applies it. A `null` answer means the client keeps no
/// such section (Helix answers `[null]` and pushes its `config` table instead): then `pushed`,
/// what the notification carried, is applied, and when that is `null` too, only the
/// `initializationOptions` remain.
pub(crate) async fn pull(session: &Session, pushed: Value) {
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some(SECTION.to_string()),
    };
    let answer = tokio::time::timeout(CLIENT_TIMEOUT, session.client.configuration(vec![item]));
    match answer.await {
        Ok(Ok(mut values)) if !values.is_empty() => {
            let answer = values.swap_remove(0);
            apply(session, if answer.is_null() { pushed } else { answer }).await;
        }
        Ok(Ok(_)) => tracing::warn!("workspace/configuration answered with no value"),
        Ok(Err(err)) => tracing::warn!("workspace/configuration failed: {err}"),
        Err(_) => tracing::warn!("client did not answer workspace/configuration; keeping settings"),
    }
}

async fn apply(session: &Session, settings: Value) {
    if session.set_workspace_settings(settings) {
        session.build_contexts.forget_all();
        diagnostics::refresh_all(session).await;
    }
}
