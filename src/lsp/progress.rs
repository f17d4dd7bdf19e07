//! Work-done progress for slow registry fetches ("Fetching tags of python"), for clients
//! that advertise `window.workDoneProgress`.
//!
//! Tag lists and pin plans are shown; single digest lookups are not (a pin plan makes
//! several). Only a fetch still running after [`DELAY`] is shown: most answer faster, and a
//! progress bar flashing on every keystroke is noise. Everything here runs in its own tasks,
//! so no handler ever waits on the client's answer to `window/workDoneProgress/create`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::oneshot;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::NumberOrString;

use crate::registry::{FetchEvent, FetchKind, FetchPhase};

use super::handlers::did_change_configuration::CLIENT_TIMEOUT;

/// How long a fetch runs before it gets a progress report.
const DELAY: Duration = Duration::from_millis(300);

/// Makes progress tokens unique within the process.
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// Follows the fetches of one registry layer until it goes away. A progress shown for a
/// fetch ends when the fetch does, or when this task ends (its senders are dropped).
pub(crate) async fn run(client: Client, mut events: Receiver<FetchEvent>) {
    let mut running: HashMap<(String, FetchKind), oneshot::Sender<()>> = HashMap::new();
    loop {
        match events.recv().await {
            // A pin plan's own digest lookups are part of its progress, not bars of their own.
            Ok(FetchEvent {
                kind: FetchKind::Digest { .. },
                ..
            }) => {}
            Ok(event) => {
                let key = (event.repository.clone(), event.kind.clone());
                match event.phase {
                    FetchPhase::Started => {
                        let (done, finished) = oneshot::channel();
                        running.insert(key, done);
                        tokio::spawn(show(client.clone(), event.title(), finished));
                    }
                    FetchPhase::Finished { .. } => {
                        if let Some(done) = running.remove(&key) {
                            let _ = done.send(());
                        }
                    }
                }
            }
            // Ends were perhaps lost: end every progress rather than leave one spinning.
            Err(RecvError::Lagged(_)) => running.clear(),
            Err(RecvError::Closed) => return,
        }
    }
}

/// One fetch: nothing if it ends within [`DELAY`]; otherwise create a token, begin, and end
/// when `finished` resolves (sent or dropped).
async fn show(client: Client, title: String, mut finished: oneshot::Receiver<()>) {
    tokio::select! {
        _ = &mut finished => return,
        () = tokio::time::sleep(DELAY) => {}
    }
    let n = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    let token = NumberOrString::String(format!("dockerfile-ls/registry/{n}"));
    let created = tokio::time::timeout(
        CLIENT_TIMEOUT,
        client.create_work_done_progress(token.clone()),
    );
    match created.await {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            tracing::debug!("client refused a progress token: {err}");
            return;
        }
        Err(_) => {
            tracing::debug!("client did not answer window/workDoneProgress/create");
            return;
        }
    }
    let progress = client.progress(token, title).begin().await;
    let _ = finished.await;
    progress.finish().await;
}
