//! The `dockerfile-ls` binary: a language server on stdio, and subcommands for people and CI.

fn main() {}
