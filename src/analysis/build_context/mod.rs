//! The build context of a Dockerfile — the folder `docker build` sends — found from a
//! compose file or a bake file in the workspace that names the Dockerfile, from the
//! `buildContext` setting, or else the Dockerfile's own folder; and what it makes possible:
//! links to local `COPY`/`ADD` sources, their completion, and a warning for a source that
//! matches no file (only when the context is known, not guessed).
//!
//! The server finds the context once per document ([`discover`]) and passes it in; the
//! analyses here only read the filesystem below it.

mod compose;
mod discover;
mod dockerignore;
mod sources;

use std::path::PathBuf;

pub use compose::Build;
pub use discover::{discover, find_project_files};
pub use dockerignore::DockerIgnore;
pub use sources::{CopySource, copy_sources, missing_sources, source_completion, source_path};

/// Where a build context was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A service of this compose file builds the Dockerfile.
    Compose(PathBuf),
    /// A target of this bake file builds the Dockerfile.
    Bake(PathBuf),
    /// The `buildContext` setting maps the Dockerfile to it.
    Setting,
    /// Nothing says: the Dockerfile's folder, as `docker build -f Dockerfile .` there.
    DockerfileFolder,
}

/// A Dockerfile's build context.
#[derive(Clone, Debug)]
pub struct BuildContext {
    pub dir: PathBuf,
    pub origin: Origin,
    pub ignore: DockerIgnore,
}

impl BuildContext {
    /// A context at `dir`, with the `.dockerignore` that applies to `dockerfile`.
    pub fn new(dir: PathBuf, origin: Origin, dockerfile: &std::path::Path) -> BuildContext {
        let ignore = DockerIgnore::for_build(&dir, dockerfile);
        BuildContext {
            dir,
            origin,
            ignore,
        }
    }

    /// Whether the context was named by a compose file, a bake file or the setting rather
    /// than guessed: only then is a missing source worth a warning.
    pub fn is_known(&self) -> bool {
        self.origin != Origin::DockerfileFolder
    }
}
