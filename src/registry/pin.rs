//! The pin algorithm: which tags are the same image as a floating tag today (equal digests),
//! which of them to offer (the most specific, the exact form that keeps the user's variant
//! words, a date snapshot), digest pins, digest refreshes and same-shape updates, and the text
//! edits that apply them to a reference. Pure functions; the network side is in the facade.

use std::cmp::Ordering;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::tags::{self, Anatomy, TokenKind, Updates};
use super::types::TagInfo;
use crate::model::image_ref::{DEFAULT_TAG, ImageRef};

/// Words that, standing alone, mark a prerelease; a version token with the same label
/// (`3.15.0rc1`) covers them.
const PRERELEASE_WORDS: &[&str] = &["rc", "alpha", "beta", "a", "b", "pre", "dev"];

/// The tags a floating tag can be pinned to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinTargets {
    /// The tag pinned (`latest` when the reference has none).
    pub tag: String,
    /// The index digest it points to now.
    pub digest: String,
    /// The other tags with that digest, most specific first.
    pub same_image: Vec<String>,
    /// The most specific tag of the same image that keeps the user's variant words
    /// (`3-alpine` → `3.14.7-alpine3.24`). `None` when only a digest pin is possible.
    pub preferred: Option<String>,
    /// An exact tag with exactly the user's variant words and the preferred tag's precision
    /// (`3.14.7-alpine`), when it differs from `preferred`.
    pub same_variant: Option<String>,
    /// A date-stamped snapshot (`jammy-20260810`), never re-pushed.
    pub snapshot: Option<String>,
}

impl PinTargets {
    /// Whether the tag already is the most specific one (nothing to pin but the digest).
    pub fn is_specific(&self) -> bool {
        self.preferred.is_none()
    }
}

/// Computes the pin targets of `tag` whose current digest is `digest`, from a tag list that
/// says which tags are the same image (Docker Hub): by index digest, or for old tags without
/// one by their per-platform digests (see [`TagInfo::same_image`]). Tags the list cannot
/// place are ignored; `digest` may be empty when the list knows the tag only by platform.
pub fn pin_targets(tag: &str, digest: &str, tags: &[TagInfo]) -> PinTargets {
    let me = tags.iter().find(|t| t.name == tag);
    let siblings: Vec<Anatomy> = tags
        .iter()
        .filter(|t| {
            (!digest.is_empty() && t.digest.as_deref() == Some(digest))
                || me.is_some_and(|m| m.same_image(t) == Some(true))
        })
        .map(|t| Anatomy::parse(&t.name))
        .collect();
    let current = Anatomy::parse(tag);
    let kept = kept_words(&current, &siblings);
    let mut candidates: Vec<&Anatomy> = siblings
        .iter()
        .filter(|t| t.tag != tag && is_candidate(&current, &kept, t))
        .filter(|t| specificity(t) > specificity(&current))
        .collect();
    candidates.sort_by(|a, b| rank(a, b));
    let preferred = candidates.first().map(|a| a.tag.clone());
    let top_precision = candidates.first().map_or(0, |a| a.precision());
    let same_variant = candidates
        .iter()
        .find(|t| !t.has_date() && t.precision() == top_precision && words_equal(t, &kept))
        .map(|a| a.tag.clone())
        .filter(|t| Some(t) != preferred.as_ref());
    let snapshot = candidates
        .iter()
        .find(|t| t.has_date())
        .map(|a| a.tag.clone())
        .filter(|t| Some(t) != preferred.as_ref());

    let mut others: Vec<&Anatomy> = siblings.iter().filter(|t| t.tag != tag).collect();
    others.sort_by(|a, b| rank(a, b));
    PinTargets {
        tag: tag.to_string(),
        digest: digest.to_string(),
        same_image: others.into_iter().map(|a| a.tag.clone()).collect(),
        preferred,
        same_variant,
        snapshot,
    }
}

/// How specific a tag is, compared as a tuple: version precision, then a date stamp, then
/// versioned variants, then variant words. A pin must be more specific than the tag it
/// replaces (`3.14.7-alpine3.24` is never "pinned" to `3.14-alpine3.24`).
fn specificity(a: &Anatomy) -> (usize, bool, usize, usize) {
    (
        a.precision(),
        a.has_date(),
        a.versioned_word_count(),
        a.word_count(),
    )
}

