//! The open documents: the client's version and text of each, analysed or not.
//!
//! A snapshot (text, tree and model) takes about sixteen times the size of its text, so a
//! server with many large files open keeps only the most recently used ones analysed, within
//! a budget of text bytes, and the others as plain text. Asking for one of those rebuilds its
//! snapshot (one parse); the user is rarely working on more than a few at a time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::DashMap;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::Snapshot;

use super::reclaim::discard;
use super::registry::{ImageKey, image_keys};
use super::typing::Focus;

/// Bytes of text whose snapshots are kept; the document in use is kept whatever its size.
/// About 8 MB of trees and models, or two 9,000-line files; hundreds of ordinary ones.
pub(crate) const ANALYSED_TEXT_BUDGET: usize = 512 * 1024;

/// One open document as handlers see it: cheap to clone, never changes under them.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    /// The client's version of the text, echoed when publishing diagnostics.
    pub version: i32,
    pub snapshot: Arc<Snapshot>,
    /// Which store of the text this is: see [`Documents::is_current`].
    pub generation: u64,
    /// Where the last change left the text (see `typing`); `None` after an open.
    pub focus: Option<Focus>,
}

/// What is known of a document without analysing it again.
#[derive(Clone, Debug)]
pub(crate) enum Peek {
    Analysed(Arc<Snapshot>),
    /// Set aside: the images it names, as they were when its snapshot was dropped.
    SetAside(Arc<[ImageKey]>),
}

#[derive(Debug)]
struct Entry {
    version: i32,
    /// Set when the text is stored (open or change); not when the snapshot is rebuilt.
    generation: u64,
    focus: Option<Focus>,
    state: State,
    /// When a handler last asked for it, on the store's own clock.
    last_used: u64,
}

#[derive(Debug)]
enum State {
    Analysed(Arc<Snapshot>),
    SetAside {
        text: String,
        images: Arc<[ImageKey]>,
    },
}

impl State {
    /// Drops the state, a large snapshot off the caller's thread (see [`discard`]).
    fn discard(self) {
        if let State::Analysed(snapshot) = self {
            discard(snapshot);
        }
    }
}

impl Entry {
    /// The snapshot, rebuilt from the text if it was set aside; whether it was rebuilt.
    fn analysed(&mut self) -> (Arc<Snapshot>, bool) {
        match &mut self.state {
            State::Analysed(snapshot) => (Arc::clone(snapshot), false),
            State::SetAside { text, .. } => {
                let snapshot = Arc::new(Snapshot::new(std::mem::take(text)));
                self.state = State::Analysed(Arc::clone(&snapshot));
                (snapshot, true)
            }
        }
    }

    fn analysed_len(&self) -> Option<usize> {
        match &self.state {
            State::Analysed(snapshot) => Some(snapshot.text().len()),
            State::SetAside { .. } => None,
        }
    }
}

/// Open documents by URI.
///
/// Every method takes and releases the map's locks inside the call, so no guard can be held
/// across an `.await` by accident.
#[derive(Debug)]
pub(crate) struct Documents {
    map: DashMap<Uri, Entry>,
    clock: AtomicU64,
    budget: usize,
}

impl Default for Documents {
    fn default() -> Self {
        Documents::with_budget(ANALYSED_TEXT_BUDGET)
    }
}

