//! The inputs of a rule run for one open document: the settings (see
//! `config::rule_inputs`), the build context read from disk next to the Dockerfile (cached
//! while its ignore files do not change) and hadolint's configuration file (cached per
//! folder until the client reports a change, see [`hadolint_files_changed`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::SystemTime;

use tower_lsp_server::ls_types::Uri;

use crate::analysis::build_context::ignore_files;
use crate::analysis::rules::{BaseImages, BuildContext, ImageConfig, Inputs};
use crate::config::{self, HadolintConfigs, Settings};
use crate::model::image_ref;
use crate::registry::Registry;

use super::documents::Document;
use super::typing;

/// The inputs for the document at `uri` under `settings`; base image configurations come
/// from the registry's cache when there is a registry layer.
/// The reference the user is typing in `doc` (if any) is read from the cache alone.
pub(crate) fn for_document(
    settings: &Settings,
    uri: &Uri,
    registry: Option<&Registry>,
    doc: &Document,
) -> Inputs {
    let path = uri.to_file_path();
    let context = path.as_ref().map(|path| {
        let dir = config::build_context_dir(settings, path);
        context_of(path, dir)
    });
    let mut inputs = config::rule_inputs(settings, context);
    inputs.images = registry.map(|r| {
        let typed = typing::typing_at(doc).and_then(|at| {
            let sites = doc.snapshot.image_sites();
            let site = sites.iter().find(|s| typing::is_typed(s, Some(at)))?;
            Some(site.image.full_name())
        });
        Arc::new(RegistryImages {
            registry: r.clone(),
            typed,
        }) as Arc<dyn BaseImages>
    });
    // hadolint's configuration file, found as hadolint finds it from the document's folder;
    // one that cannot be read is logged (once) and counts as none.
    inputs.hadolint = path.and_then(|path| {
        HADOLINT.for_file(&path).unwrap_or_else(|e| {
            tracing::warn!("hadolint configuration: {e}");
            None
        })
    });
    inputs
}

/// hadolint's configuration for each folder of open Dockerfiles. Process-wide like the
/// build context cache below: one server runs per process.
static HADOLINT: LazyLock<HadolintConfigs> = LazyLock::new(HadolintConfigs::default);

/// hadolint's configuration files may have been created, changed or deleted: find and read
/// them again when next needed.
pub(crate) fn hadolint_files_changed() {
    HADOLINT.clear();
}

/// The build context of a Dockerfile, from a small cache that is refreshed when the ignore
/// files change on disk (checked by their modification times on every use).
fn context_of(dockerfile: &Path, context: Option<PathBuf>) -> Arc<BuildContext> {
    let folder = dockerfile.parent().unwrap_or(Path::new("."));
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
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let files = ignore_files(dockerfile, context);
    let beside = (files.len() == 2).then(|| &files[0]);
    [beside.and_then(modified), files.last().and_then(modified)]
}

/// Base image configurations from the registry layer's cache (fetched in the background,
/// except for the repository the user is typing: `typed`, as `ImageRef::full_name`).
struct RegistryImages {
    registry: Registry,
    typed: Option<String>,
}

impl BaseImages for RegistryImages {
    fn generation(&self) -> Option<u64> {
        Some(self.registry.generation())
    }

    fn config(&self, reference: &str, platform: &str) -> Option<Arc<ImageConfig>> {
        let image = image_ref::parse(reference).ok()?;
        let info = if self.typed.as_deref() == Some(image.full_name().as_str()) {
            self.registry.peek_config(&image, platform)?
        } else {
            self.registry.cached_config(&image, platform)?
        };
        Some(Arc::new(ImageConfig {
            env: info.env.clone(),
            shell: info.shell.clone(),
            platform: Some(info.platform()),
        }))
    }
}
