//! Registry knowledge turned into editor features, without I/O: the image references of a
//! document ([`sites`]), the pin, digest and update choices for one of them from a
//! [`PinPlan`], a plan built from a cached tag list alone, hover text and completion details
//! for tags. The LSP layer and the CLI fetch the data; this module only decides.

pub mod sites;

use crate::analysis::completion::TagSuggestion;
use crate::analysis::{CodeAction, CodeActionKind, Diagnostic, Severity};
use crate::model::image_ref::{DEFAULT_TAG, ImageRef};
use crate::registry::pin;
use crate::registry::tags::Anatomy;
use crate::registry::{PinPlan, Resolution, TagInfo, TagList};

pub use sites::{ImageSite, Placed, SiteKind, image_sites, sites_after_edit};

/// Diagnostic code of a floating or missing tag.
pub const FLOATING_TAG: &str = "floating-tag";
/// Diagnostic code of a tag the registry does not have.
pub const UNKNOWN_TAG: &str = "unknown-tag";
/// Diagnostic code of a `tag@digest` whose tag has moved to another digest.
pub const STALE_DIGEST: &str = "stale-digest";

/// What a pin option does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinKind {
    /// The most specific tag of the same image.
    Version,
    /// An exact tag with the user's variant words.
    SameVariant,
    /// A date-stamped snapshot.
    Snapshot,
    /// `tag@digest`.
    Digest,
    /// A stale `@digest` replaced by the tag's current one.
    RefreshDigest,
    /// Newest tag of the same shape and major version.
    Update,
    /// Newest tag of the same shape with a higher major version.
    MajorUpdate,
}

/// One way to change a reference, as an edit of the expanded reference text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinOption {
    pub kind: PinKind,
    pub title: String,
    /// The reference after the change.
    pub new_reference: String,
    pub edit: pin::Edit,
}

fn short_digest(d: &str) -> &str {
    let hex = d.split_once(':').map_or(d, |(_, h)| h);
    hex.get(..12).unwrap_or(hex)
}

fn option(kind: PinKind, title: String, image: &ImageRef, edit: pin::Edit) -> PinOption {
    PinOption {
        kind,
        title,
        new_reference: edit.apply(&image.source),
        edit,
    }
}

/// Every change a plan allows for `image`, the recommended one first.
pub fn pin_options(image: &ImageRef, plan: &PinPlan) -> Vec<PinOption> {
    let mut out = Vec::new();
    let t = &plan.targets;
    let digest = &plan.resolution.digest;
    if image.digest.is_none() {
        for (kind, target) in [
            (PinKind::Version, &t.preferred),
            (PinKind::SameVariant, &t.same_variant),
            (PinKind::Snapshot, &t.snapshot),
        ] {
            if let Some(tag) = target {
                let edit = pin::tag_edit(image, tag, None);
                out.push(option(kind, format!("Pin to {tag}"), image, edit));
            }
        }
        if !digest.is_empty() && plan.resolution.tag.is_some() {
            let edit = pin::digest_edit(image, digest);
            let title = format!("Pin to digest {}…", short_digest(digest));
            out.push(option(PinKind::Digest, title, image, edit));
        }
    } else if plan.resolution.pinned_digest_current == Some(false) && !digest.is_empty() {
        let edit = pin::digest_edit(image, digest);
        let title = format!("Refresh digest to {}…", short_digest(digest));
        out.push(option(PinKind::RefreshDigest, title, image, edit));
    }
    for (kind, target, word) in [
        (PinKind::Update, &plan.updates.within_major, "Update"),
        (PinKind::MajorUpdate, &plan.updates.major, "Major update"),
    ] {
        if let Some(tag) = target {
            let edit = pin::tag_edit(image, tag, None);
            out.push(option(kind, format!("{word} to {tag}"), image, edit));
        }
    }
    out
}

