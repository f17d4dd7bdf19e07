//! `dockerfile-ls pin [--digest] [--offline] [--write | --check] FILE...`: pins floating tags
//! (`FROM python:3-alpine` → `python:3.14.7-alpine3.24`), or with `--digest` adds the digest,
//! in FROM lines, `COPY --from=image` and `RUN --mount=from=image`; a tag that comes from an
//! ARG default is pinned in the ARG. Prints a unified diff, rewrites files with `--write`, or
//! with `--check` lists what is unpinned and fails.
//!
//! The images of all the files are looked up together, a few at a time, each once however
//! often it is named. A registry host that cannot be reached is reported once (the registry
//! layer stops asking it), with `--offline` nothing is asked and the disk cache answers, and
//! on a terminal stderr shows how many images are done.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::analysis::Edit;
use crate::analysis::registry::{self, ImageSite, image_sites};
use crate::model::Model;
use crate::model::image_ref::ImageRef;
use crate::registry::{PinPlan, Registry, RegistryConfig, RegistryError};
use crate::syntax::Document;
use crate::text::PositionEncoding;

/// Images looked up at the same time: enough to hide the latency of a registry, few enough
/// not to look like a flood to its rate limiter.
const LOOKUPS_AT_ONCE: usize = 8;

/// How long a host that could not be connected to is left alone during one run.
const UNREACHABLE_FOR: Duration = Duration::from_secs(10 * 60);

/// What to do with the changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Print a unified diff.
    Diff,
    /// Rewrite the files.
    Write,
    /// List unpinned references; fail if there are any.
    Check,
}

/// One change found in a file.
struct Change {
    line: u32,
    column: u32,
    reference: String,
    new_reference: String,
    title: String,
    arg: Option<String>,
    edit: Edit,
}

/// An image reference of a file, with its 1-based position.
struct Located {
    line: u32,
    column: u32,
    site: ImageSite,
}

/// A file read and searched for image references.
struct Input {
    path: PathBuf,
    text: String,
    sites: Vec<Located>,
}

/// The answers of the registry, one per distinct reference.
type Plans = HashMap<String, Result<PinPlan, RegistryError>>;

/// The same reference however it is spelled (`python` and `docker.io/library/python:latest`).
fn key(image: &ImageRef) -> String {
    image.normalized()
}

/// Exit codes: 0 done (or nothing unpinned), 1 `--check` found unpinned references,
/// 2 a file or a registry could not be read (or, `offline`, the cache did not know an
/// image).
pub fn run(files: &[PathBuf], digest: bool, mode: Mode, offline: bool) -> ExitCode {
    let (mut config, problems) = RegistryConfig::from_env();
    for p in problems {
        eprintln!("warning: {p}");
    }
    config.offline |= offline;
    config.unreachable_ttl = UNREACHABLE_FOR;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let registry = match Registry::with_runtime(config, runtime.handle().clone()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (inputs, mut failed) = read_inputs(files);
    let plans = runtime.block_on(look_up(&registry, &inputs, digest));
    let mut report = Report::new(&inputs, &plans);
    let mut unpinned = 0usize;
    let mut stdout = std::io::stdout().lock();
    for input in &inputs {
        let changes = changes_of(input, &plans, digest, &mut report);
        unpinned += changes.len();
        let new_text = apply(&input.text, &changes);
        match mode {
            Mode::Check => print_check(&mut stdout, &input.path, &changes),
            Mode::Diff => {
                if new_text != input.text {
                    // Paths as given, absolute or relative (`patch -p0` applies it).
                    let name = input.path.display().to_string();
                    let diff = similar::TextDiff::from_lines(&input.text, &new_text);
                    let _ = write!(
                        stdout,
                        "{}",
                        diff.unified_diff().context_radius(3).header(&name, &name)
                    );
                }
            }
            Mode::Write => {
                if new_text != input.text {
                    if let Err(e) = std::fs::write(&input.path, &new_text) {
                        eprintln!("error: cannot write {}: {e}", input.path.display());
                        failed = true;
                    } else {
                        eprintln!(
                            "pinned {} reference(s) in {}",
                            changes.len(),
                            input.path.display()
                        );
                    }
                }
            }
        }
    }
    drop(stdout);
    failed |= report.failed;
    // Background refreshes may still run; do not wait for them.
    runtime.shutdown_background();
    if failed {
        ExitCode::from(2)
    } else if mode == Mode::Check && unpinned > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads the files and finds their image references; whether some file could not be read.
fn read_inputs(files: &[PathBuf]) -> (Vec<Input>, bool) {
    let mut failed = false;
    let mut inputs = Vec::new();
    for path in files {
        let text = match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    eprintln!("error: {} is not UTF-8", path.display());
                    failed = true;
                    continue;
                }
            },
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        let doc = Document::new(&text);
        let model = Model::build(&doc);
        let sites = image_sites(&model, &text)
            .into_iter()
            .map(|site| {
                let pos =
                    doc.line_index()
                        .position(&text, site.range.start, PositionEncoding::Utf32);
                Located {
                    line: pos.line + 1,
                    column: pos.character + 1,
                    site,
                }
            })
            .collect();
        inputs.push(Input {
            path: path.clone(),
            text,
            sites,
        });
    }
    (inputs, failed)
}

