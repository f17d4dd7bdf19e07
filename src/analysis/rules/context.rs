//! What rules read: the snapshot, the inputs beyond the file, and facts computed once per run.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::{CheckOptions, Severities};
use crate::analysis::Snapshot;
use crate::analysis::build_context::Dockerignore;
use crate::analysis::convert::{Conversion, Converted};
use crate::model::{Comment, Instruction, Model};

/// A base image's configuration, as its registry describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// `KEY=value` entries of its `Env`.
    pub env: Vec<String>,
    /// Its `Shell` (empty when unset).
    pub shell: Vec<String>,
    /// `os/arch[/variant]` of the image that was resolved, when known.
    pub platform: Option<String>,
}

/// Image configurations known without waiting (a cache). `None` means unknown: rules that
/// would need it stay silent rather than guess.
pub trait BaseImages: Send + Sync {
    /// The configuration of `reference` (as BuildKit resolves it, e.g. `docker.io/library/alpine:3.20`)
    /// for `platform` (`os/arch[/variant]`).
    fn config(&self, reference: &str, platform: &str) -> Option<Arc<ImageConfig>>;

    /// A number that changes whenever an answer of [`BaseImages::config`] may have changed;
    /// `None` when that cannot be told, and then no result that used them is reused.
    fn generation(&self) -> Option<u64> {
        None
    }
}

/// What the build context tells the rules: its `.dockerignore` patterns, if it has them.
#[derive(Debug, Default)]
pub struct BuildContext {
    pub dockerignore: Option<Dockerignore>,
}

impl BuildContext {
    /// A context whose ignore file has this text.
    pub fn with_dockerignore(text: &str) -> BuildContext {
        BuildContext {
            dockerignore: Dockerignore::parse(text),
        }
    }

    /// The context of the Dockerfile at `dockerfile`, whose build context is `context` (its
    /// folder when `None`): `<name>.dockerignore` beside the Dockerfile wins over the
    /// context's `.dockerignore`, as in BuildKit. A file that cannot be read counts as none.
    pub fn load(dockerfile: &Path, context: Option<&Path>) -> BuildContext {
        let folder = dockerfile.parent().unwrap_or(Path::new("."));
        BuildContext {
            dockerignore: Dockerignore::for_build(dockerfile, context.unwrap_or(folder)),
        }
    }
}

/// Everything a run needs beyond the document.
#[derive(Clone, Default)]
pub struct Inputs {
    /// `--build-arg NAME=value`.
    pub build_args: BTreeMap<String, String>,
    /// Check options that replace the file's `# check=` directive (the `checks.*` settings,
    /// or a `BUILDKIT_DOCKERFILE_CHECK` build argument).
    pub check: Option<CheckOptions>,
    /// `diagnostics.rules`.
    pub severities: Severities,
    pub context: Option<Arc<BuildContext>>,
    pub images: Option<Arc<dyn BaseImages>>,
    /// The platform of the builder (also the default target), `os/arch[/variant]`; guessed
    /// from the file when not given.
    pub platform: Option<String>,
    /// The target platform asked for (`--platform`), when not the builder's.
    pub target_platform: Option<String>,
    /// hadolint's configuration (`.hadolint.yaml`) for the file, if one applies.
    pub hadolint: Option<Arc<super::hadolint::config::Config>>,
}

impl fmt::Debug for Inputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inputs")
            .field("build_args", &self.build_args)
            .field("check", &self.check)
            .field("severities", &self.severities)
            .field("context", &self.context)
            .field("images", &self.images.as_ref().map(|_| "…"))
            .field("platform", &self.platform)
            .field("target_platform", &self.target_platform)
            .field("hadolint", &self.hadolint)
            .finish()
    }
}

impl Inputs {
    /// The check options that replace the file's directive: the setting, else a
    /// `BUILDKIT_DOCKERFILE_CHECK` build argument (unreadable ones count as none).
    pub fn check_override(&self) -> Option<CheckOptions> {
        if let Some(check) = &self.check {
            return Some(check.clone());
        }
        let arg = self.build_args.get("BUILDKIT_DOCKERFILE_CHECK")?;
        CheckOptions::parse(arg).ok()
    }
}

/// The context of one run: the snapshot, the inputs, and facts computed on first use.
pub struct Cx<'a> {
    pub snapshot: &'a Snapshot,
    pub model: &'a Model,
    pub text: &'a str,
    pub inputs: &'a Inputs,
    comments: OnceLock<Vec<Vec<Comment>>>,
    platform: OnceLock<String>,
    conversion: OnceLock<Arc<Conversion>>,
    /// The instructions stage-local passes look at: one stage's, when the engine reuses
    /// the rest from its previous run (see [`super::incremental`]); all when `None`.
    window: Option<Range<usize>>,
}

