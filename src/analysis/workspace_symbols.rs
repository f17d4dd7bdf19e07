//! Workspace symbols: the stages and global ARGs of a document that match a query.

use std::ops::Range;

use super::Snapshot;
use super::document_symbols::OutlineKind;
use crate::model::{DeclKind, declarations_of};

/// A symbol of one document, for a workspace-wide search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSymbol {
    pub name: String,
    pub kind: OutlineKind,
    pub range: Range<usize>,
    /// The base image of a stage, `ARG` for a global ARG.
    pub detail: String,
}

/// The stages (by name; unnamed ones by index) and global ARGs whose name matches `query`:
/// its characters in order, ignoring case (an empty query matches everything).
pub fn workspace_symbols(snapshot: &Snapshot, query: &str) -> Vec<FileSymbol> {
    let model = &snapshot.model;
    let text = snapshot.text();
    let mut out = Vec::new();
    let first_from = model.first_from();
    for (i, inst) in model.instructions[..first_from].iter().enumerate() {
        for d in declarations_of(inst, i) {
            if d.kind == DeclKind::Arg && matches(&d.name, query) {
                out.push(FileSymbol {
                    name: d.name,
                    kind: OutlineKind::Variable,
                    range: d.name_range,
                    detail: "global ARG".to_string(),
                });
            }
        }
    }
    for stage in &model.stages {
        let (name, range) = match &stage.name {
            Some((_, r)) => (text[r.clone()].to_string(), r.clone()),
            None => (
                format!("stage {}", stage.index),
                model.instructions[stage.instruction].keyword_range(),
            ),
        };
        if matches(&name, query) {
            out.push(FileSymbol {
                name,
                kind: OutlineKind::Stage,
                range,
                detail: stage
                    .base
                    .as_ref()
                    .map(|(b, _)| b.to_string())
                    .unwrap_or_default(),
            });
        }
    }
    out
}

/// Whether the characters of `query` appear in `name` in order, ignoring case: what editors
/// call fuzzy matching, and what their own filter does with the results anyway.
fn matches(name: &str, query: &str) -> bool {
    let mut chars = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .all(|q| chars.any(|c| c == q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_global_args_that_match() {
        let snapshot = Snapshot::new(
            "ARG GO_VERSION=1\nFROM golang AS Builder\nARG LOCAL\nFROM alpine\nCOPY --from=builder /a /b\n",
        );
        let names = |q: &str| -> Vec<String> {
            workspace_symbols(&snapshot, q)
                .into_iter()
                .map(|s| format!("{}:{}", s.name, s.detail))
                .collect()
        };
        assert_eq!(
            names(""),
            ["GO_VERSION:global ARG", "Builder:golang", "stage 1:alpine"]
        );
        assert_eq!(names("bldr"), ["Builder:golang"]);
        assert_eq!(names("gov"), ["GO_VERSION:global ARG"]);
        assert!(names("local").is_empty());
    }
}
