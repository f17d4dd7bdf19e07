//! An immutable view of one document: its text, tree and model, replaced on every change.

use crate::syntax::Document;
use crate::text::{ContentChange, PositionEncoding};

/// One version of a document. Cheap to share (`Arc<Snapshot>`); a change makes a new one.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub doc: Document,
}

impl Snapshot {
    pub fn new(text: impl Into<String>) -> Snapshot {
        Snapshot {
            doc: Document::new(text),
        }
    }

    /// The snapshot after applying LSP content changes in order (incremental reparse).
    pub fn apply(&self, changes: &[ContentChange], encoding: PositionEncoding) -> Snapshot {
        let mut doc = self.doc.clone();
        doc.apply_changes(changes, encoding);
        Snapshot { doc }
    }

    pub fn text(&self) -> &str {
        self.doc.text()
    }
}