/// The change `dockerfile-ls pin` makes: the most specific tag (with `digest`, plus the
/// digest; a stale digest refreshed). `None` when the reference is pinned already.
pub fn cli_pin(image: &ImageRef, plan: &PinPlan, digest: bool) -> Option<PinOption> {
    let d = &plan.resolution.digest;
    if image.digest.is_some() {
        if digest && plan.resolution.pinned_digest_current == Some(false) && !d.is_empty() {
            let edit = pin::digest_edit(image, d);
            let title = format!("refresh digest to {}", short_digest(d));
            return Some(option(PinKind::RefreshDigest, title, image, edit));
        }
        return None;
    }
    let tag = plan.targets.preferred.as_deref();
    if digest && !d.is_empty() {
        let to = tag.unwrap_or(plan.targets.tag.as_str());
        let to = if to.is_empty() { DEFAULT_TAG } else { to };
        let edit = pin::tag_edit(image, to, Some(d));
        let title = format!("pin to {to}@{}", short_digest(d));
        return Some(option(PinKind::Digest, title, image, edit));
    }
    let tag = tag?;
    let edit = pin::tag_edit(image, tag, None);
    Some(option(
        PinKind::Version,
        format!("pin to {tag}"),
        image,
        edit,
    ))
}

/// A plan from a cached tag list alone (no network): complete on Docker Hub, whose lists
/// carry digests (for old tags, per-platform digests only: the plan's digest is then
/// empty); `None` when the list cannot tell what the tag points to.
pub fn plan_from_list(image: &ImageRef, list: &TagList) -> Option<PinPlan> {
    let tag = match (&image.tag, &image.digest) {
        (Some(t), _) => t.clone(),
        (None, Some(_)) => return None,
        (None, None) => DEFAULT_TAG.to_string(),
    };
    let info = list.get(&tag)?;
    let digest = match &info.digest {
        Some(d) => d.clone(),
        // A `tag@digest` is compared with the index digest, which only a request gives.
        None if image.digest.is_none() && info.platform_digests().is_some() => String::new(),
        None => return None,
    };
    Some(PinPlan {
        resolution: Resolution {
            repository: image.full_name(),
            tag: Some(tag.clone()),
            pinned_digest_current: image.digest.as_ref().map(|d| *d == digest),
            digest: digest.clone(),
            info: Some(info.clone()),
        },
        targets: pin::pin_targets(&tag, &digest, &list.tags),
        updates: pin::updates(&tag, &list.tags),
    })
}

/// A plan that only knows what the tag points to now (a cached manifest `HEAD` on a
/// registry whose tag list has no digests): enough to refresh a stale `@digest`.
pub fn plan_from_digest(image: &ImageRef, digest: &str) -> Option<PinPlan> {
    let tag = image.tag.clone()?;
    Some(PinPlan {
        resolution: Resolution {
            repository: image.full_name(),
            pinned_digest_current: image.digest.as_ref().map(|d| d == digest),
            tag: Some(tag.clone()),
            digest: digest.to_string(),
            info: None,
        },
        targets: pin::PinTargets {
            tag,
            digest: digest.to_string(),
            ..pin::PinTargets::default()
        },
        updates: Default::default(),
    })
}

/// Code actions for a site, from a plan; edits placed in the document (in the ARG default
/// when the tag comes from one). `fixes` marks the diagnostic the first pin resolves.
pub fn code_actions(site: &ImageSite, plan: &PinPlan) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for (i, o) in pin_options(&site.image, plan).into_iter().enumerate() {
        let Some(placed) = site.place(&o.edit) else {
            continue;
        };
        let title = match &placed.arg {
            Some(arg) => format!("{} (in ARG {arg})", o.title),
            None => o.title,
        };
        let fixes = match o.kind {
            PinKind::Version | PinKind::SameVariant | PinKind::Snapshot | PinKind::Digest => {
                Some(FLOATING_TAG)
            }
            PinKind::RefreshDigest => Some(STALE_DIGEST),
            PinKind::Update | PinKind::MajorUpdate => None,
        };
        out.push(CodeAction {
            title,
            kind: if fixes.is_some() {
                CodeActionKind::QuickFix
            } else {
                CodeActionKind::Refactor
            },
            edits: vec![placed.edit],
            fixes: fixes
                .map(|code| vec![(site.range.clone(), code.into())])
                .unwrap_or_default(),
            is_preferred: i == 0 && matches!(o.kind, PinKind::Version | PinKind::RefreshDigest),
        });
    }
    out
}

