//! Registry settings: endpoints (Docker Hub API, per-registry base URLs for mirrors and
//! tests), offline mode, which hosts may use plain HTTP, the cache directory, timeouts and
//! limits. Read from defaults, then the environment, then the editor's `registry` settings,
//! each field failing soft on its own.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;

use super::error::RegistryError;

/// Docker Hub's HTTP API, which lists tags with their digests.
pub const DEFAULT_DOCKER_HUB_API: &str = "https://hub.docker.com";
/// Docker Hub's distribution (OCI) endpoint, used for private Hub repositories and when the
/// Hub API cannot answer.
pub const DOCKER_HUB_REGISTRY: &str = "https://registry-1.docker.io";

/// Tags Docker Hub lists to an anonymous client: it refuses pages past this offset
/// (`403 pagination offset too large for anonymous requests`, since August 2026). The
/// default page cap stays within it.
pub const HUB_ANONYMOUS_TAG_LIMIT: u32 = 1000;

pub const ENV_DOCKER_HUB_API: &str = "DOCKERFILE_LS_DOCKERHUB_API";
pub const ENV_ENDPOINTS: &str = "DOCKERFILE_LS_REGISTRY_ENDPOINTS";
pub const ENV_CACHE_DIR: &str = "DOCKERFILE_LS_CACHE_DIR";

/// Everything the registry layer can be told. `Default` is the product default.
#[derive(Clone, Debug)]
pub struct RegistryConfig {
    /// Base URL of the Docker Hub API (`registry.dockerHubApi`).
    pub docker_hub_api: Url,
    /// Registry host (as written in references, e.g. `docker.io`, `ghcr.io`,
    /// `127.0.0.1:5000`) → base URL of its distribution API (`registry.endpoints`).
    pub endpoints: BTreeMap<String, Url>,
    /// No network at all (`registry.offline`): only cached answers.
    pub offline: bool,
    /// Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback
    /// (`registry.insecureHosts`).
    pub insecure_hosts: Vec<String>,
    /// Where the disk cache lives; `None` turns the disk cache off.
    pub cache_dir: Option<PathBuf>,
    /// Directory holding Docker's `config.json`; `None` means `$DOCKER_CONFIG` or `~/.docker`.
    pub docker_config_dir: Option<PathBuf>,
    /// Directory searched for `docker-credential-*` helpers before `PATH`.
    pub credential_helper_dir: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// Whole-request timeout, body included.
    pub request_timeout: Duration,
    /// How long a credential helper may run (keychain prompts can hang forever).
    pub helper_timeout: Duration,
    /// How long a Docker Hub tag list is fresh; it carries digests, which move.
    pub hub_ttl: Duration,
    /// How long an OCI `tags/list` is fresh; it only carries names, which change slowly.
    pub oci_ttl: Duration,
    /// How long a tag → digest answer is fresh.
    pub digest_ttl: Duration,
    /// How old a cached answer may be and still be served while a refresh runs.
    pub max_stale: Duration,
    /// How long a failure is remembered before the network is asked again, so that a failing
    /// registry is not asked on every keystroke.
    pub error_ttl: Duration,
    /// How long "does not exist" is remembered (on disk too, so that another process does
    /// not ask again).
    pub negative_ttl: Duration,
    /// How long a host that could not be connected to is not asked again: requests to it
    /// fail at once with the same error meanwhile.
    pub unreachable_ttl: Duration,
    /// Largest response body accepted; a larger one is an error, never an allocation.
    pub max_body_bytes: usize,
    pub hub_page_size: u32,
    pub hub_max_pages: u32,
    pub oci_page_size: u32,
    pub oci_max_pages: u32,
    /// Waits before retrying a 5xx or a reset connection; one retry per element.
    pub retry_delays: Vec<Duration>,
    /// First wait after a 429 without a usable `Retry-After`; doubled on each further 429.
    pub rate_limit_default: Duration,
    pub rate_limit_max: Duration,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        RegistryConfig {
            docker_hub_api: Url::parse(DEFAULT_DOCKER_HUB_API)
                .expect("the default Docker Hub URL is valid"),
            endpoints: BTreeMap::new(),
            offline: false,
            insecure_hosts: Vec::new(),
            cache_dir: default_cache_dir(),
            docker_config_dir: None,
            credential_helper_dir: None,
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(10),
            helper_timeout: Duration::from_secs(5),
            hub_ttl: Duration::from_secs(10 * 60),
            oci_ttl: Duration::from_secs(60 * 60),
            digest_ttl: Duration::from_secs(10 * 60),
            max_stale: Duration::from_secs(30 * 24 * 60 * 60),
            error_ttl: Duration::from_secs(15),
            negative_ttl: Duration::from_secs(10 * 60),
            unreachable_ttl: Duration::from_secs(15),
            max_body_bytes: 8 * 1024 * 1024,
            hub_page_size: 100,
            hub_max_pages: HUB_ANONYMOUS_TAG_LIMIT / 100,
            oci_page_size: 1000,
            oci_max_pages: 20,
            retry_delays: vec![Duration::from_millis(250), Duration::from_secs(1)],
            rate_limit_default: Duration::from_secs(60),
            rate_limit_max: Duration::from_secs(15 * 60),
        }
    }
}

