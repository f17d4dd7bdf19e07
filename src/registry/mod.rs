//! Container registries: what `python:3-alpine` is. Tag lists (Docker Hub's API with
//! digests, dates, sizes and platforms; the OCI distribution API for every other registry),
//! tag → digest resolution, repository search, and the pin and update algorithm, behind one
//! [`Registry`] facade that never blocks the editor: answers come from a memory and disk
//! cache at once, refreshes run in the background, and one fetch per repository is in flight
//! however many documents ask.
//!
//! Layers, each using only those before it: [`config`] and [`error`]; `http` (transport:
//! timeouts, bounded bodies, retries, 429 backoff); [`credentials`] and [`auth`]; [`hub`] and
//! [`oci`] (the two APIs); [`cache`]; [`tags`] and [`pin`] (pure tag semantics); this facade.
//! Image references come parsed from [`crate::model::image_ref`].

pub mod auth;
pub mod cache;
pub mod config;
pub mod credentials;
pub mod error;
pub mod events;
mod http;
pub mod hub;
pub mod image_config;
pub mod oci;
pub mod pin;
pub mod tags;
pub mod types;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::runtime::Handle;
use tokio::sync::broadcast;

use crate::model::image_ref::{DEFAULT_TAG, DOCKER_HUB, ImageRef};
use cache::{Cache, Limits};
use credentials::CredentialStore;
use http::Http;
use hub::HubRepo;
use oci::{OciAuth, Repo};

pub use cache::Freshness;
pub use config::RegistryConfig;
pub use error::RegistryError;
pub use events::{FetchEvent, FetchKind, FetchPhase};
pub use pin::{Edit, PinTargets};
pub use tags::Updates;
pub use types::{Partial, Platform, RepoSummary, Resolution, TagInfo, TagList, TagSource};

/// Most HEAD requests spent finding the version of a floating tag on an OCI registry.
const PROBE_PHASE1_BUDGET: usize = 6;
/// Most HEAD requests spent making a matched version precise (`24` → `24.19.0`).
const PROBE_REFINE_BUDGET: usize = 2;
/// Most HEAD requests spent refining it with variant words.
const PROBE_PHASE2_BUDGET: usize = 4;
/// Repository search results asked for.
const SEARCH_PAGE_SIZE: u32 = 25;

/// A tag's digest, cached between resolutions.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct TagDigest {
    digest: String,
    info: Option<TagInfo>,
}

/// What pinning and updating a reference can offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinPlan {
    pub resolution: Resolution,
    /// Tags of the same image, and which to offer.
    pub targets: PinTargets,
    /// Newer tags of the same shape.
    pub updates: Updates,
}

/// The registry layer. Cheap to clone; all clones share caches and connections.
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

struct Inner {
    config: Arc<RegistryConfig>,
    http: Http,
    oci_auth: OciAuth,
    credentials: CredentialStore,
    hub_tags: Arc<Cache<TagList>>,
    oci_tags: Arc<Cache<TagList>>,
    digests: Arc<Cache<TagDigest>>,
    /// Pin plans found by probing, for registries whose tag lists carry no digests.
    plans: Arc<Cache<PinPlan>>,
    search: Arc<Cache<Vec<RepoSummary>>>,
    /// Keyed by digest, so never outdated.
    platforms: Arc<Cache<Vec<Platform>>>,
    /// Base image configurations for the build checks, keyed by digest and platform.
    configs: Arc<Cache<image_config::ImageConfigInfo>>,
    /// Tag-list and digest fetches starting and ending.
    events: broadcast::Sender<FetchEvent>,
    runtime: Handle,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("hub", &self.inner.config.docker_hub_api.as_str())
            .field("offline", &self.inner.config.offline)
            .finish_non_exhaustive()
    }
}

/// `registry/repository`, the unit of caching and single flight.
fn repo_key(image: &ImageRef) -> String {
    image.full_name()
}

/// Docker Hub's `(namespace, name)` when the repository can use the Hub API (two path
/// components on `docker.io`).
fn hub_parts<'a>(registry: &str, repository: &'a str) -> Option<(&'a str, &'a str)> {
    if registry != DOCKER_HUB {
        return None;
    }
    repository
        .split_once('/')
        .filter(|(_, name)| !name.contains('/'))
}

