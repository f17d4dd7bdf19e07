//! The server's state: client handle, open documents, negotiated encoding, settings.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock, Weak};

use serde_json::Value;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use crate::registry::{Registry, RegistryConfig};
use crate::text::PositionEncoding;

use super::arrivals::Arrivals;
use super::capabilities::ClientCaps;
use super::documents::{Document, Documents};
use super::logging::{ClientLog, LogLevel};
use super::outbox::Outbox;
use crate::config::Settings;

use super::build_context::BuildContexts;
use super::configuration::{ProjectSettings, Report};
use super::{progress, republish, semantic_tokens, shellcheck};

/// Shared by all handlers. Reads are cheap clones of `Arc`s; nothing here is held across an
/// `.await` (every accessor takes and drops its lock inside the call).
#[derive(Debug)]
pub(crate) struct Session {
    pub client: Client,
    /// Notifications written without tower-lsp-server (see `super::outbox`).
    pub outbox: Outbox,
    pub documents: Documents,
    /// `didOpen` params decoded on arrival, claimed by `handlers::did_open`.
    pub arrivals: Arc<Arrivals>,
    negotiated: OnceLock<Negotiated>,
    settings: RwLock<SettingsState>,
    /// The project files above open documents, and their settings.
    projects: ProjectSettings,
    log_level: LogLevel,
    /// Lines for the client's log, waiting for `initialized` to start forwarding them.
    client_log: Mutex<Option<ClientLog>>,
    /// Set by `shutdown`; decides the exit code after `exit`.
    shutdown: Arc<AtomicBool>,
    /// The registry layer, built on first use from the environment and the `registry`
    /// settings; dropped (and so rebuilt) when the settings change.
    registry: Mutex<Option<Registry>>,
    /// Taken by every publication of diagnostics, so they reach the client in the order
    /// of the texts they describe (see `handlers::diagnostics`).
    pub publishing: tokio::sync::Mutex<()>,
    /// The last semantic tokens sent for each document, for `full/delta`.
    pub semantic_tokens: semantic_tokens::Results,
    /// Each Dockerfile's build context, and the workspace folders they are found in.
    pub build_contexts: BuildContexts,
    /// ShellCheck, found for the settings in force, and its answers.
    pub shellchecks: shellcheck::ShellChecks,
    /// This session, for the tasks that react to registry fetches: they must not keep it
    /// alive after the server is gone.
    me: Weak<Session>,
}

/// Fixed at `initialize`.
#[derive(Clone, Copy, Debug)]
struct Negotiated {
    encoding: PositionEncoding,
    caps: ClientCaps,
}

/// The raw sources, kept so that a change to one can be re-resolved together with the other.
#[derive(Debug, Default)]
struct SettingsState {
    init_options: Value,
    workspace: Value,
    resolved: Arc<Settings>,
}

impl Session {
    /// A session, shared: background tasks hold it weakly.
    pub fn new(
        client: Client,
        outbox: Outbox,
        client_log: ClientLog,
        shutdown: Arc<AtomicBool>,
        arrivals: Arc<Arrivals>,
    ) -> Arc<Session> {
        Arc::new_cyclic(|me| Session {
            client,
            outbox,
            documents: Documents::default(),
            arrivals,
            negotiated: OnceLock::new(),
            settings: RwLock::default(),
            projects: ProjectSettings::default(),
            log_level: client_log.level_handle(),
            client_log: Mutex::new(Some(client_log)),
            shutdown,
            registry: Mutex::new(None),
            publishing: tokio::sync::Mutex::new(()),
            semantic_tokens: semantic_tokens::Results::default(),
            build_contexts: BuildContexts::default(),
            shellchecks: shellcheck::ShellChecks::default(),
            me: me.clone(),
        })
    }

    /// The registry layer for the current settings: `None` only when it cannot be built
    /// (no Tokio runtime, a TLS setup failure), which is logged.
    pub fn registry(&self) -> Option<Registry> {
        let mut slot = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(r) = slot.as_ref() {
            return Some(r.clone());
        }
        let (mut config, mut problems) = RegistryConfig::from_env();
        problems.extend(config.apply_settings(&self.settings().registry));
        for p in problems {
            tracing::warn!("registry settings: {p}");
        }
        match Registry::new(config) {
            Ok(r) => {
                *slot = Some(r.clone());
                self.watch(&r);
                Some(r)
            }
            Err(e) => {
                tracing::warn!("registry unavailable: {e}");
                None
            }
        }
    }

