//! Source text: line index, position encodings (UTF-8/16/32) and applying LSP-style edits.