/// `$XDG_CACHE_HOME/dockerfile-ls/registry` or the platform's equivalent.
pub fn default_cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("dockerfile-ls").join("registry"))
}

impl RegistryConfig {
    /// Defaults overlaid with the `DOCKERFILE_LS_*` environment variables. Returns the
    /// problems found (a bad variable is ignored, not fatal).
    pub fn from_env() -> (Self, Vec<String>) {
        let mut config = RegistryConfig::default();
        let problems = config.apply_env(|name| std::env::var(name).ok());
        (config, problems)
    }

    /// Overlays the environment variables, read through `var` so that tests need not touch
    /// the process environment.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(api) = var(ENV_DOCKER_HUB_API).filter(|s| !s.trim().is_empty()) {
            match parse_base_url(api.trim()) {
                Ok(url) => self.docker_hub_api = url,
                Err(e) => problems.push(format!("{ENV_DOCKER_HUB_API}: {e}")),
            }
        }
        if let Some(raw) = var(ENV_ENDPOINTS).filter(|s| !s.trim().is_empty()) {
            match serde_json::from_str::<serde_json::Value>(&raw) {
                Ok(value) => {
                    for p in self.apply_endpoints(&value) {
                        problems.push(format!("{ENV_ENDPOINTS}: {p}"));
                    }
                }
                Err(e) => problems.push(format!("{ENV_ENDPOINTS} is not JSON: {e}")),
            }
        }
        if let Some(dir) = var(ENV_CACHE_DIR).filter(|s| !s.trim().is_empty()) {
            self.cache_dir = Some(PathBuf::from(dir));
        }
        problems
    }

    /// Overlays the editor's `registry` settings object: `dockerHubApi`, `endpoints`,
    /// `offline`, `insecureHosts`, `cacheDir`. Each field fails on its own; the problems are
    /// returned for a log message or a notification.
    pub fn apply_settings(&mut self, settings: &serde_json::Value) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(obj) = settings.as_object() else {
            if !settings.is_null() {
                problems.push("registry settings must be an object".to_string());
            }
            return problems;
        };
        if let Some(v) = obj.get("dockerHubApi") {
            match v.as_str().map(parse_base_url) {
                Some(Ok(url)) => self.docker_hub_api = url,
                Some(Err(e)) => problems.push(format!("registry.dockerHubApi: {e}")),
                None => problems.push("registry.dockerHubApi must be a string".to_string()),
            }
        }
        if let Some(v) = obj.get("endpoints") {
            for p in self.apply_endpoints(v) {
                problems.push(format!("registry.endpoints: {p}"));
            }
        }
        if let Some(v) = obj.get("offline") {
            match v.as_bool() {
                Some(b) => self.offline = b,
                None => problems.push("registry.offline must be true or false".to_string()),
            }
        }
        if let Some(v) = obj.get("insecureHosts") {
            match v.as_array() {
                Some(items) => {
                    self.insecure_hosts = items
                        .iter()
                        .filter_map(|i| i.as_str().map(|s| s.trim().to_ascii_lowercase()))
                        .filter(|s| !s.is_empty())
                        .collect();
                }
                None => problems.push("registry.insecureHosts must be a list".to_string()),
            }
        }
        if let Some(v) = obj.get("cacheDir") {
            match v.as_str() {
                Some(s) if !s.trim().is_empty() => self.cache_dir = Some(PathBuf::from(s)),
                Some(_) => {}
                None => problems.push("registry.cacheDir must be a string".to_string()),
            }
        }
        problems
    }

    fn apply_endpoints(&mut self, value: &serde_json::Value) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(map) = value.as_object() else {
            return vec!["must be an object mapping registry hosts to URLs".to_string()];
        };
        for (host, url) in map {
            let host = normalize_host(host);
            match url.as_str().map(parse_base_url) {
                Some(Ok(url)) => {
                    self.endpoints.insert(host, url);
                }
                Some(Err(e)) => problems.push(format!("{host}: {e}")),
                None => problems.push(format!("{host}: the URL must be a string")),
            }
        }
        problems
    }

    /// Base URL of the distribution API for a registry host as written in a reference.
    pub fn registry_base(&self, registry: &str) -> Result<Url, RegistryError> {
        let key = normalize_host(registry);
        if let Some(url) = self.endpoints.get(&key) {
            return Ok(url.clone());
        }
        let text = if key == "docker.io" {
            DOCKER_HUB_REGISTRY.to_string()
        } else if self.may_use_http(&key) {
            // Docker treats loopback registries as insecure by default; so do we, so that a
            // local `registry:2` works without configuration.
            format!("http://{key}")
        } else {
            format!("https://{key}")
        };
        Url::parse(&text).map_err(|e| RegistryError::Config(format!("registry {registry}: {e}")))
    }

    /// Refuses plain HTTP except to loopback or listed hosts, and anything but http(s).
    pub fn check_url(&self, url: &Url) -> Result<(), RegistryError> {
        match url.scheme() {
            "https" => Ok(()),
            "http" => {
                let host = host_port(url);
                if self.may_use_http(&host) {
                    Ok(())
                } else {
                    Err(RegistryError::InsecureUrl { host })
                }
            }
            other => Err(RegistryError::Config(format!(
                "unsupported URL scheme {other}: in {url}"
            ))),
        }
    }

    fn may_use_http(&self, host_and_port: &str) -> bool {
        let host = strip_port(host_and_port);
        is_loopback(host)
            || self
                .insecure_hosts
                .iter()
                .any(|h| h == host_and_port || h == host)
    }
}

