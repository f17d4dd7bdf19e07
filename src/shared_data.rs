//! Where the tests and benchmarks find the shared data (`../shared` beside the repository, or
//! `$DOCKERFILE_LS_SHARED`), and the one message they stop with when it is missing.

use std::path::PathBuf;

/// What the shared folder holds, for the message (`.ci/test` says the same).
const ABOUT: &str = "The tests read it from the `shared/` folder beside the repository, or from \
$DOCKERFILE_LS_SHARED: BuildKit's parser and build-check test files (github.com/moby/buildkit \
at a pinned commit), 325 Dockerfiles from public projects at pinned commits, the \
official-images tag data behind the mock registry, and a Helix build. README.md (Test data) \
says where each comes from and which tests need it.";

/// The shared folder, after checking that `part` (a path inside it, such as `corpus`) is
/// there: panics with one explanation otherwise, so that no test passes without its data.
pub fn dir_with(part: &str) -> PathBuf {
    let dir = std::env::var_os("DOCKERFILE_LS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join(part).exists(),
        "the shared test data is missing: no {part} in {}.\n{ABOUT}",
        dir.display()
    );
    dir
}

/// Every file of the shared corpus of real Dockerfiles, in path order, with its text (bytes
/// that are not UTF-8 replaced); panics when the corpus is missing.
pub fn corpus_texts() -> Vec<(PathBuf, String)> {
    let mut stack = vec![dir_with("corpus").join("corpus")];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (path, text)
        })
        .collect()
}
