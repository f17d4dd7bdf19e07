//! `dockerfile-ls check FILE...`: the editor's diagnostics, for people and CI.

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::{self, Severity, Snapshot};
use crate::config::ProjectFiles;
use crate::text::PositionEncoding;

/// Prints every diagnostic as `file:line:column: severity[code]: message` (1-based line and
/// character column) and fails when any file has an error (or, with `strict`, a warning).
/// A project file that cannot be read is an error (exit code 2) for the files below it.
pub fn run(files: &[impl AsRef<Path>], strict: bool) -> ExitCode {
    let mut failed = false;
    let mut broken = false;
    let projects = ProjectFiles::default();
    let mut reported = std::collections::HashSet::new();
    for path in files {
        let path = path.as_ref();
        if let Some(loaded) = projects.for_file(path) {
            let first = reported.insert(std::sync::Arc::as_ptr(&loaded));
            match loaded.as_ref() {
                Err(err) => {
                    if first {
                        eprintln!("error: {err}");
                    }
                    broken = true;
                    continue;
                }
                Ok(file) => {
                    let (settings, problems) = file.settings();
                    if first {
                        for p in problems {
                            eprintln!("warning: {p}");
                        }
                    }
                    if !settings.diagnostics.enable {
                        continue;
                    }
                }
            }
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", path.display());
                failed = true;
                continue;
            }
        };
        let snapshot = Snapshot::new(String::from_utf8_lossy(&bytes).into_owned());
        for d in analysis::diagnostics(&snapshot) {
            let pos = snapshot.doc.line_index().position(
                snapshot.text(),
                d.range.start,
                PositionEncoding::Utf32,
            );
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information => "info",
                Severity::Hint => "hint",
            };
            failed |= d.severity == Severity::Error || (strict && d.severity == Severity::Warning);
            println!(
                "{}:{}:{}: {severity}[{}]: {}",
                path.display(),
                pos.line + 1,
                pos.character + 1,
                d.code,
                d.message
            );
        }
    }
    if broken {
        ExitCode::from(2)
    } else if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
