//! The rule engine's inputs from the settings: `checks.*` as BuildKit's check options and
//! build arguments, `diagnostics.rules` as severities. The server and the CLI both build
//! them here; each brings the build context its own way (the server caches it).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Settings;
use crate::analysis::rules::hadolint::{self, config::Config as HadolintConfig};
use crate::analysis::rules::{BuildContext, CheckOptions, Inputs, Severities};

/// The inputs for a Dockerfile under `settings`, with its build context when known.
pub fn rule_inputs(settings: &Settings, context: Option<Arc<BuildContext>>) -> Inputs {
    let checks = &settings.checks;
    let check = (!checks.skip.is_empty() || checks.error || !checks.experimental.is_empty())
        .then(|| check_options(&checks.skip, checks.error, &checks.experimental));
    let (severities, _) = severities(settings);
    Inputs {
        build_args: checks.build_args.clone(),
        check,
        severities,
        context,
        ..Inputs::default()
    }
}

/// hadolint's configuration file (`.hadolint.yaml`) for the Dockerfile at `dockerfile`,
/// found as hadolint finds it; an error says which file could not be read.
pub fn hadolint_config(dockerfile: &Path) -> Result<Option<Arc<HadolintConfig>>, String> {
    Ok(hadolint::config::load(dockerfile)?.map(|(_, config)| Arc::new(config)))
}

/// The folder of the build context of the Dockerfile at `dockerfile`: `checks.buildContext`
/// relative to the Dockerfile's folder, or `None` for that folder itself.
pub fn build_context_dir(settings: &Settings, dockerfile: &Path) -> Option<PathBuf> {
    let folder = dockerfile.parent().unwrap_or(Path::new("."));
    settings
        .checks
        .build_context
        .as_deref()
        .map(|s| folder.join(s))
}

/// `diagnostics.rules` read, with what could not be used.
pub fn severities(settings: &Settings) -> (Severities, Vec<String>) {
    Severities::from_map(
        settings
            .diagnostics
            .rules
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )
}

/// `checks.skip`, `checks.error` and `checks.experimental` as the options of a
/// `BUILDKIT_DOCKERFILE_CHECK=skip=…;error=…;experimental=…`.
fn check_options(skip: &[String], error: bool, experimental: &[String]) -> CheckOptions {
    let all = |list: &[String]| list.iter().any(|r| r == "all");
    CheckOptions {
        skip_all: all(skip),
        skip: skip.to_vec(),
        experimental_all: all(experimental),
        experimental: experimental.to_vec(),
        error,
    }
}
