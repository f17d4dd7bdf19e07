//! Fetch notifications: the registry layer says when a network fetch starts and when it
//! ends, so that its users can react without polling — an editor republishes what depended
//! on the answer and shows progress for a slow fetch. Sent on a `tokio::sync::broadcast`
//! channel; a slow listener loses old events ([`RecvError::Lagged`]) rather than slowing
//! the fetches down.
//!
//! [`RecvError::Lagged`]: tokio::sync::broadcast::error::RecvError::Lagged

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::model::image_ref;

/// Events kept for listeners that fall behind; beyond that they are told they lagged.
pub(crate) const CAPACITY: usize = 256;

/// What a fetch asks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FetchKind {
    /// The tag list of the repository.
    Tags,
    /// What one tag points to.
    Digest { tag: String },
    /// The pin targets of one tag on a registry whose tag lists carry no digests: a few
    /// manifest `HEAD`s of likely tags.
    Pin { tag: String },
    /// The configuration of one image (its `Env`, `Shell`, platform), for the build checks.
    Config { digest: String },
}

/// Where a fetch is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchPhase {
    Started,
    /// Ended, with an answer (`ok`) or with an error remembered by the cache.
    Finished {
        ok: bool,
    },
}

/// One fetch starting or ending. A fetch is identified by its repository and kind: single
/// flight guarantees at most one is in flight for each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchEvent {
    /// `registry/repository`, as [`ImageRef::full_name`](image_ref::ImageRef::full_name).
    pub repository: String,
    pub kind: FetchKind,
    pub phase: FetchPhase,
}

impl FetchEvent {
    pub fn is_finished(&self) -> bool {
        matches!(self.phase, FetchPhase::Finished { .. })
    }

    /// A short description for progress UIs: `Fetching tags of python`.
    pub fn title(&self) -> String {
        let name = familiar(&self.repository);
        match &self.kind {
            FetchKind::Tags => format!("Fetching tags of {name}"),
            FetchKind::Digest { tag } => format!("Resolving {name}:{tag}"),
            FetchKind::Pin { tag } => format!("Finding the version of {name}:{tag}"),
            FetchKind::Config { .. } => format!("Reading the configuration of {name}"),
        }
    }
}

/// `python` for `docker.io/library/python`; other names unchanged.
fn familiar(repository: &str) -> String {
    image_ref::parse(repository)
        .map(|r| r.familiar_name())
        .unwrap_or_else(|_| repository.to_string())
}

/// What a cache calls when one of its fetches starts or ends, with the cache key.
pub(crate) type Observer = Arc<dyn Fn(&str, FetchPhase) + Send + Sync>;

/// An observer for a tag-list cache, whose keys are repositories.
pub(crate) fn tags_observer(tx: broadcast::Sender<FetchEvent>) -> Observer {
    Arc::new(move |key, phase| {
        // No listener is not an error: the CLI never subscribes.
        let _ = tx.send(FetchEvent {
            repository: key.to_string(),
            kind: FetchKind::Tags,
            phase,
        });
    })
}

/// An observer for a cache whose keys are `repository:tag` (a tag cannot contain `:`, so
/// the last one separates them even after a `host:port`); `kind` makes the event's kind
/// from the tag.
pub(crate) fn tag_observer(
    tx: broadcast::Sender<FetchEvent>,
    kind: fn(String) -> FetchKind,
) -> Observer {
    Arc::new(move |key, phase| {
        if let Some((repository, tag)) = key.rsplit_once(':') {
            let _ = tx.send(FetchEvent {
                repository: repository.to_string(),
                kind: kind(tag.to_string()),
                phase,
            });
        }
    })
}

/// An observer for the image configuration cache, whose keys are
/// `repository@digest#platform`.
pub(crate) fn config_observer(tx: broadcast::Sender<FetchEvent>) -> Observer {
    Arc::new(move |key, phase| {
        let key = key.split('#').next().unwrap_or(key);
        if let Some((repository, digest)) = key.split_once('@') {
            let _ = tx.send(FetchEvent {
                repository: repository.to_string(),
                kind: FetchKind::Config {
                    digest: digest.to_string(),
                },
                phase,
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observers_name_the_repository_and_titles_use_familiar_names() {
        let (tx, mut rx) = broadcast::channel(8);
        let digest = |tag| FetchKind::Digest { tag };
        tag_observer(tx.clone(), digest)("127.0.0.1:5000/team/app:1.2", FetchPhase::Started);
        tags_observer(tx)(
            "docker.io/library/python",
            FetchPhase::Finished { ok: true },
        );
        let first = rx.try_recv().expect("digest event");
        assert_eq!(first.repository, "127.0.0.1:5000/team/app");
        assert_eq!(first.title(), "Resolving 127.0.0.1:5000/team/app:1.2");
        assert!(!first.is_finished());
        let second = rx.try_recv().expect("tags event");
        assert_eq!(second.title(), "Fetching tags of python");
        assert!(second.is_finished());
    }
}
