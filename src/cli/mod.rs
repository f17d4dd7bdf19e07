//! Subcommands for people and CI: `dump`, `pin`, and later `check`.

pub mod check;
mod discover;
pub mod dump;
pub mod fmt;
pub mod pin;
