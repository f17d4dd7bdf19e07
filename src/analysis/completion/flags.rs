//! Flags of the instruction under the cursor (`--mount`, `--from`, ...) and their values.

use std::ops::Range;

use super::{CompletionList, Ctx, item, mounts, order, snippet, stages};
use crate::analysis::CompletionKind;
use crate::analysis::cursor::At;
use crate::catalog::{self, FlagDoc, FlagValue};

/// Flags the instruction accepts and does not have yet (repeatable ones always), for the
/// word starting at `start` (`-`, `--`, `--mo`, or nothing yet).
pub(super) fn names(ctx: &Ctx<'_>, at: At<'_>, start: usize, out: &mut CompletionList) {
    let Some(keyword) = at.command.kind.keyword() else {
        return;
    };
    let end = ctx.word_end(|c| c != '=');
    // A value already follows (`--mo|=x`): replace the name only.
    let has_value = ctx.text[end..].starts_with('=');
    let used: Vec<&str> = at
        .command
        .flags
        .iter()
        .filter(|f| at.abs(&f.range).start != start)
        .map(|f| f.name.as_str())
        .collect();
    for (i, doc) in catalog::flags_for(keyword).enumerate() {
        if !doc.repeatable && used.contains(&doc.name) {
            continue;
        }
        let label = format!("--{}", doc.name);
        let range = start..end;
        let mut it = if has_value || doc.value == FlagValue::Bool {
            item(label, CompletionKind::Flag, range)
        } else {
            let body = format!("--{}={}", doc.name, placeholder(doc));
            snippet(label, CompletionKind::Flag, range, body)
        };
        it.detail = Some(detail(doc));
        it.sort_text = order(2, i);
        out.items.push(it);
    }
}

/// A short line for the list: what the flag does, and since when.
fn detail(doc: &FlagDoc) -> String {
    match doc.min_version {
        Some(version) => {
            let channel = if doc.labs_only { "-labs" } else { "+" };
            format!("{} (Dockerfile {version}{channel})", doc.summary)
        }
        None => doc.summary.to_string(),
    }
}

/// The snippet after `--name=`.
fn placeholder(doc: &FlagDoc) -> String {
    match doc.value {
        FlagValue::Enum(words) => choice(words),
        FlagValue::Mount => {
            let types: Vec<&str> = catalog::mounts::mount_types()
                .iter()
                .map(|t| t.name)
                .collect();
            format!("type={}", choice(&types))
        }
        FlagValue::Platform => "${1:\\$BUILDPLATFORM}".into(),
        FlagValue::Chown => "${1:user}:${2:group}".into(),
        other => {
            let hint = doc.default.unwrap_or(match other {
                FlagValue::Chmod => "755",
                FlagValue::StageOrImage => "stage",
                FlagValue::Checksum => "sha256:",
                FlagValue::Glob => "pattern",
                FlagValue::Device => "name",
                _ => "value",
            });
            format!("${{1:{}}}", super::snippet_text(hint))
        }
    }
}

/// A snippet choice `${1|a,b|}`.
fn choice(words: &[&str]) -> String {
    let escaped: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .flat_map(|c| {
                    let escape = matches!(c, ',' | '|' | '$' | '}' | '\\');
                    escape.then_some('\\').into_iter().chain(std::iter::once(c))
                })
                .collect()
        })
        .collect();
    format!("${{1|{}|}}", escaped.join(","))
}

/// Values of `--name=`, the value starting at `value_start`.
pub(super) fn values(
    ctx: &Ctx<'_>,
    at: At<'_>,
    name: &str,
    value_start: usize,
    out: &mut CompletionList,
) {
    let Some(doc) = at
        .command
        .kind
        .keyword()
        .and_then(|keyword| catalog::flag(keyword, name))
    else {
        return;
    };
    if doc.value == FlagValue::Mount {
        mounts::complete(ctx, at, value_start, out);
        return;
    }
    let range = value_start..ctx.word_end(|_| true);
    let words: Vec<(String, String)> = match doc.value {
        FlagValue::Enum(words) => words
            .iter()
            .map(|w| {
                let note = if doc.default == Some(*w) {
                    "default"
                } else {
                    ""
                };
                (w.to_string(), note.to_string())
            })
            .collect(),
        FlagValue::Bool => vec![
            ("true".into(), String::new()),
            ("false".into(), String::new()),
        ],
        FlagValue::Platform => {
            let mut words: Vec<(String, String)> = ["BUILDPLATFORM", "TARGETPLATFORM"]
                .iter()
                .filter_map(|n| catalog::predefined_arg(n))
                .map(|a| (format!("${}", a.name), a.summary.to_string()))
                .collect();
            words.extend(
                catalog::platforms::platforms()
                    .iter()
                    .map(|p| (p.value.to_string(), p.summary.to_string())),
            );
            words
        }
        FlagValue::Duration => {
            let mut words = vec!["5s", "10s", "30s", "1m", "5m"];
            if let Some(d) = doc.default {
                words.retain(|w| *w != d);
                words.insert(0, d);
            }
            words
                .into_iter()
                .map(|w| {
                    let note = if doc.default == Some(w) {
                        "default"
                    } else {
                        ""
                    };
                    (w.to_string(), note.to_string())
                })
                .collect()
        }
        FlagValue::Integer => doc
            .default
            .map(|d| vec![(d.to_string(), "default".to_string())])
            .unwrap_or_default(),
        FlagValue::Chmod => [
            ("755", "rwxr-xr-x"),
            ("644", "rw-r--r--"),
            ("700", "rwx------"),
            ("600", "rw-------"),
            ("u=rwX,go=rX", "symbolic (Dockerfile 1.14+)"),
        ]
        .iter()
        .map(|(w, n)| (w.to_string(), n.to_string()))
        .collect(),
        FlagValue::Chown => vec![
            ("root:root".into(), String::new()),
            ("1000:1000".into(), "a typical non-root user".into()),
        ],
        FlagValue::StageOrImage => {
            stages::for_from(ctx, at, range, out);
            return;
        }
        _ => Vec::new(),
    };
    push_values(words, range, out);
}

/// Plain value items, in order, with an optional note each.
pub(super) fn push_values(
    words: Vec<(String, String)>,
    range: Range<usize>,
    out: &mut CompletionList,
) {
    for (i, (word, note)) in words.into_iter().enumerate() {
        let mut it = item(word, CompletionKind::Value, range.clone());
        it.detail = (!note.is_empty()).then_some(note);
        it.sort_text = order(1, i);
        out.items.push(it);
    }
}
