//! How the server combines the editor's settings with a project file, per document.
//!
//! The editor's sources (`initializationOptions`, then the workspace configuration) resolve
//! first; their `configurationPreference` then decides the order of the layers:
//!
//! | preference | order, lowest to highest |
//! |---|---|
//! | `filesystemFirst` (default) | defaults → editor → project file |
//! | `editorFirst` | defaults → project file → editor |
//! | `editorOnly` | defaults → editor (project files are not read) |
//!
//! Layers merge field by field: a field the higher layer does not set keeps the lower one's
//! value. Settings that belong to the whole session rather than to a file (`trace.server`,
//! `registry.*`, `configurationPreference`) always come from the editor: one registry layer
//! serves every document, and a repository someone opens should not decide where the editor
//! sends network requests. The CLI reads them from the project file. `shellcheck.path` also
//! comes from the editor only (and the CLI never reads it): a repository must not choose a
//! program for us to run.

use serde_json::Value;

use super::file::ProjectFile;
use super::settings::{ConfigurationPreference, Settings, Warning};

/// The settings for a document below `project` (if any), given the editor's raw sources and
/// what they resolve to. Warnings are the project file's; the editor's were reported when
/// they were resolved.
pub fn for_document(
    editor_sources: &[&Value],
    editor: &Settings,
    project: Option<&ProjectFile>,
) -> (Settings, Vec<Warning>) {
    let Some(project) = project else {
        return (editor.clone(), Vec::new());
    };
    let mut warnings = Vec::new();
    let mut settings = Settings::default();
    match editor.configuration_preference {
        ConfigurationPreference::EditorOnly => return (editor.clone(), Vec::new()),
        ConfigurationPreference::FilesystemFirst => {
            let mut ignored = Vec::new();
            for source in editor_sources {
                settings.overlay(source, &mut ignored);
            }
            settings.overlay(&project.value, &mut warnings);
        }
        ConfigurationPreference::EditorFirst => {
            settings.overlay(&project.value, &mut warnings);
            let mut ignored = Vec::new();
            for source in editor_sources {
                settings.overlay(source, &mut ignored);
            }
        }
    }
    settings.trace = editor.trace;
    settings.registry = editor.registry.clone();
    settings.configuration_preference = editor.configuration_preference;
    settings.shellcheck.path = editor.shellcheck.path.clone();
    (settings, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Trace;
    use serde_json::json;
    use std::path::PathBuf;

    fn project(text: &str) -> ProjectFile {
        ProjectFile::parse(PathBuf::from("/p/dockerfile-ls.toml"), text).expect("valid TOML")
    }

    fn resolve(editor: &[&Value], project: Option<&ProjectFile>) -> Settings {
        let (resolved, _) = Settings::resolve(editor.iter().copied());
        for_document(editor, &resolved, project).0
    }

    #[test]
    fn the_project_file_wins_by_default_field_by_field() {
        let file = project(
            "[diagnostics]\nfloatingTag = false\n[trace]\nserver = \"verbose\"\n[registry]\noffline = true\n",
        );
        let editor = json!({"diagnostics": {"floatingTag": true, "enable": false},
                            "registry": {"offline": false}});
        let s = resolve(&[&editor], Some(&file));
        assert!(!s.diagnostics.floating_tag, "project file wins");
        assert!(
            !s.diagnostics.enable,
            "the editor's field the file does not set is kept"
        );
        assert_eq!(s.trace, Trace::Off, "session settings come from the editor");
        assert_eq!(s.registry, json!({"offline": false}));
    }

    #[test]
    fn editor_first_and_editor_only() {
        let file = project("[diagnostics]\nfloatingTag = false\nunknownTag = false\n");
        let first = json!({"configurationPreference": "editorFirst",
                           "diagnostics": {"floatingTag": true}});
        let s = resolve(&[&first], Some(&file));
        assert!(s.diagnostics.floating_tag, "the editor wins");
        assert!(!s.diagnostics.unknown_tag, "the file's other fields apply");
        let only = json!({"configurationPreference": "editorOnly"});
        let s = resolve(&[&only], Some(&file));
        assert!(s.diagnostics.floating_tag && s.diagnostics.unknown_tag);
        // Without a project file, the editor's settings as they are.
        let s = resolve(&[&first], None);
        assert_eq!(
            s.configuration_preference,
            ConfigurationPreference::EditorFirst
        );
    }

    #[test]
    fn a_project_file_cannot_choose_the_preference() {
        let file =
            project("configurationPreference = \"editorOnly\"\n[diagnostics]\nenable = false\n");
        let s = resolve(&[&json!({})], Some(&file));
        assert_eq!(
            s.configuration_preference,
            ConfigurationPreference::FilesystemFirst
        );
        assert!(!s.diagnostics.enable);
    }
}
