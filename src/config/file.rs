//! One project configuration file (`dockerfile-ls.toml`): its TOML read into the shape of the
//! editor's settings, with the place of every key, so that problems point at a line.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::settings::{Settings, Warning};
use crate::analysis::rules::Severities;
use crate::catalog::suggest::did_you_mean;

/// A project file that parsed. Its settings are applied by [`Settings::resolve`] like any
/// other source; [`ProjectFile::problems`] says what in it could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectFile {
    pub path: PathBuf,
    /// The settings, shaped like the editor's `dockerfile-ls` section.
    pub value: Value,
    /// Where each dotted key is written: 1-based line and column.
    places: HashMap<String, (usize, usize)>,
    /// The other project file in the same folder, which this one hides.
    pub shadows: Option<PathBuf>,
}

/// A project file that could not be read or is not TOML. Nothing of it is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column of the problem, when it is in the text.
    pub place: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Some((line, column)) => write!(
                f,
                "{}:{line}:{column}: {}",
                self.path.display(),
                self.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ProjectFile {
    /// Reads and parses the file at `path`.
    pub fn read(path: &Path) -> Result<ProjectFile, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            place: None,
            message: format!("cannot read the project configuration: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            place: None,
            message: format!(
                "the project configuration is not UTF-8 (at byte {})",
                e.utf8_error().valid_up_to()
            ),
        })?;
        ProjectFile::parse(path.to_path_buf(), &text)
    }

    /// Parses `text` as the file at `path`.
    pub fn parse(path: PathBuf, text: &str) -> Result<ProjectFile, ConfigError> {
        let error = |e: toml::de::Error| ConfigError {
            place: e.span().map(|span| line_column(text, span.start)),
            message: format!("invalid TOML: {}", e.message().trim_end()),
            path: path.clone(),
        };
        let table = toml::de::DeTable::parse(text).map_err(error)?;
        let value: Value = toml::from_str(text).map_err(error)?;
        let mut places = HashMap::new();
        record_places(text, table.get_ref(), &mut String::new(), &mut places);
        Ok(ProjectFile {
            path,
            value,
            places,
            shadows: None,
        })
    }

    /// The settings of this file over the defaults, and its problems.
    pub fn settings(&self) -> (Settings, Vec<String>) {
        let (settings, warnings) = Settings::resolve([&self.value]);
        (settings, self.problems(&warnings))
    }

    /// Everything in this file that is not used, one line each, as
    /// `file:line:column: message`: `warnings` from resolving its settings, keys that name
    /// no setting, rule severities that name no rule or level, and the other project file it
    /// hides.
    pub fn problems(&self, warnings: &[Warning]) -> Vec<String> {
        let mut out: Vec<String> = warnings
            .iter()
            .map(|w| self.located(&w.key, &w.message))
            .collect();
        let known = Settings::known_keys();
        for key in Settings::unknown_keys(&self.value) {
            let hint = did_you_mean(&key, known.iter().copied())
                .map_or(String::new(), |k| format!("; did you mean `{k}`?"));
            out.push(self.located(&key, &format!("unknown setting `{key}` ignored{hint}")));
        }
        // `diagnostics.rules` entries that name no rule or level, each at its line.
        if let Some(rules) = self.value["diagnostics"]["rules"].as_object() {
            for (key, level) in rules {
                let Some(level) = level.as_str() else {
                    continue;
                };
                for problem in Severities::from_map([(key.as_str(), level)]).1 {
                    out.push(self.located(
                        &format!("diagnostics.rules.{key}"),
                        &format!("setting `diagnostics.rules`: {problem}"),
                    ));
                }
            }
        }
        if let Some(other) = &self.shadows {
            out.push(format!(
                "{}: ignored: {} in the same folder takes precedence",
                other.display(),
                self.path.display()
            ));
        }
        out
    }

    /// `message` prefixed with the place of `key` (or of its nearest written parent).
    fn located(&self, key: &str, message: &str) -> String {
        let mut prefix = key;
        loop {
            if let Some((line, column)) = self.places.get(prefix) {
                return format!("{}:{line}:{column}: {message}", self.path.display());
            }
            match prefix.rsplit_once('.') {
                Some((parent, _)) => prefix = parent,
                None => return format!("{}: {message}", self.path.display()),
            }
        }
    }
}

