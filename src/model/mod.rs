//! The semantic model of a Dockerfile, built from the syntax tree the way BuildKit reads it.