impl<'a> Cx<'a> {
    pub fn new(snapshot: &'a Snapshot, inputs: &'a Inputs) -> Cx<'a> {
        Cx {
            snapshot,
            model: &snapshot.model,
            text: snapshot.text(),
            inputs,
            comments: OnceLock::new(),
            platform: OnceLock::new(),
            conversion: OnceLock::new(),
            window: None,
        }
    }

    /// A context for a pass over the instructions `window` only, with what this one has
    /// computed that does not depend on the window (the platform, the conversion).
    pub(super) fn windowed(&self, window: Option<Range<usize>>) -> Cx<'a> {
        let cx = Cx {
            window,
            ..Cx::new(self.snapshot, self.inputs)
        };
        if let Some(platform) = self.platform.get() {
            let _ = cx.platform.set(platform.clone());
        }
        if let Some(conversion) = self.conversion.get() {
            let _ = cx.conversion.set(Arc::clone(conversion));
        }
        cx
    }

    /// The instructions of the window, with their indices.
    pub fn window_instructions(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + use<'a> {
        let model: &'a Model = self.model;
        model.indexed_within(self.window())
    }

    /// The instructions of the window from the first FROM on (BuildKit's checks leave the
    /// global ARGs alone), with their indices.
    pub fn in_window(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + use<'a> {
        let first = self
            .model
            .stages
            .first()
            .map_or(self.model.instructions.len(), |s| s.instruction);
        self.window_instructions().filter(move |(i, _)| *i >= first)
    }

    /// The instructions stage-local passes look at (see [`Cx::windowed`]).
    pub fn window(&self) -> Range<usize> {
        self.window
            .clone()
            .unwrap_or(0..self.model.instructions.len())
    }

    /// The comments BuildKit attaches to instruction `index` (see [`Model::prev_comments`]),
    /// for the instructions of [`Cx::comments_span`]; none elsewhere.
    pub fn comments(&self, index: usize) -> &[Comment] {
        let span = self.comments_span();
        self.comments
            .get_or_init(|| self.model.prev_comments_within(self.text, span.clone()))
            .get(index.wrapping_sub(span.start))
            .map_or(&[], Vec::as_slice)
    }

    /// The instructions whose comments a pass over the window reads: the window's, and the
    /// first one after it, whose comments lie in the window's text.
    pub fn comments_span(&self) -> Range<usize> {
        let window = self.window();
        window.start..(window.end + 1).min(self.model.instructions.len())
    }

    /// What BuildKit's converter makes of the file (see [`crate::analysis::convert`]).
    pub fn converted(&self) -> &Converted {
        &self.conversion().converted
    }

    /// The conversion with what reusing it needs.
    pub(super) fn conversion(&self) -> &Arc<Conversion> {
        self.conversion.get_or_init(|| {
            Arc::new(Conversion::new(
                self.model,
                self.text,
                self.inputs,
                self.platform(),
            ))
        })
    }

    /// Uses a platform guessed elsewhere (by a previous run, from the same FROM lines and
    /// global ARGs).
    pub(super) fn set_platform(&self, platform: String) {
        let _ = self.platform.set(platform);
    }

    /// Uses a conversion made elsewhere (reused from a previous run).
    pub(super) fn set_conversion(&self, conversion: Arc<Conversion>) {
        let _ = self.conversion.set(conversion);
    }

    /// The builder's platform (`os/arch`), which is also the default target: given, or
    /// guessed: Windows when a FROM line or a global ARG default names Windows images
    /// (`windows`, `nanoserver`, `servercore`), else Linux on this machine's architecture.
    pub fn platform(&self) -> &str {
        self.platform.get_or_init(|| {
            if let Some(p) = &self.inputs.platform {
                return p.clone();
            }
            let first_from = self
                .model
                .stages
                .first()
                .map_or(usize::MAX, |s| s.instruction);
            let globals = self.model.instructions.iter().take(first_from);
            let froms = self
                .model
                .stages
                .iter()
                .filter_map(|s| self.model.instructions.get(s.instruction));
            let windows = globals.chain(froms).any(|inst| {
                let line = self.text.get(inst.line_range()).unwrap_or("");
                ["windows", "nanoserver", "servercore"]
                    .iter()
                    .any(|w| crate::text::contains_ignore_ascii_case(line, w))
            });
            let os = if windows { "windows" } else { "linux" };
            let arch = match std::env::consts::ARCH {
                "aarch64" => "arm64",
                "x86" => "386",
                "arm" => "arm",
                "s390x" => "s390x",
                "powerpc64" => "ppc64le",
                "riscv64" => "riscv64",
                _ => "amd64",
            };
            format!("{os}/{arch}")
        })
    }
}