impl Registry {
    /// A number that grows whenever an answer the base image configurations are read from
    /// (tag lists, digests, configurations) is stored: analyses that used those may reuse
    /// their results while it stays the same.
    pub fn generation(&self) -> u64 {
        let inner = &self.inner;
        inner.hub_tags.insert_count()
            + inner.oci_tags.insert_count()
            + inner.digests.insert_count()
            + inner.configs.insert_count()
    }

    /// A registry layer on the current Tokio runtime (background refreshes run there).
    pub fn new(config: RegistryConfig) -> Result<Self, RegistryError> {
        let runtime = Handle::try_current().map_err(|_| {
            RegistryError::Internal("the registry layer needs a Tokio runtime".to_string())
        })?;
        Self::with_runtime(config, runtime)
    }

    pub fn with_runtime(config: RegistryConfig, runtime: Handle) -> Result<Self, RegistryError> {
        let config = Arc::new(config);
        let http = Http::new(config.clone())?;
        let credentials = CredentialStore::load(
            config.docker_config_dir.as_deref(),
            config.credential_helper_dir.clone(),
            config.helper_timeout,
        );
        let limits = |ttl| Limits {
            ttl,
            max_stale: config.max_stale,
            error_ttl: config.error_ttl,
            negative_ttl: config.negative_ttl,
        };
        let dir = config.cache_dir.as_deref();
        let (events, _) = broadcast::channel(events::CAPACITY);
        let tags_seen = || events::tags_observer(events.clone());
        let inner = Inner {
            hub_tags: Arc::new(
                Cache::new("hub-tags", limits(config.hub_ttl), dir).observed(tags_seen()),
            ),
            oci_tags: Arc::new(
                Cache::new("oci-tags", limits(config.oci_ttl), dir).observed(tags_seen()),
            ),
            // On disk, like the lists: `pin --offline` pins from them on registries whose
            // lists carry no digests.
            digests: Arc::new(
                Cache::new("digests", limits(config.digest_ttl), dir).observed(
                    events::tag_observer(events.clone(), |tag| FetchKind::Digest { tag }),
                ),
            ),
            plans: Arc::new(
                Cache::new("plans", limits(config.digest_ttl), dir)
                    .observed(events::tag_observer(events.clone(), |tag| FetchKind::Pin {
                        tag,
                    })),
            ),
            search: Arc::new(Cache::new("search", limits(config.hub_ttl), dir)),
            platforms: Arc::new(Cache::new("platforms", limits(config.max_stale), dir)),
            configs: Arc::new(
                Cache::new("configs", limits(config.max_stale), dir)
                    .observed(events::config_observer(events.clone())),
            ),
            config,
            http,
            oci_auth: OciAuth::default(),
            credentials,
            events,
            runtime,
        };
        Ok(Registry {
            inner: Arc::new(inner),
        })
    }

    pub fn config(&self) -> &RegistryConfig {
        &self.inner.config
    }

    fn tag_cache(&self, image: &ImageRef) -> &Arc<Cache<TagList>> {
        if image.is_docker_hub() {
            &self.inner.hub_tags
        } else {
            &self.inner.oci_tags
        }
    }

    /// What is known about an image's tags right now, without waiting: from memory, else
    /// the disk cache. A stale or missing answer starts a background refresh, so the next
    /// call finds fresh data.
    pub fn cached_tags(&self, image: &ImageRef) -> Option<(Arc<TagList>, Freshness)> {
        self.read_tags(image, true)
    }

    /// [`cached_tags`](Self::cached_tags) that never starts a fetch: for a reference the
    /// user is still typing, whose name may be half a name.
    pub fn peek_tags(&self, image: &ImageRef) -> Option<(Arc<TagList>, Freshness)> {
        self.read_tags(image, false)
    }

    fn read_tags(&self, image: &ImageRef, fetch: bool) -> Option<(Arc<TagList>, Freshness)> {
        let key = repo_key(image);
        let found = self.tag_cache(image).peek(&key);
        if fetch && !matches!(found, Some((_, Freshness::Fresh))) {
            self.refresh_tags(image);
        }
        found
    }

