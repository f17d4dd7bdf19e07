//! hadolint's configuration file for each folder of Dockerfiles, found and read once until
//! [`HadolintConfigs::clear`]: the server asks on every keystroke, and the lookup is some
//! twenty `stat`s and a YAML parse.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::lookup::normalize;
use super::rule_inputs::hadolint_config;
use crate::analysis::rules::hadolint::config::{
    APP_FOLDER_NAMES, Config as HadolintConfig, HIDDEN_NAMES, VISIBLE_NAMES,
};

/// What `didChangeWatchedFiles` should report: every name hadolint reads, anywhere (the
/// user-level files under `~/.hadolint/` included, for a workspace that holds them).
pub fn watched_globs() -> Vec<String> {
    let names = HIDDEN_NAMES
        .iter()
        .chain(&VISIBLE_NAMES)
        .map(|n| n.to_string());
    let app = APP_FOLDER_NAMES.iter().map(|n| format!(".hadolint/{n}"));
    names.chain(app).map(|n| format!("**/{n}")).collect()
}

/// The lookup cache: folder → the configuration that applies to the Dockerfiles in it.
#[derive(Debug, Default)]
pub struct HadolintConfigs {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Bumped by every clear, so that an answer read before a clear is not stored after it.
    generation: u64,
    folders: HashMap<PathBuf, Option<Arc<HadolintConfig>>>,
}

impl HadolintConfigs {
    /// The configuration for the Dockerfile at `dockerfile`. An error (a file that cannot be
    /// read) is returned the first time only; after that the folder has no configuration
    /// until the next clear.
    pub fn for_file(&self, dockerfile: &Path) -> Result<Option<Arc<HadolintConfig>>, String> {
        let dockerfile = normalize(dockerfile);
        let folder = dockerfile.parent().unwrap_or(Path::new("/")).to_path_buf();
        let generation = {
            let state = self.lock();
            if let Some(cached) = state.folders.get(&folder) {
                return Ok(cached.clone());
            }
            state.generation
        };
        // Read outside the lock; if two threads race, the first answer stored wins.
        let read = hadolint_config(&dockerfile);
        let mut state = self.lock();
        if state.generation == generation {
            let answer = read.as_ref().ok().cloned().flatten();
            state.folders.entry(folder).or_insert(answer);
        }
        read
    }

    /// Forgets every answer: a configuration file was created, changed or deleted.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.generation += 1;
        state.folders.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::hadolint::Level;

    fn level(config: &Option<Arc<HadolintConfig>>) -> Option<Level> {
        config
            .as_ref()
            .map(|c| c.options.level("DL3006", Level::Warning))
    }

    #[test]
    fn read_once_per_folder_until_cleared() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        std::fs::create_dir_all(root.join("app")).expect("mkdir");
        let config = root.join(".hadolint.yaml");
        std::fs::write(&config, "ignored: [DL3006]\n").expect("write");
        let configs = HadolintConfigs::default();
        let dockerfile = root.join("app/Dockerfile");

        let first = configs.for_file(&dockerfile).expect("readable");
        assert_eq!(level(&first), Some(Level::Ignore));
        std::fs::write(&config, "override:\n  error: [DL3006]\n").expect("rewrite");
        let cached = configs.for_file(&root.join("app/Dockerfile.dev"));
        let cached = cached.expect("readable");
        assert!(
            Arc::ptr_eq(
                first.as_ref().expect("found"),
                cached.as_ref().expect("found")
            ),
            "a second Dockerfile in the folder shares the answer"
        );
        configs.clear();
        let again = configs.for_file(&dockerfile).expect("readable");
        assert_eq!(level(&again), Some(Level::Error));
    }

    #[test]
    fn an_unreadable_file_is_reported_once() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        std::fs::write(root.join(".hadolint.yml"), "failure-threshold: loud\n").expect("write");
        let configs = HadolintConfigs::default();
        let dockerfile = root.join("Dockerfile");
        let err = configs.for_file(&dockerfile).expect_err("malformed");
        assert!(err.contains(".hadolint.yml"), "{err}");
        assert!(matches!(configs.for_file(&dockerfile), Ok(None)));
        configs.clear();
        assert!(configs.for_file(&dockerfile).is_err());
    }

    #[test]
    fn watches_every_name_hadolint_reads() {
        let globs = watched_globs();
        for name in [
            "**/.hadolint.yaml",
            "**/.hadolint.yml",
            "**/hadolint.yaml",
            "**/hadolint.yml",
            "**/.hadolint/config.yaml",
            "**/.hadolint/config.yml",
        ] {
            assert!(globs.iter().any(|g| g == name), "{name} in {globs:?}");
        }
    }
}
