//! Docker Hub's HTTP API (`hub.docker.com`): tag lists that carry each tag's index digest,
//! last update, size and platforms (one request answers "which tags are the same image"),
//! single tags, and repository search for image-name completion. Anonymous only: Hub
//! credentials are never needed for public images, and private ones go through the
//! registry API with `config.json` credentials instead.

use std::collections::HashSet;

use reqwest::header::ACCEPT;
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;

use super::config::{host_port, join};
use super::error::RegistryError;
use super::http::{Http, Request, Response};
use super::oci::same_origin;
use super::types::{Partial, Platform, RepoSummary, TagInfo};

#[derive(Deserialize)]
struct TagPage {
    #[serde(default)]
    next: Option<String>,
    results: Vec<HubTag>,
}

#[derive(Deserialize)]
struct HubTag {
    name: String,
    #[serde(default)]
    digest: Option<String>,
    #[serde(default)]
    last_updated: Option<String>,
    #[serde(default)]
    full_size: Option<u64>,
    /// Can be empty or missing (Docker Hub has sent `[]` for months at a time).
    #[serde(default)]
    images: Option<Vec<HubImage>>,
}

#[derive(Deserialize)]
struct HubImage {
    #[serde(default)]
    architecture: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    os_version: Option<String>,
    #[serde(default)]
    size: Option<u64>,
    /// The platform's manifest digest; old tags have these but no index `digest`.
    #[serde(default)]
    digest: Option<String>,
}

#[derive(Deserialize)]
struct SearchPage {
    results: Vec<SearchHit>,
}

#[derive(Deserialize)]
struct SearchHit {
    repo_name: String,
    #[serde(default)]
    short_description: Option<String>,
    #[serde(default)]
    is_official: Option<bool>,
    #[serde(default)]
    star_count: Option<u64>,
    #[serde(default)]
    pull_count: Option<u64>,
}

impl From<HubTag> for TagInfo {
    fn from(t: HubTag) -> Self {
        let platforms = t
            .images
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| {
                let os = i.os.filter(|s| !s.is_empty() && s != "unknown")?;
                let architecture = i.architecture.filter(|s| !s.is_empty() && s != "unknown")?;
                Some(Platform {
                    os,
                    architecture,
                    variant: i.variant.filter(|s| !s.is_empty()),
                    os_version: i.os_version.filter(|s| !s.is_empty()),
                    size: i.size,
                    digest: i.digest.filter(|d| !d.is_empty()),
                })
            })
            .collect();
        TagInfo {
            name: t.name,
            digest: t.digest.filter(|d| !d.is_empty()),
            last_updated: t.last_updated,
            size: t.full_size,
            platforms,
        }
    }
}

/// Docker Hub's API for one repository.
pub(crate) struct HubRepo<'a> {
    pub http: &'a Http,
    pub api: &'a Url,
    /// `library` for official images.
    pub namespace: &'a str,
    pub name: &'a str,
}

