//! `dockerfile-ls dump FILE`: BuildKit's AST dump of a Dockerfile, or its parse errors.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::check::wants_color;
use super::report::{FileReport, Finding, human};
use crate::model::{Model, Severity};
use crate::syntax::Document;

/// Prints the dump of `path` (or the tree-sitter tree with `tree`) to stdout. Input that
/// BuildKit rejects prints its errors to stderr, as `check` prints findings, and fails.
pub fn run(path: &Path, tree: bool) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", path.display());
            return ExitCode::from(2);
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let doc = Document::new(text.as_ref());
    let mut stdout = std::io::stdout().lock();
    if tree {
        let _ = writeln!(stdout, "{}", doc.tree().to_sexp());
        return ExitCode::SUCCESS;
    }
    let model = Model::build(&doc);
    let errors: Vec<_> = model
        .all_problems()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        let findings = errors
            .into_iter()
            .map(|p| Finding {
                range: p.range,
                severity: p.severity,
                code: p.code.to_string(),
                message: p.message,
                url: None,
                fix: None,
            })
            .collect();
        let report = FileReport::new(path.display().to_string(), text.into_owned(), findings);
        let color = wants_color(&std::io::stderr());
        let _ = human::write_findings(&report, &mut std::io::stderr().lock(), color);
        return ExitCode::FAILURE;
    }
    let _ = stdout.write_all(model.buildkit_dump().as_bytes());
    ExitCode::SUCCESS
}
