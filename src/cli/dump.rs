//! `dockerfile-ls dump FILE`: BuildKit's AST dump of a Dockerfile.

use std::path::Path;
use std::process::ExitCode;

/// Prints the dump of `path` to stdout; errors go to stderr with a non-zero exit.
pub fn run(path: &Path, tree: bool) -> ExitCode {
    let _ = (path, tree);
    ExitCode::FAILURE
}