    /// The image's tags: cached ones at once when fresh (or stale, refreshing behind);
    /// otherwise waits for the one fetch in flight for the repository. Fails only when
    /// nothing is known; a transient failure falls back to any older cached list.
    pub async fn tags(&self, image: &ImageRef) -> Result<Arc<TagList>, RegistryError> {
        let key = repo_key(image);
        let inner = self.inner.clone();
        let (registry, repository) = (image.registry.clone(), image.repository.clone());
        self.tag_cache(image)
            .get(&self.inner.runtime, &key, move || {
                fetch_tags(inner, registry, repository)
            })
            .await
    }

    /// Starts fetching the tags of each image not known fresh (for a document that opens).
    pub fn prefetch<'a>(&self, images: impl IntoIterator<Item = &'a ImageRef>) {
        for image in images {
            self.refresh_tags(image);
        }
    }

    fn refresh_tags(&self, image: &ImageRef) {
        if self.inner.config.offline {
            return;
        }
        let key = repo_key(image);
        let inner = self.inner.clone();
        let (registry, repository) = (image.registry.clone(), image.repository.clone());
        self.tag_cache(image)
            .refresh(&self.inner.runtime, &key, move || {
                fetch_tags(inner, registry, repository)
            });
    }

    /// Fetch notifications from now on: each tag-list and digest fetch starting and ending
    /// (successfully or not), after its answer is in the cache. The channel closes when the
    /// last clone of this registry and its background fetches are gone.
    pub fn subscribe(&self) -> broadcast::Receiver<FetchEvent> {
        self.inner.events.subscribe()
    }

    /// What the reference's tag points to according to cached data only: the tag list when
    /// it carries digests (Docker Hub), else the cached result of a manifest `HEAD`. A
    /// missing or stale `HEAD` answer starts one in the background. `None` for a
    /// reference without a tag, and while nothing is known.
    pub fn cached_digest(&self, image: &ImageRef) -> Option<String> {
        self.read_digest(image, true)
    }

    /// [`cached_digest`](Self::cached_digest) that never starts a request.
    pub fn peek_digest(&self, image: &ImageRef) -> Option<String> {
        self.read_digest(image, false)
    }

    fn read_digest(&self, image: &ImageRef, fetch: bool) -> Option<String> {
        let tag = image.tag.as_deref()?;
        let repository = repo_key(image);
        if let Some((list, _)) = self.tag_cache(image).peek(&repository)
            && let Some(d) = list.get(tag).and_then(|i| i.digest.clone())
        {
            return Some(d);
        }
        let key = format!("{repository}:{tag}");
        let found = self.inner.digests.peek(&key);
        if fetch && !matches!(found, Some((_, Freshness::Fresh))) && !self.inner.config.offline {
            let inner = self.inner.clone();
            let (registry, repository, tag) = (
                image.registry.clone(),
                image.repository.clone(),
                tag.to_string(),
            );
            self.inner
                .digests
                .refresh(&self.inner.runtime, &key, move || {
                    fetch_digest(inner, registry, repository, tag)
                });
        }
        found.map(|(d, _)| d.digest.clone())
    }

    /// The pin plan of a reference whose tag the cached listing cannot place (every tag of
    /// an OCI `tags/list`; a Docker Hub record with neither an index nor per-platform
    /// digests, or a tag beyond a partial listing), from cached data only: a missing or
    /// stale one starts [`pin`](Self::pin)'s few manifest `HEAD`s in the background, once the
    /// tag list is cached. `None` when the listing decides (a plan comes from the list
    /// itself), for a tag a complete listing does not have, for `tag@digest` references
    /// (only the tag's digest matters: [`cached_digest`](Self::cached_digest)), and while
    /// nothing is known.
    pub fn cached_plan(&self, image: &ImageRef) -> Option<PinPlan> {
        self.read_plan(image, true)
    }

    /// [`cached_plan`](Self::cached_plan) that never starts a request.
    pub fn peek_plan(&self, image: &ImageRef) -> Option<PinPlan> {
        self.read_plan(image, false)
    }

    fn read_plan(&self, image: &ImageRef, fetch: bool) -> Option<PinPlan> {
        if image.digest.is_some() {
            return None;
        }
        let repository = repo_key(image);
        let (list, _) = self.tag_cache(image).peek(&repository)?;
        let tag = image.tag.as_deref().unwrap_or(DEFAULT_TAG);
        match list.get(tag) {
            Some(info) if info.has_identity() => return None,
            None if list.complete => return None,
            _ => {}
        }
        let key = format!("{repository}:{tag}");
        let found = self.inner.plans.peek(&key);
        if fetch && !matches!(found, Some((_, Freshness::Fresh))) && !self.inner.config.offline {
            let (registry, image) = (self.clone(), image.clone());
            self.inner
                .plans
                .refresh(&self.inner.runtime, &key, move || async move {
                    registry.pin(&image).await
                });
        }
        found.map(|(plan, _)| PinPlan::clone(&plan))
    }

    /// Whether a tag fetch for the image is running (completion answers `isIncomplete`).
    pub fn is_fetching(&self, image: &ImageRef) -> bool {
        self.tag_cache(image).in_flight(&repo_key(image))
    }

    /// The last tag-list failure for the image while it is remembered (for hovers: "rate
    /// limited", "needs credentials").
    pub fn last_error(&self, image: &ImageRef) -> Option<RegistryError> {
        self.tag_cache(image).recent_failure(&repo_key(image))
    }

    /// Number of tag-list fetches started so far (statistics; tests).
    pub fn tag_fetch_count(&self) -> u64 {
        self.inner.hub_tags.fetch_count() + self.inner.oci_tags.fetch_count()
    }

    /// What the reference's tag points to now (from caches within their time to live).
    pub async fn resolve(&self, image: &ImageRef) -> Result<Resolution, RegistryError> {
        self.resolve_with(image, false).await
    }

    /// [`resolve`](Self::resolve) that asks the registry now: for code actions about to
    /// write a digest, which must not come from a cache.
    pub async fn resolve_fresh(&self, image: &ImageRef) -> Result<Resolution, RegistryError> {
        self.resolve_with(image, true).await
    }

    async fn resolve_with(
        &self,
        image: &ImageRef,
        fresh: bool,
    ) -> Result<Resolution, RegistryError> {
        let repository = repo_key(image);
        let tag = match (&image.tag, &image.digest) {
            (Some(t), _) => t.clone(),
            (None, Some(d)) => {
                return Ok(Resolution {
                    repository,
                    tag: None,
                    digest: d.clone(),
                    info: None,
                    pinned_digest_current: Some(true),
                });
            }
            (None, None) => DEFAULT_TAG.to_string(),
        };
        // A fresh Hub list already knows the digest: no request at all (offline, any list
        // is as fresh as it gets).
        let offline = self.inner.config.offline;
        if !fresh
            && let Some((list, freshness)) = self.tag_cache(image).peek(&repository)
            && (freshness == Freshness::Fresh || offline)
            && let Some(info) = list.get(&tag).filter(|i| i.digest.is_some())
        {
            return Ok(resolution(
                image,
                repository,
                tag,
                info.digest.clone(),
                Some(info.clone()),
            ));
        }
        let found = self.tag_digest(image, &tag, fresh).await?;
        Ok(resolution(
            image,
            repository,
            tag,
            Some(found.digest.clone()),
            found.info.clone(),
        ))
    }

    async fn tag_digest(
        &self,
        image: &ImageRef,
        tag: &str,
        fresh: bool,
    ) -> Result<Arc<TagDigest>, RegistryError> {
        let key = format!("{}:{tag}", repo_key(image));
        let inner = self.inner.clone();
        let (registry, repository, tag) = (
            image.registry.clone(),
            image.repository.clone(),
            tag.to_string(),
        );
        let fetch = move || fetch_digest(inner, registry, repository, tag);
        if fresh {
            self.inner
                .digests
                .get_fresh(&self.inner.runtime, &key, fetch)
                .await
        } else {
            self.inner
                .digests
                .get(&self.inner.runtime, &key, fetch)
                .await
        }
    }

    /// The pin targets and updates of a reference: the tags of the same image (from Docker
    /// Hub's listing, by index digest or per-platform digests; by a bounded number of `HEAD`
    /// probes where the listing cannot tell, as on every other registry), and newer tags of
    /// the same shape.
    ///
    /// When a fresh Docker Hub listing knows the tag only by its per-platform digests (old
    /// tags have no index digest there), the plan's digest is empty: finding it costs a
    /// registry request that a tag pin does not need ([`resolve`](Self::resolve) makes it).
    pub async fn pin(&self, image: &ImageRef) -> Result<PinPlan, RegistryError> {
        // The list first: on Docker Hub it carries the digest, so resolving costs nothing.
        let list = self.tags(image).await?;
        let tag = match (&image.tag, &image.digest) {
            (Some(t), _) => t.clone(),
            (None, Some(_)) => {
                // A digest-only reference has nothing to pin or update by name.
                let resolution = self.resolve(image).await?;
                return Ok(PinPlan {
                    targets: PinTargets {
                        digest: resolution.digest.clone(),
                        ..PinTargets::default()
                    },
                    updates: Updates::default(),
                    resolution,
                });
            }
            (None, None) => DEFAULT_TAG.to_string(),
        };
        let repository = repo_key(image);
        let current = matches!(
            self.tag_cache(image).peek(&repository),
            Some((_, Freshness::Fresh))
        ) || self.inner.config.offline;
        let by_platform = list
            .get(&tag)
            .filter(|i| current && image.digest.is_none() && i.digest.is_none())
            .filter(|i| i.platform_digests().is_some());
        let mut resolution = match by_platform {
            Some(info) => resolution(image, repository, tag.clone(), None, Some(info.clone())),
            None => self.resolve(image).await?,
        };
        let mut targets = pin::pin_targets(&tag, &resolution.digest, &list.tags);
        // Tags the listing cannot place (every tag of an OCI `tags/list`; on Docker Hub,
        // records with neither kind of digest) are probed when the listing found no pin.
        let unplaced: Vec<&str> = list
            .tags
            .iter()
            .filter(|t| !t.has_identity())
            .map(|t| t.name.as_str())
            .collect();
        if targets.preferred.is_none() && !unplaced.is_empty() {
            if resolution.digest.is_empty() {
                resolution = self.resolve(image).await?;
            }
            let names: Vec<&str> = list.tags.iter().map(|t| t.name.as_str()).collect();
            let probed = self
                .probe_targets(image, &tag, &resolution.digest, &names, &unplaced)
                .await;
            targets.digest = probed.digest;
            targets.same_image.extend(probed.same_image);
            targets.preferred = probed.preferred;
            targets.same_variant = probed.same_variant;
        }
        Ok(PinPlan {
            updates: pin::updates(&tag, &list.tags),
            targets,
            resolution,
        })
    }

    /// The pin found by `HEAD`s: the likely candidates among `unplaced`, most likely first,
    /// within small budgets (see [`pin::probe_phase1`]). `names` are all the listed tags.
    async fn probe_targets(
        &self,
        image: &ImageRef,
        tag: &str,
        digest: &str,
        names: &[&str],
        unplaced: &[&str],
    ) -> PinTargets {
        let mut same_image = Vec::new();
        let probe = move |cands: Vec<String>, budget: usize| {
            cands
                .into_iter()
                .filter(move |c| unplaced.contains(&c.as_str()))
                .take(budget)
        };
        let mut phase1 = None;
        for cand in probe(pin::probe_phase1(tag, names), PROBE_PHASE1_BUDGET) {
            if self.same_digest(image, &cand, digest).await {
                same_image.push(cand.clone());
                phase1 = Some(cand);
                break;
            }
        }
        // A match that other tags make more precise (`24` for `lts`: `24.19.0`).
        if let Some(m) = phase1.clone() {
            for cand in probe(pin::probe_phase1(&m, names), PROBE_REFINE_BUDGET) {
                if self.same_digest(image, &cand, digest).await {
                    same_image.push(cand.clone());
                    phase1 = Some(cand);
                    break;
                }
            }
        }
        let mut phase2 = None;
        if let Some(m) = &phase1 {
            for cand in probe(pin::probe_phase2(m, names), PROBE_PHASE2_BUDGET) {
                if self.same_digest(image, &cand, digest).await {
                    same_image.push(cand.clone());
                    phase2 = Some(cand);
                    break;
                }
            }
        }
        let (preferred, same_variant) = match (phase2, phase1) {
            (Some(p2), p1) => (Some(p2), p1),
            (None, p1) => (p1, None),
        };
        PinTargets {
            tag: tag.to_string(),
            digest: digest.to_string(),
            same_image,
            preferred,
            same_variant,
            snapshot: None,
        }
    }

    async fn same_digest(&self, image: &ImageRef, tag: &str, digest: &str) -> bool {
        match self.tag_digest(image, tag, false).await {
            Ok(d) => d.digest == digest,
            Err(e) => {
                tracing::debug!(%tag, error = %e, "pin probe failed");
                false
            }
        }
    }

    /// The platforms of the image a reference resolves to: from Docker Hub's tag data, or on
    /// other registries from the index (one `GET`, cached by digest). Docker Hub's registry
    /// is never asked, since a manifest `GET` there counts against the pull rate limit.
    pub async fn platforms(&self, image: &ImageRef) -> Result<Arc<Vec<Platform>>, RegistryError> {
        let res = self.resolve(image).await?;
        if let Some(info) = res.info.filter(|i| !i.platforms.is_empty()) {
            return Ok(Arc::new(info.platforms));
        }
        if image.is_docker_hub() {
            return Ok(Arc::new(Vec::new()));
        }
        let key = format!("{}@{}", repo_key(image), res.digest);
        let inner = self.inner.clone();
        let (registry, repository, digest) = (
            image.registry.clone(),
            image.repository.clone(),
            res.digest.clone(),
        );
        self.inner
            .platforms
            .get(&self.inner.runtime, &key, move || async move {
                inner
                    .oci_repo(&registry, &repository)?
                    .platforms(&digest)
                    .await
            })
            .await
    }

    /// Search results known for `query` right now, without waiting; a missing or stale
    /// answer starts a background search, so that the next call finds it (completion).
    pub fn cached_search(&self, query: &str) -> Option<Arc<Vec<RepoSummary>>> {
        let query = query.trim().to_ascii_lowercase();
        if query.is_empty() {
            return None;
        }
        let found = self.inner.search.peek(&query);
        if !matches!(found, Some((_, Freshness::Fresh))) && !self.inner.config.offline {
            let (inner, q) = (self.inner.clone(), query.clone());
            self.inner
                .search
                .refresh(&self.inner.runtime, &query, move || fetch_search(inner, q));
        }
        found.map(|(v, _)| v)
    }

    /// Docker Hub repositories matching `query`, official images first (for completing image
    /// names). Cached per query.
    pub async fn search(&self, query: &str) -> Result<Arc<Vec<RepoSummary>>, RegistryError> {
        let query = query.trim().to_ascii_lowercase();
        if query.is_empty() {
            return Ok(Arc::new(Vec::new()));
        }
        let (inner, q) = (self.inner.clone(), query.clone());
        self.inner
            .search
            .get(&self.inner.runtime, &query, move || fetch_search(inner, q))
            .await
    }
}

