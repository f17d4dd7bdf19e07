//! The open documents: one immutable snapshot and client version per URI.

use std::sync::Arc;

use dashmap::DashMap;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::Snapshot;

/// One open document as handlers see it: cheap to clone, never changes under them.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    /// The client's version of the text, echoed when publishing diagnostics.
    pub version: i32,
    pub snapshot: Arc<Snapshot>,
}

/// Open documents by URI.
///
/// Every method takes and releases the map's lock inside the call, so no guard can be held
/// across an `.await` by accident.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    map: DashMap<Uri, Document>,
}

impl Documents {
    /// The current state of `uri`, if it is open.
    pub fn get(&self, uri: &Uri) -> Option<Document> {
        self.map.get(uri).map(|entry| entry.value().clone())
    }

    /// Stores a document (a re-opened one replaces the old state).
    pub fn insert(&self, uri: Uri, document: Document) {
        self.map.insert(uri, document);
    }

    /// Replaces the snapshot of `uri` with `update(old)` and records `version`, atomically
    /// with respect to other updates. `None` when the document is not open; `Some(Err)` when
    /// `update` failed, in which case the document is dropped: its text can no longer be
    /// trusted to match the client's, so answering from it would be wrong.
    pub fn update<E>(
        &self,
        uri: &Uri,
        version: i32,
        update: impl FnOnce(&Snapshot) -> Result<Snapshot, E>,
    ) -> Option<Result<Document, E>> {
        let result = {
            let mut entry = self.map.get_mut(uri)?;
            match update(&entry.snapshot) {
                Ok(next) => {
                    *entry = Document {
                        version,
                        snapshot: Arc::new(next),
                    };
                    Ok(entry.clone())
                }
                Err(err) => Err(err),
            }
        };
        if result.is_err() {
            self.map.remove(uri);
        }
        Some(result)
    }

    /// Forgets `uri`; whether it was open.
    pub fn remove(&self, uri: &Uri) -> bool {
        self.map.remove(uri).is_some()
    }

    /// The open documents, for work that touches all of them (e.g. a settings change).
    pub fn all(&self) -> Vec<(Uri, Document)> {
        self.map
            .iter()
            .map(|entry| (entry.key().clone(), entry.value().clone()))
            .collect()
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

    #[test]
    fn update_applies_in_order_and_failure_drops_the_document() {
        let docs = Documents::default();
        let a = uri("file:///a/Dockerfile");
        assert!(docs.update(&a, 1, |s| Ok::<_, ()>(s.clone())).is_none());
        docs.insert(
            a.clone(),
            Document {
                version: 1,
                snapshot: Arc::new(Snapshot::new("FROM a\n")),
            },
        );
        let change = ContentChange::ranged(Position::new(0, 6), Position::new(0, 6), ":1");
        let got = docs.update(&a, 2, |s| {
            Ok::<_, ()>(s.apply(&[change], PositionEncoding::Utf16))
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
}
