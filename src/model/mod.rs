//! The semantic model of a Dockerfile, built from the syntax tree the way BuildKit reads it.

pub mod image_ref;
pub mod go_quote;
pub mod logical_line;

mod directive;
mod problem;

pub use directive::{Directive, KNOWN_DIRECTIVES, parse_directive};
pub use problem::{Problem, Severity};
