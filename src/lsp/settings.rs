//! User settings (section `dockerfile-ls`) resolved from the client's JSON, soft-failing per field.
//!
//! Settings arrive as `initializationOptions`, as the answer to `workspace/configuration`
//! and in `workspace/didChangeConfiguration`. Each source is a JSON object shaped like
//!
//! ```json
//! { "diagnostics": { "enable": true }, "trace": { "server": "off" } }
//! ```
//!
//! Resolution starts from the defaults and applies the sources in order, field by field: a
//! missing or `null` field keeps the value so far, an unknown field is ignored, and a field of
//! the wrong type produces a warning and keeps the value so far. One bad field therefore
//! never costs the user their other settings.
//!
//! Adding a setting: add the field (with its default) to the struct, and one `read` line to
//! [`Settings::merge`].

use serde::Deserialize;

use crate::analysis::format::{FormatOptions, KeywordCase, MultilineRun};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The configuration section we ask the client for.
pub(crate) const SECTION: &str = "dockerfile-ls";

/// Everything the user can configure, with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Settings {
    pub diagnostics: DiagnosticsSettings,
    pub format: FormatSettings,
    /// How much of our log the client gets through `window/logMessage`.
    pub trace: Trace,
    /// The `registry` section (`dockerHubApi`, `endpoints`, `offline`, `insecureHosts`,
    /// `cacheDir`), merged field by field across the sources, applied by [`RegistryConfig::apply_settings`](crate::registry::RegistryConfig::apply_settings).
    pub registry: Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DiagnosticsSettings {
    /// Publish diagnostics at all.
    pub enable: bool,
    /// A floating or missing image tag (information), when registry data is cached.
    pub floating_tag: bool,
    /// An image tag the registry does not have (warning), when a complete list is cached.
    pub unknown_tag: bool,
    /// A `tag@digest` whose tag points elsewhere now (information), when that is cached.
    pub stale_digest: bool,
}

/// The `format` section: the formatter's options. Unset (`None`) indent fields follow the
/// editor's `FormattingOptions`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FormatSettings {
    pub enable: bool,
    pub keyword_case: KeywordCase,
    pub indent_width: Option<usize>,
    pub use_tabs: Option<bool>,
    pub max_blank_lines: usize,
    pub line_width: usize,
    pub normalize_key_value: bool,
    pub sort_flags: bool,
    pub multiline_run: MultilineRun,
    pub sort_packages: bool,
}

impl Default for FormatSettings {
    fn default() -> Self {
        let d = FormatOptions::default();
        FormatSettings {
            enable: true,
            keyword_case: d.keyword_case,
            indent_width: None,
            use_tabs: None,
            max_blank_lines: d.max_blank_lines,
            line_width: d.line_width,
            normalize_key_value: d.normalize_key_value,
            sort_flags: d.sort_flags,
            multiline_run: d.multiline_run,
            sort_packages: d.sort_packages,
        }
    }
}

/// `trace.server`, as VS Code names it: warnings and errors always reach the client's log;
/// `messages` adds informational lines and `verbose` adds debug lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Trace {
    #[default]
    Off,
    Messages,
    Verbose,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            diagnostics: DiagnosticsSettings {
                enable: true,
                floating_tag: true,
                unknown_tag: true,
                stale_digest: true,
            },
            format: FormatSettings::default(),
            trace: Trace::Off,
            registry: Value::Null,
        }
    }
}

impl Settings {
    /// The defaults overridden by each source in turn, and one warning per unusable field.
    pub fn resolve<'a>(sources: impl IntoIterator<Item = &'a Value>) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut warnings = Vec::new();
        for source in sources {
            if source.is_null() {
                continue;
            }
            if !source.is_object() {
                warnings.push(format!(
                    "settings for `{SECTION}` must be an object, got {}; ignoring them",
                    describe(source)
                ));
                continue;
            }
            settings.merge(&mut Reader {
                source,
                warnings: &mut warnings,
            });
        }
        (settings, warnings)
    }

    /// One line per setting: its dotted path in the JSON and where it goes.
    fn merge(&mut self, r: &mut Reader<'_>) {
        r.read("diagnostics.enable", &mut self.diagnostics.enable);
        r.read("trace.server", &mut self.trace);
        r.read(
            "diagnostics.floatingTag",
            &mut self.diagnostics.floating_tag,
        );
        r.read("diagnostics.unknownTag", &mut self.diagnostics.unknown_tag);
        r.read(
            "diagnostics.staleDigest",
            &mut self.diagnostics.stale_digest,
        );
        r.read_fields("registry", &mut self.registry);
        let f = &mut self.format;
        r.read("format.enable", &mut f.enable);
        r.read("format.keywordCase", &mut f.keyword_case);
        r.read("format.indentWidth", &mut f.indent_width);
        r.read("format.useTabs", &mut f.use_tabs);
        r.read("format.maxBlankLines", &mut f.max_blank_lines);
        r.read("format.lineWidth", &mut f.line_width);
        r.read("format.normalizeKeyValue", &mut f.normalize_key_value);
        r.read("format.sortFlags", &mut f.sort_flags);
        r.read("format.multilineRun", &mut f.multiline_run);
        r.read("format.sortPackages", &mut f.sort_packages);
    }
}

