//! The tree-sitter layer: a document's syntax tree, incremental edits and typed node views.
//!
//! This is the only module that knows node kinds. Everything above it asks typed questions
//! ([`ast::InstructionNode::kind`], [`ast::InstructionNode::heredocs`], ...) instead.

pub mod ast;
mod document;
mod kinds;
mod pieces;
pub mod tree;

pub use ast::{
    HeredocNode, InstructionKind, InstructionNode, InstructionParts, PieceFile, SourceFile,
};
pub use document::Document;
pub use tree::SyntaxTree;
