//! Republishing diagnostics when registry fetches end, so that a floating tag is reported
//! as soon as its tag list arrives instead of on the next edit.
//!
//! Fetch ends are gathered for a short window before anything is published: the images of
//! a workspace tend to finish together, and twenty of them must cost one publication per
//! affected document, not twenty.

use std::collections::HashSet;
use std::sync::Weak;
use std::time::Duration;

use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use crate::registry::{FetchEvent, FetchKind, FetchPhase};

use super::documents::Peek;
use super::handlers::diagnostics;
use super::registry;
use super::session::Session;

/// How long fetch ends are gathered after the first one before publishing.
const WINDOW: Duration = Duration::from_millis(150);

/// What the fetches that ended in one window answered.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Batch {
    /// Repositories with a new tag list or pin plan: every reference to them may change.
    pub repositories: HashSet<String>,
    /// `(repository, tag)` with a new digest: only `tag@digest` references compare it.
    /// Kept apart because pinning on an OCI registry resolves several candidate tags, and
    /// each must not republish every document naming the repository.
    pub digests: HashSet<(String, String)>,
    /// Events were lost (the listener lagged): every document may be affected.
    pub everything: bool,
}

impl Batch {
    fn add(&mut self, event: &FetchEvent) {
        // A failed fetch leaves the cache as it was (stale data stays, none stays none), so
        // nothing a document shows can change; republishing would only cost parses of
        // documents set aside.
        if event.phase != (FetchPhase::Finished { ok: true }) {
            return;
        }
        let repository = event.repository.clone();
        match &event.kind {
            FetchKind::Digest { tag } => {
                self.digests.insert((repository, tag.clone()));
            }
            FetchKind::Tags | FetchKind::Pin { .. } | FetchKind::Config { .. } => {
                self.repositories.insert(repository);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.repositories.is_empty() && self.digests.is_empty() && !self.everything
    }
}

/// Republishes the diagnostics of the open documents that name an image whose fetch ended,
/// until the registry layer or the session goes away.
pub(crate) async fn run(session: Weak<Session>, mut events: Receiver<FetchEvent>) {
    while let Some(batch) = next_batch(&mut events, WINDOW).await {
        let Some(session) = session.upgrade() else {
            return;
        };
        for uri in session.documents.uris() {
            let images = match session.documents.peek(&uri) {
                Some(Peek::Analysed(snapshot)) => registry::image_keys(&snapshot).into(),
                Some(Peek::SetAside(images)) => images,
                None => continue,
            };
            let affected = batch.everything
                || registry::affected(&images, &batch.repositories, &batch.digests);
            if affected {
                diagnostics::republish(&session, uri).await;
            }
        }
        // Image hints read the same cache: let the client ask for them again.
        if session.caps().nav.inlay_hint_refresh
            && let Err(err) = session.client.inlay_hint_refresh().await
        {
            tracing::debug!("workspace/inlayHint/refresh failed: {err}");
        }
    }
}

/// Waits for a fetch to end, then gathers the ends arriving within `window`. `None` once
/// the channel is closed and nothing is left to publish.
pub(crate) async fn next_batch(
    events: &mut Receiver<FetchEvent>,
    window: Duration,
) -> Option<Batch> {
    let mut batch = Batch::default();
    while batch.is_empty() {
        match events.recv().await {
            Ok(event) => batch.add(&event),
            Err(RecvError::Lagged(_)) => batch.everything = true,
            Err(RecvError::Closed) => return None,
        }
    }
    tokio::time::sleep(window).await;
    loop {
        match events.try_recv() {
            Ok(event) => batch.add(&event),
            Err(TryRecvError::Lagged(_)) => batch.everything = true,
            // Closed: publish what was gathered; the next call ends the loop.
            Err(TryRecvError::Empty | TryRecvError::Closed) => return Some(batch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::broadcast;

    fn event(repository: &str, phase: FetchPhase) -> FetchEvent {
        FetchEvent {
            repository: repository.to_string(),
            kind: FetchKind::Tags,
            phase,
        }
    }

    #[tokio::test]
    async fn ends_arriving_together_make_one_batch() {
        let (tx, mut rx) = broadcast::channel(64);
        for i in 0..20 {
            let repo = format!("docker.io/library/image{i}");
            tx.send(event(&repo, FetchPhase::Started))
                .expect("listener");
            tx.send(event(&repo, FetchPhase::Finished { ok: i % 3 != 0 }))
                .expect("listener");
        }
        let batch = next_batch(&mut rx, Duration::from_millis(10))
            .await
            .expect("a batch");
        // Failed fetches (every third) change nothing and are left out.
        assert_eq!(batch.repositories.len(), 13);
        assert!(batch.digests.is_empty());
        assert!(!batch.everything);
        drop(tx);
        assert_eq!(next_batch(&mut rx, Duration::from_millis(10)).await, None);
    }

    #[tokio::test]
    async fn digests_are_kept_per_tag() {
        let (tx, mut rx) = broadcast::channel(8);
        let done = FetchPhase::Finished { ok: true };
        for kind in [
            FetchKind::Digest { tag: "3".into() },
            FetchKind::Pin { tag: "3".into() },
        ] {
            tx.send(FetchEvent {
                repository: "ghcr.io/a/b".into(),
                kind,
                phase: done,
            })
            .expect("listener");
        }
        let batch = next_batch(&mut rx, Duration::ZERO).await.expect("a batch");
        assert_eq!(
            batch.digests,
            HashSet::from([("ghcr.io/a/b".into(), "3".into())])
        );
        assert_eq!(
            batch.repositories,
            HashSet::from(["ghcr.io/a/b".to_string()])
        );
    }

    #[tokio::test]
    async fn starts_alone_publish_nothing_and_lag_means_everything() {
        let (tx, mut rx) = broadcast::channel(2);
        tx.send(event("docker.io/library/a", FetchPhase::Started))
            .expect("listener");
        drop(tx);
        assert_eq!(next_batch(&mut rx, Duration::ZERO).await, None);

        let (tx, mut rx) = broadcast::channel(2);
        for _ in 0..5 {
            tx.send(event(
                "docker.io/library/a",
                FetchPhase::Finished { ok: true },
            ))
            .expect("listener");
        }
        let batch = next_batch(&mut rx, Duration::ZERO).await.expect("a batch");
        assert!(batch.everything);
    }
}
