//! A mock container registry for tests: real HTTP on 127.0.0.1 (ephemeral ports) with three
//! listeners — the Docker Hub API, an OCI distribution registry, and its token service —
//! serving data generated from the official-images files (see `data.rs`). It has the bearer
//! token flow, private repositories, pagination, a request log (which Authorization header
//! went to which listener) and fault rules switchable per test.

#![allow(dead_code)]

pub mod data;
pub mod fixtures;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

use data::{Dataset, INDEX_TYPE, RepoData, TagRec, rfc3339};

/// Which listener a request reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Hub,
    Registry,
    Auth,
}

/// One request as the mock saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub role: Role,
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<String>,
    pub accept: Option<String>,
}

/// What a fault rule does instead of (or before) the normal answer.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status and a small error body.
    Status(u16),
    /// `429` with `Retry-After: N` (registry style).
    RateLimited { retry_after_secs: u64 },
    /// `429` with Docker Hub's `X-Retry-After: <unix time>`.
    HubRateLimited { until_unix: u64 },
    /// `401` even with a valid token.
    Unauthorized,
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// `200` with truncated JSON.
    MalformedJson,
    /// `200` with a body of this many bytes.
    Oversized(usize),
    /// Manifest responses without `Docker-Content-Digest`.
    NoDigestHeader,
    /// A `Link`/`next` pointing at another origin.
    CrossOriginNext(String),
}

/// A fault applied to matching requests, `times` times (or always).
#[derive(Clone, Debug)]
pub struct FaultRule {
    pub role: Role,
    pub path_contains: String,
    pub times: Option<u32>,
    pub fault: Fault,
}

impl FaultRule {
    pub fn new(role: Role, path_contains: &str, fault: Fault) -> Self {
        FaultRule {
            role,
            path_contains: path_contains.to_string(),
            times: None,
            fault,
        }
    }

    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
}

/// How a mock is set up.
#[derive(Clone, Debug, Default)]
pub struct MockOptions {
    /// Registry requests need a bearer token from the auth listener.
    pub bearer_auth: bool,
    /// Repository → (user, password) that may read it; hidden from the Hub API.
    pub private: Vec<(String, String, String)>,
    /// Extra repository names served with another repository's data.
    pub aliases: Vec<(String, String)>,
    /// Largest `tags/list` page the registry sends (GHCR-style cap), if any.
    pub oci_page_cap: Option<usize>,
    /// The registry asks for Basic credentials directly (Artifactory, ECR style) instead of
    /// a bearer token.
    pub basic_auth: Option<(String, String)>,
    /// `tags/list` answers as Docker Hub's registry does: `Content-Type: text/plain`, and a
    /// `Link` whose `last=` is an opaque token rather than the last tag's name.
    pub hub_style_tags_list: bool,
}

/// Docker Hub lists no index `digest` for tags pushed before this (2021-01-01), only
/// per-platform `images[].digest`.
pub const HUB_INDEX_DIGEST_SINCE: i64 = 1_609_459_200;

/// Docker Hub refuses anonymous tag-list pages that start at or past this offset.
pub const HUB_ANONYMOUS_OFFSET_LIMIT: usize = 1000;

struct Shared {
    data: Arc<Dataset>,
    options: MockOptions,
    log: Mutex<Vec<Recorded>>,
    faults: Mutex<Vec<FaultRule>>,
    /// Repositories answered from the older snapshot.
    old: Mutex<Vec<String>>,
    auth_url: Mutex<String>,
    tokens: AtomicU64,
}

#[derive(Clone)]
struct Ctx {
    role: Role,
    shared: Arc<Shared>,
}

/// A running mock; its servers stop with the test's runtime.
pub struct MockRegistry {
    shared: Arc<Shared>,
    pub hub_url: String,
    pub registry_url: String,
    /// `127.0.0.1:<port>` of the registry, as written in image references.
    pub registry_host: String,
    pub auth_url: String,
}