/// Reads fields out of one settings source, collecting warnings.
struct Reader<'a> {
    source: &'a Value,
    warnings: &'a mut Vec<String>,
}

impl<'a> Reader<'a> {
    /// The value at a dotted `path`, unless it is missing or `null`.
    fn at(&self, path: &str) -> Option<&'a Value> {
        path.split('.')
            .try_fold(self.source, |value, key| value.get(key))
            .filter(|v| !v.is_null())
    }

    /// Overwrites `slot` with the value at `path` if there is one of the right type.
    fn read<T: DeserializeOwned + std::fmt::Debug>(&mut self, path: &str, slot: &mut T) {
        let Some(value) = self.at(path) else {
            return;
        };
        match T::deserialize(value) {
            Ok(v) => *slot = v,
            Err(err) => self.warnings.push(format!(
                "setting `{SECTION}.{path}`: {err} (got {}); keeping {slot:?}",
                describe(value)
            )),
        }
    }

    /// Merges the object at `path` into `slot` field by field (for a section passed on as
    /// JSON): a field set here replaces the one so far, a missing or `null` one keeps it.
    /// Nested objects (`registry.endpoints`) are one field each, replaced whole.
    fn read_fields(&mut self, path: &str, slot: &mut Value) {
        let Some(value) = self.at(path) else {
            return;
        };
        let Some(fields) = value.as_object() else {
            self.warnings.push(format!(
                "setting `{SECTION}.{path}` must be an object, got {}; ignoring it",
                describe(value)
            ));
            return;
        };
        if !slot.is_object() {
            *slot = Value::Object(serde_json::Map::new());
        }
        if let Some(merged) = slot.as_object_mut() {
            for (key, v) in fields.iter().filter(|(_, v)| !v.is_null()) {
                merged.insert(key.clone(), v.clone());
            }
        }
    }
}

/// A short description of a JSON value for warnings, without dumping a large object.
fn describe(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "an array".into(),
        other => {
            let mut s = other.to_string();
            if s.len() > 40 {
                let cut = (0..=40).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                s.truncate(cut);
                s.push('…');
            }
            s
        }
    }
}

/// Where the `dockerfile-ls` settings sit in a `didChangeConfiguration` payload: clients
/// send either the whole configuration tree or just our section.
pub(crate) fn section_of(settings: &Value) -> &Value {
    settings.get(SECTION).unwrap_or(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_when_nothing_is_sent() {
        let (s, w) = Settings::resolve([&Value::Null]);
        assert_eq!(s, Settings::default());
        assert!(s.diagnostics.enable);
        assert!(w.is_empty());
    }

    #[test]
    fn later_sources_override_earlier_ones_field_by_field() {
        let init = json!({"diagnostics": {"enable": false}, "trace": {"server": "verbose"}});
        let workspace = json!({"trace": {"server": "messages"}, "unknown": {"x": 1}});
        let (s, w) = Settings::resolve([&init, &workspace]);
        assert!(!s.diagnostics.enable);
        assert_eq!(s.trace, Trace::Messages);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn a_wrong_type_keeps_the_previous_value_and_warns() {
        let init = json!({"diagnostics": {"enable": false}});
        let bad = json!({"diagnostics": {"enable": "yes"}, "trace": {"server": "loud"}});
        let (s, w) = Settings::resolve([&init, &bad]);
        assert!(!s.diagnostics.enable);
        assert_eq!(s.trace, Trace::Off);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].contains("dockerfile-ls.diagnostics.enable"),
            "{}",
            w[0]
        );
        assert!(w[1].contains("trace.server"), "{}", w[1]);
    }

    #[test]
    fn a_non_object_source_is_ignored_with_a_warning() {
        let (s, w) = Settings::resolve([&json!([1, 2]), &json!("x".repeat(100))]);
        assert_eq!(s, Settings::default());
        assert_eq!(w.len(), 2);
        assert!(w[1].len() < 120);
        // A section that is not an object along the path is just "not set".
        let (s, w) = Settings::resolve([&json!({"diagnostics": 3})]);
        assert_eq!(s, Settings::default());
        assert!(w.is_empty());
    }

    #[test]
    fn registry_settings_merge_field_by_field() {
        let init = json!({"registry": {
            "dockerHubApi": "https://hub.mirror.example",
            "endpoints": {"docker.io": "https://mirror.example"},
            "offline": true
        }});
        let workspace =
            json!({"registry": {"offline": false, "cacheDir": null, "insecureHosts": ["r:5000"]}});
        let (s, w) = Settings::resolve([&init, &workspace]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            s.registry,
            json!({
                "dockerHubApi": "https://hub.mirror.example",
                "endpoints": {"docker.io": "https://mirror.example"},
                "offline": false,
                "insecureHosts": ["r:5000"]
            })
        );
        // A later map replaces the earlier one whole: removing a mirror must be possible.
        let (s, _) = Settings::resolve([&init, &json!({"registry": {"endpoints": {}}})]);
        assert_eq!(s.registry["endpoints"], json!({}));
        assert_eq!(s.registry["offline"], json!(true));
        // Not an object: a warning, and the fields so far are kept.
        let (s, w) = Settings::resolve([&init, &json!({"registry": "offline"})]);
        assert_eq!(s.registry["offline"], json!(true));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("dockerfile-ls.registry"), "{}", w[0]);
    }

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
}
