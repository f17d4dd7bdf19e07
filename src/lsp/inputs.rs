//! The inputs of a rule run for one open document: the settings (check options, build
//! arguments, severities) and the build context read from disk next to the Dockerfile.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use tower_lsp_server::ls_types::Uri;

use crate::analysis::rules::{BuildContext, CheckOptions, Inputs, Severities};

use crate::config::Settings;

/// The inputs for the document at `uri` under `settings`.
pub(crate) fn for_document(settings: &Settings, uri: &Uri) -> Inputs {
    let checks = &settings.checks;
    let check = (!checks.skip.is_empty() || checks.error || !checks.experimental.is_empty())
        .then(|| check_options(&checks.skip, checks.error, &checks.experimental));
    let (severities, _) = severities(settings);
    let context = uri
        .to_file_path()
        .map(|path| context_of(&path, checks.build_context.as_deref()));
    Inputs {
        build_args: checks.build_args.clone(),
        check,
        severities,
        context,
        images: None,
        platform: None,
    }
}

/// `diagnostics.rules` read, with what could not be used.
pub(crate) fn severities(settings: &Settings) -> (Severities, Vec<String>) {
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

/// The build context of a Dockerfile, from a small cache that is refreshed when the ignore
/// files change on disk (checked by their modification times on every use).
fn context_of(dockerfile: &Path, setting: Option<&str>) -> Arc<BuildContext> {
    let folder = dockerfile.parent().unwrap_or(Path::new("."));
    let context = setting.map(|s| folder.join(s));
    let key = (dockerfile.to_path_buf(), context.clone());
    let stamp = stamps(dockerfile, context.as_deref().unwrap_or(folder));
    static CACHE: Mutex<Vec<Cached>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(hit) = cache.iter().find(|c| c.key == key && c.stamp == stamp) {
        return Arc::clone(&hit.context);
    }
    let loaded = Arc::new(BuildContext::load(dockerfile, context.as_deref()));
    cache.retain(|c| c.key != key);
    // Few Dockerfiles are open at once; keep the cache small.
    if cache.len() >= 64 {
        cache.remove(0);
    }
    cache.push(Cached {
        key,
        stamp,
        context: Arc::clone(&loaded),
    });
    loaded
}

struct Cached {
    key: (PathBuf, Option<PathBuf>),
    stamp: [Option<SystemTime>; 2],
    context: Arc<BuildContext>,
}

/// The modification times of the two ignore files that may apply.
fn stamps(dockerfile: &Path, context: &Path) -> [Option<SystemTime>; 2] {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let beside = dockerfile
        .file_name()
        .map(|name| dockerfile.with_file_name(format!("{}.dockerignore", name.to_string_lossy())));
    [
        beside.and_then(modified),
        modified(context.join(".dockerignore")),
    ]
}