/// The variant words of `current` a pin must keep: all its words except aliases. A word is
/// an alias (`lts`, `latest`, `stable`, `bookworm`) when replacing it by a version gives a
/// tag of the same image (`lts` → `24`), detected from the data without a word list.
pub fn kept_words(current: &Anatomy, same_image: &[Anatomy]) -> Vec<String> {
    let mut kept = Vec::new();
    for (i, tok) in current.tokens.iter().enumerate() {
        if !matches!(tok.kind, TokenKind::Word | TokenKind::VersionedWord) {
            continue;
        }
        let alias = same_image.iter().any(|s| {
            s.tokens.len() == current.tokens.len()
                && s.tokens.iter().enumerate().all(|(j, t)| {
                    if j == i {
                        t.kind == TokenKind::Version
                    } else {
                        t.text == current.tokens[j].text
                    }
                })
        });
        if !alias {
            kept.push(tok.text.clone());
        }
    }
    kept
}

/// Whether `t` may replace `current`: it has a version or a date, is not a prerelease
/// unless `current` is, and carries every kept word verbatim, refined (`alpine` →
/// `alpine3.24`), or for a prerelease word inside its version (`rc` → `3.15.0rc1`).
pub fn is_candidate(current: &Anatomy, kept: &[String], t: &Anatomy) -> bool {
    if t.version().is_none() && !t.has_date() {
        return false;
    }
    if t.is_prerelease() && !current.is_prerelease() {
        return false;
    }
    kept.iter().all(|w| {
        t.words().any(|tw| {
            tw.text == *w
                || (tw.kind == TokenKind::VersionedWord
                    && tw.text.len() > w.len()
                    && tw.stem() == w.as_str())
        }) || (PRERELEASE_WORDS.contains(&w.as_str())
            && t.version()
                .and_then(|v| v.pre.as_deref())
                .is_some_and(|pre| pre.starts_with(w.as_str())))
    })
}

