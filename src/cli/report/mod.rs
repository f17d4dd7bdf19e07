//! Findings as the command line shows them, in one format for every command: `human` (a
//! source snippet with the range underlined, as rustc and ruff print), `json`, `sarif` (for
//! code scanning) and `github` (workflow-command annotations).
//!
//! A command turns its results into [`FileReport`]s (byte ranges, like the rest of the
//! crate); each format converts positions itself: 1-based lines and character columns for
//! people, 0-based lines and UTF-16 columns in JSON (as in LSP), SARIF's 1-based UTF-16.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::io::{self, Write};
use std::ops::Range;

use crate::analysis::fix_all::is_safe;
use crate::analysis::rules::{self, Found};
use crate::analysis::{Edit, Severity};
use crate::text::{LineIndex, Position, PositionEncoding};

/// How findings are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A source snippet per finding and a summary line, for people.
    Human,
    /// A JSON array of findings with LSP positions.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations.
    Github,
}

/// One file's findings, with its text to quote and to convert positions in.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as the user named it (or `--stdin-filename`, or `-`).
    pub name: String,
    pub text: String,
    pub findings: Vec<Finding>,
    lines: LineIndex,
}

/// One problem in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub range: Range<usize>,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// The rule's documentation.
    pub url: Option<String>,
    pub fix: Option<Fix>,
}

/// The repair a finding offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// Whether `check --fix` applies it.
    pub safe: bool,
}

impl FileReport {
    pub fn new(name: String, text: String, findings: Vec<Finding>) -> FileReport {
        let lines = LineIndex::new(&text);
        FileReport {
            name,
            text,
            findings,
            lines,
        }
    }

    /// 0-based line and column in `encoding` units.
    pub fn position(&self, offset: usize, encoding: PositionEncoding) -> Position {
        self.lines.position(&self.text, offset, encoding)
    }

    /// 1-based line and character column, as people count.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let p = self.position(offset, PositionEncoding::Utf32);
        (p.line as usize + 1, p.character as usize + 1)
    }

    /// The byte range of the whole lines that `range` touches.
    fn lines_of(&self, range: &Range<usize>) -> Range<usize> {
        let first = self.lines.line_of(range.start.min(self.text.len()));
        let last = self.lines.line_of(range.end.min(self.text.len()));
        let start = self.lines.line_start(first).unwrap_or(0);
        let end = self
            .lines
            .line_end_trimmed(last)
            .unwrap_or(self.text.len())
            .max(start);
        start..end
    }
}

impl Finding {
    /// A finding without a fix, linked to its rule's documentation.
    pub fn new(range: Range<usize>, severity: Severity, code: &str, message: String) -> Finding {
        Finding {
            url: url_of(code),
            range,
            severity,
            code: code.to_string(),
            message,
            fix: None,
        }
    }

    /// A diagnostic of the analysis, with its fix.
    pub(crate) fn from_found(found: Found) -> Finding {
        let d = found.diagnostic;
        Finding {
            fix: found.fix.map(|fix| Fix {
                title: fix.title,
                edits: fix.edits,
                safe: is_safe(&d.code),
            }),
            url: url_of(&d.code),
            range: d.range,
            severity: d.severity,
            code: d.code.to_string(),
            message: d.message,
        }
    }
}

/// The documentation of the rule behind `code`.
fn url_of(code: &str) -> Option<String> {
    rules::info(code).and_then(|info| info.url.map(|u| u.into_owned()))
}

/// The lower-case name of a severity, as every format spells it.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "info",
        Severity::Hint => "hint",
    }
}

/// Writes `reports` in `format`. `color` only matters to `human`.
pub fn write(
    format: Format,
    reports: &[FileReport],
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(reports, out, color),
        Format::Json => json::write(reports, out),
        Format::Sarif => sarif::write(reports, out),
        Format::Github => github::write(reports, out),
    }
}

/// `3 warnings, 1 error in 2 files`, or `no problems in 4 files`.
pub fn summary(reports: &[FileReport]) -> String {
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| f.severity == s)
            .count()
    };
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let with = reports.iter().filter(|r| !r.findings.is_empty()).count();
    let parts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Information, "info", "infos"),
        (Severity::Hint, "hint", "hints"),
    ]
    .iter()
    .filter_map(|&(s, one, many)| match count(s) {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    })
    .collect();
    if parts.is_empty() {
        let n = reports.len();
        format!("no problems in {n} {}", files(n))
    } else {
        format!("{} in {with} {}", parts.join(", "), files(with))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity) -> Finding {
        Finding {
            range: 0..1,
            severity,
            code: "x".into(),
            message: "m".into(),
            url: None,
            fix: None,
        }
    }

    #[test]
    fn summary_counts_by_severity_and_files_with_findings() {
        let a = FileReport::new(
            "a".into(),
            "FROM a\n".into(),
            vec![
                finding(Severity::Warning),
                finding(Severity::Error),
                finding(Severity::Warning),
            ],
        );
        let b = FileReport::new("b".into(), "x".into(), vec![finding(Severity::Warning)]);
        let c = FileReport::new("c".into(), "x".into(), vec![]);
        assert_eq!(
            summary(&[a, b, c.clone()]),
            "1 error, 3 warnings in 2 files"
        );
        assert_eq!(summary(std::slice::from_ref(&c)), "no problems in 1 file");
        assert_eq!(summary(&[c.clone(), c]), "no problems in 2 files");
    }

    #[test]
    fn positions_for_people_and_for_lsp() {
        let r = FileReport::new("a".into(), "FROM a\nRUN é😀x\n".into(), vec![]);
        let x = r.text.find('x').expect("x");
        assert_eq!(r.line_column(x), (2, 7));
        assert_eq!(r.position(x, PositionEncoding::Utf16), Position::new(1, 7));
        assert_eq!(r.lines_of(&(8..9)), 7..18);
        let crlf = FileReport::new("b".into(), "FROM a\r\nRUN x\r\n".into(), vec![]);
        assert_eq!(
            crlf.lines_of(&(2..10)),
            0..13,
            "two lines, without the last \\r"
        );
    }
}