impl MockRegistry {
    pub async fn start(options: MockOptions) -> MockRegistry {
        let shared = Arc::new(Shared {
            data: data::dataset(),
            options,
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            old: Mutex::new(Vec::new()),
            auth_url: Mutex::new(String::new()),
            tokens: AtomicU64::new(0),
        });
        let hub = serve(Role::Hub, &shared).await;
        let registry = serve(Role::Registry, &shared).await;
        let auth = serve(Role::Auth, &shared).await;
        let auth_url = format!("http://{auth}");
        *lock(&shared.auth_url) = auth_url.clone();
        MockRegistry {
            shared,
            hub_url: format!("http://{hub}"),
            registry_url: format!("http://{registry}"),
            registry_host: registry.to_string(),
            auth_url,
        }
    }

    pub fn fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Serves `repo` (`library/python`) from its older snapshot (true) or the current one.
    pub fn use_old_snapshot(&self, repo: &str, old: bool) {
        let mut list = lock(&self.shared.old);
        list.retain(|r| r != repo);
        if old {
            list.push(repo.to_string());
        }
    }

    pub fn log(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
    }

    /// Requests that reached `role` with a path containing `part`.
    pub fn count(&self, role: Role, part: &str) -> usize {
        self.log()
            .iter()
            .filter(|r| r.role == role && r.path.contains(part))
            .count()
    }

    /// The digest a tag has in the data the mock serves now.
    pub fn digest(&self, repo: &str, tag: &str) -> Option<String> {
        let ctx = Ctx {
            role: Role::Registry,
            shared: self.shared.clone(),
        };
        ctx.repo(repo)?.tags.get(tag).map(|t| t.digest.clone())
    }

