//! The `sarif` format: one SARIF 2.1.0 log, for code scanning (GitHub uploads it with
//! `github/codeql-action/upload-sarif`). Each code that occurs is a rule with the engine's
//! summary, explanation (as help text and markdown), documentation URL and group; each finding is a result with its region (1-based lines, UTF-16
//! columns, end exclusive) and its fix.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Location, Message,
    MultiformatMessageString, PhysicalLocation, PropertyBag, Region, Replacement,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use super::{FileReport, Finding};
use crate::analysis::Severity;
use crate::analysis::rules;
use crate::text::PositionEncoding;

/// Where the SARIF 2.1.0 schema is published.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(reports))?;
    writeln!(out)
}

/// The whole log: one run of our tool.
pub fn log(reports: &[FileReport]) -> Sarif {
    // Rules in a stable order (by code); results refer to them by index.
    let mut rules: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in reports.iter().flat_map(|r| &r.findings) {
        rules.entry(f.code.as_str()).or_insert(f);
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let results: Vec<SarifResult> = reports
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .map(|f| result(r, f, index.get(f.code.as_str()).copied()))
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("dockerfile-ls")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules.values().map(|f| rule(f)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::json!("utf16CodeUnits"))
        .results(results)
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// A rule as the engine describes it: summary, explanation, fix, link, default level. A
/// code the engine does not know is described by its first finding.
fn rule(f: &Finding) -> ReportingDescriptor {
    let Some(info) = rules::info(&f.code) else {
        return ReportingDescriptor::builder()
            .id(f.code.as_str())
            .short_description(text(&f.code))
            .help(text(&format!("{}: {}", f.code, f.message)))
            .build();
    };
    let summary = if info.summary.is_empty() {
        info.id.to_string()
    } else {
        info.summary.to_string()
    };
    let mut help = summary.clone();
    for part in [info.explanation, info.fix.unwrap_or_default()] {
        if !part.is_empty() {
            help.push_str("\n\n");
            help.push_str(part);
        }
    }
    let builder = ReportingDescriptor::builder()
        .id(f.code.as_str())
        .short_description(text(&summary))
        .help(
            MultiformatMessageString::builder()
                .text(help)
                .markdown(rules::markdown(&info))
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::to_value(level(info.severity)).unwrap_or_default())
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec![info.group.name().to_string()])
                .build(),
        );
    let mut descriptor = builder.build();
    if !info.explanation.is_empty() {
        descriptor.full_description = Some(text(info.explanation));
    }
    descriptor.help_uri = info.url.map(|u| u.into_owned());
    descriptor
}

fn result(r: &FileReport, f: &Finding, rule_index: Option<usize>) -> SarifResult {
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(artifact(&r.name))
                .region(region(r, &f.range))
                .build(),
        )
        .build();
    let fixes: Vec<Fix> = f
        .fix
        .iter()
        .map(|fix| {
            let replacements: Vec<Replacement> = fix
                .edits
                .iter()
                .map(|e| {
                    Replacement::builder()
                        .deleted_region(region(r, &e.range))
                        .inserted_content(
                            ArtifactContent::builder().text(e.new_text.as_str()).build(),
                        )
                        .build()
                })
                .collect();
            Fix::builder()
                .description(message(&fix.title))
                .artifact_changes(vec![
                    ArtifactChange::builder()
                        .artifact_location(artifact(&r.name))
                        .replacements(replacements)
                        .build(),
                ])
                .build()
        })
        .collect();
    let builder = SarifResult::builder()
        .rule_id(f.code.as_str())
        .level(level(f.severity))
        .message(message(&f.message))
        .locations(vec![location])
        .fixes(fixes);
    match rule_index {
        Some(i) => builder.rule_index(i as i64).build(),
        None => builder.build(),
    }
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Information | Severity::Hint => ResultLevel::Note,
    }
}

fn message(text: &str) -> Message {
    Message::builder().text(text).build()
}

fn text(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

/// 1-based lines and UTF-16 columns; the end column is the one after the range.
fn region(r: &FileReport, range: &Range<usize>) -> Region {
    let start = r.position(range.start, PositionEncoding::Utf16);
    let end = r.position(range.end, PositionEncoding::Utf16);
    Region::builder()
        .start_line(i64::from(start.line) + 1)
        .start_column(i64::from(start.character) + 1)
        .end_line(i64::from(end.line) + 1)
        .end_column(i64::from(end.character) + 1)
        .build()
}

/// The file as a URI reference: a relative path as written (with `/`), percent-encoded, or
/// a `file:` URI for an absolute path.
fn artifact(name: &str) -> ArtifactLocation {
    let path = Path::new(name);
    let uri = if path.is_absolute() {
        reqwest::Url::from_file_path(path).map_or_else(|()| encode(name), |u| u.to_string())
    } else {
        encode(&name.replace('\\', "/"))
    };
    ArtifactLocation::builder().uri(uri).build()
}

/// Percent-encodes what may not stand in a URI path.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(encode("a b/Dockerfile.ü"), "a%20b/Dockerfile.%C3%BC");
        assert_eq!(
            artifact("/x y/Dockerfile").uri.as_deref(),
            Some("file:///x%20y/Dockerfile")
        );
        assert_eq!(
            artifact("dir\\Dockerfile").uri.as_deref(),
            Some("dir/Dockerfile")
        );
    }
}
