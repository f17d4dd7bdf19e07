//! An immutable view of one document: its text, tree and model, replaced on every change.

use std::sync::Arc;

use crate::model::Model;
use crate::syntax::Document;
use crate::text::{ContentChange, PositionEncoding};

/// One version of a document. Share it as `Arc<Snapshot>`; a change makes a new one, reusing
/// the old tree (incremental reparse) and the unchanged instructions of the old model.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub doc: Document,
    pub model: Arc<Model>,
}

impl Snapshot {
    pub fn new(text: impl Into<String>) -> Snapshot {
        let doc = Document::new(text);
        let model = Arc::new(Model::build(&doc));
        Snapshot { doc, model }
    }

    /// The snapshot after applying LSP content changes in order.
    pub fn apply(&self, changes: &[ContentChange], encoding: PositionEncoding) -> Snapshot {
        let mut doc = self.doc.clone();
        let edits = doc.apply_changes(changes, encoding);
        let model = if edits.is_empty() {
            Arc::clone(&self.model)
        } else {
            Arc::new(Model::update(&self.model, &doc, &edits))
        };
        Snapshot { doc, model }
    }

    pub fn text(&self) -> &str {
        self.doc.text()
    }
}
