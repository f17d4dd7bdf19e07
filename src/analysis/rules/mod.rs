//! Lint rules in groups: hadolint's best practices over the shell model, ShellCheck's
//! findings on the scripts, and our own advice.

pub mod hadolint;
pub mod shellcheck;
