//! Hovers whose text comes from the catalog: keywords, flags, mount types and keys, parser
//! directives and their `check` options, HEALTHCHECK forms, platforms, heredoc markers.

use std::fmt::Write as _;
use std::ops::Range;

use super::markdown::{code, line_number};
use crate::analysis::Snapshot;
use crate::analysis::cursor::{At, DirectivePart};
use crate::catalog::{self, directives::check_options};
use crate::model::{Directive, Flag, Heredoc};
use crate::syntax::InstructionKind;

const HEREDOC_URL: &str = "https://docs.docker.com/reference/dockerfile/#here-documents";

/// An instruction keyword; a trigger gets a note that it runs in a later build.
pub(super) fn keyword(at: At<'_>) -> Option<String> {
    let doc = catalog::instruction(at.command.kind.keyword()?)?;
    let mut out = catalog::markdown_for_instruction(doc);
    if at.in_trigger {
        out.push_str(
            "\n*ONBUILD trigger:* it runs in the build of an image that uses this one as its base.\n",
        );
    }
    Some(out)
}

/// A flag's name, or a value with nothing more specific to say than the flag's page.
pub(super) fn flag(at: At<'_>, flag: &Flag) -> Option<String> {
    let doc = catalog::flag(at.command.kind.keyword()?, &flag.name)?;
    Some(catalog::markdown_for_flag(doc))
}

/// A `--platform` value: what the platform is, then the flag's page.
pub(super) fn platform_value(at: At<'_>, flag: &Flag, value: &str) -> Option<String> {
    let page = self::flag(at, flag)?;
    Some(match catalog::platforms::platform(value) {
        Some(p) => format!(
            "**{}** · platform\n\n{}\n\n---\n\n{page}",
            code(p.value),
            p.summary
        ),
        None => page,
    })
}

/// The value of a mount's `type=`.
pub(super) fn mount_type(value: &str) -> Option<String> {
    catalog::mount_type(value.trim()).map(catalog::markdown_for_mount_type)
}

/// A mount key (any spelling), with the defaults of the mount's type.
pub(super) fn mount_key(key: &str, mount_type: Option<&str>) -> Option<String> {
    let doc = catalog::mounts::any_mount_key(key.trim())?;
    let ty = mount_type
        .map(str::trim)
        .unwrap_or(catalog::mounts::DEFAULT_MOUNT_TYPE);
    Some(catalog::markdown_for_mount_key(doc, Some(ty)))
}

/// HEALTHCHECK's `CMD` or `NONE`.
pub(super) fn healthcheck_type(value: &str) -> Option<String> {
    let doc = catalog::instruction("HEALTHCHECK")?;
    let what = if value.eq_ignore_ascii_case("none") {
        "`NONE` turns off any health check inherited from the base image."
    } else if value.eq_ignore_ascii_case("cmd") {
        "`CMD` is followed by the command that checks the container: exit status 0 means healthy, 1 unhealthy."
    } else {
        return None;
    };
    Some(format!(
        "**HEALTHCHECK {}**\n\n{what}\n\n---\n\n{}",
        value.to_ascii_uppercase(),
        catalog::markdown_for_instruction(doc)
    ))
}

/// A directive: its page, or within `# check=` the option or rule under the cursor.
pub(super) fn directive(
    d: &Directive,
    part: DirectivePart,
    offset: usize,
) -> Option<(Range<usize>, String)> {
    let doc = catalog::directive(&d.name)?;
    if part == DirectivePart::Value
        && d.name == "check"
        && let Some(found) = check_value(d, offset)
    {
        return Some(found);
    }
    let range = match part {
        // From the `#`, so that pointing at it shows the directive too.
        DirectivePart::Name => d.range.start..d.name_range.end,
        DirectivePart::Value => d.value_range.clone(),
    };
    Some((range, catalog::markdown_for_directive(doc)))
}

