//! What the registry layer answers with: tag lists with per-tag digests, dates, sizes and
//! platforms, repository search results, and a tag's resolution. Plain serializable data, so
//! that the disk cache stores exactly what the editor features read.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::tags;

/// Which API a tag list came from, which says what it can contain: Docker Hub's API gives
/// digests and dates; an OCI `tags/list` gives names only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagSource {
    Hub,
    Oci,
}

/// One platform of a multi-platform image (attestations, `unknown/unknown`, are left out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// Compressed size of this platform's image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// This platform's manifest digest, when the source tells (Docker Hub's `images[]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl Platform {
    /// `linux/arm64/v8`, as `--platform` spells it.
    pub fn display(&self) -> String {
        let mut s = format!("{}/{}", self.os, self.architecture);
        if let Some(v) = &self.variant {
            s.push('/');
            s.push_str(v);
        }
        s
    }
}

/// One tag of a repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagInfo {
    pub name: String,
    /// The index (manifest-list) digest the tag points to, when the source tells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// RFC 3339 time of the last push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// Compressed size (Docker Hub's `full_size`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<Platform>,
}

impl TagInfo {
    pub fn named(name: impl Into<String>) -> Self {
        TagInfo {
            name: name.into(),
            digest: None,
            last_updated: None,
            size: None,
            platforms: Vec::new(),
        }
    }

    /// The per-platform manifest digests, sorted, when every listed platform has one (Docker
    /// Hub gives them for old tags that have no index digest in the listing).
    pub fn platform_digests(&self) -> Option<Vec<&str>> {
        let mut digests = self
            .platforms
            .iter()
            .map(|p| p.digest.as_deref().filter(|d| !d.is_empty()))
            .collect::<Option<Vec<&str>>>()?;
        if digests.is_empty() {
            return None;
        }
        digests.sort_unstable();
        digests.dedup();
        Some(digests)
    }

    /// Whether the listing says which image the tag is: an index digest, or a digest for
    /// each platform.
    pub fn has_identity(&self) -> bool {
        self.digest.is_some() || self.platform_digests().is_some()
    }

    /// Whether the listing says `self` and `other` are the same image: equal index digests
    /// when both have one, else equal per-platform digest sets. `None` when it cannot tell
    /// (a manifest `HEAD` can).
    pub fn same_image(&self, other: &TagInfo) -> Option<bool> {
        if let (Some(a), Some(b)) = (&self.digest, &other.digest) {
            return Some(a == b);
        }
        Some(self.platform_digests()? == other.platform_digests()?)
    }
}

/// Why a tag listing stopped before its end (the tags read so far are kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Partial {
    /// The page cap was reached (`pages` pages read).
    PageCap { pages: u32 },
    /// The registry refused the next page; Docker Hub does past offset 1000 for anonymous
    /// clients (`403 pagination offset too large for anonymous requests`).
    Refused { pages: u32, detail: String },
    /// The next page was on another origin, or one already read.
    NotFollowed,
}

impl std::fmt::Display for Partial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Partial::PageCap { pages } => write!(f, "only the first {pages} pages are read"),
            Partial::Refused { pages, detail } => {
                write!(f, "the registry refused page {} ({detail})", pages + 1)
            }
            Partial::NotFollowed => f.write_str("the registry's next page was not followed"),
        }
    }
}

/// Every known tag of one repository.
#[derive(Debug, Serialize, Deserialize)]
pub struct TagList {
    /// `registry/repository`, e.g. `docker.io/library/python`.
    pub repository: String,
    pub source: TagSource,
    /// Hub: most recently updated first. OCI: as the registry sent them (usually lexical).
    pub tags: Vec<TagInfo>,
    /// False when the listing stopped early (see `partial` for why).
    pub complete: bool,
    /// Why the listing stopped early, when it did and the reason is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<Partial>,
    /// Completion order, computed once per list (lists are immutable once fetched).
    #[serde(skip)]
    order: OnceLock<Vec<usize>>,
}

impl Clone for TagList {
    fn clone(&self) -> Self {
        TagList {
            partial: self.partial.clone(),
            ..TagList::new(
                self.repository.clone(),
                self.source,
                self.tags.clone(),
                self.complete,
            )
        }
    }
}

impl PartialEq for TagList {
    fn eq(&self, other: &Self) -> bool {
        self.repository == other.repository
            && self.source == other.source
            && self.tags == other.tags
            && self.complete == other.complete
            && self.partial == other.partial
    }
}

impl TagList {
    pub fn new(repository: String, source: TagSource, tags: Vec<TagInfo>, complete: bool) -> Self {
        TagList {
            repository,
            source,
            tags,
            complete,
            partial: None,
            order: OnceLock::new(),
        }
    }

    /// A listing that stopped early for `why`, or a complete one.
    pub fn listed(
        repository: String,
        source: TagSource,
        tags: Vec<TagInfo>,
        why: Option<Partial>,
    ) -> Self {
        TagList {
            partial: why.clone(),
            ..TagList::new(repository, source, tags, why.is_none())
        }
    }

    pub fn get(&self, name: &str) -> Option<&TagInfo> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// Tags in the order completion shows them: the floating tags people type first
    /// (`latest`, `alpine`, `3`, `3-alpine`, `3.14`), then specific versions newest first,
    /// then tags not updated for a long time. See [`tags::completion_order`].
    pub fn completion_order(&self) -> impl Iterator<Item = &TagInfo> {
        self.order
            .get_or_init(|| tags::completion_order(&self.tags))
            .iter()
            .filter_map(|&i| self.tags.get(i))
    }

    /// Names of the other tags that are the same image as `name` today, as far as the
    /// listing tells (see [`TagInfo::same_image`]).
    pub fn same_image_as(&self, name: &str) -> Vec<&str> {
        let Some(me) = self.get(name).filter(|t| t.has_identity()) else {
            return Vec::new();
        };
        self.tags
            .iter()
            .filter(|t| t.name != name && me.same_image(t) == Some(true))
            .map(|t| t.name.as_str())
            .collect()
    }
}

/// A Docker Hub repository search hit, for completing image names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoSummary {
    /// As users write it: `python` for official images, `bitnami/redis` otherwise.
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub is_official: bool,
    #[serde(default)]
    pub star_count: u64,
    #[serde(default)]
    pub pull_count: u64,
}

/// What a tag points to now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// `registry/repository`.
    pub repository: String,
    /// The tag resolved (`latest` when the reference has neither tag nor digest); `None`
    /// for a digest-only reference, which resolves to itself.
    pub tag: Option<String>,
    /// The index digest the tag points to now.
    pub digest: String,
    /// Details when the source has them (Docker Hub).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<TagInfo>,
    /// For a reference with `@digest`: whether that digest is still the tag's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_digest_current: Option<bool>,
}