/// Whether the reference floats: no digest, and a more specific tag of the same image
/// exists (or no tag at all).
pub fn is_floating(image: &ImageRef, plan: &PinPlan) -> bool {
    image.digest.is_none() && (image.tag.is_none() || !plan.targets.is_specific())
}

/// Registry diagnostics for a site from cached data: a floating tag (information) and a
/// tag missing from a complete list (warning, with close matches). `probed` is a plan found
/// by manifest `HEAD`s, for lists without digests.
pub fn diagnostics(
    site: &ImageSite,
    list: &TagList,
    probed: Option<&PinPlan>,
    floating: bool,
    unknown: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let diag = |severity, code: &'static str, message| Diagnostic {
        range: site.range.clone(),
        severity,
        code: code.into(),
        message,
        related: Vec::new(),
        tags: Vec::new(),
    };
    let tag = site.image.tag.as_deref();
    if unknown
        && list.complete
        && let Some(tag) = tag
        && list.get(tag).is_none()
    {
        let close = close_matches(tag, list);
        let mut message = format!("{} has no tag \"{tag}\"", site.image.familiar_name());
        if !close.is_empty() {
            message.push_str(&format!(" (did you mean {}?)", close.join(", ")));
        }
        out.push(diag(Severity::Warning, UNKNOWN_TAG, message));
        return out;
    }
    if floating
        && let Some(plan) = plan_from_list(&site.image, list).or_else(|| probed.cloned())
        && is_floating(&site.image, &plan)
    {
        let name = tag.unwrap_or(DEFAULT_TAG);
        let message = match &plan.targets.preferred {
            Some(p) => format!("\"{name}\" is a floating tag; today it is {p}"),
            None => format!("\"{name}\" is a floating tag"),
        };
        out.push(diag(Severity::Information, FLOATING_TAG, message));
    }
    out
}

/// A pinned digest that is no longer its tag's (information), given the digest the tag
/// points to now. Nothing for a reference without both a tag and a digest.
pub fn stale_digest(site: &ImageSite, current: &str) -> Option<Diagnostic> {
    let (tag, pinned) = (site.image.tag.as_deref()?, site.image.digest.as_deref()?);
    if pinned == current || current.is_empty() {
        return None;
    }
    Some(Diagnostic {
        range: site.range.clone(),
        severity: Severity::Information,
        code: STALE_DIGEST.into(),
        message: format!(
            "\"{tag}\" has moved: it points to {}… now, not to the pinned digest",
            short_digest(current)
        ),
        related: Vec::new(),
        tags: Vec::new(),
    })
}

/// Up to three tags spelled like `tag` (edit distance), closest first.
pub fn close_matches(tag: &str, list: &TagList) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = list
        .tags
        .iter()
        .map(|t| {
            (
                crate::catalog::suggest::levenshtein_distance(tag, &t.name),
                t.name.as_str(),
            )
        })
        .filter(|(d, _)| *d <= (tag.len() / 3).max(2))
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| format!("\"{n}\""))
        .collect()
}