/// Whether `t`'s variant words are exactly `kept`, a prerelease word counting as present
/// when `t`'s version carries it (`rc` in `3.15.0rc1`).
fn words_equal(t: &Anatomy, kept: &[String]) -> bool {
    let pre = t.version().and_then(|v| v.pre.as_deref()).unwrap_or("");
    let mut a: Vec<&str> = t.words().map(|w| w.text.as_str()).collect();
    let mut b: Vec<&str> = kept
        .iter()
        .map(String::as_str)
        .filter(|w| !(PRERELEASE_WORDS.contains(w) && !pre.is_empty() && pre.starts_with(w)))
        .collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// Most specific first: higher precision, more versioned variants (`alpine3.24` beats
/// `alpine`), more variant words, shorter, then by name for a stable answer.
pub fn rank(a: &Anatomy, b: &Anatomy) -> Ordering {
    b.precision()
        .cmp(&a.precision())
        .then_with(|| b.versioned_word_count().cmp(&a.versioned_word_count()))
        .then_with(|| b.word_count().cmp(&a.word_count()))
        .then_with(|| a.tag.len().cmp(&b.tag.len()))
        .then_with(|| a.tag.cmp(&b.tag))
}

/// How many versions of one major line the first round of probes for a version-less tag
/// tries: ubuntu's `yy.04` and `yy.10` are both current releases of a year.
const PROBES_PER_LINE: usize = 2;

/// The HEAD probes that find a pin on a registry whose tag list has no digests (OCI):
/// phase 1 looks for the version (tags spelled with exactly the kept words and a version
/// extending the current one, most precise and newest first).
///
/// A tag without a version (`latest`, `artful`, `lts`, `stable`) can be any version, and old
/// ones stay listed forever (`12.04.5`, `14.04.1` … `14.04.5`), so the order is newest
/// first and spread over the major lines: a first round with the newest two versions of
/// each line (a version extending one already taken counts as the same one), newest line
/// first, then the rest. A match on a version that other tags extend (`24` for `lts`) is
/// made precise by a second call with the matched tag ([`probe_phase1`] of `24` lists
/// `24.19.0` first).
pub fn probe_phase1(tag: &str, names: &[&str]) -> Vec<String> {
    let current = Anatomy::parse(tag);
    // Without digests, a word is an alias when no versioned tag contains it.
    let versioned: Vec<Anatomy> = names
        .iter()
        .map(|n| Anatomy::parse(n))
        .filter(|a| a.version().is_some())
        .collect();
    let kept: Vec<String> = current
        .words()
        .filter(|w| {
            versioned
                .iter()
                .any(|a| a.words().any(|aw| aw.text == w.text))
        })
        .map(|w| w.text.clone())
        .collect();
    let mut cands: Vec<&Anatomy> = versioned
        .iter()
        .filter(|a| a.tag != tag && !a.has_date() && words_equal(a, &kept))
        .filter(|a| current.is_prerelease() || !a.is_prerelease())
        .filter(|a| match (current.version(), a.version()) {
            (Some(cv), Some(av)) => av.extends(cv) && av.precision() > cv.precision(),
            _ => true,
        })
        .collect();
    if current.version().is_none() {
        return newest_lines_first(cands);
    }
    cands.sort_by(|a, b| {
        b.precision()
            .cmp(&a.precision())
            .then_with(|| match (a.version(), b.version()) {
                (Some(x), Some(y)) => tags::compare_versions(y, x),
                _ => Ordering::Equal,
            })
    });
    cands.into_iter().map(|a| a.tag.clone()).collect()
}

/// Versioned candidates ordered for a version-less tag (see [`probe_phase1`]).
fn newest_lines_first(mut cands: Vec<&Anatomy>) -> Vec<String> {
    let version = |a: &Anatomy| {
        a.version().cloned().unwrap_or_else(|| tags::Version {
            parts: Vec::new(),
            pre: None,
        })
    };
    // Newest first; a floating `24` before the `24.19.0` it stands for.
    cands.sort_by(|a, b| tags::compare_versions(&version(b), &version(a)));
    let mut lines: Vec<(u64, Vec<&Anatomy>)> = Vec::new();
    for a in cands {
        let major = version(a).major();
        match lines.iter_mut().find(|(m, _)| *m == major) {
            Some((_, line)) => line.push(a),
            None => lines.push((major, vec![a])),
        }
    }
    let mut first = Vec::new();
    let mut rest = Vec::new();
    for (_, line) in lines {
        let mut taken: Vec<tags::Version> = Vec::new();
        for a in line {
            let v = version(a);
            if taken.len() < PROBES_PER_LINE && !taken.iter().any(|t| v.extends(t)) {
                taken.push(v);
                first.push(a.tag.clone());
            } else {
                rest.push(a.tag.clone());
            }
        }
    }
    first.extend(rest);
    first
}

/// Phase 2 refines a phase-1 match (`3.14.7-alpine`) with more variant words, refinements of
/// its own words first (`3.14.7-alpine3.24`, newest variant version first).
pub fn probe_phase2(matched: &str, names: &[&str]) -> Vec<String> {
    let m = Anatomy::parse(matched);
    let Some((_, mv)) = &m.version else {
        return Vec::new();
    };
    let kept: Vec<String> = m.words().map(|w| w.text.clone()).collect();
    let mut cands: Vec<(usize, Anatomy)> = names
        .iter()
        .filter(|n| **n != matched)
        .map(|n| Anatomy::parse(n))
        .filter(|a| a.version() == Some(mv) && a.prefix() == m.prefix() && !a.has_date())
        .filter(|a| {
            a.word_count() > m.word_count() || a.versioned_word_count() > m.versioned_word_count()
        })
        .filter(|a| is_candidate(&m, &kept, a))
        .map(|a| {
            let refines = a
                .words()
                .any(|w| w.kind == TokenKind::VersionedWord && kept.iter().any(|k| w.stem() == k));
            (usize::from(!refines), a)
        })
        .collect();
    cands.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then_with(|| a.word_count().cmp(&b.word_count()))
            .then_with(|| natural_cmp(&b.tag, &a.tag))
    });
    cands.into_iter().map(|(_, a)| a.tag).collect()
}

