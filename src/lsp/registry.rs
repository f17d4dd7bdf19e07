//! Registry data for the handlers, from caches only: the [`ImageCatalog`] completion asks,
//! the registry part of a hover, the pin code actions and the registry diagnostics. Nothing
//! here waits on the network; what is not cached starts a background fetch and is answered
//! on a later request. The decisions are in [`crate::analysis::registry`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::completion::{ImageCatalog, ImageSuggestion, TagSuggestion};
use crate::analysis::inlay_hints::ImageResolver;
use crate::analysis::registry::{self as logic, ImageSite};
use crate::analysis::{CodeAction, Diagnostic, Hover, Snapshot};
use crate::model::image_ref::ImageRef;
use crate::registry::{Freshness, Registry, TagList};

use crate::config::DiagnosticsSettings;

/// Shortest typed prefix that asks Docker Hub's search.
const MIN_SEARCH_LEN: usize = 2;

/// Completion's view of the registry.
pub(crate) struct Catalog<'a> {
    pub registry: &'a Registry,
}

/// The registry cache as inlay hints read it: what a tag is today, never waiting.
pub(crate) struct CachedImages<'a> {
    pub registry: &'a Registry,
}

impl ImageResolver for CachedImages<'_> {
    fn resolved(&self, image: &ImageRef) -> Option<(String, Option<String>)> {
        let (list, _) = self.registry.cached_tags(image)?;
        let plan =
            logic::plan_from_list(image, &list).or_else(|| self.registry.cached_plan(image))?;
        let tag = plan.targets.preferred?;
        let pushed = list.get(&tag).and_then(|info| info.last_updated.clone());
        Some((tag, pushed))
    }
}

impl ImageCatalog for Catalog<'_> {
    fn image_names(&self, prefix: &str) -> (Vec<ImageSuggestion>, bool) {
        // Only Docker Hub names are searched; a registry host or a path is typed out.
        if prefix.len() < MIN_SEARCH_LEN || prefix.contains(['/', '.', ':']) {
            return (Vec::new(), false);
        }
        let offline = self.registry.config().offline;
        match self.registry.cached_search(prefix) {
            Some(found) => {
                let items = found
                    .iter()
                    .map(|r| ImageSuggestion {
                        name: r.name.clone(),
                        detail: Some(if r.is_official {
                            format!("Docker Official Image · {} stars", r.star_count)
                        } else {
                            format!("{} stars", r.star_count)
                        }),
                        documentation: (!r.description.is_empty()).then(|| r.description.clone()),
                    })
                    .collect();
                (items, false)
            }
            None => (Vec::new(), !offline),
        }
    }

    fn tags(&self, image: &ImageRef) -> (Vec<TagSuggestion>, bool) {
        let found = self.registry.cached_tags(image);
        let fetching = self.registry.is_fetching(image);
        match found {
            Some((list, freshness)) => (
                logic::tag_suggestions(&list),
                fetching && freshness != Freshness::Fresh,
            ),
            None => (Vec::new(), fetching),
        }
    }
}

/// Starts fetching the tags of every image of a document (on open).
pub(crate) fn prefetch(registry: &Registry, snapshot: &Snapshot) {
    // A large file names the same few repositories hundreds of times, and each look at the
    // cache hashes the name and may try the disk: ask once per repository.
    let mut seen = HashSet::new();
    registry.prefetch(
        snapshot
            .image_sites()
            .iter()
            .map(|s| &*s.image)
            .filter(|image| seen.insert(image.full_name())),
    );
}

/// An image a document names, as far as registry updates care: its repository, and the tag
/// when the reference also pins a digest. Kept for documents whose snapshot was set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImageKey {
    /// `registry/repository`.
    pub name: String,
    pub pinned_tag: Option<String>,
}

pub(crate) fn image_keys(snapshot: &Snapshot) -> Vec<ImageKey> {
    snapshot
        .image_sites()
        .iter()
        .map(|s| ImageKey {
            name: s.image.full_name(),
            pinned_tag: match (&s.image.tag, &s.image.digest) {
                (Some(tag), Some(_)) => Some(tag.clone()),
                _ => None,
            },
        })
        .collect()
}

/// Whether new data about `repositories` (`registry/repository`), or about the digests of
/// `(repository, tag)`s, can change what a document naming `images` shows: it names one of
/// those repositories, or pins one of those tags to a digest.
pub(crate) fn affected(
    images: &[ImageKey],
    repositories: &HashSet<String>,
    digests: &HashSet<(String, String)>,
) -> bool {
    images.iter().any(|key| {
        repositories.contains(&key.name)
            || key
                .pinned_tag
                .as_ref()
                .is_some_and(|tag| digests.contains(&(key.name.clone(), tag.clone())))
    })
}

fn site_at(snapshot: &Snapshot, offset: usize) -> Option<&ImageSite> {
    snapshot
        .image_sites()
        .iter()
        .find(|s| s.range.start <= offset && offset <= s.range.end)
}

/// Registry reads for one site: what the cache holds, and, unless the user is typing the
/// reference (`typing` is inside it, see `typing`), a background fetch of what is missing
/// or stale.
#[derive(Clone, Copy)]
struct Reads<'a> {
    registry: &'a Registry,
    fetch: bool,
}

impl<'a> Reads<'a> {
    fn of(registry: &'a Registry, site: &ImageSite, typing: Option<usize>) -> Self {
        Reads {
            registry,
            fetch: !super::typing::is_typed(site, typing),
        }
    }

