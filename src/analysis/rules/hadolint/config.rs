//! hadolint's configuration file (`.hadolint.yaml` / `.hadolint.yml`), read into the
//! group's [`Options`].
//!
//! Keys: `ignored` (rule ids), `override` (`error`/`warning`/`info`/`style` lists),
//! `trustedRegistries`, `label-schema` (label → `text`/`url`/`email`/`hash`/`rfc3339`/
//! `semver`/`spdx`), `strict-labels`, `failure-threshold`, `disable-ignore-pragma`. Unknown
//! keys are ignored, as hadolint does.
//!
//! Where it is found: hadolint looks in the current directory, then `$XDG_CONFIG_HOME`
//! (`hadolint.yaml`), `~/.hadolint/` (`hadolint.yaml`, `config.yaml`) and `~/`
//! (`.hadolint.yaml`). An editor has no meaningful current directory, so the Dockerfile's
//! folder and its parents stand for it; the user-level places follow.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::context::{LabelType, Level, Options};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct File {
    ignored: Vec<String>,
    #[serde(rename = "override")]
    overrides: Overrides,
    #[serde(rename = "trustedRegistries")]
    trusted_registries: Vec<String>,
    #[serde(rename = "label-schema")]
    label_schema: BTreeMap<String, String>,
    #[serde(rename = "strict-labels")]
    strict_labels: Option<bool>,
    #[serde(rename = "failure-threshold")]
    failure_threshold: Option<String>,
    #[serde(rename = "disable-ignore-pragma")]
    disable_ignore_pragma: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Overrides {
    error: Vec<String>,
    warning: Vec<String>,
    info: Vec<String>,
    style: Vec<String>,
}

/// A read configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub options: Options,
    /// The lowest severity that makes `check` fail (`failure-threshold`).
    pub failure_threshold: Option<Level>,
    /// `# hadolint ignore=` comments are not honoured.
    pub disable_ignore_pragma: bool,
}

/// Reads a configuration file's text. Errors name the key that could not be read.
pub fn parse(text: &str) -> Result<Config, String> {
    let file: File = if text.trim().is_empty() {
        File::default()
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?
    };
    let mut options = Options::default();
    // hadolint applies the overrides in this order, so `error` wins over `style`.
    let lists = [
        (&file.overrides.style, Level::Style),
        (&file.overrides.info, Level::Info),
        (&file.overrides.warning, Level::Warning),
        (&file.overrides.error, Level::Error),
    ];
    for (codes, level) in lists {
        for code in codes {
            options.levels.insert(code.clone(), level);
        }
    }
    for code in &file.ignored {
        options.levels.insert(code.clone(), Level::Ignore);
    }
    options.trusted_registries = file.trusted_registries;
    for (label, kind) in file.label_schema {
        let kind = LabelType::parse(&kind)
            .ok_or_else(|| format!("label-schema: `{kind}` is no label type"))?;
        options.label_schema.push((label, kind));
    }
    options.strict_labels = file.strict_labels.unwrap_or(false);
    let failure_threshold = match file.failure_threshold {
        Some(name) => Some(
            Level::parse(&name)
                .ok_or_else(|| format!("failure-threshold: `{name}` is no severity"))?,
        ),
        None => None,
    };
    Ok(Config {
        options,
        failure_threshold,
        disable_ignore_pragma: file.disable_ignore_pragma.unwrap_or(false),
    })
}

/// The names hadolint reads in the current folder (for us the Dockerfile's folder and the
/// folders above it) and in the home folder.
pub const HIDDEN_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];
/// The names it reads in `$XDG_CONFIG_HOME` and in `~/.hadolint/`.
pub const VISIBLE_NAMES: [&str; 2] = ["hadolint.yaml", "hadolint.yml"];
/// The names it also reads in `~/.hadolint/`.
pub const APP_FOLDER_NAMES: [&str; 2] = ["config.yaml", "config.yml"];

/// The configuration file that applies to a Dockerfile at `dockerfile`, if any.
pub fn find(dockerfile: &Path) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    for dir in dockerfile.parent().into_iter().flat_map(Path::ancestors) {
        candidates.extend(HIDDEN_NAMES.iter().map(|n| dir.join(n)));
    }
    let config_home = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".config")));
    if let Some(dir) = config_home {
        candidates.extend(VISIBLE_NAMES.iter().map(|n| dir.join(n)));
    }
    if let Some(home) = dirs::home_dir() {
        let app = home.join(".hadolint");
        candidates.extend(
            VISIBLE_NAMES
                .iter()
                .chain(&APP_FOLDER_NAMES)
                .map(|n| app.join(n)),
        );
        candidates.extend(HIDDEN_NAMES.iter().map(|n| home.join(n)));
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// The configuration for a Dockerfile: the file found for it, read; `Err` says which file
/// could not be read and why.
pub fn load(dockerfile: &Path) -> Result<Option<(PathBuf, Config)>, String> {
    let Some(path) = find(dockerfile) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let config = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Some((path, config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hadolints_keys() {
        let config = parse(
            "ignored:\n  - DL3008\noverride:\n  error:\n    - DL3015\n  style: [DL3047]\ntrustedRegistries:\n  - docker.io\n  - \"*.corp\"\nlabel-schema:\n  maintainer: email\nstrict-labels: true\nfailure-threshold: warning\nunknown-key: 1\n",
        )
        .expect("valid config");
        let o = &config.options;
        assert_eq!(o.level("DL3008", Level::Warning), Level::Ignore);
        assert_eq!(o.level("DL3015", Level::Info), Level::Error);
        assert_eq!(o.level("DL3047", Level::Info), Level::Style);
        assert_eq!(o.level("DL3006", Level::Warning), Level::Warning);
        assert_eq!(o.trusted_registries, ["docker.io", "*.corp"]);
        assert_eq!(
            o.label_schema,
            [("maintainer".to_string(), LabelType::Email)]
        );
        assert!(o.strict_labels);
        assert_eq!(config.failure_threshold, Some(Level::Warning));
        assert!(parse("").is_ok());
        assert!(parse("failure-threshold: loud\n").is_err());
        assert!(parse("label-schema:\n  x: color\n").is_err());
        assert!(parse("ignored: 3\n").is_err());
    }

    #[test]
    fn found_beside_the_dockerfile_or_above() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sub = dir.path().join("svc");
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(dir.path().join(".hadolint.yml"), "ignored: [DL3006]\n").expect("write");
        let found = find(&sub.join("Dockerfile"));
        assert_eq!(found, Some(dir.path().join(".hadolint.yml")));
        let (_, config) = load(&sub.join("Dockerfile"))
            .expect("readable")
            .expect("found");
        assert_eq!(
            config.options.level("DL3006", Level::Warning),
            Level::Ignore
        );
    }
}