/// The option (`skip`, `error`, `experimental`) or rule name under the cursor in a `check`
/// directive's value.
fn check_value(d: &Directive, offset: usize) -> Option<(Range<usize>, String)> {
    let mut start = d.value_range.start;
    for option in d.value.split(';') {
        let range = start..start + option.len();
        start = range.end + 1;
        if !(range.start <= offset && offset <= range.end) {
            continue;
        }
        let (key, rules) = option.split_once('=').unwrap_or((option, ""));
        let key_end = range.start + key.len();
        if offset <= key_end {
            let doc = catalog::check_option(key.trim())?;
            let lead = key.len() - key.trim_start().len();
            let key_range = range.start + lead..range.start + lead + key.trim().len();
            return Some((key_range, check_option_markdown(doc)));
        }
        let mut rule_start = key_end + 1;
        for rule in rules.split(',') {
            let rule_range = rule_start..rule_start + rule.len();
            rule_start = rule_range.end + 1;
            if rule_range.start <= offset && offset <= rule_range.end {
                let doc = catalog::check(rule.trim())?;
                let lead = rule.len() - rule.trim_start().len();
                let trimmed = rule_range.start + lead..rule_range.start + lead + rule.trim().len();
                return Some((trimmed, catalog::markdown_for_check(doc)));
            }
        }
        return None;
    }
    None
}

fn check_option_markdown(doc: &catalog::CheckOptionDoc) -> String {
    let mut out = format!(
        "**{}** · option of the `# check` directive\n\n{}\n\n",
        doc.name, doc.summary
    );
    let _ = writeln!(
        out,
        "```dockerfile\n# check={}={}\n```",
        doc.name, doc.value
    );
    let _ = writeln!(out, "```dockerfile\n{}\n```", doc.example);
    let others: Vec<&str> = check_options()
        .iter()
        .map(|o| o.name)
        .filter(|n| *n != doc.name)
        .collect();
    let _ = writeln!(
        out,
        "Combine options with `;` (also: {}).",
        others.join(", ")
    );
    if let Some(check) = catalog::directive("check") {
        let _ = writeln!(out, "\n[Reference]({})", check.url);
    }
    out
}

/// A `<<EOF` marker: where its body is and how it is read.
pub(super) fn heredoc_marker(snapshot: &Snapshot, at: At<'_>, heredoc: &Heredoc) -> String {
    let mut out = format!("**Heredoc** {}", code(&heredoc.name));
    let body = heredoc.content_range.as_ref().map(|r| at.abs(r));
    let end = heredoc.terminator_range.as_ref().map(|r| at.abs(r));
    match (&body, &end) {
        (Some(b), _) => {
            let first = line_number(snapshot, b.start);
            let last = line_number(snapshot, b.end.saturating_sub(1).max(b.start));
            if first == last {
                let _ = write!(out, " · body on line {first}");
            } else {
                let _ = write!(out, " · body on lines {first}–{last}");
            }
        }
        (None, Some(_)) => out.push_str(" · empty body"),
        (None, None) => out.push_str(" · *unterminated*"),
    }
    out.push_str("\n\n");
    let what = match at.command.kind {
        InstructionKind::Run => {
            "The body is the script the step runs (a `#!` first line picks the interpreter)."
        }
        InstructionKind::Copy | InstructionKind::Add => {
            "The body becomes the content of a file created at the destination."
        }
        _ => "The body is passed to the instruction.",
    };
    let _ = writeln!(out, "{what}\n");
    if heredoc.expand {
        out.push_str("- `$VARIABLES` in the body are expanded.\n");
    } else {
        out.push_str("- The delimiter is quoted, so the body is used literally (no expansion).\n");
    }
    if heredoc.chomp {
        out.push_str("- `<<-`: leading tabs are removed from every body line.\n");
    }
    if heredoc.fd != 0 {
        let _ = writeln!(out, "- Read from file descriptor {}.", heredoc.fd);
    }
    let _ = writeln!(
        out,
        "- The body ends at a line that is exactly {}.",
        code(&heredoc.name)
    );
    let _ = writeln!(out, "\n[Reference]({HEREDOC_URL})");
    out
}