    fn tags(self, image: &ImageRef) -> Option<(Arc<TagList>, Freshness)> {
        if self.fetch {
            self.registry.cached_tags(image)
        } else {
            self.registry.peek_tags(image)
        }
    }

    fn plan(self, image: &ImageRef) -> Option<crate::registry::PinPlan> {
        if self.fetch {
            self.registry.cached_plan(image)
        } else {
            self.registry.peek_plan(image)
        }
    }

    fn digest(self, image: &ImageRef) -> Option<String> {
        if self.fetch {
            self.registry.cached_digest(image)
        } else {
            self.registry.peek_digest(image)
        }
    }
}

/// Starts the fetches the diagnostics of the reference at `offset` need (its tag list, and
/// its pin plan or digest when they are wanted): the reference the user has stopped typing.
pub(crate) fn warm_at(
    registry: &Registry,
    snapshot: &Snapshot,
    offset: usize,
    settings: &DiagnosticsSettings,
) {
    let Some(site) = site_at(snapshot, offset) else {
        return;
    };
    let reads = Reads::of(registry, site, None);
    if reads.tags(&site.image).is_some() && settings.floating_tag {
        reads.plan(&site.image);
    }
    if settings.stale_digest && site.image.digest.is_some() {
        reads.digest(&site.image);
    }
}

/// The registry part of the hover on an image reference, appended to `base` (the image's own
/// hover, which names the reference and links its page). A hover on part of the reference,
/// a `$VERSION` in it, is about that part and gets nothing appended.
pub(crate) fn hover(
    registry: &Registry,
    snapshot: &Snapshot,
    offset: usize,
    base: Option<Hover>,
) -> Option<Hover> {
    let Some(site) = site_at(snapshot, offset) else {
        return base;
    };
    if base
        .as_ref()
        .is_some_and(|b| b.range.start > site.range.start || b.range.end < site.range.end)
    {
        return base;
    }
    let found = registry.cached_tags(&site.image);
    let error = registry.last_error(&site.image).map(|e| e.to_string());
    let probed = registry.cached_plan(&site.image);
    let md = logic::hover_markdown(
        &site.image,
        found.as_ref().map(|(l, _)| l.as_ref()),
        probed.as_ref(),
        registry.is_fetching(&site.image),
        error.as_deref(),
    );
    let mut hover = base.unwrap_or_else(|| Hover {
        range: site.range.clone(),
        markdown: crate::analysis::hover::images::image_markdown(&site.image, None),
    });
    if !md.is_empty() {
        hover.markdown.push_str("\n\n---\n\n");
        hover.markdown.push_str(&md);
    }
    Some(hover)
}

/// Pin, digest and update actions for the image references in `range`, from cached tag
/// lists (and, for a `tag@digest` on a registry whose list has no digests, the cached
/// digest of the tag); uncached images get a background fetch and no actions yet, unless
/// the user is typing them (`typing`).
pub(crate) fn code_actions(
    registry: &Registry,
    snapshot: &Snapshot,
    range: Range<usize>,
    typing: Option<usize>,
) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for site in snapshot.image_sites() {
        if site.range.end < range.start || site.range.start > range.end {
            continue;
        }
        let reads = Reads::of(registry, site, typing);
        let from_list = reads
            .tags(&site.image)
            .and_then(|(list, _)| logic::plan_from_list(&site.image, &list));
        let plan = from_list.or_else(|| reads.plan(&site.image)).or_else(|| {
            site.image.digest.as_ref()?;
            let digest = reads.digest(&site.image)?;
            logic::plan_from_digest(&site.image, &digest)
        });
        if let Some(plan) = plan {
            out.extend(logic::code_actions(site, &plan));
        }
    }
    out
}

/// A cached tag list and how current it is.
type Cached = (Arc<TagList>, Freshness);

/// Registry diagnostics of a document from cached data; what is missing is fetched in the
/// background, except for the reference the user is typing (`typing`).
pub(crate) fn diagnostics(
    registry: &Registry,
    snapshot: &Snapshot,
    settings: &DiagnosticsSettings,
    typing: Option<usize>,
) -> Vec<Diagnostic> {
    if !settings.floating_tag && !settings.unknown_tag && !settings.stale_digest {
        return Vec::new();
    }
    let mut out = Vec::new();
    // What the cache holds for each repository, looked up once per repository in this pass
    // (a large file names the same few hundreds of times; see `prefetch`).
    let mut tags: HashMap<(String, bool), Option<Cached>> = HashMap::new();
    for site in snapshot.image_sites() {
        let before = out.len();
        let reads = Reads::of(registry, site, typing);
        let cached = tags
            .entry((site.image.full_name(), reads.fetch))
            .or_insert_with(|| reads.tags(&site.image))
            .clone();
        if let Some((list, _)) = cached {
            // Probing costs a few requests: only for a diagnostic the user wants.
            let probed = settings
                .floating_tag
                .then(|| reads.plan(&site.image))
                .flatten();
            out.extend(logic::diagnostics(
                site,
                &list,
                probed.as_ref(),
                settings.floating_tag,
                settings.unknown_tag,
            ));
        }
        // An unknown tag has no digest to compare; only `tag@digest` needs one.
        if settings.stale_digest
            && out.len() == before
            && site.image.digest.is_some()
            && let Some(current) = reads.digest(&site.image)
        {
            out.extend(logic::stale_digest(site, &current));
        }
    }
    out
}
