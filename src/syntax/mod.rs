//! The tree-sitter layer: a document's syntax tree, incremental edits and typed node views.
