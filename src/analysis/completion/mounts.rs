//! `RUN --mount=` fields: the keys of the mount's type, then each key's values.

use std::ops::Range;

use super::{CompletionList, Ctx, flags::push_values, item, order, snippet, stages};
use crate::analysis::CompletionKind;
use crate::analysis::cursor::At;
use crate::catalog::{self, MountKeyDoc, MountValue};

/// The detail of a mount-key item; [`super::completion_resolve`] reads the type back from it.
pub(super) const KEY_DETAIL_PREFIX: &str = "mount option for type=";
/// The detail of a mount-type item, for [`super::completion_resolve`].
pub(super) const TYPE_DETAIL: &str = "mount type";

/// Cache directories of common package managers, for `type=cache,target=`.
const CACHE_TARGETS: [(&str, &str); 9] = [
    ("/var/cache/apt", "apt (with sharing=locked)"),
    ("/var/lib/apt", "apt lists (with sharing=locked)"),
    ("/root/.cache/pip", "pip"),
    ("/root/.npm", "npm"),
    ("/usr/local/share/.cache/yarn", "yarn"),
    ("/go/pkg/mod", "Go modules"),
    ("/root/.cache/go-build", "Go build cache"),
    ("/usr/local/cargo/registry", "Cargo registry"),
    ("/root/.m2", "Maven"),
];

/// Completes the field of a `--mount` value (which starts at `value_start`) at the cursor.
pub(super) fn complete(ctx: &Ctx<'_>, at: At<'_>, value_start: usize, out: &mut CompletionList) {
    let end = ctx.word_end(|_| true).max(ctx.offset);
    let Some(value) = ctx.text.get(value_start..end) else {
        return;
    };
    let mut fields: Vec<(Range<usize>, &str)> = Vec::new();
    let mut pos = value_start;
    for part in value.split(',') {
        fields.push((pos..pos + part.len(), part));
        pos += part.len() + 1;
    }
    let mount_type = fields
        .iter()
        .find(|(_, part)| key_of(part).eq_ignore_ascii_case("type"))
        .and_then(|(_, part)| part.split_once('=').map(|(_, v)| v.trim()))
        .filter(|t| catalog::mount_type(t).is_some())
        .unwrap_or(catalog::mounts::DEFAULT_MOUNT_TYPE);
    let Some((current, _)) = fields
        .iter()
        .find(|(r, _)| r.start <= ctx.offset && ctx.offset <= r.end)
    else {
        return;
    };
    let typed = ctx.before(current.start);
    match typed.split_once('=') {
        Some((key, _)) => {
            let range = current.start + key.len() + 1..current.end;
            values(ctx, at, key.trim(), mount_type, range, out);
        }
        None => {
            let others: Vec<&str> = fields
                .iter()
                .filter(|(r, _)| r != current)
                .map(|(_, part)| key_of(part))
                .collect();
            let field = ctx.text.get(current.clone()).unwrap_or("");
            let key_end = current.start + field.find('=').unwrap_or(field.len());
            let has_value = key_end < current.end;
            keys(mount_type, &others, current.start..key_end, has_value, out);
        }
    }
}

/// The key of a `key=value` (or bare `key`) field.
fn key_of(part: &str) -> &str {
    part.split_once('=').map_or(part, |(k, _)| k).trim()
}

/// The keys of `mount_type` not written yet; `type` first when it is missing.
fn keys(
    mount_type: &str,
    others: &[&str],
    range: Range<usize>,
    has_value: bool,
    out: &mut CompletionList,
) {
    for (i, doc) in catalog::mounts::keys_for(mount_type).enumerate() {
        if others.iter().any(|o| doc.matches(o)) {
            continue;
        }
        let label = doc.name.to_string();
        let mut it = if has_value || doc.may_be_bare {
            item(label, CompletionKind::Value, range.clone())
        } else {
            let body = format!("{}={}", doc.name, placeholder(doc, mount_type));
            snippet(label, CompletionKind::Value, range.clone(), body)
        };
        it.detail = Some(format!("{KEY_DETAIL_PREFIX}{mount_type}"));
        it.sort_text = order(1, i);
        out.items.push(it);
    }
}

/// The snippet after `key=`.
fn placeholder(doc: &MountKeyDoc, mount_type: &str) -> String {
    let hint = match doc.value {
        MountValue::Enum(words) => {
            return format!("${{1|{}|}}", words.join(","));
        }
        MountValue::Path => "/path",
        MountValue::Id => "id",
        MountValue::StageOrImage => "stage",
        MountValue::Octal => doc.default_for(mount_type).unwrap_or("0755"),
        MountValue::Integer => doc.default_for(mount_type).unwrap_or("0"),
        MountValue::Size => "64m",
        MountValue::EnvName => "NAME",
        MountValue::Bool => "true",
    };
    format!("${{1:{hint}}}")
}

/// Values of `key=` on a mount of `mount_type`.
fn values(
    ctx: &Ctx<'_>,
    at: At<'_>,
    key: &str,
    mount_type: &str,
    range: Range<usize>,
    out: &mut CompletionList,
) {
    let Some(doc) = catalog::mounts::any_mount_key(key) else {
        return;
    };
    let default = doc.default_for(mount_type);
    let note = |w: &str| {
        if Some(w) == default {
            "default".to_string()
        } else {
            String::new()
        }
    };
    let words: Vec<(String, String)> = match doc.value {
        MountValue::Enum(_) if doc.name == "type" => {
            for (i, ty) in catalog::mounts::mount_types().iter().enumerate() {
                let mut it = item(ty.name, CompletionKind::Value, range.clone());
                it.detail = Some(TYPE_DETAIL.into());
                it.sort_text = order(1, i);
                out.items.push(it);
            }
            return;
        }
        MountValue::Enum(words) => words.iter().map(|w| (w.to_string(), note(w))).collect(),
        MountValue::Bool => ["true", "false"]
            .iter()
            .map(|w| (w.to_string(), note(w)))
            .collect(),
        MountValue::StageOrImage => {
            stages::for_from(ctx, at, range, out);
            return;
        }
        MountValue::Octal => {
            let mut words = vec!["0755", "0644", "0400", "0600"];
            if let Some(d) = default {
                words.retain(|w| *w != d);
                words.insert(0, d);
            }
            words
                .into_iter()
                .map(|w| (w.to_string(), note(w)))
                .collect()
        }
        MountValue::Integer => ["0", "1000"]
            .iter()
            .map(|w| (w.to_string(), note(w)))
            .collect(),
        MountValue::Size => ["64m", "512m", "1g"]
            .iter()
            .map(|w| (w.to_string(), String::new()))
            .collect(),
        MountValue::Path if doc.name == "target" && mount_type.eq_ignore_ascii_case("cache") => {
            CACHE_TARGETS
                .iter()
                .map(|(p, n)| (p.to_string(), n.to_string()))
                .collect()
        }
        MountValue::Path if doc.name == "target" => default
            .map(|d| vec![(d.to_string(), "default".to_string())])
            .unwrap_or_default(),
        MountValue::Path | MountValue::Id | MountValue::EnvName => Vec::new(),
    };
    push_values(words, range, out);
}
