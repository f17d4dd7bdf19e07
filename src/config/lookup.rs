//! Finding the project file that applies to a Dockerfile: the nearest `.dockerfile-ls.toml`
//! or `dockerfile-ls.toml` in its folder or a folder above, up to the filesystem root.
//! Answers are cached per folder and files are read once, until [`ProjectFiles::clear`].

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::file::{ConfigError, ProjectFile};

/// The names of a project file, in order of precedence when a folder has both (the hidden
/// one first, as ruff orders `.ruff.toml` before `ruff.toml`).
pub const FILE_NAMES: [&str; 2] = [".dockerfile-ls.toml", "dockerfile-ls.toml"];

/// A project file as read: shared by every Dockerfile below it.
pub type Loaded = Arc<Result<ProjectFile, ConfigError>>;

/// The lookup cache. Safe to share between threads (the CLI checks files in parallel).
#[derive(Debug, Default)]
pub struct ProjectFiles {
    /// Folder → the project file that applies to it, if any.
    dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Project file → what reading it gave.
    files: Mutex<HashMap<PathBuf, Loaded>>,
}

impl ProjectFiles {
    /// The project file for the Dockerfile at `path` (which need not exist).
    pub fn for_file(&self, path: &Path) -> Option<Loaded> {
        let path = normalize(path);
        self.for_dir(path.parent()?)
    }

    /// The project file that applies to files in `dir`.
    pub fn for_dir(&self, dir: &Path) -> Option<Loaded> {
        let dir = normalize(dir);
        let found = self.find(&dir)?;
        let cached = self
            .files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&found)
            .cloned();
        if let Some(loaded) = cached {
            return Some(loaded);
        }
        // Read outside the lock; if two threads race, the first answer stored wins.
        let mut loaded = ProjectFile::read(&found);
        if let Ok(file) = &mut loaded {
            file.shadows = found.parent().and_then(|dir| {
                FILE_NAMES
                    .iter()
                    .map(|name| dir.join(name))
                    .find(|other| *other != found && other.is_file())
            });
        }
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        Some(Arc::clone(
            files.entry(found).or_insert_with(|| Arc::new(loaded)),
        ))
    }

    /// Forgets every answer: project files were created, changed or deleted.
    pub fn clear(&self) {
        self.dirs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The path of the project file for `dir`, walking up until a folder whose answer is
    /// cached or that holds one; every folder walked through gets the same answer.
    fn find(&self, dir: &Path) -> Option<PathBuf> {
        let mut walked: Vec<&Path> = Vec::new();
        let mut found = None;
        {
            let dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
            for ancestor in dir.ancestors() {
                if let Some(answer) = dirs.get(ancestor) {
                    found = answer.clone();
                    break;
                }
                walked.push(ancestor);
                // Checked under the lock: a few `stat`s, and it keeps the cache consistent.
                if let Some(file) = FILE_NAMES
                    .iter()
                    .map(|name| ancestor.join(name))
                    .find(|p| p.is_file())
                {
                    found = Some(file);
                    break;
                }
            }
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        for d in walked {
            dirs.insert(d.to_path_buf(), found.clone());
        }
        found
    }
}

/// `path` made absolute (against the current folder) with `.` and `..` removed, without
/// resolving symbolic links: the folders above a file as the user names them.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create test folder");
        }
        std::fs::write(path, text).expect("write test file");
    }

    #[test]
    fn the_nearest_file_up_the_tree_applies() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        write(
            &root.join("dockerfile-ls.toml"),
            "diagnostics.enable = false\n",
        );
        write(&root.join("a/b/Dockerfile"), "FROM scratch\n");
        write(
            &root.join("c/.dockerfile-ls.toml"),
            "trace.server = \"verbose\"\n",
        );
        let files = ProjectFiles::default();

        let loaded = files.for_file(&root.join("a/b/Dockerfile")).expect("found");
        let file = loaded.as_ref().as_ref().expect("parsed");
        assert_eq!(file.path, normalize(&root.join("dockerfile-ls.toml")));
        // The nearest one wins, not merged with the one above.
        let loaded = files.for_file(&root.join("c/d/Dockerfile")).expect("found");
        let file = loaded.as_ref().as_ref().expect("parsed");
        assert!(file.path.ends_with("c/.dockerfile-ls.toml"));
        assert!(file.value.get("diagnostics").is_none());
        // `..` is taken lexically.
        let loaded = files
            .for_file(&root.join("c/../a/Dockerfile"))
            .expect("found");
        assert!(
            loaded
                .as_ref()
                .as_ref()
                .is_ok_and(|f| f.path.ends_with("dockerfile-ls.toml")
                    && !f.path.ends_with("c/.dockerfile-ls.toml"))
        );
    }

    #[test]
    fn answers_are_cached_per_folder_until_cleared() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let files = ProjectFiles::default();
        let dockerfile = root.join("x/y/Dockerfile");
        // Nothing up to the filesystem root (unless the machine has a file above the temp
        // folder, which the test must not depend on: compare with the cached answer).
        let before = files.for_file(&dockerfile).map(|l| Arc::as_ptr(&l));
        write(
            &root.join("x/dockerfile-ls.toml"),
            "diagnostics.enable = false\n",
        );
        let cached = files.for_file(&dockerfile).map(|l| Arc::as_ptr(&l));
        assert_eq!(before, cached, "the folder's answer is cached");
        files.clear();
        let loaded = files.for_file(&dockerfile).expect("found after clear");
        assert!(
            loaded
                .as_ref()
                .as_ref()
                .is_ok_and(|f| f.path.ends_with("x/dockerfile-ls.toml"))
        );
        // A second Dockerfile in a folder below shares the one read.
        let again = files.for_dir(&root.join("x/y/z")).expect("found");
        assert!(Arc::ptr_eq(&loaded, &again));
    }

    #[test]
    fn a_malformed_file_is_an_error_and_both_names_in_one_folder_are_reported() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        write(&root.join("bad/dockerfile-ls.toml"), "[diagnostics\n");
        write(
            &root.join("two/dockerfile-ls.toml"),
            "diagnostics.enable = true\n",
        );
        write(
            &root.join("two/.dockerfile-ls.toml"),
            "diagnostics.enable = false\n",
        );
        let files = ProjectFiles::default();
        let loaded = files.for_dir(&root.join("bad")).expect("found");
        let err = loaded.as_ref().as_ref().expect_err("malformed");
        assert_eq!(err.place.map(|p| p.0), Some(1), "{err}");
        let loaded = files.for_dir(&root.join("two")).expect("found");
        let file = loaded.as_ref().as_ref().expect("parsed");
        assert!(file.path.ends_with(".dockerfile-ls.toml"));
        let problems = file.problems(&[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("ignored"), "{}", problems[0]);
    }
}
