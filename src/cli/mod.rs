//! Subcommands for people and CI: `dump`, `pin`, and later `check`.

pub mod check;
pub mod dump;
pub mod pin;
pub mod rules;