/// Pin plans for every distinct reference of `inputs`, [`LOOKUPS_AT_ONCE`] at a time; with
/// `digest`, each with its index digest.
async fn look_up(registry: &Registry, inputs: &[Input], digest: bool) -> Plans {
    let mut images: Vec<ImageRef> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for located in inputs.iter().flat_map(|i| &i.sites) {
        if seen.insert(key(&located.site.image)) {
            images.push(ImageRef::clone(&located.site.image));
        }
    }
    let progress = Progress::start(images.len());
    let permits = Arc::new(Semaphore::new(LOOKUPS_AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for image in images {
        let (registry, permits, done) = (registry.clone(), permits.clone(), progress.done.clone());
        tasks.spawn(async move {
            let plan = match permits.acquire_owned().await {
                Ok(_permit) => plan(&registry, &image, digest).await,
                Err(_) => Err(RegistryError::Internal("lookups were cancelled".into())),
            };
            done.fetch_add(1, Ordering::Relaxed);
            (key(&image), plan)
        });
    }
    let mut plans = Plans::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((k, plan)) => {
                plans.insert(k, plan);
            }
            Err(e) => tracing::error!("an image lookup failed: {e}"),
        }
    }
    progress.finish();
    plans
}

/// The pin plan of one reference. A Docker Hub listing can place an old tag by its
/// platforms without giving its index digest; a digest pin asks the registry for it.
async fn plan(
    registry: &Registry,
    image: &ImageRef,
    digest: bool,
) -> Result<PinPlan, RegistryError> {
    let mut plan = registry.pin(image).await?;
    if digest && plan.resolution.digest.is_empty() {
        plan.resolution = registry.resolve(image).await?;
        plan.targets.digest = plan.resolution.digest.clone();
    }
    Ok(plan)
}

/// What went wrong, said once per host when a whole host failed and once per reference
/// otherwise.
struct Report {
    /// Failed references per host-wide failure, and whether it was said.
    hosts: BTreeMap<String, (usize, bool)>,
    failed: bool,
}

impl Report {
    fn new(inputs: &[Input], plans: &Plans) -> Report {
        let mut hosts: BTreeMap<String, (usize, bool)> = BTreeMap::new();
        for located in inputs.iter().flat_map(|i| &i.sites) {
            if let Some(Err(e)) = plans.get(&key(&located.site.image))
                && let Some(host) = e.host_wide()
            {
                hosts.entry(host.to_string()).or_default().0 += 1;
            }
        }
        Report {
            hosts,
            failed: false,
        }
    }

    fn error(&mut self, path: &Path, at: &Located, e: &RegistryError) {
        self.failed = true;
        if let Some((count, said)) = e.host_wide().and_then(|h| self.hosts.get_mut(h)) {
            if !*said {
                *said = true;
                eprintln!("error: {e} ({count} reference(s) not looked up)");
            }
            return;
        }
        let image = at.site.image.familiar();
        let (line, column) = (at.line, at.column);
        match e {
            RegistryError::Offline => eprintln!(
                "{}:{line}:{column}: error: {image}: the registry cache does not know it \
                 (run pin without --offline to look it up)",
                path.display()
            ),
            e => eprintln!("{}:{line}:{column}: error: {image}: {e}", path.display()),
        }
    }
}

/// The pins of one file.
fn changes_of(input: &Input, plans: &Plans, digest: bool, report: &mut Report) -> Vec<Change> {
    let mut changes: Vec<Change> = Vec::new();
    for at in &input.sites {
        let site = &at.site;
        let plan = match plans.get(&key(&site.image)) {
            Some(Ok(p)) => p,
            Some(Err(e)) => {
                report.error(&input.path, at, e);
                continue;
            }
            None => {
                let e = RegistryError::Internal("the lookup did not finish".into());
                report.error(&input.path, at, &e);
                continue;
            }
        };
        let Some(option) = registry::cli_pin(&site.image, plan, digest) else {
            continue;
        };
        let Some(placed) = site.place(&option.edit) else {
            eprintln!(
                "{}:{}:{}: warning: cannot edit {} in place (pin it by hand: {})",
                input.path.display(),
                at.line,
                at.column,
                site.image.familiar(),
                option.new_reference
            );
            continue;
        };
        // Several FROMs can share one ARG: edit it once.
        if changes.iter().any(|c| c.edit.range == placed.edit.range) {
            continue;
        }
        changes.push(Change {
            line: at.line,
            column: at.column,
            reference: site.image.source.clone(),
            new_reference: option.new_reference,
            title: option.title,
            arg: placed.arg,
            edit: placed.edit,
        });
    }
    changes
}

fn print_check(out: &mut impl Write, path: &Path, changes: &[Change]) {
    for c in changes {
        let via = c
            .arg
            .as_ref()
            .map_or(String::new(), |a| format!(" (ARG {a})"));
        let _ = writeln!(
            out,
            "{}:{}:{}: {} is not pinned{via}: {} ({})",
            path.display(),
            c.line,
            c.column,
            c.reference,
            c.title,
            c.new_reference
        );
    }
}

/// `text` with the (non-overlapping) edits applied.
fn apply(text: &str, changes: &[Change]) -> String {
    let mut edits: Vec<&Edit> = changes.iter().map(|c| &c.edit).collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    let mut limit = usize::MAX;
    for e in edits {
        if e.range.end > limit || e.range.end > out.len() {
            continue;
        }
        out.replace_range(e.range.clone(), &e.new_text);
        limit = e.range.start;
    }
    out
}

/// "looking up images: 12/40" on stderr while lookups run, when stderr is a terminal (never
/// in a pipe or a CI log).
struct Progress {
    done: Arc<AtomicUsize>,
    ticker: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
    fn start(total: usize) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let ticker = (total > 0 && std::io::stderr().is_terminal()).then(|| {
            eprint!("\rlooking up images: 0/{total}");
            let done = done.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    let n = done.load(Ordering::Relaxed);
                    eprint!("\rlooking up images: {n}/{total}");
                }
            })
        });
        Progress { done, ticker }
    }

    fn finish(self) {
        if let Some(ticker) = self.ticker {
            ticker.abort();
            // Erase the line, so that what follows starts clean.
            eprint!("\r\x1b[K");
        }
    }
}
