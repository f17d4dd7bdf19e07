//! `workspace/didChangeWatchedFiles`: a project configuration file or a hadolint
//! configuration file was created, changed or deleted; read them again and republish.

use tower_lsp_server::ls_types::notification::{DidChangeWatchedFiles, Notification};
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher,
    GlobPattern, Registration,
};

use crate::config::{self, FILE_NAMES};
use crate::lsp::session::Session;

use super::diagnostics;

/// Asks the client to watch every project file name and every name hadolint reads,
/// anywhere in the workspace.
pub(crate) fn registration() -> Registration {
    let watchers = FILE_NAMES
        .iter()
        .map(|name| format!("**/{name}"))
        .chain(config::hadolint::watched_globs())
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob),
            kind: None,
        })
        .collect();
    Registration {
        id: DidChangeWatchedFiles::METHOD.to_string(),
        method: DidChangeWatchedFiles::METHOD.to_string(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
            watchers,
        })
        .ok(),
    }
}

#[tracing::instrument(name = "workspace/didChangeWatchedFiles", level = "debug", skip_all)]
pub(crate) async fn handle(session: &Session, params: DidChangeWatchedFilesParams) {
    tracing::debug!(changes = params.changes.len(), "project files changed");
    session.project_files_changed();
    diagnostics::refresh_all(session).await;
}
