//! The build context of each open Dockerfile, found from the workspace's compose and bake
//! files and the `buildContext` setting, and kept for a few seconds: diagnostics ask on
//! every keystroke, and a compose file saved meanwhile is seen soon after.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use dashmap::DashMap;
use serde_json::Value;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::build_context::{Build, BuildContext, discover, find_project_files};

/// How long a found context (and the scan of project files) is trusted.
const FRESH_FOR: Duration = Duration::from_secs(5);

type ProjectFiles = Arc<Vec<(PathBuf, Vec<Build>)>>;

#[derive(Debug, Default)]
pub(crate) struct BuildContexts {
    roots: RwLock<Vec<PathBuf>>,
    project_files: Mutex<Option<(Instant, ProjectFiles)>>,
    by_uri: DashMap<Uri, (Instant, Arc<BuildContext>)>,
}

impl BuildContexts {
    /// The workspace folders (from `initialize`).
    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        *self.roots.write().unwrap_or_else(PoisonError::into_inner) = roots;
        self.forget_all();
    }

    /// Forgets what was found (the `buildContext` setting changed).
    pub fn forget_all(&self) {
        *self
            .project_files
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        self.by_uri.clear();
    }

    /// The build context of the document at `uri`, if it is a file.
    pub fn for_uri(&self, uri: &Uri, setting: &Value) -> Option<Arc<BuildContext>> {
        if let Some(entry) = self.by_uri.get(uri)
            && entry.0.elapsed() < FRESH_FOR
        {
            return Some(Arc::clone(&entry.1));
        }
        let path = uri.to_file_path()?.into_owned();
        let roots = self
            .roots
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let files = self.project_files(&roots);
        let ctx = Arc::new(discover(&path, &files, &roots, setting));
        self.by_uri
            .insert(uri.clone(), (Instant::now(), Arc::clone(&ctx)));
        Some(ctx)
    }

    fn project_files(&self, roots: &[PathBuf]) -> ProjectFiles {
        let mut slot = self
            .project_files
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((when, files)) = slot.as_ref()
            && when.elapsed() < FRESH_FOR
        {
            return Arc::clone(files);
        }
        let files = Arc::new(find_project_files(roots));
        *slot = Some((Instant::now(), Arc::clone(&files)));
        files
    }
}
