//! Parser directives in the header comments: `# syntax=`, `# escape=`, `# check=` with its
//! options and rule names.

use std::ops::Range;

use super::{CompletionList, Ctx, flags::push_values, item, order, snippet, snippet_text};
use crate::analysis::CompletionKind;
use crate::catalog::{self, checks};

/// The detail of a rule-name item; [`super::completion_resolve`] recognises it.
pub(super) const CHECK_DETAIL: &str = "build check";

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Completes the directive being written on the cursor's (comment) line.
pub(super) fn complete(ctx: &Ctx<'_>, out: &mut CompletionList) {
    let lines = ctx.snapshot.doc.line_index();
    let line = lines.line_of(ctx.offset);
    let Some(line_start) = lines.line_start(line) else {
        return;
    };
    let head = ctx.before(line_start);
    let Some(hash) = head.find('#') else {
        return;
    };
    // Only blanks (and a byte-order mark on the first line) may come before the `#`.
    if !head[..hash]
        .trim_start_matches('\u{feff}')
        .trim()
        .is_empty()
    {
        return;
    }
    let after_hash = &head[hash + 1..];
    let name_start = line_start + hash + 1 + (after_hash.len() - after_hash.trim_start().len());
    let typed = ctx.before(name_start.min(ctx.offset));
    match typed.find('=') {
        None => {
            if typed.chars().all(is_name_char) {
                names(ctx, line, name_start, out);
            }
        }
        Some(eq) => {
            let name = typed[..eq].trim().to_ascii_lowercase();
            let after_eq = &typed[eq + 1..];
            let value_start = name_start + eq + 1 + (after_eq.len() - after_eq.trim_start().len());
            let value_end = ctx.word_end(|_| true);
            match name.as_str() {
                "check" => check(ctx, value_start, out),
                _ => {
                    let Some(doc) = catalog::directive(&name) else {
                        return;
                    };
                    let words = doc
                        .values
                        .iter()
                        .map(|v| (v.to_string(), String::new()))
                        .collect();
                    push_values(words, value_start..value_end, out);
                }
            }
        }
    }
}

/// Directive names, except those already written on other lines.
fn names(ctx: &Ctx<'_>, line: usize, start: usize, out: &mut CompletionList) {
    let end = ctx.word_end(is_name_char);
    let rest = ctx.text[end..].trim_start_matches([' ', '\t']);
    let has_value = rest.starts_with('=');
    let lines = ctx.snapshot.doc.line_index();
    for (i, doc) in catalog::directives::directives().iter().enumerate() {
        let elsewhere = ctx
            .model
            .directives
            .iter()
            .any(|d| d.name == doc.name && lines.line_of(d.range.start) != line);
        if elsewhere {
            continue;
        }
        let range = start..end;
        let mut it = if has_value {
            item(doc.name, CompletionKind::Directive, range)
        } else {
            let value = match doc.name {
                "escape" => "${1|`,\\\\|}".to_string(),
                "check" => "skip=${1:all}".to_string(),
                _ => format!(
                    "${{1:{}}}",
                    snippet_text(doc.values.first().copied().unwrap_or(""))
                ),
            };
            snippet(
                doc.name,
                CompletionKind::Directive,
                range,
                format!("{}={value}", doc.name),
            )
        };
        it.detail = Some(doc.summary.to_string());
        it.sort_text = order(1, i);
        out.items.push(it);
    }
}

/// The value of `# check=`: option names, then rule names or booleans.
fn check(ctx: &Ctx<'_>, value_start: usize, out: &mut CompletionList) {
    let typed = ctx.before(value_start.min(ctx.offset));
    let option_start = value_start + typed.rfind(';').map_or(0, |i| i + 1);
    let option = ctx.before(option_start);
    let Some(eq) = option.find('=') else {
        let whole = ctx.text[value_start..ctx.word_end(|_| true)].to_string();
        let used: Vec<&str> = whole
            .split(';')
            .filter_map(|o| o.split_once('=').map(|(k, _)| k.trim()))
            .collect();
        let lead = option.len() - option.trim_start().len();
        let range = option_start + lead..ctx.word_end(|c| c != '=' && c != ';');
        for (i, doc) in catalog::directives::check_options().iter().enumerate() {
            if used.contains(&doc.name) {
                continue;
            }
            let mut it = item(
                format!("{}=", doc.name),
                CompletionKind::Value,
                range.clone(),
            );
            it.filter_text = Some(doc.name.to_string());
            it.detail = Some(doc.summary.to_string());
            it.sort_text = order(1, i);
            out.items.push(it);
        }
        return;
    };
    let key = option[..eq].trim();
    let rules = &option[eq + 1..];
    let rule_start = option_start + eq + 1 + rules.rfind(',').map_or(0, |i| i + 1);
    let range: Range<usize> = rule_start..ctx.word_end(|c| c != ',' && c != ';');
    match key {
        "error" => push_values(
            vec![
                ("true".into(), "fail the build on any check warning".into()),
                ("false".into(), String::new()),
            ],
            range,
            out,
        ),
        "skip" | "experimental" => {
            // Rules already listed before the one being typed.
            let mut listed: Vec<&str> = rules.split(',').map(str::trim).collect();
            listed.pop();
            let mut it = item(
                catalog::directives::ALL_RULES,
                CompletionKind::Value,
                range.clone(),
            );
            it.detail = Some("every rule".into());
            it.sort_text = order(0, 0);
            out.items.push(it);
            let experimental = key == "experimental";
            for (i, doc) in checks::checks().iter().enumerate() {
                // `skip` never affects experimental rules; `experimental` only enables them.
                if doc.experimental != experimental || listed.contains(&doc.name) {
                    continue;
                }
                let mut it = item(doc.name, CompletionKind::Value, range.clone());
                it.detail = Some(CHECK_DETAIL.into());
                it.sort_text = order(1, i);
                out.items.push(it);
            }
        }
        _ => {}
    }
}
