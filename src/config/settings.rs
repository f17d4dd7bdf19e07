//! User settings (section `dockerfile-ls`), one model for the server and the CLI, resolved
//! from sources shaped like the editor's JSON, soft-failing per field.
//!
//! The server's sources are `initializationOptions`, the answer to `workspace/configuration`,
//! `workspace/didChangeConfiguration` and the project file; the CLI's is the project file
//! (`dockerfile-ls.toml`, read into the same shape by [`super::file`]). Each source is an
//! object shaped like
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

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::analysis::format::{FormatOptions, KeywordCase, MultilineRun};
use serde_json::Value;

/// The name of our settings section: what the server asks the client for, and the prefix of
/// every setting's documented name.
pub const SECTION: &str = "dockerfile-ls";

/// Everything the user can configure, with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub diagnostics: DiagnosticsSettings,
    /// The `checks` section: BuildKit's check configuration and the build's inputs.
    pub checks: ChecksSettings,
    /// The `format` section: the formatter's options.
    pub format: FormatSettings,
    /// How much of our log the client gets through `window/logMessage`.
    pub trace: Trace,
    /// The `registry` section (`dockerHubApi`, `endpoints`, `offline`, `insecureHosts`,
    /// `cacheDir`), merged field by field across the sources, applied by [`RegistryConfig::apply_settings`](crate::registry::RegistryConfig::apply_settings).
    pub registry: Value,
    /// Whether the project file or the editor wins where both set a field (server only).
    pub configuration_preference: ConfigurationPreference,
    /// `buildContext`: glob over a Dockerfile's path (relative to a workspace root) → its
    /// build context folder (relative to that root), merged field by field.
    pub build_context: Value,
    pub inlay_hints: InlayHintSettings,
    pub shellcheck: ShellCheckSettings,
}

/// ShellCheck on RUN scripts (`shellcheck`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCheckSettings {
    /// Run ShellCheck when it can be found.
    pub enable: bool,
    /// The `shellcheck` program; `None`: found on `PATH`.
    pub path: Option<String>,
}

/// Which inlay hints to show (`inlayHints`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlayHintSettings {
    /// After a floating image tag, what it resolves to today (from the registry cache).
    pub images: bool,
    /// After a `$VAR` in a FROM line, the value it expands to.
    pub variables: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticsSettings {
    /// Publish diagnostics at all.
    pub enable: bool,
    /// A floating or missing image tag (information), when registry data is cached.
    pub floating_tag: bool,
    /// An image tag the registry does not have (warning), when a complete list is cached.
    pub unknown_tag: bool,
    /// A `tag@digest` whose tag points elsewhere now (information), when that is cached.
    pub stale_digest: bool,
    /// Severity per rule id or group (`error`, `warning`, `info`, `hint`, `off`).
    pub rules: BTreeMap<String, String>,
}

/// `checks.*`: what `BUILDKIT_DOCKERFILE_CHECK` and `--build-arg` give a build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChecksSettings {
    /// Rules to skip (`["all"]` for every rule).
    pub skip: Vec<String>,
    /// Make every build-check finding an error.
    pub error: bool,
    /// Experimental rules to enable (`["all"]` for every one).
    pub experimental: Vec<String>,
    /// The build context, relative to the Dockerfile's folder (its folder when unset).
    pub build_context: Option<String>,
    /// `--build-arg NAME=value`.
    pub build_args: BTreeMap<String, String>,
}

/// `format.*`: the formatter's options. Unset (`None`) indent fields follow the editor's
/// `FormattingOptions` (the `fmt` command: `.editorconfig`, then the formatter's default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatSettings {
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

impl FormatSettings {
    /// The formatter's options: these settings over `base` (the editor's indent and
    /// whitespace choices, or the CLI's from `.editorconfig`), the indent taken from the
    /// settings only where they fix it.
    pub fn options(&self, base: FormatOptions) -> FormatOptions {
        FormatOptions {
            keyword_case: self.keyword_case,
            indent_width: self.indent_width.unwrap_or(base.indent_width),
            use_tabs: self.use_tabs.unwrap_or(base.use_tabs),
            max_blank_lines: self.max_blank_lines,
            line_width: self.line_width,
            normalize_key_value: self.normalize_key_value,
            sort_flags: self.sort_flags,
            multiline_run: self.multiline_run,
            sort_packages: self.sort_packages,
            ..base
        }
    }
}

