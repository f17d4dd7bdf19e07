//! The `human` format: each finding as rustc prints an error (`error[code]: message`, the
//! file and line, the source with the range underlined, the fix and the documentation), then
//! a summary line. Rendered by `annotate-snippets`, the crate rustc uses.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{FileReport, Finding, summary};
use crate::analysis::Severity;

/// Every finding of every report, then the summary line.
pub fn write(reports: &[FileReport], out: &mut dyn Write, color: bool) -> io::Result<()> {
    let renderer = renderer(color);
    for report in reports {
        for finding in &report.findings {
            writeln!(out, "{}\n", render(&renderer, report, finding))?;
        }
    }
    writeln!(out, "{}", summary(reports))
}

/// The findings alone, without a summary (for commands whose output is something else, such
/// as `dump`'s parse errors on stderr).
pub fn write_findings(report: &FileReport, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let renderer = renderer(color);
    for finding in &report.findings {
        writeln!(out, "{}\n", render(&renderer, report, finding))?;
    }
    Ok(())
}

fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// One finding, quoting only the lines it covers (a large file is not handed over whole
/// for every finding).
fn render(renderer: &Renderer, report: &FileReport, f: &Finding) -> String {
    let lines = report.lines_of(&f.range);
    let source = &report.text[lines.clone()];
    let start = f.range.start.saturating_sub(lines.start).min(source.len());
    let end = f
        .range
        .end
        .saturating_sub(lines.start)
        .clamp(start, source.len());
    let (line, _) = report.line_column(lines.start);
    let mut title = level(f.severity)
        .primary_title(f.message.as_str())
        .id(f.code.as_str());
    if let Some(url) = &f.url {
        title = title.id_url(url.as_str());
    }
    let snippet = Snippet::source(source)
        .line_start(line)
        .path(report.name.as_str())
        .annotation(AnnotationKind::Primary.span(start..end));
    let mut group: Group<'_> = title.element(snippet);
    if let Some(fix) = &f.fix {
        let applied = if fix.safe {
            " (`check --fix` applies it)"
        } else {
            ""
        };
        group = group.element(Level::HELP.message(format!("{}{applied}", fix.title)));
    }
    if let Some(url) = &f.url {
        group = group.element(Level::NOTE.message(format!("see {url}")));
    }
    renderer.render(&[group])
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::NOTE.with_name("hint"),
    }
}
