//! The `json` format: one array of findings, positions as in LSP (0-based lines, UTF-16
//! characters), each with its fix's edits when it has one.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{FileReport, Finding};
use crate::analysis::Severity;
use crate::text::PositionEncoding;

/// One finding, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonFinding {
    pub file: String,
    pub code: String,
    pub severity: JsonSeverity,
    pub message: String,
    pub url: Option<String>,
    pub range: JsonRange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonSeverity {
    Error,
    Warning,
    Info,
    Hint,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonRange {
    pub start: JsonPosition,
    pub end: JsonPosition,
}

/// 0-based line, and character offset in UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonPosition {
    pub line: u32,
    pub character: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonFix {
    pub title: String,
    /// Whether `check --fix` applies it.
    pub safe: bool,
    pub edits: Vec<JsonEdit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonEdit {
    pub range: JsonRange,
    pub new_text: String,
}

/// The findings of all reports, in order.
pub fn findings(reports: &[FileReport]) -> Vec<JsonFinding> {
    reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| finding(r, f)))
        .collect()
}

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &findings(reports))?;
    writeln!(out)
}

fn finding(r: &FileReport, f: &Finding) -> JsonFinding {
    JsonFinding {
        file: r.name.clone(),
        code: f.code.clone(),
        severity: match f.severity {
            Severity::Error => JsonSeverity::Error,
            Severity::Warning => JsonSeverity::Warning,
            Severity::Information => JsonSeverity::Info,
            Severity::Hint => JsonSeverity::Hint,
        },
        message: f.message.clone(),
        url: f.url.clone(),
        range: range(r, &f.range),
        fix: f.fix.as_ref().map(|fix| JsonFix {
            title: fix.title.clone(),
            safe: fix.safe,
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit {
                    range: range(r, &e.range),
                    new_text: e.new_text.clone(),
                })
                .collect(),
        }),
    }
}

fn range(r: &FileReport, range: &std::ops::Range<usize>) -> JsonRange {
    let at = |offset| {
        let p = r.position(offset, PositionEncoding::Utf16);
        JsonPosition {
            line: p.line,
            character: p.character,
        }
    };
    JsonRange {
        start: at(range.start),
        end: at(range.end),
    }
}
