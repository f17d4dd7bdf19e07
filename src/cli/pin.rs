//! `dockerfile-ls pin [--digest] [--write | --check] FILE...`: pins floating tags (`FROM
//! python:3-alpine` → `python:3.14.7-alpine3.24`), or with `--digest` adds the digest, in
//! FROM lines, `COPY --from=image` and `RUN --mount=from=image`; a tag that comes from an ARG
//! default is pinned in the ARG. Prints a unified diff, rewrites files with `--write`, or
//! with `--check` lists what is unpinned and fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::analysis::Edit;
use crate::analysis::registry::{self, image_sites};
use crate::model::Model;
use crate::registry::{Registry, RegistryConfig};
use crate::syntax::Document;
use crate::text::PositionEncoding;

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

/// Exit codes: 0 done (or nothing unpinned), 1 `--check` found unpinned references,
/// 2 a file or a registry could not be read.
pub fn run(files: &[PathBuf], digest: bool, mode: Mode) -> ExitCode {
    let (config, problems) = RegistryConfig::from_env();
    for p in problems {
        eprintln!("warning: {p}");
    }
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
    let mut failed = false;
    let mut unpinned = 0usize;
    let mut stdout = std::io::stdout().lock();
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
        let (changes, errors) = runtime.block_on(changes_of(&registry, path, &text, digest));
        failed |= errors;
        unpinned += changes.len();
        let new_text = apply(&text, &changes);
        match mode {
            Mode::Check => {
                for c in &changes {
                    let via = c
                        .arg
                        .as_ref()
                        .map_or(String::new(), |a| format!(" (ARG {a})"));
                    let _ = writeln!(
                        stdout,
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
            Mode::Diff => {
                if new_text != text {
                    let name = path.display().to_string();
                    let diff = similar::TextDiff::from_lines(&text, &new_text);
                    let _ = write!(
                        stdout,
                        "{}",
                        diff.unified_diff()
                            .context_radius(3)
                            .header(&format!("a/{name}"), &format!("b/{name}"))
                    );
                }
            }
            Mode::Write => {
                if new_text != text {
                    if let Err(e) = std::fs::write(path, &new_text) {
                        eprintln!("error: cannot write {}: {e}", path.display());
                        failed = true;
                    } else {
                        eprintln!(
                            "pinned {} reference(s) in {}",
                            changes.len(),
                            path.display()
                        );
                    }
                }
            }
        }
    }
    drop(stdout);
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

/// The pins of one file, and whether some reference could not be looked up.
async fn changes_of(
    registry: &Registry,
    path: &Path,
    text: &str,
    digest: bool,
) -> (Vec<Change>, bool) {
    let doc = Document::new(text);
    let model = Model::build(&doc);
    let mut changes: Vec<Change> = Vec::new();
    let mut errors = false;
    for site in image_sites(&model, text) {
        let pos = doc
            .line_index()
            .position(text, site.range.start, PositionEncoding::Utf32);
        let (line, column) = (pos.line + 1, pos.character + 1);
        let plan = match registry.pin(&site.image).await {
            Ok(p) => p,
            Err(e) => {
                eprintln!(
                    "{}:{line}:{column}: error: {}: {e}",
                    path.display(),
                    site.image.familiar()
                );
                errors = true;
                continue;
            }
        };
        let Some(option) = registry::cli_pin(&site.image, &plan, digest) else {
            continue;
        };
        let Some(placed) = site.place(&option.edit) else {
            eprintln!(
                "{}:{line}:{column}: warning: cannot edit {} in place (pin it by hand: {})",
                path.display(),
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
            line,
            column,
            reference: site.image.source.clone(),
            new_reference: option.new_reference,
            title: option.title,
            arg: placed.arg,
            edit: placed.edit,
        });
    }
    (changes, errors)
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