fn resolution(
    image: &ImageRef,
    repository: String,
    tag: String,
    digest: Option<String>,
    info: Option<TagInfo>,
) -> Resolution {
    let digest = digest.unwrap_or_default();
    Resolution {
        pinned_digest_current: image.digest.as_ref().map(|d| *d == digest),
        repository,
        tag: Some(tag),
        digest,
        info,
    }
}

impl Inner {
    fn oci_repo<'a>(
        &'a self,
        registry: &str,
        repository: &'a str,
    ) -> Result<Repo<'a>, RegistryError> {
        Ok(Repo {
            http: &self.http,
            auth: &self.oci_auth,
            credentials: &self.credentials,
            base: self.config.registry_base(registry)?,
            name: repository,
            display: format!("{registry}/{repository}"),
        })
    }
}

/// Whether a Docker Hub API failure means "ask the registry API instead" (a private
/// repository is invisible to the anonymous Hub API but readable with credentials).
fn hub_fallback(e: &RegistryError) -> bool {
    matches!(
        e,
        RegistryError::RepositoryNotFound { .. } | RegistryError::Unauthorized { .. }
    )
}

/// One Docker Hub search, for [`Registry::search`] and [`Registry::cached_search`].
async fn fetch_search(inner: Arc<Inner>, query: String) -> Result<Vec<RepoSummary>, RegistryError> {
    hub::search(
        &inner.http,
        &inner.config.docker_hub_api,
        &query,
        SEARCH_PAGE_SIZE,
    )
    .await
}

