//! Freeing large snapshots off the handler path.
//!
//! Dropping the tree and model of a 300 KB document takes about a millisecond of `free`
//! calls. A `didClose` or `didChange` that drops the last reference would spend it before
//! the next message (often the `didOpen` of another file, or the next keystroke) is
//! handled, so large values go to one background thread that frees them.

use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, OnceLock};

use crate::analysis::Snapshot;

/// Below this much text a snapshot is freed where it is dropped: handing it over would cost
/// about as much as freeing it.
const BACKGROUND_FROM: usize = 64 * 1024;

type Garbage = Arc<Snapshot>;

/// Drops a reference to a snapshot that is no longer current: on the background thread
/// when the snapshot is large, here otherwise. (When it is not the last reference, the
/// background thread merely counts it down.)
pub(crate) fn discard(snapshot: Arc<Snapshot>) {
    if snapshot.text().len() >= BACKGROUND_FROM
        && let Some(sender) = sender()
    {
        // A send only fails when the thread is gone; the snapshot is then dropped here.
        let _ = sender.send(snapshot);
    }
}

fn sender() -> Option<&'static Sender<Garbage>> {
    static SENDER: OnceLock<Option<Sender<Garbage>>> = OnceLock::new();
    SENDER
        .get_or_init(|| {
            let (sender, receiver) = channel::<Garbage>();
            let spawned = std::thread::Builder::new()
                .name("dockerfile-ls-reclaim".into())
                .spawn(move || {
                    for garbage in receiver {
                        drop(garbage);
                    }
                });
            match spawned {
                Ok(_) => Some(sender),
                Err(e) => {
                    tracing::warn!("cannot start the reclaim thread, freeing inline: {e}");
                    None
                }
            }
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_snapshots_are_freed_elsewhere_and_small_ones_here() {
        let small = Arc::new(Snapshot::new("FROM scratch\n"));
        let watch = Arc::downgrade(&small);
        discard(Arc::clone(&small));
        drop(small);
        assert!(
            watch.upgrade().is_none(),
            "a small snapshot is freed at once"
        );

        let large = Arc::new(Snapshot::new("FROM scratch\n".repeat(BACKGROUND_FROM / 8)));
        let watch = Arc::downgrade(&large);
        discard(Arc::clone(&large));
        drop(large);
        // The background thread frees it soon.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while watch.upgrade().is_some() {
            assert!(std::time::Instant::now() < deadline, "never freed");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}
