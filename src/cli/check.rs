//! `dockerfile-ls check FILE...`: the editor's diagnostics, for people and CI.

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::{self, Severity, Snapshot};
use crate::text::PositionEncoding;

/// Prints every diagnostic as `file:line:column: severity[code]: message` (1-based line and
/// character column) and fails when any file has an error (or, with `strict`, a warning).
pub fn run(files: &[impl AsRef<Path>], strict: bool) -> ExitCode {
    let mut failed = false;
    for path in files {
        let path = path.as_ref();
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
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
