//! Subcommands for people and CI: `dump`, and later `check` and `pin`.

pub mod dump;