/// `host` or `host:port` of a URL, the unit credentials and backoff are kept per.
pub fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn normalize_host(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    if host == "index.docker.io" {
        "docker.io".to_string()
    } else {
        host
    }
}

fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

/// `localhost`, `127.0.0.0/8` and `::1`: where plain HTTP cannot leave the machine.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn parse_base_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("invalid URL {text:?}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{text:?} is not an http(s) URL"));
    }
    Ok(url)
}

/// Joins `path` (which starts with `/`) to a base URL that may itself have a path prefix
/// (a mirror at `https://proxy.example/dockerhub`).
pub fn join(base: &Url, path_and_query: &str) -> Result<Url, RegistryError> {
    let mut text = base.as_str().trim_end_matches('/').to_string();
    text.push_str(path_and_query);
    Url::parse(&text).map_err(|e| RegistryError::Internal(format!("bad URL {text}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_and_settings_overlay_the_defaults() {
        let mut c = RegistryConfig::default();
        let problems = c.apply_env(|name| match name {
            ENV_DOCKER_HUB_API => Some("http://127.0.0.1:9/".to_string()),
            ENV_ENDPOINTS => Some(r#"{"docker.io": "https://mirror.example", "x": 3}"#.into()),
            ENV_CACHE_DIR => Some("/tmp/c".to_string()),
            _ => None,
        });
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(c.docker_hub_api.as_str(), "http://127.0.0.1:9/");
        assert_eq!(
            c.registry_base("docker.io").map(|u| u.to_string()),
            Ok("https://mirror.example/".to_string())
        );
        assert_eq!(c.cache_dir, Some(PathBuf::from("/tmp/c")));

        let problems = c.apply_settings(&serde_json::json!({
            "offline": true, "insecureHosts": ["reg.lan:5000"], "dockerHubApi": 5
        }));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(c.offline);
        assert_eq!(c.docker_hub_api.as_str(), "http://127.0.0.1:9/");
    }

    #[test]
    fn plain_http_only_for_loopback_or_listed_hosts() {
        let mut c = RegistryConfig::default();
        let url = |s: &str| Url::parse(s).expect("test URL");
        assert!(c.check_url(&url("http://127.0.0.1:5000/v2/")).is_ok());
        assert!(c.check_url(&url("http://localhost/v2/")).is_ok());
        assert!(c.check_url(&url("http://[::1]:80/v2/")).is_ok());
        assert!(c.check_url(&url("https://ghcr.io/v2/")).is_ok());
        assert!(matches!(
            c.check_url(&url("http://reg.lan:5000/v2/")),
            Err(RegistryError::InsecureUrl { .. })
        ));
        assert!(c.check_url(&url("ftp://127.0.0.1/")).is_err());
        c.insecure_hosts.push("reg.lan:5000".into());
        assert!(c.check_url(&url("http://reg.lan:5000/v2/")).is_ok());
        assert!(c.check_url(&url("http://reg.lan:6000/v2/")).is_err());
        assert_eq!(
            c.registry_base("reg.lan:5000").map(|u| u.to_string()),
            Ok("http://reg.lan:5000/".to_string())
        );
        assert_eq!(
            c.registry_base("ghcr.io").map(|u| u.to_string()),
            Ok("https://ghcr.io/".to_string())
        );
        assert_eq!(
            c.registry_base("docker.io").map(|u| u.to_string()),
            Ok("https://registry-1.docker.io/".to_string())
        );
    }

    #[test]
    fn join_keeps_a_mirror_path_prefix() {
        let base = Url::parse("https://proxy.example/hub/").expect("test URL");
        assert_eq!(
            join(&base, "/v2/x/tags/list").map(|u| u.to_string()),
            Ok("https://proxy.example/hub/v2/x/tags/list".to_string())
        );
    }
}
