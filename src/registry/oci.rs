//! The OCI distribution API, for every registry but Docker Hub's tag API: `tags/list`
//! following `Link` pagination (same origin only, loop and page guards), and manifest `HEAD`
//! with the index/manifest-list `Accept` types so that `Docker-Content-Digest` is the
//! multi-platform digest (a `GET` and a hash only when the header is missing, since a `GET`
//! counts as a pull on Docker Hub). Requests answer a 401 challenge once (bearer token or
//! Basic), and credentials go only to the registry's own host and its token realm.

use std::collections::HashSet;

use dashmap::DashMap;
use reqwest::header::{ACCEPT, AUTHORIZATION};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use super::auth::{Challenge, TokenCache, parse_challenges};
use super::config::{host_port, join};
use super::credentials::CredentialStore;
use super::error::RegistryError;
use super::http::{Http, Request, Response};
use super::types::{Partial, Platform};

/// Manifest types in order of preference: indexes first, so that a multi-platform tag
/// answers with its index digest rather than one platform's.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// Authentication state shared by all OCI requests.
#[derive(Default)]
pub(crate) struct OciAuth {
    pub tokens: TokenCache,
    /// The last bearer challenge per host, so that later requests send a cached token
    /// without a 401 round trip first.
    challenges: DashMap<String, Challenge>,
}

/// One repository on one registry endpoint.
pub(crate) struct Repo<'a> {
    pub http: &'a Http,
    pub auth: &'a OciAuth,
    pub credentials: &'a CredentialStore,
    /// Base URL of the distribution API (after `registry.endpoints`).
    pub base: Url,
    /// Repository path, e.g. `library/python`.
    pub name: &'a str,
    /// `registry/repository` for messages.
    pub display: String,
}

#[derive(Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct IndexBody {
    #[serde(default)]
    manifests: Vec<IndexEntry>,
}

/// One entry of a multi-platform index (also read for base image configurations).
#[derive(Deserialize)]
pub(super) struct IndexEntry {
    #[serde(default)]
    pub digest: Option<String>,
    #[serde(default)]
    pub platform: Option<PlatformBody>,
}

#[derive(Deserialize)]
pub(super) struct PlatformBody {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default, rename = "os.version")]
    pub os_version: Option<String>,
}

/// A manifest's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestDigest {
    pub digest: String,
    pub media_type: Option<String>,
}

