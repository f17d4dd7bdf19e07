//! dockerfile-ls: a language server and command-line tool for Dockerfiles.
//!
//! Data flows one way, and each layer only uses the layers above it:
//!
//! 1. [`text`]: source text, line index, position encodings, applying edits.
//! 2. [`syntax`]: the tree-sitter tree of a document, kept up to date incrementally, and a
//!    typed view of its nodes (no other layer matches node-kind strings).
//! 3. [`model`]: the semantic model BuildKit would build: directives, instructions with their
//!    flags and arguments split as BuildKit splits them, heredocs, stages, variables, images.
//! 4. [`catalog`]: static knowledge about the language (instructions, flags, directives, ARGs).
//! 5. [`analysis`]: features computed from the model (diagnostics, hover, completion, ...).
//! 6. [`lsp`] and [`cli`]: the edges. They translate; they hold no Dockerfile logic. Both
//!    read the user's settings through [`config`] (editor settings, project files).
//!
//! Invariants: offsets are byte offsets into the document text everywhere inside; parse
//! problems are data with ranges, never panics.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod lsp;
pub mod model;
pub mod registry;
#[doc(hidden)]
pub mod shared_data;
pub mod shell;
pub mod shellcheck;
pub mod syntax;
pub mod text;