    /// Tag names of a repository, as the mock serves them now.
    pub fn tag_names(&self, repo: &str) -> Vec<String> {
        let ctx = Ctx {
            role: Role::Registry,
            shared: self.shared.clone(),
        };
        ctx.repo(repo)
            .map(|r| r.tags.keys().cloned().collect())
            .unwrap_or_default()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn serve(role: Role, shared: &Arc<Shared>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let app = Router::new().fallback(handle).with_state(Ctx {
        role,
        shared: shared.clone(),
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    let q = uri.query().unwrap_or("");
    reqwest::Url::parse(&format!("http://q.invalid/?{q}"))
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn param(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn respond(status: u16, headers: &[(&str, String)], body: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            r.headers_mut().insert(name, value);
        }
    }
    r
}

fn json_response(status: u16, v: &Value) -> Response {
    respond(
        status,
        &[("content-type", "application/json".to_string())],
        serde_json::to_vec(v).unwrap_or_default(),
    )
}

fn oci_error(status: u16, code: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({"errors": [{"code": code, "message": message}]}),
    )
}

impl Ctx {
    fn repo(&self, name: &str) -> Option<Arc<RepoData>> {
        let name = self
            .shared
            .options
            .aliases
            .iter()
            .find(|(alias, _)| alias == name)
            .map_or(name, |(_, target)| target.as_str());
        if lock(&self.shared.old).iter().any(|r| r == name)
            && let Some(r) = self.shared.data.old.get(name)
        {
            return Some(r.clone());
        }
        self.shared.data.current.get(name).cloned()
    }

    fn private(&self, repo: &str) -> Option<(String, String)> {
        self.shared
            .options
            .private
            .iter()
            .find(|(r, _, _)| r == repo)
            .map(|(_, u, p)| (u.clone(), p.clone()))
    }

    /// The matching fault rules, in order, each counting down its uses.
    fn take_faults(&self, path: &str) -> Vec<Fault> {
        let mut faults = lock(&self.shared.faults);
        let mut out = Vec::new();
        for rule in faults.iter_mut() {
            if rule.role == self.role && path.contains(&rule.path_contains) && rule.times != Some(0)
            {
                if let Some(n) = rule.times.as_mut() {
                    *n -= 1;
                }
                out.push(rule.fault.clone());
            }
        }
        out
    }
}

async fn handle(
    State(ctx): State<Ctx>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let get = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let path = uri.path().to_string();
    lock(&ctx.shared.log).push(Recorded {
        role: ctx.role,
        method: method.to_string(),
        path: path.clone(),
        query: uri.query().unwrap_or("").to_string(),
        authorization: get(header::AUTHORIZATION),
        accept: get(header::ACCEPT),
    });
    let mut no_digest = false;
    let mut cross_origin = None;
    for fault in ctx.take_faults(&path) {
        match fault {
            Fault::Status(s) => return oci_error(s, "UNKNOWN", "injected failure"),
            Fault::RateLimited { retry_after_secs } => {
                return respond(
                    429,
                    &[("retry-after", retry_after_secs.to_string())],
                    br#"{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit"}]}"#.to_vec(),
                );
            }
            Fault::HubRateLimited { until_unix } => {
                return respond(
                    429,
                    &[
                        ("x-retry-after", until_unix.to_string()),
                        ("x-ratelimit-remaining", "0".to_string()),
                    ],
                    br#"{"detail":"Rate limit exceeded","error":false}"#.to_vec(),
                );
            }
            Fault::Unauthorized => return challenge(&ctx, "library/unknown"),
            Fault::Delay(d) => tokio::time::sleep(d).await,
            Fault::MalformedJson => {
                return respond(
                    200,
                    &[("content-type", "application/json".to_string())],
                    br#"{"count": 3, "results": [{"name": "3""#.to_vec(),
                );
            }
            Fault::Oversized(n) => {
                let mut body = br#"{"results": [], "pad": ""#.to_vec();
                body.resize(n.saturating_sub(2), b'x');
                body.extend_from_slice(b"\"}");
                return respond(
                    200,
                    &[("content-type", "application/json".to_string())],
                    body,
                );
            }
            Fault::NoDigestHeader => no_digest = true,
            Fault::CrossOriginNext(url) => cross_origin = Some(url),
        }
    }
    let q = query_pairs(&uri);
    match ctx.role {
        Role::Hub => hub(&ctx, &headers, &path, &q, cross_origin),
        Role::Registry => registry(&ctx, &method, &headers, &path, &q, no_digest, cross_origin),
        Role::Auth => token(&ctx, &method, &headers, &q, &body),
    }
}

// ---------------------------------------------------------------- Docker Hub API

fn hub_tag_json(t: &TagRec) -> Value {
    let images: Vec<Value> = t
        .platforms
        .iter()
        .map(|p| {
            json!({"architecture": p.architecture, "variant": p.variant, "os": p.os,
                   "os_version": p.os_version, "size": p.size, "status": "active",
                   "features": "", "os_features": "", "digest": p.digest})
        })
        .collect();
    let when = rfc3339(t.last_updated);
    let mut record = json!({
        "creator": 1156886, "id": t.id, "images": images, "last_updated": when,
        "last_updater": 1156886, "last_updater_username": "doijanky", "name": t.name,
        "repository": 1, "full_size": t.full_size, "v2": true, "tag_status": "active",
        "tag_last_pulled": rfc3339(data::CURRENT_BASE + 86_400), "tag_last_pushed": when,
        "media_type": INDEX_TYPE, "content_type": "image",
    });
    if t.last_updated >= HUB_INDEX_DIGEST_SINCE {
        record["digest"] = json!(t.digest);
    }
    record
}

fn hub(
    ctx: &Ctx,
    headers: &HeaderMap,
    path: &str,
    q: &[(String, String)],
    cross_origin: Option<String>,
) -> Response {
    let not_found = || json_response(404, &json!({"message": "object not found", "errinfo": {}}));
    if path.trim_end_matches('/') == "/v2/search/repositories" {
        return hub_search(ctx, q);
    }
    // /v2/namespaces/{ns}/repositories/{repo}/tags[/{tag}] or /v2/repositories/{ns}/{repo}/tags[/{tag}]
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (ns, name, rest) = match parts.as_slice() {
        ["v2", "namespaces", ns, "repositories", name, rest @ ..] => (*ns, *name, rest),
        ["v2", "repositories", ns, name, rest @ ..] => (*ns, *name, rest),
        _ => return not_found(),
    };
    let full = format!("{ns}/{name}");
    if ctx.private(&full).is_some() {
        return not_found();
    }
    let Some(repo) = ctx.repo(&full) else {
        return not_found();
    };
    match rest {
        ["tags"] => {}
        ["tags", tag] => {
            return match repo.tags.get(*tag) {
                Some(t) => json_response(200, &hub_tag_json(t)),
                None => json_response(
                    404,
                    &json!({"message": format!("tag '{tag}' not found"), "errinfo": {}}),
                ),
            };
        }
        _ => return not_found(),
    }
    let page_size: usize = param(q, "page_size")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .clamp(1, 100);
    let page: usize = param(q, "page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let name_filter = param(q, "name").map(|n| n.to_ascii_lowercase());
    let mut tags: Vec<&TagRec> = repo
        .tags
        .values()
        .filter(|t| {
            name_filter
                .as_ref()
                .is_none_or(|n| t.name.to_ascii_lowercase().contains(n))
        })
        .collect();
    match param(q, "ordering").as_deref() {
        Some("name") => tags.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("-name") => tags.sort_by(|a, b| b.name.cmp(&a.name)),
        Some("-last_updated") => tags.sort_by(|a, b| {
            a.last_updated
                .cmp(&b.last_updated)
                .then(a.name.cmp(&b.name))
        }),
        _ => tags.sort_by(|a, b| {
            b.last_updated
                .cmp(&a.last_updated)
                .then(a.name.cmp(&b.name))
        }),
    }
    let count = tags.len();
    let start = (page - 1) * page_size;
    if start >= HUB_ANONYMOUS_OFFSET_LIMIT && headers.get(header::AUTHORIZATION).is_none() {
        return json_response(
            403,
            &json!({"message": "pagination offset too large for anonymous requests",
                    "errinfo": {}}),
        );
    }
    if start >= count && page > 1 {
        return json_response(404, &json!({"detail": "Invalid page."}));
    }
    let results: Vec<Value> = tags
        .iter()
        .skip(start)
        .take(page_size)
        .map(|t| hub_tag_json(t))
        .collect();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let page_url = |p: usize| {
        let mut u = reqwest::Url::parse(&format!("http://{host}{path}")).expect("page URL");
        {
            let mut qp = u.query_pairs_mut();
            for (k, v) in q.iter().filter(|(k, _)| k != "page") {
                qp.append_pair(k, v);
            }
            qp.append_pair("page", &p.to_string());
        }
        u.to_string()
    };
    let next = if let Some(url) = cross_origin {
        json!(url)
    } else if start + page_size < count {
        json!(page_url(page + 1))
    } else {
        Value::Null
    };
    let previous = if page > 1 {
        json!(page_url(page - 1))
    } else {
        Value::Null
    };
    let mut r = json_response(
        200,
        &json!({"count": count, "next": next, "previous": previous, "results": results}),
    );
    r.headers_mut()
        .insert("x-ratelimit-limit", HeaderValue::from_static("180"));
    r
}

fn hub_search(ctx: &Ctx, q: &[(String, String)]) -> Response {
    let query = param(q, "query").unwrap_or_default().to_ascii_lowercase();
    let page_size: usize = param(q, "page_size")
        .and_then(|v| v.parse().ok())
        .unwrap_or(25)
        .clamp(1, 100);
    let mut hits: Vec<(u64, Value)> = ctx
        .shared
        .data
        .current
        .iter()
        .filter_map(|(name, repo)| {
            let short = name.strip_prefix("library/")?;
            short.contains(&query).then(|| {
                let pulls = 1_000_000 * repo.tags.len() as u64;
                (pulls, json!({"repo_name": short, "short_description": format!("The {short} official image"),
                               "star_count": repo.tags.len(), "pull_count": pulls,
                               "repo_owner": "", "is_automated": false, "is_official": true}))
            })
        })
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    let results: Vec<Value> = hits.into_iter().take(page_size).map(|(_, v)| v).collect();
    json_response(
        200,
        &json!({"count": results.len(), "next": null, "previous": null, "results": results}),
    )
}

// ---------------------------------------------------------------- OCI registry

fn challenge(ctx: &Ctx, repo: &str) -> Response {
    let realm = format!("{}/token", lock(&ctx.shared.auth_url));
    respond(
        401,
        &[
            (
                "www-authenticate",
                format!(
                    r#"Bearer realm="{realm}",service="mock-registry",scope="repository:{repo}:pull""#
                ),
            ),
            ("content-type", "application/json".to_string()),
        ],
        br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#.to_vec(),
    )
}

/// Whether the request's bearer token grants pulling `repo`.
fn authorized(ctx: &Ctx, headers: &HeaderMap, repo: &str) -> bool {
    let private = ctx.private(repo);
    if !ctx.shared.options.bearer_auth && private.is_none() {
        return true;
    }
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    // mock.<hex scope>.<grant>.<n>
    let parts: Vec<&str> = token.split('.').collect();
    let [_, scope_hex, grant, _] = parts.as_slice() else {
        return false;
    };
    let scope = hex_decode(scope_hex);
    if !scope
        .split(' ')
        .any(|s| s == format!("repository:{repo}:pull"))
    {
        return false;
    }
    match private {
        Some((user, _)) => *grant == format!("user-{user}"),
        None => true,
    }
}

fn hex_encode(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(s: &str) -> String {
    let bytes: Vec<u8> = (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn registry(
    ctx: &Ctx,
    method: &Method,
    headers: &HeaderMap,
    path: &str,
    q: &[(String, String)],
    no_digest: bool,
    cross_origin: Option<String>,
) -> Response {
    let api = [(
        "docker-distribution-api-version",
        "registry/2.0".to_string(),
    )];
    if path == "/v2/" || path == "/v2" {
        if ctx.shared.options.bearer_auth {
            return challenge(ctx, "");
        }
        return respond(200, &api, b"{}".to_vec());
    }
    let Some(rest) = path.strip_prefix("/v2/") else {
        return oci_error(404, "NOT_FOUND", "not found");
    };
    let (repo_name, action, reference) = if let Some(name) = rest.strip_suffix("/tags/list") {
        (name, "tags", "")
    } else if let Some((name, reference)) = rest.rsplit_once("/manifests/") {
        (name, "manifest", reference)
    } else {
        return oci_error(404, "NOT_FOUND", "not found");
    };
    if let Some((user, password)) = &ctx.shared.options.basic_auth {
        use base64::Engine as _;
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        if headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            != Some(&expected)
        {
            return respond(
                401,
                &[("www-authenticate", r#"Basic realm="Mock""#.to_string())],
                Vec::new(),
            );
        }
    } else if !authorized(ctx, headers, repo_name) {
        return challenge(ctx, repo_name);
    }
    let Some(repo) = ctx.repo(repo_name) else {
        return oci_error(404, "NAME_UNKNOWN", "repository name not known to registry");
    };
    if action == "tags" {
        let mut names: Vec<&String> = repo.tags.keys().collect();
        names.sort();
        let hub_style = ctx.shared.options.hub_style_tags_list;
        let last = param(q, "last").map(|l| {
            if hub_style {
                hex_decode(&l)
                    .strip_prefix("cursor|")
                    .unwrap_or_default()
                    .to_string()
            } else {
                l
            }
        });
        if let Some(last) = last {
            names.retain(|n| n.as_str() > last.as_str());
        }
        let asked: Option<usize> = param(q, "n").and_then(|n| n.parse().ok());
        let limit = match (asked, ctx.shared.options.oci_page_cap) {
            (Some(n), Some(cap)) => n.min(cap),
            (Some(n), None) => n,
            (None, cap) => cap.unwrap_or(usize::MAX),
        };
        let page: Vec<&String> = names.iter().take(limit).copied().collect();
        let content_type = if hub_style {
            "text/plain; charset=utf-8"
        } else {
            "application/json"
        };
        let mut headers = vec![("content-type", content_type.to_string())];
        if let Some(url) = cross_origin {
            headers.push(("link", format!("<{url}>; rel=\"next\"")));
        } else if page.len() < names.len()
            && let Some(last) = page.last()
        {
            let link = if hub_style {
                let cursor = hex_encode(&format!("cursor|{last}"));
                format!("</v2/{repo_name}/tags/list?last={cursor}&n={limit}>; rel=\"next\"")
            } else {
                format!("</v2/{repo_name}/tags/list?n={limit}&last={last}>; rel=\"next\"")
            };
            headers.push(("link", link));
        }
        let body = json!({"name": repo_name, "tags": page});
        return respond(200, &headers, serde_json::to_vec(&body).unwrap_or_default());
    }
    let digest = if reference.starts_with("sha256:") {
        reference.to_string()
    } else {
        match repo.tags.get(reference) {
            Some(t) => t.digest.clone(),
            None => return oci_error(404, "MANIFEST_UNKNOWN", "manifest unknown"),
        }
    };
    let Some((media_type, bytes)) = repo.manifests.get(&digest).cloned() else {
        return oci_error(404, "MANIFEST_UNKNOWN", "manifest unknown");
    };
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Without an index type in Accept, a registry answers with one platform's manifest: the
    // mistake that pins a platform digest instead of the multi-platform one.
    let (media_type, bytes, digest) = if media_type == INDEX_TYPE
        && !accept.contains(INDEX_TYPE)
        && !accept.contains("manifest.list.v2")
    {
        let index: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let child = index["manifests"][0]["digest"]
            .as_str()
            .unwrap_or("")
            .to_string();
        match repo.manifests.get(&child) {
            Some((t, b)) => (t.clone(), b.clone(), child),
            None => (media_type, bytes, digest),
        }
    } else {
        (media_type, bytes, digest)
    };
    let mut out = vec![
        ("content-type", media_type),
        (
            "docker-distribution-api-version",
            "registry/2.0".to_string(),
        ),
        ("etag", format!("\"{digest}\"")),
        ("ratelimit-limit", "100;w=21600".to_string()),
    ];
    if !no_digest {
        out.push(("docker-content-digest", digest));
    }
    if method == Method::HEAD {
        out.push(("content-length", bytes.len().to_string()));
        return respond(200, &out, Vec::new());
    }
    respond(200, &out, bytes.to_vec())
}

// ---------------------------------------------------------------- token service

fn token(
    ctx: &Ctx,
    method: &Method,
    headers: &HeaderMap,
    q: &[(String, String)],
    body: &Bytes,
) -> Response {
    let mut pairs = q.to_vec();
    if method == Method::POST {
        let text = String::from_utf8_lossy(body);
        if let Ok(u) = reqwest::Url::parse(&format!("http://q.invalid/?{text}")) {
            pairs.extend(
                u.query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
    }
    let scopes: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "scope")
        .map(|(_, v)| v.clone())
        .collect();
    let scope = scopes.join(" ");
    // Basic credentials give the user's grant when they match a private repository's owner.
    let mut grant = "anon".to_string();
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let ok = ctx
            .shared
            .options
            .private
            .iter()
            .any(|(_, u, p)| decoded == format!("{u}:{p}"));
        if !ok {
            return json_response(401, &json!({"details": "incorrect username or password"}));
        }
        if let Some((user, _)) = decoded.split_once(':') {
            grant = format!("user-{user}");
        }
    }
    let n = ctx.shared.tokens.fetch_add(1, Ordering::Relaxed);
    let token = format!("mock.{}.{grant}.{n}", hex_encode(&scope));
    json_response(
        200,
        &json!({"token": token, "access_token": token, "expires_in": 300,
                "issued_at": rfc3339(data::CURRENT_BASE)}),
    )
}

/// Counts of log entries by role, for assertions that print well.
pub fn summarize(log: &[Recorded]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in log {
        *out.entry(format!("{:?} {} {}", r.role, r.method, r.path))
            .or_default() += 1;
    }
    out
}

/// A client configuration pointed at `mock` (Hub API and the `docker.io` endpoint), with a
/// cache and an empty Docker config under `dir`, and short timeouts so that a fault test
/// ends quickly.
pub fn client_config(
    mock: &MockRegistry,
    dir: &std::path::Path,
) -> dockerfile_ls::registry::RegistryConfig {
    dockerfile_ls::registry::RegistryConfig {
        docker_hub_api: reqwest::Url::parse(&mock.hub_url).expect("hub URL"),
        endpoints: [(
            "docker.io".to_string(),
            reqwest::Url::parse(&mock.registry_url).expect("registry URL"),
        )]
        .into_iter()
        .collect(),
        cache_dir: Some(dir.join("cache")),
        docker_config_dir: Some(dir.join("docker")),
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry_delays: vec![Duration::from_millis(20)],
        error_ttl: Duration::from_millis(200),
        unreachable_ttl: Duration::from_millis(200),
        ..Default::default()
    }
}