    /// Starts reacting to the fetches of a new registry layer: republishing diagnostics, and
    /// progress for slow fetches. Both tasks end when that layer is dropped (a settings
    /// change builds another) or the session is.
    fn watch(&self, registry: &Registry) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::debug!("no runtime: registry fetches will not republish diagnostics");
            return;
        };
        runtime.spawn(republish::run(self.me.clone(), registry.subscribe()));
        if self.caps().work_done_progress {
            runtime.spawn(progress::run(self.client.clone(), registry.subscribe()));
        }
    }

    /// This session, weakly: for tasks that must not keep it alive.
    pub fn weak(&self) -> Weak<Session> {
        self.me.clone()
    }

    /// Records what `initialize` negotiated. Only the first call counts: tower-lsp-server
    /// rejects a second `initialize` before it reaches us.
    pub fn negotiate(&self, encoding: PositionEncoding, caps: ClientCaps) {
        let _ = self.negotiated.set(Negotiated { encoding, caps });
    }

    pub fn encoding(&self) -> PositionEncoding {
        self.negotiated
            .get()
            .map(|n| n.encoding)
            .unwrap_or_default()
    }

    pub fn caps(&self) -> ClientCaps {
        self.negotiated.get().map(|n| n.caps).unwrap_or_default()
    }

    /// An open document, or `None` with a debug line: requests about documents the client
    /// never opened (or already closed) are answered with nothing, not with an error.
    pub fn document(&self, uri: &Uri) -> Option<Document> {
        let doc = self.documents.get(uri);
        if doc.is_none() {
            tracing::debug!(uri = uri.as_str(), "document is not open");
        }
        doc
    }

    pub fn settings(&self) -> Arc<Settings> {
        let state = self.settings.read().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&state.resolved)
    }

    /// The settings for one document: the editor's, layered with its project file (see
    /// `config::precedence`). A project file's problems are logged the first time it is
    /// used, and one that cannot be read is also shown to the user.
    pub fn settings_for(&self, uri: &Uri) -> Arc<Settings> {
        let (settings, report) = {
            let state = self.settings.read().unwrap_or_else(PoisonError::into_inner);
            self.projects.for_document(
                uri,
                &[&state.init_options, &state.workspace],
                &state.resolved,
            )
        };
        if let Some(report) = report {
            self.report(report);
        }
        settings
    }

    /// The build context of a document, under the settings that apply to it.
    pub fn build_context(
        &self,
        uri: &Uri,
    ) -> Option<Arc<crate::analysis::build_context::BuildContext>> {
        let settings = self.settings_for(uri);
        self.build_contexts.for_uri(uri, &settings.build_context)
    }

    fn report(&self, report: Report) {
        for warning in &report.warnings {
            tracing::warn!("project configuration: {warning}");
        }
        if let Some(error) = report.error {
            tracing::warn!("project configuration ignored: {error}");
            let message = format!(
                "dockerfile-ls: the project configuration is ignored: {error}. The editor's settings apply."
            );
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let client = self.client.clone();
                runtime.spawn(async move {
                    client
                        .show_message(tower_lsp_server::ls_types::MessageType::WARNING, message)
                        .await;
                });
            }
        }
    }

    /// Project files were created, changed or deleted: read them again when next needed.
    pub fn project_files_changed(&self) {
        self.projects.files_changed();
    }

    /// Sets `initializationOptions`; whether the resolved settings changed.
    pub fn set_init_options(&self, options: Value) -> bool {
        self.update_settings(|s| s.init_options = options)
    }

    /// Sets the client's workspace configuration; whether the resolved settings changed.
    pub fn set_workspace_settings(&self, settings: Value) -> bool {
        self.update_settings(|s| s.workspace = settings)
    }

    fn update_settings(&self, change: impl FnOnce(&mut SettingsState)) -> bool {
        let (settings, warnings, changed) = {
            let mut state = self
                .settings
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            change(&mut state);
            let (settings, warnings) = Settings::resolve([&state.init_options, &state.workspace]);
            let changed = settings != *state.resolved;
            state.resolved = Arc::new(settings.clone());
            (settings, warnings, changed)
        };
        for warning in warnings {
            tracing::warn!("{warning}");
        }
        for problem in crate::config::severities(&settings).1 {
            tracing::warn!("setting `diagnostics.rules`: {problem}");
        }
        self.log_level.set(settings.trace);
        // Also a way to have project files read again for clients that cannot watch them.
        self.projects.files_changed();
        if changed {
            tracing::info!(?settings, "settings changed");
            *self.registry.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
        changed
    }

    /// The client-log queue, the first time it is asked for.
    pub fn take_client_log(&self) -> Option<ClientLog> {
        self.client_log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    pub fn request_shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
    }
}
