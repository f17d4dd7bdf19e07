//! Subcommands for people and CI, one file each (`check`, `dump`, `pin`), what they share:
//! finding the Dockerfiles to read (`discover`), writing findings (`report`) and writing
//! changed files back (`write_back`).

pub mod check;
pub mod discover;
pub mod dump;
pub mod fmt;
pub mod pin;
pub mod report;
pub mod rules;
pub mod write_back;
