//! Helpers shared by the integration tests: finding the shared test data.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `$DOCKERFILE_LS_SHARED`, or `../shared` beside the repository. Panics with a clear message
/// when the data is missing, so a test never passes silently without it.
pub fn shared_dir() -> PathBuf {
    dockerfile_ls::shared_data::dir_with("conformance/buildkit")
}

pub fn read(path: &Path) -> String {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The corpus of real Dockerfiles, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let root = shared_dir().join("corpus");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(
        out.len() > 300,
        "expected the 325-file corpus, found {}",
        out.len()
    );
    out
}