/// `trace.server`, as VS Code names it: warnings and errors always reach the client's log;
/// `messages` adds informational lines and `verbose` adds debug lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Trace {
    #[default]
    Off,
    Messages,
    Verbose,
}

/// `configurationPreference`, named as in ruff's server: which source wins where the
/// project file and the editor both set a field. The default differs from ruff's because
/// editors report every setting with its default (VS Code does), so "editor first" would
/// hide the whole project file there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum ConfigurationPreference {
    /// The project file overrides the editor, field by field: the editor agrees with CI.
    #[default]
    FilesystemFirst,
    /// The editor overrides the project file, field by field.
    EditorFirst,
    /// Project files are not read.
    EditorOnly,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            diagnostics: DiagnosticsSettings {
                enable: true,
                floating_tag: true,
                unknown_tag: true,
                stale_digest: true,
                rules: BTreeMap::new(),
            },
            checks: ChecksSettings::default(),
            format: FormatSettings::default(),
            trace: Trace::Off,
            registry: Value::Null,
            configuration_preference: ConfigurationPreference::FilesystemFirst,
            build_context: Value::Null,
            inlay_hints: InlayHintSettings {
                images: true,
                variables: false,
            },
            shellcheck: ShellCheckSettings {
                enable: true,
                path: None,
            },
        }
    }
}

impl Settings {
    /// The defaults overridden by each source in turn, and one warning per unusable field.
    pub fn resolve<'a>(sources: impl IntoIterator<Item = &'a Value>) -> (Settings, Vec<Warning>) {
        let mut settings = Settings::default();
        let mut warnings = Vec::new();
        for source in sources {
            settings.overlay(source, &mut warnings);
        }
        (settings, warnings)
    }

    /// Applies one more source over these settings, field by field.
    pub fn overlay(&mut self, source: &Value, warnings: &mut Vec<Warning>) {
        if source.is_null() {
            return;
        }
        if !source.is_object() {
            warnings.push(Warning::whole(format!(
                "settings for `{SECTION}` must be an object, got {}; ignoring them",
                describe(source)
            )));
            return;
        }
        self.merge(&mut Reader {
            source,
            warnings,
            seen: None,
        });
    }

    /// The dotted keys of `source` that name no setting (typos in a project file). A key is
    /// known when it is a setting or lies inside one that takes a whole object.
    pub fn unknown_keys(source: &Value) -> Vec<String> {
        let known = Settings::known_keys();
        let mut unknown = Vec::new();
        leaf_keys(source, &mut String::new(), &mut |key| {
            let is_known = known.iter().any(|k| {
                key == *k
                    || key
                        .strip_prefix(*k)
                        .is_some_and(|rest| rest.starts_with('.'))
            });
            if !is_known {
                unknown.push(key.to_string());
            }
        });
        unknown.sort();
        unknown
    }

    /// The dotted key of every setting, as [`Settings::merge`] reads them.
    pub fn known_keys() -> Vec<&'static str> {
        let mut seen = Vec::new();
        Settings::default().merge(&mut Reader {
            source: &Value::Null,
            warnings: &mut Vec::new(),
            seen: Some(&mut seen),
        });
        seen
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
        r.read("diagnostics.rules", &mut self.diagnostics.rules);
        r.read("checks.skip", &mut self.checks.skip);
        r.read("checks.error", &mut self.checks.error);
        r.read("checks.experimental", &mut self.checks.experimental);
        r.read("checks.buildContext", &mut self.checks.build_context);
        r.read("checks.buildArgs", &mut self.checks.build_args);
        r.read(
            "configurationPreference",
            &mut self.configuration_preference,
        );
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
        r.read_fields("buildContext", &mut self.build_context);
        r.read("inlayHints.images", &mut self.inlay_hints.images);
        r.read("inlayHints.variables", &mut self.inlay_hints.variables);
        r.read("shellcheck.enable", &mut self.shellcheck.enable);
        r.read("shellcheck.path", &mut self.shellcheck.path);
    }
}

/// A setting that could not be used, and the dotted key it sits at (empty for a whole
/// source), so that a project file can point at its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub key: String,
    pub message: String,
}