async fn fetch_tags(
    inner: Arc<Inner>,
    registry: String,
    repository: String,
) -> Result<TagList, RegistryError> {
    let full = format!("{registry}/{repository}");
    if let Some((namespace, name)) = hub_parts(&registry, &repository) {
        let hub = HubRepo {
            http: &inner.http,
            api: &inner.config.docker_hub_api,
            namespace,
            name,
        };
        match hub
            .list_tags(inner.config.hub_page_size, inner.config.hub_max_pages)
            .await
        {
            Ok((tags, partial)) => {
                if let Some(why) = &partial {
                    tracing::info!(repository = %full, "the tag list is partial: {why}");
                }
                return Ok(TagList::listed(full, TagSource::Hub, tags, partial));
            }
            Err(e) if hub_fallback(&e) => {
                let repo = inner.oci_repo(&registry, &repository)?;
                return match repo
                    .list_tags(inner.config.oci_page_size, inner.config.oci_max_pages)
                    .await
                {
                    Ok((names, partial)) => Ok(oci_list(full, names, partial)),
                    // Without credentials the registry says "unauthorized" for a missing
                    // repository too; Docker Hub's "not found" is the clearer answer.
                    Err(RegistryError::Unauthorized { .. }) => Err(e),
                    Err(other) => Err(other),
                };
            }
            Err(e) => return Err(e),
        }
    }
    let repo = inner.oci_repo(&registry, &repository)?;
    let (names, partial) = repo
        .list_tags(inner.config.oci_page_size, inner.config.oci_max_pages)
        .await?;
    if let Some(why) = &partial {
        tracing::info!(repository = %full, "the tag list is partial: {why}");
    }
    Ok(oci_list(full, names, partial))
}