impl Repo<'_> {
    fn host(&self) -> String {
        host_port(&self.base)
    }

    fn scope(&self) -> String {
        format!("repository:{}:pull", self.name)
    }

    /// Sends `req` (which must be on the base URL's origin) with whatever authorization the
    /// host asked for, answering one 401 challenge.
    pub(super) async fn send(&self, req: Request) -> Result<Response, RegistryError> {
        let host = self.host();
        if !same_origin(&req.url, &self.base) {
            return Err(RegistryError::Internal(format!(
                "refusing to send a registry request for {} to another origin",
                self.display
            )));
        }
        let scope = self.scope();
        let mut first = req.clone();
        if let Some(ch) = self.auth.challenges.get(&host).map(|c| c.clone())
            && let (Some(realm), service) = (ch.param("realm"), ch.param("service").unwrap_or(""))
            && let Some(token) = self.auth.tokens.get(realm, service, &scope)
        {
            first = first.secret_header(AUTHORIZATION, &format!("Bearer {token}"));
        }
        let resp = self.http.send(first).await?;
        if resp.status != StatusCode::UNAUTHORIZED {
            return Ok(resp);
        }
        let challenges = resp
            .header("www-authenticate")
            .map(parse_challenges)
            .unwrap_or_default();
        let unauthorized = |detail: &str| RegistryError::Unauthorized {
            host: host.clone(),
            detail: detail.to_string(),
        };
        // Credentials are looked up for the host being contacted, never for another one.
        let credential = self.credentials.get(&host).await;
        let retry = if let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") {
            if let (Some(realm), service) =
                (bearer.param("realm"), bearer.param("service").unwrap_or(""))
            {
                self.auth.tokens.forget(realm, service, &scope);
            }
            self.auth.challenges.insert(host.clone(), bearer.clone());
            let token = self
                .auth
                .tokens
                .fetch(self.http, &host, bearer, &scope, credential.as_ref())
                .await?;
            req.secret_header(AUTHORIZATION, &format!("Bearer {token}"))
        } else if challenges.iter().any(|c| c.scheme == "basic") {
            match credential.as_ref().and_then(|c| c.basic_header()) {
                Some(h) => req.secret_header(AUTHORIZATION, &h),
                None => {
                    return Err(unauthorized(
                        "the registry asks for a username and password",
                    ));
                }
            }
        } else {
            return Err(unauthorized(
                "access denied and no authentication challenge",
            ));
        };
        let resp = self.http.send(retry).await?;
        if matches!(resp.status.as_u16(), 401 | 403) {
            return Err(unauthorized(if credential.is_some() {
                "the credentials were refused"
            } else {
                "anonymous access was refused; log in with docker login"
            }));
        }
        Ok(resp)
    }

    pub(super) fn status_error(&self, resp: &Response, what: &str) -> RegistryError {
        match resp.status.as_u16() {
            401 | 403 => RegistryError::Unauthorized {
                host: self.host(),
                detail: "access denied".to_string(),
            },
            404 => RegistryError::RepositoryNotFound {
                registry: self.host(),
                repository: self.name.to_string(),
            },
            status => RegistryError::Status {
                host: self.host(),
                status,
                what: what.to_string(),
            },
        }
    }

    /// All tag names, following `Link: <…>; rel="next"` (its `last=` may be an opaque
    /// token, as on Docker Hub's registry: it is followed as written) up to `max_pages`.
    /// Returns the tags and, when the listing stopped early, why.
    pub async fn list_tags(
        &self,
        page_size: u32,
        max_pages: u32,
    ) -> Result<(Vec<String>, Option<Partial>), RegistryError> {
        let what = format!("tags of {}", self.display);
        let mut url = join(
            &self.base,
            &format!("/v2/{}/tags/list?n={page_size}", self.name),
        )?;
        let mut seen_urls = HashSet::new();
        let mut seen_tags = HashSet::new();
        let mut tags = Vec::new();
        let max_pages = max_pages.max(1);
        for _ in 0..max_pages {
            seen_urls.insert(url.to_string());
            let resp = self
                .send(
                    Request::new(Method::GET, url.clone(), what.clone())
                        .header(ACCEPT, "application/json"),
                )
                .await?;
            if !resp.status.is_success() {
                return Err(self.status_error(&resp, &what));
            }
            let page: TagsPage = resp.json(&what)?;
            for t in page.tags.unwrap_or_default() {
                if seen_tags.insert(t.clone()) {
                    tags.push(t);
                }
            }
            let next = resp
                .header("link")
                .and_then(next_link)
                .and_then(|l| resp.url.join(&l).ok());
            match next {
                // A registry pointing elsewhere could be fishing for credentials.
                Some(n) if !same_origin(&n, &self.base) => {
                    tracing::warn!(repo = %self.display, "ignoring a cross-origin tags/list Link");
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

    /// The digest a tag (or digest) reference points to, by `HEAD`; `None` when the registry
    /// does not know it.
    pub async fn head_manifest(
        &self,
        reference: &str,
    ) -> Result<Option<ManifestDigest>, RegistryError> {
        let what = format!("manifest {}:{reference}", self.display);
        let url = join(
            &self.base,
            &format!("/v2/{}/manifests/{reference}", self.name),
        )?;
        let head =
            Request::new(Method::HEAD, url.clone(), what.clone()).header(ACCEPT, MANIFEST_ACCEPT);
        let resp = self.send(head).await?;
        if resp.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !resp.status.is_success() {
            return Err(self.status_error(&resp, &what));
        }
        let media_type = resp
            .header("content-type")
            .map(|t| t.split(';').next().unwrap_or(t).trim().to_string());
        if let Some(d) = resp
            .header("docker-content-digest")
            .filter(|d| is_digest(d))
        {
            return Ok(Some(ManifestDigest {
                digest: d.to_string(),
                media_type,
            }));
        }
        // Old registries omit the header: hash the manifest itself.
        let get = Request::new(Method::GET, url, what.clone()).header(ACCEPT, MANIFEST_ACCEPT);
        let resp = self.send(get).await?;
        if resp.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !resp.status.is_success() {
            return Err(self.status_error(&resp, &what));
        }
        let digest = format!("sha256:{:x}", Sha256::digest(&resp.body));
        Ok(Some(ManifestDigest { digest, media_type }))
    }
}

impl Repo<'_> {
    /// The platforms of a multi-platform image, read from its index with a `GET` (never used
    /// for Docker Hub, where a manifest `GET` counts as a pull). A single-platform manifest
    /// gives an empty list; attestations (`unknown/unknown`) are left out.
    pub async fn platforms(&self, reference: &str) -> Result<Vec<Platform>, RegistryError> {
        let what = format!("manifest {}@{reference}", self.display);
        let url = join(
            &self.base,
            &format!("/v2/{}/manifests/{reference}", self.name),
        )?;
        let get = Request::new(Method::GET, url, what.clone()).header(ACCEPT, MANIFEST_ACCEPT);
        let resp = self.send(get).await?;
        if !resp.status.is_success() {
            return Err(self.status_error(&resp, &what));
        }
        let index: IndexBody = resp.json(&what)?;
        Ok(index
            .manifests
            .into_iter()
            .filter_map(|m| Some((m.platform?, m.digest)))
            .filter(|(p, _)| !p.os.is_empty() && p.os != "unknown" && p.architecture != "unknown")
            .map(|(p, digest)| Platform {
                os: p.os,
                architecture: p.architecture,
                variant: p.variant.filter(|v| !v.is_empty()),
                os_version: p.os_version.filter(|v| !v.is_empty()),
                size: None,
                digest: digest.filter(|d| !d.is_empty()),
            })
            .collect())
    }
}

fn is_digest(d: &str) -> bool {
    d.split_once(':').is_some_and(|(alg, hex)| {
        !alg.is_empty() && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Whether two URLs share scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The `rel="next"` target of a `Link` header (RFC 8288), as written (often relative).
pub(crate) fn next_link(header: &str) -> Option<String> {
    for link in header.split(',') {
        let (target, params) = link.split_once(';').unwrap_or((link, ""));
        let target = target.trim();
        let Some(target) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
            continue;
        };
        let is_next = params.split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=").is_some_and(|v| {
                v.trim_matches('"')
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(target.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        assert_eq!(
            next_link(r#"</v2/x/tags/list?n=2&last=b>; rel="next""#).as_deref(),
            Some("/v2/x/tags/list?n=2&last=b")
        );
        assert_eq!(
            next_link(r#"<https://a/prev>; rel="prev", <https://a/next>; rel=next"#).as_deref(),
            Some("https://a/next")
        );
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn origins() {
        let u = |s: &str| Url::parse(s).expect("test URL");
        assert!(same_origin(
            &u("https://a.io/v2/x"),
            &u("https://a.io:443/")
        ));
        assert!(!same_origin(&u("https://a.io/"), &u("https://b.io/")));
        assert!(!same_origin(
            &u("http://127.0.0.1:1/"),
            &u("http://127.0.0.1:2/")
        ));
    }
}
