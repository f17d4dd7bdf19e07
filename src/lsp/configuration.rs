//! The client's settings JSON and the project files, in [`crate::config`] terms: where our
//! section sits in a payload, and which settings apply to each document.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use tower_lsp_server::ls_types::Uri;

use crate::config::{ConfigurationPreference, ProjectFiles, SECTION, Settings, precedence};

/// Where the `dockerfile-ls` settings sit in a `didChangeConfiguration` payload: clients
/// send either the whole configuration tree or just our section.
pub(crate) fn section_of(settings: &Value) -> &Value {
    settings.get(SECTION).unwrap_or(settings)
}

/// The settings of each project, layered over the editor's; cleared when either changes.
#[derive(Debug, Default)]
pub(crate) struct ProjectSettings {
    files: ProjectFiles,
    /// Project file → the settings of the documents below it.
    resolved: Mutex<HashMap<PathBuf, Arc<Settings>>>,
}

/// What to tell the user about a project file, the first time it is used.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// The file could not be used at all (for a window message).
    pub error: Option<String>,
    /// Parts of it could not be used (for the log).
    pub warnings: Vec<String>,
}

impl ProjectSettings {
    /// The settings for `uri`: the editor's, or layered with the project file above the
    /// document. A report comes back the first time a project file is used after a clear.
    pub fn for_document(
        &self,
        uri: &Uri,
        editor_sources: &[&Value],
        editor: &Arc<Settings>,
    ) -> (Arc<Settings>, Option<Report>) {
        if editor.configuration_preference == ConfigurationPreference::EditorOnly {
            return (Arc::clone(editor), None);
        }
        // Documents that are no files (`untitled:`) have no project.
        let Some(path) = uri.to_file_path() else {
            return (Arc::clone(editor), None);
        };
        let Some(loaded) = self.files.for_file(&path) else {
            return (Arc::clone(editor), None);
        };
        let key = match loaded.as_ref() {
            Ok(file) => file.path.clone(),
            Err(err) => err.path.clone(),
        };
        if let Some(settings) = self.lock().get(&key) {
            return (Arc::clone(settings), None);
        }
        let (settings, report) = match loaded.as_ref() {
            Ok(file) => {
                let (settings, warnings) =
                    precedence::for_document(editor_sources, editor, Some(file));
                let report = Report {
                    error: None,
                    warnings: file.problems(&warnings),
                };
                (Arc::new(settings), report)
            }
            Err(err) => (
                Arc::clone(editor),
                Report {
                    error: Some(err.to_string()),
                    warnings: Vec::new(),
                },
            ),
        };
        let settings = Arc::clone(self.lock().entry(key).or_insert(settings));
        (settings, Some(report))
    }

    /// Forgets everything: project files were created, changed or deleted.
    pub fn files_changed(&self) {
        self.files.clear();
        // hadolint's files are watched with ours and read again on the same occasions.
        super::inputs::hadolint_files_changed();
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Settings>>> {
        self.resolved.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn section_is_found_in_a_whole_configuration_tree() {
        let tree = json!({"dockerfile-ls": {"diagnostics": {"enable": false}}, "other": 1});
        assert_eq!(
            section_of(&tree),
            &json!({"diagnostics": {"enable": false}})
        );
        let bare = json!({"diagnostics": {"enable": false}});
        assert_eq!(section_of(&bare), &bare);
    }

    #[test]
    fn a_project_file_is_reported_once_and_its_settings_shared() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            tmp.path().join("dockerfile-ls.toml"),
            "[diagnostics]\nenable = false\nenabled = true\n",
        )
        .expect("write");
        let uri = |name: &str| Uri::from_file_path(tmp.path().join(name)).expect("a file URI");
        let projects = ProjectSettings::default();
        let editor = Arc::new(Settings::default());
        let (first, report) = projects.for_document(&uri("Dockerfile"), &[], &editor);
        assert!(!first.diagnostics.enable);
        let report = report.expect("reported the first time");
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        let (second, report) = projects.for_document(&uri("Dockerfile.dev"), &[], &editor);
        assert!(report.is_none());
        assert!(Arc::ptr_eq(&first, &second));
        // A malformed file: the editor's settings, and an error to show.
        std::fs::write(tmp.path().join("dockerfile-ls.toml"), "[diagnostics\n").expect("write");
        projects.files_changed();
        let (third, report) = projects.for_document(&uri("Dockerfile"), &[], &editor);
        assert!(third.diagnostics.enable);
        let error = report.and_then(|r| r.error).expect("an error");
        assert!(error.contains("dockerfile-ls.toml:1:"), "{error}");
        // Not a file: no project.
        let untitled: Uri = "untitled:Untitled-1".parse().expect("a URI");
        let (s, report) = projects.for_document(&untitled, &[], &editor);
        assert!(Arc::ptr_eq(&s, &editor) && report.is_none());
    }
}