/// Compares digit runs as numbers, so that `alpine3.24` sorts after `alpine3.9`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.iter().take_while(|b| b.is_ascii_digit()).count();
                let ny = y.iter().take_while(|b| b.is_ascii_digit()).count();
                let (dx, dy) = (&x[..nx], &y[..ny]);
                let dx = &dx[dx.iter().take_while(|&&b| b == b'0').count()..];
                let dy = &dy[dy.iter().take_while(|&&b| b == b'0').count()..];
                match dx.len().cmp(&dy.len()).then_with(|| dx.cmp(dy)) {
                    Ordering::Equal => {}
                    other => return other,
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                match c.cmp(d) {
                    Ordering::Equal => {}
                    other => return other,
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

/// Same-shape updates of the tag a reference names, among a list's tags.
pub fn updates(tag: &str, tags: &[TagInfo]) -> Updates {
    tags::updates(tag, tags.iter().map(|t| t.name.as_str()))
}

/// A replacement inside [`ImageRef::source`]; the editor layer adds the reference's offset
/// in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

impl Edit {
    /// The reference text after the edit.
    pub fn apply(&self, source: &str) -> String {
        let mut out = source.to_string();
        out.replace_range(self.range.clone(), &self.new_text);
        out
    }
}

/// Sets the tag (and optionally a digest) of a reference, keeping the user's spelling of
/// the name: replaces the tag and any digest, or inserts `:tag` after the name.
pub fn tag_edit(r: &ImageRef, tag: &str, digest: Option<&str>) -> Edit {
    let end = r.source.len();
    let (start, mut text) = match &r.spans.tag {
        Some(span) => (span.start, String::new()),
        None => (r.spans.name.end, ":".to_string()),
    };
    text.push_str(tag);
    if let Some(d) = digest {
        text.push('@');
        text.push_str(d);
    }
    Edit {
        range: start..end,
        new_text: text,
    }
}

/// Pins (or refreshes) the digest and keeps the tag for readers; a reference without a tag
/// gets `:latest` written out so that it shows what was resolved.
pub fn digest_edit(r: &ImageRef, digest: &str) -> Edit {
    match &r.spans.tag {
        Some(span) => Edit {
            range: span.end..r.source.len(),
            new_text: format!("@{digest}"),
        },
        None => Edit {
            range: r.spans.name.end..r.source.len(),
            new_text: format!(":{DEFAULT_TAG}@{digest}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image_ref;

    fn list(groups: &[(&str, &[&str])]) -> Vec<TagInfo> {
        groups
            .iter()
            .flat_map(|(d, names)| {
                names.iter().map(move |n| TagInfo {
                    digest: Some((*d).to_string()),
                    ..TagInfo::named(*n)
                })
            })
            .collect()
    }

    #[test]
    fn node_lts_drops_the_alias() {
        let tags = list(&[(
            "D",
            &[
                "24",
                "24-bookworm",
                "24.19",
                "24.19-bookworm",
                "24.19.0",
                "24.19.0-bookworm",
                "krypton",
                "krypton-bookworm",
                "lts",
                "lts-bookworm",
                "lts-krypton",
            ],
        )]);
        let p = pin_targets("lts", "D", &tags);
        assert_eq!(p.preferred.as_deref(), Some("24.19.0-bookworm"));
        assert_eq!(p.same_variant.as_deref(), Some("24.19.0"));
        assert_eq!(p.snapshot, None);
    }

    #[test]
    fn ubuntu_latest_has_a_snapshot() {
        let tags = list(&[(
            "D",
            &[
                "26.04",
                "resolute-20260811.1",
                "resolute",
                "latest",
                "rolling",
            ],
        )]);
        let p = pin_targets("latest", "D", &tags);
        assert_eq!(p.preferred.as_deref(), Some("26.04"));
        assert_eq!(p.same_variant, None);
        assert_eq!(p.snapshot.as_deref(), Some("resolute-20260811.1"));
    }

    #[test]
    fn prerelease_word_is_covered_by_the_version() {
        let tags = list(&[(
            "D",
            &[
                "3.15.0rc1-alpine3.24",
                "3.15-rc-alpine3.24",
                "3.15.0rc1-alpine",
                "3.15-rc-alpine",
            ],
        )]);
        let p = pin_targets("3.15-rc-alpine", "D", &tags);
        assert_eq!(p.preferred.as_deref(), Some("3.15.0rc1-alpine3.24"));
        assert_eq!(p.same_variant.as_deref(), Some("3.15.0rc1-alpine"));
    }

    #[test]
    fn old_tags_are_matched_by_their_platform_digests() {
        let platform = |arch: &str, digest: &str| crate::registry::Platform {
            os: "linux".into(),
            architecture: arch.into(),
            variant: None,
            os_version: None,
            size: None,
            digest: Some(digest.into()),
        };
        let old = |name: &str, digests: [&str; 2]| TagInfo {
            platforms: vec![platform("amd64", digests[0]), platform("arm64", digests[1])],
            ..TagInfo::named(name)
        };
        let mut tags = list(&[("N", &["1-slim", "1.98-slim", "1.98.0-slim"])]);
        tags.extend([
            old("1.44-slim", ["p1", "p2"]),
            old("1.44.1-slim", ["p2", "p1"]),
            old("1.44.0-slim", ["p3", "p4"]),
            TagInfo::named("1.44.1"),
        ]);
        let p = pin_targets("1.44-slim", "", &tags);
        assert_eq!(p.preferred.as_deref(), Some("1.44.1-slim"));
        assert_eq!(p.same_image, ["1.44.1-slim"]);
        // A new tag with an index digest is compared by it.
        let p = pin_targets("1-slim", "N", &tags);
        assert_eq!(p.preferred.as_deref(), Some("1.98.0-slim"));
    }

    #[test]
    fn oci_probe_order() {
        let names = [
            "3",
            "3-alpine",
            "3.14-alpine",
            "3.14.7-alpine",
            "3.13.9-alpine",
            "3.15.0rc1-alpine",
            "3.14.7-alpine3.9",
            "3.14.7-alpine3.24",
            "3.14.7-alpine3.23",
            "3.14.7-slim",
            "alpine",
        ];
        assert_eq!(
            probe_phase1("3-alpine", &names),
            ["3.14.7-alpine", "3.13.9-alpine", "3.14-alpine"]
        );
        assert_eq!(
            probe_phase2("3.14.7-alpine", &names),
            ["3.14.7-alpine3.24", "3.14.7-alpine3.23", "3.14.7-alpine3.9"]
        );
    }

    #[test]
    fn version_less_tags_probe_the_newest_of_each_line_first() {
        // ubuntu's registry on 2017-10-06: stale point releases stay listed forever.
        let names = [
            "10.04",
            "12.04",
            "12.04.5",
            "12.10",
            "13.04",
            "13.10",
            "14.04",
            "14.04.1",
            "14.04.2",
            "14.04.3",
            "14.04.4",
            "14.04.5",
            "14.10",
            "15.04",
            "15.10",
            "16.04",
            "16.10",
            "17.04",
            "17.10",
            "artful",
            "artful-20171006",
            "devel",
            "latest",
            "trusty",
            "trusty-20171006",
            "xenial",
            "xenial-20171006",
            "zesty",
        ];
        let order = probe_phase1("artful", &names);
        assert_eq!(
            order[..8],
            [
                "17.10", "17.04", "16.10", "16.04", "15.10", "15.04", "14.10", "14.04"
            ]
        );
        // Every candidate is still there, the stale ones last.
        assert_eq!(order.len(), 19);
        assert_eq!(order.last().map(String::as_str), Some("12.04.5"));
        assert_eq!(probe_phase1("latest", &names), order);
        // Node: a floating major stands for its line, and the match is made precise after.
        let node = [
            "26", "26.7", "26.7.0", "26.6.1", "25", "25.9.0", "24", "24.19", "24.19.0", "24.18.3",
            "lts", "current",
        ];
        assert_eq!(probe_phase1("lts", &node)[..3], ["26", "25", "24"]);
        assert_eq!(probe_phase1("24", &node), ["24.19.0", "24.18.3", "24.19"]);
    }

    #[test]
    fn edits_keep_the_spelling_of_the_name() {
        let hex = "a".repeat(64);
        let r = image_ref::parse("python:3-alpine").expect("valid");
        let e = tag_edit(&r, "3.14.7-alpine3.24", Some(&format!("sha256:{hex}")));
        assert_eq!(
            e.apply(&r.source),
            format!("python:3.14.7-alpine3.24@sha256:{hex}")
        );
        assert_eq!(
            digest_edit(&r, &format!("sha256:{hex}")).apply(&r.source),
            format!("python:3-alpine@sha256:{hex}")
        );
        let r = image_ref::parse("python").expect("valid");
        assert_eq!(
            tag_edit(&r, "3.14.7", None).apply(&r.source),
            "python:3.14.7"
        );
        assert_eq!(
            digest_edit(&r, "sha256:x").apply(&r.source),
            "python:latest@sha256:x"
        );
        let old = format!("127.0.0.1:5000/app:1@sha256:{}", "b".repeat(64));
        let r = image_ref::parse(&old).expect("valid");
        assert_eq!(
            digest_edit(&r, &format!("sha256:{hex}")).apply(&r.source),
            format!("127.0.0.1:5000/app:1@sha256:{hex}")
        );
    }
}