/// `48.2 MB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// `updated 2026-08-21 · 48.2 MB · linux/amd64, linux/arm64/v8`.
pub fn tag_detail(info: &TagInfo) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(d) = info.last_updated.as_deref().and_then(|s| s.get(..10)) {
        parts.push(format!("updated {d}"));
    }
    if let Some(size) = info.size {
        parts.push(human_size(size));
    }
    if !info.platforms.is_empty() {
        let p: Vec<String> = info.platforms.iter().map(|p| p.display()).collect();
        parts.push(p.join(", "));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The tags of a list as completion data, in completion order: label, detail, documentation.
pub fn tag_suggestions(list: &TagList) -> Vec<TagSuggestion> {
    list.completion_order()
        .map(|t| TagSuggestion {
            tag: t.name.clone(),
            detail: tag_detail(t),
            documentation: t.digest.as_ref().map(|d| {
                let same = list.same_image_as(&t.name);
                let mut s = format!("`{d}`");
                if !same.is_empty() {
                    s.push_str(&format!("\n\nSame image as: {}", same.join(", ")));
                }
                s
            }),
        })
        .collect()
}

/// The page of an image in its registry's web interface, when there is a known one.
pub fn image_link(image: &ImageRef) -> Option<String> {
    if image.is_official() {
        return Some(format!(
            "https://hub.docker.com/_/{}",
            image.familiar_name()
        ));
    }
    if image.is_docker_hub() {
        return Some(format!("https://hub.docker.com/r/{}", image.repository));
    }
    match image.registry.as_str() {
        "ghcr.io" | "quay.io" => Some(format!("https://{}/{}", image.registry, image.repository)),
        _ => None,
    }
}

/// What the registry knows of a reference, as hover markdown to follow the image's own hover
/// (which names the reference and links its page): the resolved tag's digest, the other tags
/// of the same image, platforms, size and date; empty when nothing is known. `list` is cached
/// data, `probed` a plan found by manifest `HEAD`s when the list has no digests; `fetching`
/// says a fetch runs; `error` is the last failure.
pub fn hover_markdown(
    image: &ImageRef,
    list: Option<&TagList>,
    probed: Option<&PinPlan>,
    fetching: bool,
    error: Option<&str>,
) -> String {
    let mut s = String::new();
    let tag = image.tag.as_deref().unwrap_or(DEFAULT_TAG);
    match list {
        Some(list) => match list.get(tag) {
            Some(info) => {
                let probed = probed.filter(|p| !p.resolution.digest.is_empty());
                let digest = info
                    .digest
                    .as_ref()
                    .or(probed.map(|p| &p.resolution.digest));
                if let Some(d) = digest {
                    s.push_str(&format!("\n\n**{tag}** → `{d}`"));
                    if let Some(pinned) = &image.digest
                        && pinned != d
                    {
                        s.push_str("\n\nThe pinned digest is no longer the tag's.");
                    }
                }
                let mut same = list.same_image_as(tag);
                if same.is_empty()
                    && let Some(p) = probed
                {
                    same = p.targets.same_image.iter().map(String::as_str).collect();
                }
                let mut anat: Vec<Anatomy> = same.iter().map(|n| Anatomy::parse(n)).collect();
                anat.sort_by(pin::rank);
                same = anat.iter().map(|a| a.tag.as_str()).collect();
                if !same.is_empty() {
                    s.push_str(&format!(
                        "\n\nSame image today: {}",
                        same.iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if !info.platforms.is_empty() {
                    let p: Vec<String> = info.platforms.iter().map(|p| p.display()).collect();
                    s.push_str(&format!("\n\nPlatforms: {}", p.join(", ")));
                }
                if let Some(size) = info.size {
                    s.push_str(&format!("\n\nCompressed size: {}", human_size(size)));
                }
                if let Some(u) = &info.last_updated {
                    s.push_str(&format!("\n\nLast updated: {u}"));
                }
            }
            None if list.complete => {
                s.push_str(&format!("\n\nThe registry has no tag `{tag}`."));
            }
            None => {
                let why = list.partial.as_ref().map_or_else(
                    || "the listing stopped early".to_string(),
                    |p| p.to_string(),
                );
                s.push_str(&format!(
                    "\n\n`{tag}` is not among the {} tags listed: the list is partial ({why}).",
                    list.tags.len()
                ));
            }
        },
        None if fetching => s.push_str("\n\nFetching registry data…"),
        None => {}
    }
    if list.is_none()
        && let Some(e) = error
    {
        s.push_str(&format!("\n\nRegistry: {e}"));
    }
    s.trim_start().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image_ref;
    use crate::registry::TagSource;

    fn list() -> TagList {
        let t = |n: &str, d: &str| TagInfo {
            digest: Some(d.to_string()),
            size: Some(48_200_000),
            ..TagInfo::named(n)
        };
        TagList::new(
            "docker.io/library/python".into(),
            TagSource::Hub,
            vec![
                t("3-alpine", "sha256:aaaa"),
                t("3.14.7-alpine3.24", "sha256:aaaa"),
                t("3.14.7-alpine", "sha256:aaaa"),
                t("3.13.9-alpine", "sha256:bbbb"),
                t("4.0.1-alpine", "sha256:cccc"),
            ],
            true,
        )
    }

    #[test]
    fn options_from_a_cached_list() {
        let image = image_ref::parse("python:3-alpine").expect("valid");
        let plan = plan_from_list(&image, &list()).expect("plan");
        let titles: Vec<String> = pin_options(&image, &plan)
            .into_iter()
            .map(|o| o.new_reference)
            .collect();
        assert_eq!(
            titles,
            [
                "python:3.14.7-alpine3.24",
                "python:3.14.7-alpine",
                "python:3-alpine@sha256:aaaa",
            ]
        );
        let old = image_ref::parse("python:3.13.9-alpine").expect("valid");
        let plan = plan_from_list(&old, &list()).expect("plan");
        let o = pin_options(&old, &plan);
        assert_eq!(o.last().map(|o| o.kind), Some(PinKind::MajorUpdate));
        assert!(cli_pin(&old, &plan, false).is_none());
        assert_eq!(
            cli_pin(&old, &plan, true)
                .map(|o| o.new_reference)
                .as_deref(),
            Some("python:3.13.9-alpine@sha256:bbbb")
        );
    }

    #[test]
    fn hover_and_diagnostics() {
        let image = image_ref::parse("python:3-alpine").expect("valid");
        let md = hover_markdown(&image, Some(&list()), None, false, None);
        assert!(
            md.contains("Same image today: `3.14.7-alpine3.24`, `3.14.7-alpine`"),
            "{md}"
        );
        assert!(md.contains("48.2 MB"), "{md}");
        // The image's own hover names the reference and links the page: not again here.
        assert!(
            !md.contains("hub.docker.com") && !md.contains("docker.io/"),
            "{md}"
        );
        let text = "FROM python:3-alpne\n";
        let model = crate::model::Model::build(&crate::syntax::Document::new(text));
        let site = &image_sites(&model, text)[0];
        let d = diagnostics(site, &list(), None, true, true);
        assert_eq!(d[0].code, UNKNOWN_TAG);
        assert!(d[0].message.contains("\"3-alpine\""), "{}", d[0].message);
    }

    #[test]
    fn hover_says_when_a_missing_tag_may_be_beyond_a_partial_list() {
        let image = image_ref::parse("python:2.7.1").expect("valid");
        let partial = TagList::listed(
            "docker.io/library/python".into(),
            TagSource::Hub,
            list().tags,
            Some(crate::registry::Partial::Refused {
                pages: 10,
                detail: "HTTP 403: pagination offset too large for anonymous requests".into(),
            }),
        );
        let md = hover_markdown(&image, Some(&partial), None, false, None);
        assert!(
            md.contains(
                "`2.7.1` is not among the 5 tags listed: the list is partial (the registry \
                 refused page 11 (HTTP 403: pagination offset too large for anonymous requests))."
            ),
            "{md}"
        );
        assert!(!md.contains("has no tag"), "{md}");
        let md = hover_markdown(&image, Some(&list()), None, false, None);
        assert!(md.contains("The registry has no tag `2.7.1`."), "{md}");
    }

    #[test]
    fn a_probed_plan_stands_in_for_digests_missing_from_the_list() {
        let text = "FROM ghcr.io/org/python:3-alpine\n";
        let model = crate::model::Model::build(&crate::syntax::Document::new(text));
        let site = &image_sites(&model, text)[0];
        let names = ["3-alpine", "3.14.7-alpine3.24", "3.14.7-alpine"];
        let list = TagList::new(
            "ghcr.io/org/python".into(),
            TagSource::Oci,
            names.iter().map(|n| TagInfo::named(*n)).collect(),
            true,
        );
        assert!(diagnostics(site, &list, None, true, true).is_empty());
        let digests: Vec<TagInfo> = names
            .iter()
            .map(|n| TagInfo {
                digest: Some("sha256:aaaa".into()),
                ..TagInfo::named(*n)
            })
            .collect();
        let probed = PinPlan {
            resolution: Resolution {
                repository: "ghcr.io/org/python".into(),
                tag: Some("3-alpine".into()),
                digest: "sha256:aaaa".into(),
                info: None,
                pinned_digest_current: None,
            },
            targets: pin::pin_targets("3-alpine", "sha256:aaaa", &digests),
            updates: Default::default(),
        };
        let d = diagnostics(site, &list, Some(&probed), true, true);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "\"3-alpine\" is a floating tag; today it is 3.14.7-alpine3.24"
        );
        let md = hover_markdown(&site.image, Some(&list), Some(&probed), false, None);
        assert!(md.contains("**3-alpine** → `sha256:aaaa`"), "{md}");
        assert!(
            md.contains("Same image today: `3.14.7-alpine3.24`, `3.14.7-alpine`"),
            "{md}"
        );
    }

    #[test]
    fn a_moved_tag_is_a_stale_digest_fixed_by_refreshing() {
        let (a, b, c) = (
            format!("sha256:{}", "a".repeat(64)),
            format!("sha256:{}", "b".repeat(64)),
            format!("sha256:{}", "c".repeat(64)),
        );
        let text = format!("ARG V=3-alpine\nFROM python:${{V}}@{b}\nFROM python:3-alpine@{a}\n");
        let model = crate::model::Model::build(&crate::syntax::Document::new(&text));
        let sites = image_sites(&model, &text);
        let d = stale_digest(&sites[0], &a).expect("stale");
        assert_eq!(
            (&*d.code, d.severity),
            (STALE_DIGEST, Severity::Information)
        );
        assert_eq!(text[d.range.clone()], format!("python:${{V}}@{b}"));
        assert!(
            d.message.contains("\"3-alpine\" has moved"),
            "{}",
            d.message
        );
        assert!(d.message.contains("aaaaaaaaaaaa…"), "{}", d.message);
        assert_eq!(stale_digest(&sites[1], &a), None);
        // The Docker Hub list carries the digest; the fix is the preferred refresh.
        let list = TagList::new(
            "docker.io/library/python".into(),
            TagSource::Hub,
            vec![TagInfo {
                digest: Some(a.clone()),
                ..TagInfo::named("3-alpine")
            }],
            true,
        );
        let plan = plan_from_list(&sites[0].image, &list).expect("plan");
        let actions = code_actions(&sites[0], &plan);
        let refresh = &actions[0];
        assert_eq!(refresh.title, "Refresh digest to aaaaaaaaaaaa…");
        assert_eq!(refresh.kind, CodeActionKind::QuickFix);
        assert!(refresh.is_preferred);
        assert_eq!(
            refresh.fixes,
            [(sites[0].range.clone(), STALE_DIGEST.into())]
        );
        assert_eq!(refresh.edits[0].new_text, format!("@{a}"));
        assert_eq!(text[refresh.edits[0].range.clone()], format!("@{b}"));
        // A registry without digests in its list: the cached digest alone is enough.
        let plan = plan_from_digest(&sites[0].image, &c).expect("plan");
        let titles: Vec<String> = code_actions(&sites[0], &plan)
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(titles, ["Refresh digest to cccccccccccc…"]);
        let no_tag = image_ref::parse(&format!("python@{b}")).expect("valid");
        assert!(plan_from_digest(&no_tag, &c).is_none());
    }
}
