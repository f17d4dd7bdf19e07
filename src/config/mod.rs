//! Settings shared by the server and the CLI, and the project configuration file.
//!
//! - [`settings`]: the settings model, resolved from sources shaped like the editor's JSON.
//! - [`file`]: one `dockerfile-ls.toml`, read into that shape, with the place of each key.
//! - [`lookup`]: which project file applies to a Dockerfile (upward search, cached per folder).
//! - [`hadolint`]: hadolint's configuration file for each folder (cached until cleared).
//! - [`precedence`]: how the server layers the editor's settings and a project file.
//! - [`rule_inputs`]: the rule engine's inputs from the settings.
//!
//! The keys are the same everywhere and documented once, in `editors/README.md`.

pub mod file;
pub mod hadolint;
pub mod lookup;
pub mod precedence;
pub mod rule_inputs;
pub mod settings;

pub use file::{ConfigError, ProjectFile};
pub use hadolint::HadolintConfigs;
pub use lookup::{FILE_NAMES, Loaded, ProjectFiles};
pub use rule_inputs::{build_context_dir, hadolint_config, rule_inputs, severities};
pub use settings::{
    ChecksSettings, ConfigurationPreference, DiagnosticsSettings, FormatSettings, SECTION,
    Settings, ShellCheckSettings, Trace, Warning,
};