impl Warning {
    fn whole(message: String) -> Warning {
        Warning {
            key: String::new(),
            message,
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads fields out of one settings source, collecting warnings.
struct Reader<'a> {
    source: &'a Value,
    warnings: &'a mut Vec<Warning>,
    /// Records every path asked for, when listing the known keys.
    seen: Option<&'a mut Vec<&'static str>>,
}

impl<'a> Reader<'a> {
    /// The value at a dotted `path`, unless it is missing or `null`.
    fn at(&mut self, path: &'static str) -> Option<&'a Value> {
        if let Some(seen) = self.seen.as_deref_mut() {
            seen.push(path);
        }
        path.split('.')
            .try_fold(self.source, |value, key| value.get(key))
            .filter(|v| !v.is_null())
    }

    /// Overwrites `slot` with the value at `path` if there is one of the right type.
    fn read<T: DeserializeOwned + std::fmt::Debug>(&mut self, path: &'static str, slot: &mut T) {
        let Some(value) = self.at(path) else {
            return;
        };
        match T::deserialize(value) {
            Ok(v) => *slot = v,
            Err(err) => self.warn(
                path,
                format!(
                    "setting `{SECTION}.{path}`: {err} (got {}); keeping {slot:?}",
                    describe(value)
                ),
            ),
        }
    }

    fn warn(&mut self, path: &str, message: String) {
        self.warnings.push(Warning {
            key: path.to_string(),
            message,
        });
    }

    /// Merges the object at `path` into `slot` field by field (for a section passed on as
    /// JSON): a field set here replaces the one so far, a missing or `null` one keeps it.
    /// Nested objects (`registry.endpoints`) are one field each, replaced whole.
    fn read_fields(&mut self, path: &'static str, slot: &mut Value) {
        let Some(value) = self.at(path) else {
            return;
        };
        let Some(fields) = value.as_object() else {
            self.warn(
                path,
                format!(
                    "setting `{SECTION}.{path}` must be an object, got {}; ignoring it",
                    describe(value)
                ),
            );
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

/// Calls `f` with the dotted key of every leaf (non-object value) under `value`.
fn leaf_keys(value: &Value, prefix: &mut String, f: &mut impl FnMut(&str)) {
    let Some(fields) = value.as_object() else {
        if !prefix.is_empty() {
            f(prefix);
        }
        return;
    };
    for (key, v) in fields {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(key);
        leaf_keys(v, prefix, f);
        prefix.truncate(len);
    }
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
            w[0].message.contains("dockerfile-ls.diagnostics.enable"),
            "{}",
            w[0]
        );
        assert_eq!(w[0].key, "diagnostics.enable");
        assert!(w[1].message.contains("trace.server"), "{}", w[1]);
    }

    #[test]
    fn a_non_object_source_is_ignored_with_a_warning() {
        let (s, w) = Settings::resolve([&json!([1, 2]), &json!("x".repeat(100))]);
        assert_eq!(s, Settings::default());
        assert_eq!(w.len(), 2);
        assert!(w[1].message.len() < 120);
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
        assert!(w[0].message.contains("dockerfile-ls.registry"), "{}", w[0]);
    }

    #[test]
    fn checks_and_rule_severities() {
        let init = json!({
            "checks": {"skip": ["StageNameCasing"], "buildArgs": {"V": "1"}},
            "diagnostics": {"rules": {"buildkit": "info"}}
        });
        let (s, w) = Settings::resolve([&init]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.checks.skip, ["StageNameCasing"]);
        assert_eq!(s.checks.build_args.get("V").map(String::as_str), Some("1"));
        assert_eq!(
            s.diagnostics.rules.get("buildkit").map(String::as_str),
            Some("info")
        );
        let (_, w) = Settings::resolve([&json!({"checks": {"skip": "all"}})]);
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn unknown_keys_are_typos_but_not_fields_of_object_settings() {
        let source = json!({
            "diagnostics": {"enable": false, "floatingTags": true},
            "registry": {"endpoints": {"docker.io": "https://m.example"}, "anything": 1},
            "trace": {"server": "off"},
            "format": 3
        });
        assert_eq!(
            Settings::unknown_keys(&source),
            vec!["diagnostics.floatingTags".to_string(), "format".to_string()]
        );
        assert!(Settings::unknown_keys(&json!({})).is_empty());
    }

    #[test]
    fn configuration_preference_is_read_in_camel_case() {
        let (s, w) = Settings::resolve([&json!({"configurationPreference": "editorOnly"})]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            s.configuration_preference,
            ConfigurationPreference::EditorOnly
        );
        let (s, w) = Settings::resolve([&json!({"configurationPreference": "editor"})]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(
            s.configuration_preference,
            ConfigurationPreference::default()
        );
    }
}
