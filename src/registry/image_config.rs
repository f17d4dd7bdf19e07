//! Base image configurations for the build checks: what a base image's `Env` and `Shell` are
//! and which platform it was built for. Read through the manifest (the platform's entry of
//! a multi-platform index) to the config blob, in the background, and cached by digest,
//! which never goes stale.
//!
//! On Docker Hub the two manifest `GET`s count as one pull against the rate limit; the cache
//! (on disk too) makes that once per image version.

use std::sync::Arc;

use reqwest::header::ACCEPT;
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::config::join;
use super::error::RegistryError;
use super::http::Request;
use super::oci::{IndexEntry, MANIFEST_ACCEPT, Repo};
use super::{Freshness, Inner, Registry, repo_key};
use crate::model::image_ref::ImageRef;

/// The part of an image configuration the build checks read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfigInfo {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
    /// `KEY=value` entries.
    pub env: Vec<String>,
    pub shell: Vec<String>,
}

impl ImageConfigInfo {
    /// `os/arch[/variant]`.
    pub fn platform(&self) -> String {
        match &self.variant {
            Some(v) if !v.is_empty() => format!("{}/{}/{v}", self.os, self.architecture),
            _ => format!("{}/{}", self.os, self.architecture),
        }
    }
}

impl Registry {
    /// The configuration of the image `image` resolves to for `platform` (`os/arch[/variant]`),
    /// from cached data only. A missing one is fetched in the background once the reference's
    /// digest is known (itself fetched in the background when needed); `None` until then.
    pub fn cached_config(&self, image: &ImageRef, platform: &str) -> Option<Arc<ImageConfigInfo>> {
        self.read_config(image, platform, true)
    }

    /// [`cached_config`](Self::cached_config) that never starts a request: for a reference
    /// the user is still typing (`FROM ubun`), which the registry must not hear about.
    pub fn peek_config(&self, image: &ImageRef, platform: &str) -> Option<Arc<ImageConfigInfo>> {
        self.read_config(image, platform, false)
    }

    fn read_config(
        &self,
        image: &ImageRef,
        platform: &str,
        fetch: bool,
    ) -> Option<Arc<ImageConfigInfo>> {
        let digest = match &image.digest {
            Some(d) => d.clone(),
            None if fetch => self.cached_digest(image)?,
            None => self.peek_digest(image)?,
        };
        let key = format!("{}@{digest}#{platform}", repo_key(image));
        let found = self.inner.configs.peek(&key);
        if fetch && !matches!(found, Some((_, Freshness::Fresh))) && !self.inner.config.offline {
            let inner = self.inner.clone();
            let (registry, repository, platform) = (
                image.registry.clone(),
                image.repository.clone(),
                platform.to_string(),
            );
            self.inner
                .configs
                .refresh(&self.inner.runtime, &key, move || {
                    fetch_config(inner, registry, repository, digest, platform)
                });
        }
        found.map(|(c, _)| c)
    }
}

async fn fetch_config(
    inner: Arc<Inner>,
    registry: String,
    repository: String,
    digest: String,
    platform: String,
) -> Result<ImageConfigInfo, RegistryError> {
    inner
        .oci_repo(&registry, &repository)?
        .image_config(&digest, &platform)
        .await
}

#[derive(Deserialize)]
struct ManifestBody {
    #[serde(default)]
    manifests: Option<Vec<IndexEntry>>,
    #[serde(default)]
    config: Option<Descriptor>,
}

#[derive(Deserialize)]
struct Descriptor {
    digest: String,
}

#[derive(Deserialize)]
struct ConfigBlob {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    config: ContainerConfig,
}

#[derive(Default, Deserialize)]
struct ContainerConfig {
    #[serde(default, rename = "Env")]
    env: Option<Vec<String>>,
    #[serde(default, rename = "Shell")]
    shell: Option<Vec<String>>,
}

/// Manifests followed at most: an index, then one platform's manifest.
const MAX_MANIFESTS: usize = 2;

impl Repo<'_> {
    /// The configuration of the image at `reference` for `platform`: the index's entry for
    /// the platform (its OS and architecture, and its variant when one is asked for), that
    /// manifest's config blob, checked against its digest.
    pub async fn image_config(
        &self,
        reference: &str,
        platform: &str,
    ) -> Result<ImageConfigInfo, RegistryError> {
        let mut parts = platform.split('/');
        let (os, arch, variant) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next(),
        );
        let mut reference = reference.to_string();
        for _ in 0..MAX_MANIFESTS {
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
            let body: ManifestBody = resp.json(&what)?;
            if let Some(entries) = body.manifests {
                let entry = entries.into_iter().find(|e| {
                    e.platform.as_ref().is_some_and(|p| {
                        p.os == os
                            && p.architecture == arch
                            && variant.is_none_or(|v| p.variant.as_deref() == Some(v))
                    })
                });
                let Some(entry) = entry else {
                    return Err(RegistryError::Internal(format!(
                        "{} has no image for {platform}",
                        self.display
                    )));
                };
                let Some(digest) = entry.digest else {
                    return Err(self.malformed(&what, "an index entry without a digest"));
                };
                reference = digest;
                continue;
            }
            let Some(config) = body.config else {
                return Err(self.malformed(&what, "a manifest without a config"));
            };
            return self.config_blob(&config.digest).await;
        }
        Err(self.malformed(
            &format!("manifest {}@{reference}", self.display),
            "an index that points to another index",
        ))
    }

    fn malformed(&self, what: &str, detail: &str) -> RegistryError {
        RegistryError::Malformed {
            host: self.base.host_str().unwrap_or_default().to_string(),
            what: what.to_string(),
            detail: detail.to_string(),
        }
    }

    async fn config_blob(&self, digest: &str) -> Result<ImageConfigInfo, RegistryError> {
        let what = format!("config {}@{digest}", self.display);
        let url = join(&self.base, &format!("/v2/{}/blobs/{digest}", self.name))?;
        let resp = self
            .send(Request::new(Method::GET, url, what.clone()))
            .await?;
        if resp.status == StatusCode::NOT_FOUND || !resp.status.is_success() {
            return Err(self.status_error(&resp, &what));
        }
        let actual = format!("sha256:{:x}", Sha256::digest(&resp.body));
        if digest.starts_with("sha256:") && actual != digest {
            return Err(self.malformed(&what, &format!("the blob's digest is {actual}")));
        }
        let blob: ConfigBlob = resp.json(&what)?;
        Ok(ImageConfigInfo {
            os: blob.os,
            architecture: blob.architecture,
            variant: blob.variant.filter(|v| !v.is_empty()),
            env: blob.config.env.unwrap_or_default(),
            shell: blob.config.shell.unwrap_or_default(),
        })
    }
}