/// Records the place of every key under `table`, by dotted path; the first place wins.
fn record_places(
    text: &str,
    table: &toml::de::DeTable<'_>,
    prefix: &mut String,
    places: &mut HashMap<String, (usize, usize)>,
) {
    for (key, value) in table {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(key.get_ref());
        places
            .entry(prefix.clone())
            .or_insert_with(|| line_column(text, key.span().start));
        if let toml::de::DeValue::Table(inner) = value.get_ref() {
            record_places(text, inner, prefix, places);
        }
        prefix.truncate(len);
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = (0..=offset.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Trace;
    use serde_json::json;

    fn parse(text: &str) -> Result<ProjectFile, ConfigError> {
        ProjectFile::parse(PathBuf::from("/p/dockerfile-ls.toml"), text)
    }

    #[test]
    fn keys_are_the_editor_settings_in_toml() {
        let file = parse(
            "[diagnostics]\nenable = false\n\n[registry]\noffline = true\nendpoints = { \"docker.io\" = \"https://m.example\" }\n",
        )
        .expect("valid TOML");
        assert_eq!(
            file.value,
            json!({"diagnostics": {"enable": false},
                   "registry": {"offline": true, "endpoints": {"docker.io": "https://m.example"}}})
        );
        let (settings, problems) = file.settings();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!settings.diagnostics.enable);
        assert_eq!(settings.registry["offline"], json!(true));
        // Dotted keys are the same keys.
        let dotted = parse("diagnostics.enable = false\n").expect("valid TOML");
        assert_eq!(dotted.value, json!({"diagnostics": {"enable": false}}));
    }

    #[test]
    fn malformed_toml_is_an_error_with_its_line() {
        let err = parse("[diagnostics]\nenable = false\nfloatingTag = \n").expect_err("bad TOML");
        assert_eq!(err.place.map(|p| p.0), Some(3), "{err}");
        let text = err.to_string();
        assert!(text.starts_with("/p/dockerfile-ls.toml:3:"), "{text}");
        assert!(text.contains("invalid TOML"), "{text}");
        // A key given twice is malformed too.
        let err = parse("a = 1\na = 2\n").expect_err("duplicate key");
        assert_eq!(err.place.map(|p| p.0), Some(2), "{err}");
    }

    #[test]
    fn unusable_values_and_unknown_keys_point_at_their_lines() {
        let file = parse(
            "[diagnostics]\nenable = \"no\"\nfloatingTags = false\n[trace]\nserver = \"verbose\"\n",
        )
        .expect("valid TOML");
        let (settings, problems) = file.settings();
        // The bad field keeps its default; the good one is used.
        assert!(settings.diagnostics.enable);
        assert_eq!(settings.trace, Trace::Verbose);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "/p/dockerfile-ls.toml:2:1: setting `dockerfile-ls.diagnostics.enable`"
            ),
            "{}",
            problems[0]
        );
        assert_eq!(
            problems[1],
            "/p/dockerfile-ls.toml:3:1: unknown setting `diagnostics.floatingTags` ignored; did you mean `diagnostics.floatingTag`?"
        );
    }

    #[test]
    fn rule_severities_that_name_nothing_point_at_their_lines() {
        let file = parse(
            "[diagnostics.rules]\nStageNameCasing = \"error\"\nNoSuchRule = \"off\"\nbuildkit = \"loud\"\n",
        )
        .expect("valid TOML");
        let (settings, problems) = file.settings();
        assert_eq!(settings.diagnostics.rules.len(), 3);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[1].starts_with("/p/dockerfile-ls.toml:4:1: setting `diagnostics.rules`"),
            "{problems:?}"
        );
        assert!(
            problems[0].starts_with(
                "/p/dockerfile-ls.toml:3:1: setting `diagnostics.rules`: `NoSuchRule`"
            ),
            "{problems:?}"
        );
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\ncé d", 7), (2, 4));
        assert_eq!(line_column("", 0), (1, 1));
        assert_eq!(line_column("é", 1), (1, 1));
    }
}