impl HubRepo<'_> {
    fn display(&self) -> String {
        format!("docker.io/{}/{}", self.namespace, self.name)
    }

    fn error(&self, resp: &Response, what: &str) -> RegistryError {
        match resp.status.as_u16() {
            404 => RegistryError::RepositoryNotFound {
                registry: "docker.io".to_string(),
                repository: format!("{}/{}", self.namespace, self.name),
            },
            401 | 403 => RegistryError::Unauthorized {
                host: host_port(&resp.url),
                detail: "Docker Hub's API does not show this repository".to_string(),
            },
            status => RegistryError::Status {
                host: host_port(&resp.url),
                status,
                what: what.to_string(),
            },
        }
    }

    /// Tags, most recently updated first (maintained tags are re-pushed together, so the
    /// first pages hold the current set), following `next` on the same origin up to
    /// `max_pages`. Returns the tags and, when the listing stopped early, why. A refusal of
    /// a later page keeps the pages read: Docker Hub answers `403 pagination offset too
    /// large for anonymous requests` past offset 1000
    /// ([`super::config::HUB_ANONYMOUS_TAG_LIMIT`]), which
    /// says nothing about access to the repository.
    pub async fn list_tags(
        &self,
        page_size: u32,
        max_pages: u32,
    ) -> Result<(Vec<TagInfo>, Option<Partial>), RegistryError> {
        let what = format!("tags of {}", self.display());
        let mut url = join(
            self.api,
            &format!(
                "/v2/namespaces/{}/repositories/{}/tags?page_size={page_size}&ordering=last_updated",
                self.namespace, self.name
            ),
        )?;
        let mut seen_urls = HashSet::new();
        let mut seen = HashSet::new();
        let mut tags = Vec::new();
        let max_pages = max_pages.max(1);
        for pages in 0..max_pages {
            seen_urls.insert(url.to_string());
            let req = Request::new(Method::GET, url.clone(), what.clone())
                .header(ACCEPT, "application/json");
            let resp = self.http.send(req).await?;
            if pages > 0 && matches!(resp.status.as_u16(), 400 | 403 | 404) {
                let detail = refusal(&resp);
                tracing::info!(repo = %self.display(), pages, %detail, "Docker Hub refused a further tag page");
                return Ok((tags, Some(Partial::Refused { pages, detail })));
            }
            if !resp.status.is_success() {
                return Err(self.error(&resp, &what));
            }
            let page: TagPage = resp.json(&what)?;
            // Offset pagination over a list that can change between pages: de-duplicate.
            for t in page.results {
                if !t.name.is_empty() && seen.insert(t.name.clone()) {
                    tags.push(TagInfo::from(t));
                }
            }
            let next = page
                .next
                .filter(|n| !n.is_empty())
                .and_then(|n| resp.url.join(&n).ok());
            match next {
                Some(n) if !same_origin(&n, self.api) => {
                    tracing::warn!(repo = %self.display(), "ignoring a cross-origin Docker Hub next page");
                    return Ok((tags, Some(Partial::NotFollowed)));
                }
                Some(n) if seen_urls.contains(n.as_str()) => {
                    return Ok((tags, Some(Partial::NotFollowed)));
                }
                Some(n) => url = n,
                None => return Ok((tags, None)),
            }
        }
        Ok((tags, Some(Partial::PageCap { pages: max_pages })))
    }

    /// One tag; `None` when Docker Hub does not know it.
    pub async fn tag(&self, tag: &str) -> Result<Option<TagInfo>, RegistryError> {
        let what = format!("tag {}:{tag}", self.display());
        let url = join(
            self.api,
            &format!(
                "/v2/namespaces/{}/repositories/{}/tags/{tag}",
                self.namespace, self.name
            ),
        )?;
        let resp = self
            .http
            .send(Request::new(Method::GET, url, what.clone()).header(ACCEPT, "application/json"))
            .await?;
        if resp.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !resp.status.is_success() {
            return Err(self.error(&resp, &what));
        }
        let t: HubTag = resp.json(&what)?;
        Ok(Some(t.into()))
    }
}

/// What Docker Hub said when it refused a page: its `message` (or `detail`), else the
/// status.
fn refusal(resp: &Response) -> String {
    #[derive(Deserialize)]
    struct Refusal {
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        detail: Option<String>,
    }
    let said = serde_json::from_slice::<Refusal>(&resp.body)
        .ok()
        .and_then(|r| r.message.or(r.detail))
        .map(|m| m.chars().take(200).collect::<String>())
        .filter(|m| !m.trim().is_empty());
    let status = resp.status.as_u16();
    match said {
        Some(m) => format!("HTTP {status}: {m}"),
        None => format!("HTTP {status}"),
    }
}

/// Repository search (`/v2/search/repositories/`), official images first.
pub(crate) async fn search(
    http: &Http,
    api: &Url,
    query: &str,
    page_size: u32,
) -> Result<Vec<RepoSummary>, RegistryError> {
    let what = format!("a Docker Hub search for {query:?}");
    let mut url = join(api, "/v2/search/repositories/")?;
    url.query_pairs_mut()
        .append_pair("query", query)
        .append_pair("page_size", &page_size.to_string());
    let resp = http
        .send(Request::new(Method::GET, url, what.clone()).header(ACCEPT, "application/json"))
        .await?;
    if !resp.status.is_success() {
        return Err(RegistryError::Status {
            host: host_port(&resp.url),
            status: resp.status.as_u16(),
            what,
        });
    }
    let page: SearchPage = resp.json(&what)?;
    let mut hits: Vec<RepoSummary> = page
        .results
        .into_iter()
        .filter(|h| !h.repo_name.is_empty())
        .map(|h| RepoSummary {
            name: h
                .repo_name
                .strip_prefix("library/")
                .unwrap_or(&h.repo_name)
                .to_string(),
            description: h.short_description.unwrap_or_default(),
            is_official: h.is_official.unwrap_or(false),
            star_count: h.star_count.unwrap_or(0),
            pull_count: h.pull_count.unwrap_or(0),
        })
        .collect();
    // Stable: keeps Docker Hub's relevance order within each group.
    hits.sort_by_key(|h| !h.is_official);
    Ok(hits)
}