fn oci_list(full: String, names: Vec<String>, partial: Option<Partial>) -> TagList {
    let tags = names.into_iter().map(TagInfo::named).collect();
    TagList::listed(full, TagSource::Oci, tags, partial)
}

async fn fetch_digest(
    inner: Arc<Inner>,
    registry: String,
    repository: String,
    tag: String,
) -> Result<TagDigest, RegistryError> {
    let not_found = || RegistryError::TagNotFound {
        repository: format!("{registry}/{repository}"),
        tag: tag.clone(),
    };
    let mut info = None;
    if let Some((namespace, name)) = hub_parts(&registry, &repository) {
        let hub = HubRepo {
            http: &inner.http,
            api: &inner.config.docker_hub_api,
            namespace,
            name,
        };
        match hub.tag(&tag).await {
            Ok(Some(t)) => match t.digest.clone() {
                Some(digest) => {
                    return Ok(TagDigest {
                        digest,
                        info: Some(t),
                    });
                }
                // Docker Hub without a digest: keep the details, ask the registry.
                None => info = Some(t),
            },
            Ok(None) => return Err(not_found()),
            Err(e) if hub_fallback(&e) => {}
            Err(e) => return Err(e),
        }
    }
    let repo = inner.oci_repo(&registry, &repository)?;
    match repo.head_manifest(&tag).await? {
        Some(m) => Ok(TagDigest {
            digest: m.digest,
            info,
        }),
        None => Err(not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image_ref;

    #[test]
    fn hub_api_only_for_two_component_docker_hub_names() {
        let p = |s: &str| {
            let r = image_ref::parse(s).expect("valid reference");
            hub_parts(&r.registry, &r.repository).map(|(a, b)| format!("{a}|{b}"))
        };
        assert_eq!(p("python").as_deref(), Some("library|python"));
        assert_eq!(p("bitnami/redis").as_deref(), Some("bitnami|redis"));
        assert_eq!(p("a/b/c"), None);
        assert_eq!(p("ghcr.io/a/b"), None);
    }
}
