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
        let _ = stdout.write_all(indented(&doc.tree().to_sexp()).as_bytes());
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
            .map(|p| Finding::new(p.range, p.severity, p.code, p.message))
            .collect();
        let report = FileReport::new(path.display().to_string(), text.into_owned(), findings);
        let color = wants_color(&std::io::stderr());
        let _ = human::write_findings(&report, &mut std::io::stderr().lock(), color);
        return ExitCode::FAILURE;
    }
    let _ = stdout.write_all(model.buildkit_dump().as_bytes());
    ExitCode::SUCCESS
}

/// tree-sitter's one-line S-expression with one node per line, indented two spaces per level;
/// a field name stays in front of its node (`keyword: (keyword)`).
fn indented(sexp: &str) -> String {
    let mut out = String::with_capacity(sexp.len() * 2);
    let mut depth = 0usize;
    let mut field: Option<&str> = None;
    for token in tokens(sexp) {
        if token.ends_with(':') && !token.starts_with('"') {
            field = Some(token);
            continue;
        }
        if token.starts_with('(') {
            if !out.is_empty() {
                out.push('\n');
            }
            out.extend(std::iter::repeat_n("  ", depth));
            if let Some(f) = field.take() {
                out.push_str(f);
                out.push(' ');
            }
        } else {
            out.push(' ');
        }
        out.push_str(token);
        let (open, close) = parens(token);
        depth = (depth + open).saturating_sub(close);
    }
    out.push('\n');
    out
}

/// Words separated by spaces, a quoted string (`(MISSING ")")`) being one word.
fn tokens(sexp: &str) -> impl Iterator<Item = &str> {
    let mut rest = sexp.trim();
    std::iter::from_fn(move || {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ' ' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some(token)
    })
}

/// Opening and closing parentheses of a token, outside quotes.
fn parens(token: &str) -> (usize, usize) {
    let mut quoted = false;
    let (mut open, mut close) = (0, 0);
    for c in token.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => open += 1,
            ')' if !quoted => close += 1,
            _ => {}
        }
    }
    (open, close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_printed_one_node_per_line() {
        let doc = Document::new("FROM alpine AS base\nRUN echo hi\n");
        let sexp = doc.tree().to_sexp();
        let out = indented(&sexp);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 4, "{out}");
        assert!(lines[0].starts_with("(source_file"), "{out}");
        // Each line holds one node, indented by its depth.
        for line in &lines[1..] {
            let body = line.trim_start();
            let depth = (line.len() - body.len()) / 2;
            assert!(depth >= 1, "{out}");
            assert!(
                body.starts_with('(') || body.contains(": ("),
                "{line:?} in\n{out}"
            );
        }
        // Nothing lost: the same words in the same order as the one-line form.
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(words(&out), words(&sexp));
    }

    #[test]
    fn quoted_parentheses_do_not_count() {
        assert_eq!(
            indented("(a (MISSING \")\") (b))"),
            "(a\n  (MISSING \")\")\n  (b))\n"
        );
        assert_eq!(
            indented("(a f: (b) (c (d)))"),
            "(a\n  f: (b)\n  (c\n    (d)))\n"
        );
    }
}
