//! Inlay hints: after a floating image tag, the tag it is today and how long ago it was
//! pushed (`python:3-alpine` → `3.14.7-alpine3.24 · 12 days ago`), from cached registry data
//! only; after a `$VAR` in a FROM line, the value it expands to. Each kind can be turned off.

use std::ops::Range;

use super::Snapshot;
use super::index::{Role, SymbolKind};
use crate::model::InstructionKind;
use crate::model::image_ref::ImageRef;
use crate::registry::tags::parse_rfc3339;

/// Which hints to give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HintKinds {
    pub images: bool,
    pub variables: bool,
}

/// What a hint shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintKind {
    /// What an image reference resolves to.
    Image,
    /// The value a variable has.
    Variable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where it is shown (after the text it is about).
    pub offset: usize,
    pub label: String,
    pub kind: HintKind,
    pub tooltip: Option<String>,
}

/// What the registry cache says an image's tag is today, without waiting for the network.
pub trait ImageResolver {
    /// The most specific tag of the same image, and when it was pushed (RFC 3339), if the
    /// cache knows; asking may start a background refresh.
    fn resolved(&self, image: &ImageRef) -> Option<(String, Option<String>)>;
}

/// The hints for the instructions that overlap `range`.
pub fn inlay_hints(
    snapshot: &Snapshot,
    range: Range<usize>,
    kinds: HintKinds,
    images: Option<&dyn ImageResolver>,
    today_days: Option<i64>,
) -> Vec<InlayHint> {
    let mut out = Vec::new();
    if kinds.images
        && let Some(resolver) = images
    {
        for site in snapshot.image_sites() {
            if site.range.end < range.start || site.range.start > range.end {
                continue;
            }
            let Some((tag, pushed)) = resolver.resolved(&site.image) else {
                continue;
            };
            if site.image.tag.as_deref() == Some(tag.as_str()) {
                continue;
            }
            let age = pushed
                .as_deref()
                .and_then(days_since_epoch)
                .zip(today_days)
                .map(|(then, now)| ago(now - then));
            let label = match &age {
                Some(age) => format!("→ {tag} · {age}"),
                None => format!("→ {tag}"),
            };
            out.push(InlayHint {
                offset: site.range.end,
                label,
                kind: HintKind::Image,
                tooltip: Some(format!(
                    "`{}` is the same image as `{}:{tag}` today (registry cache)",
                    site.image.familiar(),
                    site.image.familiar_name()
                )),
            });
        }
    }
    if kinds.variables {
        let model = &snapshot.model;
        let index = snapshot.index();
        for o in index.occurrences_in(range.clone()) {
            let Some(whole) = &o.reference else { continue };
            let in_from = model
                .instructions
                .get(o.instruction)
                .is_some_and(|i| i.kind() == InstructionKind::From);
            let symbol = index.symbol(o.symbol);
            if !in_from || o.role != Role::Use || symbol.kind != SymbolKind::Arg {
                continue;
            }
            let written = &snapshot.text()[whole.clone()];
            if let Some(value) = model.expand_global(o.instruction, written) {
                out.push(InlayHint {
                    offset: whole.end,
                    label: format!("= {value}"),
                    kind: HintKind::Variable,
                    tooltip: Some(format!(
                        "`{written}` is `{value}` with the default of its ARG"
                    )),
                });
            }
        }
    }
    // A variable's value comes before what the whole reference resolves to.
    out.sort_by_key(|h| (h.offset, h.kind == HintKind::Image));
    out
}

/// Days since 1970-01-01 of an RFC 3339 time, as registries send it.
pub fn days_since_epoch(time: &str) -> Option<i64> {
    parse_rfc3339(time).map(|seconds| seconds.div_euclid(86_400))
}

fn ago(days: i64) -> String {
    match days {
        i64::MIN..=0 => "today".to_string(),
        1 => "yesterday".to_string(),
        2..=60 => format!("{days} days ago"),
        61..=729 => format!("{} months ago", days / 30),
        _ => format!("{} years ago", days / 365),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Cache;
    impl ImageResolver for Cache {
        fn resolved(&self, image: &ImageRef) -> Option<(String, Option<String>)> {
            (image.familiar_name() == "python").then(|| {
                (
                    "3.14.7-alpine3.24".to_string(),
                    Some("2026-11-25T10:00:00Z".to_string()),
                )
            })
        }
    }

    fn hints(text: &str, kinds: HintKinds) -> Vec<String> {
        let snapshot = Snapshot::new(text);
        let today = days_since_epoch("2026-12-07T12:00:00Z");
        inlay_hints(&snapshot, 0..text.len(), kinds, Some(&Cache), today)
            .into_iter()
            .map(|h| format!("{}@{}", h.label, h.offset))
            .collect()
    }

    #[test]
    fn images_and_variables() {
        let text =
            "ARG V=3-alpine\nFROM python:$V AS a\nFROM python:3.14.7-alpine3.24\nFROM node:20\n";
        let both = HintKinds {
            images: true,
            variables: true,
        };
        assert_eq!(
            hints(text, both),
            ["= 3-alpine@29", "→ 3.14.7-alpine3.24 · 12 days ago@29"]
        );
        let images_only = HintKinds {
            images: true,
            variables: false,
        };
        assert_eq!(
            hints(text, images_only),
            ["→ 3.14.7-alpine3.24 · 12 days ago@29"]
        );
    }

    #[test]
    fn dates() {
        assert_eq!(days_since_epoch("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(days_since_epoch("2000-03-01T23:59:59Z"), Some(11_017));
        assert_eq!(days_since_epoch("garbage"), None);
        assert_eq!(ago(400), "13 months ago");
    }
}
