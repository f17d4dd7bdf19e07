//! Which files under a directory are Dockerfiles. A stand-in until the `check` command's
//! discovery (with `.gitignore` rules) is merged; `fmt` then uses that one.

use std::path::{Path, PathBuf};

/// The Dockerfiles under `dir`, sorted: `Dockerfile`, `Containerfile`, `Dockerfile.*`,
/// `*.Dockerfile`, `*.dockerfile`; hidden directories and `target`/`node_modules` skipped.
pub fn dockerfiles(dir: &Path) -> Vec<Result<PathBuf, String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.push(Err(format!("cannot list {}: {e}", dir.display())));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    stack.push(path);
                }
            } else if is_dockerfile_name(&name) {
                out.push(Ok(path));
            }
        }
    }
    out.sort_by(|a, b| match (a, b) {
        (Ok(a), Ok(b)) => a.cmp(b),
        _ => std::cmp::Ordering::Equal,
    });
    out
}

fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
}