impl Documents {
    pub fn with_budget(budget: usize) -> Documents {
        Documents {
            map: DashMap::new(),
            clock: AtomicU64::new(0),
            budget,
        }
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    /// The current state of `uri`, analysed, if it is open.
    pub fn get(&self, uri: &Uri) -> Option<Document> {
        let (doc, rebuilt) = {
            let mut entry = self.map.get_mut(uri)?;
            entry.last_used = self.tick();
            let (snapshot, rebuilt) = entry.analysed();
            let doc = Document {
                version: entry.version,
                snapshot,
                generation: entry.generation,
                focus: entry.focus,
            };
            (doc, rebuilt)
        };
        if rebuilt {
            self.keep_within_budget(uri);
        }
        Some(doc)
    }

    /// The document stored for `uri`, if it is still the store `generation` names (no change
    /// or re-open came after it).
    pub fn get_generation(&self, uri: &Uri, generation: u64) -> Option<Document> {
        let stored = self.map.get(uri)?.generation;
        (stored == generation).then(|| self.get(uri)).flatten()
    }

    /// What is known of `uri` without analysing it again.
    pub fn peek(&self, uri: &Uri) -> Option<Peek> {
        let entry = self.map.get(uri)?;
        Some(match &entry.state {
            State::Analysed(snapshot) => Peek::Analysed(Arc::clone(snapshot)),
            State::SetAside { images, .. } => Peek::SetAside(Arc::clone(images)),
        })
    }

    /// The snapshot of `uri` for a read that touches many documents (workspace symbols): an
    /// analysed one as it is; one set aside is analysed for this read only, and stays set
    /// aside, so that a search does not push the documents in use out of the budget.
    pub fn snapshot_for_reading(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let text = {
            let entry = self.map.get(uri)?;
            match &entry.state {
                State::Analysed(snapshot) => return Some(Arc::clone(snapshot)),
                State::SetAside { text, .. } => text.clone(),
            }
        };
        Some(Arc::new(Snapshot::new(text)))
    }

    /// Stores a document (a re-opened one replaces the old state).
    pub fn insert(&self, uri: Uri, version: i32, snapshot: Arc<Snapshot>) -> Document {
        let now = self.tick();
        let entry = Entry {
            version,
            generation: now,
            focus: None,
            state: State::Analysed(Arc::clone(&snapshot)),
            last_used: now,
        };
        if let Some(replaced) = self.map.insert(uri.clone(), entry) {
            replaced.state.discard();
        }
        self.keep_within_budget(&uri);
        Document {
            version,
            snapshot,
            generation: now,
            focus: None,
        }
    }

    /// Whether `doc` is still what is stored for `uri`: no change or re-open came after it.
    /// Publishing checks it so that results for an older text never follow newer ones.
    pub fn is_current(&self, uri: &Uri, doc: &Document) -> bool {
        self.map
            .get(uri)
            .is_some_and(|entry| entry.generation == doc.generation)
    }

    /// Replaces the snapshot of `uri` with `update(old)` and records `version`, atomically
    /// with respect to other updates. `None` when the document is not open; `Some(Err)` when
    /// `update` failed, in which case the document is dropped: its text can no longer be
    /// trusted to match the client's, so answering from it would be wrong.
    ///
    /// `update` also says where the change left the text (its focus, kept with the document
    /// until the next change).
    pub fn update<E>(
        &self,
        uri: &Uri,
        version: i32,
        update: impl FnOnce(&Snapshot) -> Result<(Snapshot, Option<Focus>), E>,
    ) -> Option<Result<Document, E>> {
        let (result, rebuilt) = {
            let mut entry = self.map.get_mut(uri)?;
            let now = self.tick();
            entry.last_used = now;
            let (old, rebuilt) = entry.analysed();
            let result = update(&old).map(|(next, focus)| {
                let snapshot = Arc::new(next);
                entry.version = version;
                entry.generation = now;
                entry.focus = focus;
                let replaced =
                    std::mem::replace(&mut entry.state, State::Analysed(Arc::clone(&snapshot)));
                replaced.discard();
                Document {
                    version,
                    snapshot,
                    generation: now,
                    focus,
                }
            });
            discard(old);
            (result, rebuilt)
        };
        if result.is_err() {
            self.remove(uri);
        } else if rebuilt {
            self.keep_within_budget(uri);
        }
        Some(result)
    }

    /// Forgets `uri`; whether it was open.
    pub fn remove(&self, uri: &Uri) -> bool {
        match self.map.remove(uri) {
            Some((_, entry)) => {
                entry.state.discard();
                true
            }
            None => false,
        }
    }

    /// The open documents' URIs, for work that touches all of them (e.g. a settings change):
    /// take each with [`Documents::get`] in turn, so that they are not all analysed at once.
    pub fn uris(&self) -> Vec<Uri> {
        self.map.iter().map(|entry| entry.key().clone()).collect()
    }

    /// Makes room for a document of `len` bytes about to be analysed (a `didOpen`), before
    /// its snapshot is built: the memory of what is set aside is then reused for it.
    pub fn make_room(&self, len: usize) {
        self.set_aside_until(None, len);
    }

    /// Sets aside the least recently used snapshots until the analysed text fits the budget;
    /// `keep` (the document just used) stays.
    fn keep_within_budget(&self, keep: &Uri) {
        self.set_aside_until(Some(keep), 0);
    }

    fn set_aside_until(&self, keep: Option<&Uri>, incoming: usize) {
        let mut total = incoming;
        let mut candidates: Vec<(u64, Uri)> = Vec::new();
        for entry in self.map.iter() {
            if let Some(len) = entry.analysed_len() {
                total += len;
                if Some(entry.key()) != keep {
                    candidates.push((entry.last_used, entry.key().clone()));
                }
            }
        }
        if total <= self.budget {
            return;
        }
        candidates.sort_unstable_by_key(|(used, _)| *used);
        for (used, uri) in candidates {
            if total <= self.budget {
                break;
            }
            let Some(mut entry) = self.map.get_mut(&uri) else {
                continue;
            };
            // Used again since the scan: it is not the least recently used any more.
            if entry.last_used != used {
                continue;
            }
            if let State::Analysed(snapshot) = &entry.state {
                let len = snapshot.text().len();
                let images: Arc<[ImageKey]> = image_keys(snapshot).into();
                let text = snapshot.text().to_owned();
                std::mem::replace(&mut entry.state, State::SetAside { text, images }).discard();
                total -= len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{ContentChange, Position, PositionEncoding};
    use std::str::FromStr;

    fn uri(s: &str) -> Uri {
        Uri::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn snapshot(text: &str) -> Arc<Snapshot> {
        Arc::new(Snapshot::new(text))
    }

    fn is_analysed(docs: &Documents, uri: &Uri) -> bool {
        matches!(docs.peek(uri), Some(Peek::Analysed(_)))
    }

    #[test]
    fn update_applies_in_order_and_failure_drops_the_document() {
        let docs = Documents::default();
        let a = uri("file:///a/Dockerfile");
        assert!(
            docs.update(&a, 1, |s| Ok::<_, ()>((s.clone(), None)))
                .is_none()
        );
        docs.insert(a.clone(), 1, snapshot("FROM a\n"));
        let change = ContentChange::ranged(Position::new(0, 6), Position::new(0, 6), ":1");
        let got = docs.update(&a, 2, |s| {
            Ok::<_, ()>((s.apply(&[change], PositionEncoding::Utf16), None))
        });
        assert!(matches!(got, Some(Ok(ref d)) if d.version == 2));
        let doc = docs
            .get(&a)
            .map(|d| (d.version, d.snapshot.text().to_string()));
        assert_eq!(doc, Some((2, "FROM a:1\n".to_string())));
        assert!(matches!(
            docs.update(&a, 3, |_| Err("boom")),
            Some(Err("boom"))
        ));
        assert!(docs.get(&a).is_none());
        assert!(!docs.remove(&a));
    }

    #[test]
    fn least_recently_used_documents_are_set_aside_and_come_back_intact() {
        // Room for two of these texts, not three.
        let text = |name: &str| format!("FROM python:3-alpine AS {name}\nRUN echo {name}\n");
        let budget = text("a").len() * 2;
        let docs = Documents::with_budget(budget);
        let (a, b, c) = (uri("file:///a"), uri("file:///b"), uri("file:///c"));
        docs.insert(a.clone(), 1, snapshot(&text("a")));
        docs.insert(b.clone(), 1, snapshot(&text("b")));
        assert!(is_analysed(&docs, &a) && is_analysed(&docs, &b));

        docs.insert(c.clone(), 1, snapshot(&text("c")));
        assert!(!is_analysed(&docs, &a), "the oldest is set aside");
        assert!(is_analysed(&docs, &b) && is_analysed(&docs, &c));
        // Set aside, it still says which images it names (for registry updates).
        let Some(Peek::SetAside(images)) = docs.peek(&a) else {
            panic!("a is set aside");
        };
        assert_eq!(images.len(), 1);
        assert_eq!(images[0].name, "docker.io/library/python");

        // Using `b` makes `c` the least recently used; asking for `a` brings it back.
        assert!(docs.get(&b).is_some());
        let back = docs.get(&a).map(|d| d.snapshot.text().to_string());
        assert_eq!(back, Some(text("a")));
        assert!(is_analysed(&docs, &a) && is_analysed(&docs, &b));
        assert!(!is_analysed(&docs, &c));

        // Room for one more: `b` (used before `a`) goes first.
        docs.make_room(text("d").len());
        assert!(is_analysed(&docs, &a) && !is_analysed(&docs, &b));

        // An edit to a set-aside document applies to its text, in order.
        let change = ContentChange::ranged(Position::new(1, 4), Position::new(1, 8), "true");
        let edited = docs.update(&c, 2, |s| {
            Ok::<_, ()>((s.apply(&[change], PositionEncoding::Utf16), None))
        });
        let edited = edited
            .and_then(Result::ok)
            .map(|d| d.snapshot.text().to_string());
        assert_eq!(
            edited,
            Some("FROM python:3-alpine AS c\nRUN true c\n".to_string())
        );
        assert!(is_analysed(&docs, &c));
    }

    #[test]
    fn the_document_in_use_stays_analysed_whatever_its_size() {
        let docs = Documents::with_budget(4);
        let a = uri("file:///a");
        docs.insert(a.clone(), 1, snapshot("FROM scratch\n"));
        assert!(is_analysed(&docs, &a));
        assert!(docs.get(&a).is_some());
        assert!(is_analysed(&docs, &a));
    }
}
