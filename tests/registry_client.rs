//! The registry client against the mock registry on 127.0.0.1: tag listing through the
//! Docker Hub API and the OCI API with pagination, the token flow, every fault mode (an error
//! or the stale cache, never a hang or a panic), single flight, where credentials go, and
//! the disk cache.

mod mock_registry;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dockerfile_ls::model::image_ref::{self, ImageRef};
use dockerfile_ls::registry::{FetchEvent, Freshness, Registry, RegistryError, TagSource};
use mock_registry::{Fault, FaultRule, MockOptions, MockRegistry, Role, client_config};

fn image(s: &str) -> ImageRef {
    image_ref::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

/// Hub tag-list requests in the log (one per page).
fn hub_pages(mock: &MockRegistry) -> usize {
    mock.log()
        .iter()
        .filter(|r| r.role == Role::Hub && r.path.ends_with("/tags"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_tag_list_follows_pages_and_carries_digests() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let list = registry.tags(&image("python")).await.expect("python tags");

    let expected = mock.tag_names("library/python");
    assert!(
        expected.len() > 250,
        "current + stale python tags: {}",
        expected.len()
    );
    assert_eq!(list.source, TagSource::Hub);
    assert!(list.complete);
    assert_eq!(list.tags.len(), expected.len());
    assert_eq!(hub_pages(&mock), expected.len().div_ceil(100));
    let t = list.get("3-alpine").expect("3-alpine listed");
    assert_eq!(t.digest, mock.digest("library/python", "3-alpine"));
    assert!(
        t.last_updated
            .as_deref()
            .is_some_and(|d| d.starts_with("2026-08-2"))
    );
    assert!(
        t.platforms.iter().any(|p| p.display() == "linux/arm64/v8"),
        "{:?}",
        t.platforms
    );
    assert!(t.size.is_some());
    // Newest first: the current tags come before the stale ones from the history copy.
    assert!(list.tags[0].last_updated > list.tags[list.tags.len() - 1].last_updated);
    let mut same = list.same_image_as("3-alpine");
    same.sort();
    assert_eq!(
        same,
        [
            "3-alpine3.24",
            "3.14-alpine",
            "3.14-alpine3.24",
            "3.14.7-alpine",
            "3.14.7-alpine3.24",
            "alpine",
            "alpine3.24"
        ]
    );
    let first: Vec<&str> = list
        .completion_order()
        .take(3)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(first[0], "latest", "{first:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_page_cap_marks_the_list_incomplete() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempdir();
    let mut config = client_config(&mock, dir.path());
    config.hub_page_size = 10;
    config.hub_max_pages = 3;
    let registry = Registry::new(config).expect("registry");
    let list = registry.tags(&image("node")).await.expect("node tags");
    assert_eq!(list.tags.len(), 30);
    assert!(!list.complete);
    assert_eq!(hub_pages(&mock), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oci_tag_list_follows_link_with_one_token() {
    let mock = MockRegistry::start(MockOptions {
        bearer_auth: true,
        oci_page_cap: Some(50),
        ..MockOptions::default()
    })
    .await;
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let r = image(&format!("{}/library/golang:1.26", mock.registry_host));
    let list = registry.tags(&r).await.expect("golang tags");
    let expected = mock.tag_names("library/golang");
    assert_eq!(list.source, TagSource::Oci);
    assert!(list.complete);
    let mut names: Vec<String> = list.tags.iter().map(|t| t.name.clone()).collect();
    names.sort();
    assert_eq!(names, expected);
    let pages = mock.count(Role::Registry, "/tags/list");
    // One 401 before the token, then one request per page of 50.
    assert_eq!(pages, 1 + expected.len().div_ceil(50));
    assert_eq!(mock.count(Role::Auth, "/token"), 1);
    assert_eq!(
        mock.count(Role::Hub, "/"),
        0,
        "no Hub API for another registry"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_flow_and_index_digest_by_head() {
    let mock = MockRegistry::start(MockOptions {
        bearer_auth: true,
        ..MockOptions::default()
    })
    .await;
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let host = &mock.registry_host;
    let res = registry
        .resolve(&image(&format!("{host}/library/python:3-alpine")))
        .await
        .expect("resolved");
    assert_eq!(
        Some(res.digest.clone()),
        mock.digest("library/python", "3-alpine")
    );
    let res2 = registry
        .resolve(&image(&format!("{host}/library/python:3.14.7-alpine3.24")))
        .await
        .expect("resolved");
    assert_eq!(res.digest, res2.digest, "tags of one entry are one image");

    let log = mock.log();
    let heads: Vec<_> = log
        .iter()
        .filter(|r| r.role == Role::Registry && r.method == "HEAD")
        .collect();
    // 401, then retry with the token; the second tag reuses the token.
    assert_eq!(heads.len(), 3, "{:?}", mock_registry::summarize(&log));
    assert!(heads[0].authorization.is_none());
    for h in &heads[1..] {
        assert!(
            h.authorization
                .as_deref()
                .is_some_and(|a| a.starts_with("Bearer mock."))
        );
        assert!(
            h.accept
                .as_deref()
                .is_some_and(|a| a.contains("image.index.v1+json"))
        );
    }
    assert_eq!(mock.count(Role::Auth, "/token"), 1);
    assert!(
        log.iter()
            .all(|r| r.method != "GET" || !r.path.contains("/manifests/")),
        "HEAD only"
    );

    // A missing tag is "not found", not an error of the registry.
    let err = registry
        .resolve(&image(&format!("{host}/library/python:no-such-tag")))
        .await
        .expect_err("missing tag");
    assert!(matches!(err, RegistryError::TagNotFound { .. }), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_digest_header_falls_back_to_hashing_the_manifest() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    mock.fault(FaultRule::new(
        Role::Registry,
        "/manifests/",
        Fault::NoDigestHeader,
    ));
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let res = registry
        .resolve(&image(&format!("{}/library/redis:7", mock.registry_host)))
        .await
        .expect("resolved");
    assert_eq!(Some(res.digest), mock.digest("library/redis", "7"));
    assert_eq!(
        mock.count(Role::Registry, "/manifests/"),
        2,
        "HEAD, then one GET"
    );
}

/// Puts python's tags in the cache, then makes every later Hub request fail with `fault`.
async fn stale_then(fault: Fault) -> (MockRegistry, Registry, tempfile::TempDir) {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempdir();
    let mut config = client_config(&mock, dir.path());
    config.hub_ttl = Duration::ZERO;
    let registry = Registry::new(config).expect("registry");
    registry.tags(&image("python")).await.expect("first fetch");
    mock.fault(FaultRule::new(Role::Hub, "/tags", fault));
    (mock, registry, dir)
}

/// Asserts that a fault still answers at once from the stale cache, and that the refresh
/// behind it fails with an error matching `check` without hanging.
async fn assert_stale_served(fault: Fault, check: impl Fn(&RegistryError) -> bool) {
    let (mock, registry, _dir) = stale_then(fault).await;
    let python = image("python");
    let start = Instant::now();
    let (list, freshness) = registry.cached_tags(&python).expect("stale list");
    assert_eq!(freshness, Freshness::Stale);
    assert!(!list.tags.is_empty());
    let again = registry.tags(&python).await.expect("stale answer");
    assert!(!again.tags.is_empty());
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "answered at once"
    );
    // The background refresh fails and is remembered; the good list stays.
    let deadline = Instant::now() + Duration::from_secs(8);
    let err = loop {
        if let Some(e) = registry.last_error(&python) {
            break e;
        }
        assert!(Instant::now() < deadline, "refresh never finished");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(check(&err), "unexpected error: {err:?}");
    assert!(
        registry.cached_tags(&python).is_some(),
        "no cache poisoning"
    );
    drop(mock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_error_serves_stale_cache() {
    assert_stale_served(Fault::Status(500), |e| {
        matches!(e, RegistryError::Status { status: 500, .. })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_serves_stale_cache() {
    assert_stale_served(Fault::MalformedJson, |e| {
        matches!(e, RegistryError::Malformed { .. })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_json_is_an_error_not_an_allocation() {
    assert_stale_served(Fault::Oversized(9 * 1024 * 1024), |e| {
        matches!(e, RegistryError::TooLarge { .. })
    })
    .await;
    // And with nothing cached, the same body is a clean error.
    let mock = MockRegistry::start(MockOptions::default()).await;
    mock.fault(FaultRule::new(
        Role::Hub,
        "/tags",
        Fault::Oversized(2 * 1024 * 1024),
    ));
    let dir = tempdir();
    let mut config = client_config(&mock, dir.path());
    config.max_body_bytes = 1024 * 1024;
    let registry = Registry::new(config).expect("registry");
    let err = registry
        .tags(&image("python"))
        .await
        .expect_err("too large");
    assert!(
        matches!(
            err,
            RegistryError::TooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{err}"
    );
    assert!(registry.cached_tags(&image("python")).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_server_times_out_and_serves_stale_cache() {
    let (mock, registry, _dir) = stale_then(Fault::Delay(Duration::from_secs(30))).await;
    drop(registry);
    // A client with a short timeout over the same (warm) disk cache.
    let dir = tempdir();
    let mut config = client_config(&mock, dir.path());
    config.request_timeout = Duration::from_millis(400);
    let cold = Registry::new(config).expect("registry");
    let start = Instant::now();
    let err = cold.tags(&image("python")).await.expect_err("timeout");
    assert!(matches!(err, RegistryError::Timeout { .. }), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_server_with_stale_cache_answers_at_once() {
    assert_stale_served(Fault::Delay(Duration::from_secs(30)), |e| {
        matches!(e, RegistryError::Timeout { .. })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_opens_the_circuit_until_retry_after() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    mock.fault(
        FaultRule::new(
            Role::Registry,
            "/tags/list",
            Fault::RateLimited {
                retry_after_secs: 1,
            },
        )
        .times(1),
    );
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let r = image(&format!("{}/library/alpine", mock.registry_host));
    let err = registry.tags(&r).await.expect_err("rate limited");
    assert!(
        matches!(err, RegistryError::RateLimited { retry_after, .. } if retry_after == Duration::from_secs(1)),
        "{err}"
    );
    assert!(err.to_string().contains("rate limiting"), "{err}");
    // While the circuit is open, no request reaches the registry.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let err = registry.tags(&r).await.expect_err("still limited");
    assert!(matches!(err, RegistryError::RateLimited { .. }), "{err}");
    assert_eq!(mock.count(Role::Registry, "/tags/list"), 1);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let list = registry.tags(&r).await.expect("recovered");
    assert!(!list.tags.is_empty());
    assert_eq!(mock.count(Role::Registry, "/tags/list"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_rate_limit_reads_x_retry_after() {
    let until = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        + 120;
    assert_stale_served(Fault::HubRateLimited { until_unix: until }, |e| {
        matches!(e, RegistryError::RateLimited { retry_after, .. }
            if (Duration::from_secs(100)..=Duration::from_secs(121)).contains(retry_after))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_refreshes_the_token_once_then_gives_up() {
    let mock = MockRegistry::start(MockOptions {
        bearer_auth: true,
        ..MockOptions::default()
    })
    .await;
    mock.fault(FaultRule::new(
        Role::Registry,
        "/tags/list",
        Fault::Unauthorized,
    ));
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let r = image(&format!("{}/library/alpine", mock.registry_host));
    let err = registry.tags(&r).await.expect_err("unauthorized");
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");
    assert_eq!(mock.count(Role::Registry, "/tags/list"), 2);
    assert_eq!(mock.count(Role::Auth, "/token"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_pagination_is_not_followed() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let other = MockRegistry::start(MockOptions::default()).await;
    let next = format!(
        "{}/v2/namespaces/library/repositories/python/tags?page=2",
        other.hub_url
    );
    mock.fault(FaultRule::new(
        Role::Hub,
        "/tags",
        Fault::CrossOriginNext(next),
    ));
    let link = format!(
        "{}/v2/library/python/tags/list?n=10&last=3",
        other.registry_url
    );
    mock.fault(FaultRule::new(
        Role::Registry,
        "/tags/list",
        Fault::CrossOriginNext(link),
    ));
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let list = registry.tags(&image("python")).await.expect("first page");
    assert!(!list.complete);
    let list = registry
        .tags(&image(&format!("{}/library/python", mock.registry_host)))
        .await
        .expect("first page");
    assert!(!list.complete);
    assert!(other.log().is_empty(), "{:?}", other.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_documents_one_fetch() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    mock.fault(FaultRule::new(
        Role::Hub,
        "/tags",
        Fault::Delay(Duration::from_millis(200)),
    ));
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let python = image("python:3-alpine");
    // Documents opening prefetch; completions ask at the same time.
    registry.prefetch([&python, &image("python:3.14"), &image("python")]);
    assert!(registry.is_fetching(&python));
    let mut tasks = Vec::new();
    for i in 0..20 {
        let registry = registry.clone();
        let r = image(if i % 2 == 0 {
            "python:3-alpine"
        } else {
            "docker.io/library/python:3"
        });
        tasks.push(tokio::spawn(async move {
            // Completion looks at the cache first, then waits for the shared fetch.
            let _ = registry.cached_tags(&r);
            registry.tags(&r).await.map(|l| l.tags.len())
        }));
    }
    let mut lens = Vec::new();
    for t in tasks {
        lens.push(t.await.expect("task").expect("tags"));
    }
    assert!(lens.windows(2).all(|w| w[0] == w[1]));
    // Exactly one listing: its first page is the only request without `page=`.
    let first_pages = mock
        .log()
        .iter()
        .filter(|r| r.role == Role::Hub && r.path.ends_with("/tags") && !r.query.contains("page="))
        .count();
    assert_eq!(
        first_pages,
        1,
        "{:?}",
        mock_registry::summarize(&mock.log())
    );
    assert_eq!(registry.tag_fetch_count(), 1);
}

fn write_docker_config(dir: &std::path::Path, json: &serde_json::Value) {
    let docker = dir.join("docker");
    std::fs::create_dir_all(&docker).expect("docker config dir");
    std::fs::write(docker.join("config.json"), json.to_string()).expect("config.json");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_go_only_to_their_own_registry() {
    let private = vec![(
        "private/app".to_string(),
        "alice".to_string(),
        "s3cret".to_string(),
    )];
    let aliases = vec![("private/app".to_string(), "library/alpine".to_string())];
    let a = MockRegistry::start(MockOptions {
        bearer_auth: true,
        private: private.clone(),
        aliases: aliases.clone(),
        ..MockOptions::default()
    })
    .await;
    let b = MockRegistry::start(MockOptions {
        bearer_auth: true,
        ..MockOptions::default()
    })
    .await;
    let dir = tempdir();
    // alice:s3cret for registry A only.
    write_docker_config(
        dir.path(),
        &serde_json::json!({"auths": {a.registry_host.clone(): {"auth": "YWxpY2U6czNjcmV0"}}}),
    );
    // Docker Hub (docker.io) goes to A's Hub API but B's registry: A's credentials must
    // never follow.
    let mut config = client_config(&a, dir.path());
    config.endpoints.insert(
        "docker.io".to_string(),
        reqwest::Url::parse(&b.registry_url).expect("URL"),
    );
    let registry = Registry::new(config).expect("registry");

    let private_ref = image(&format!("{}/private/app:latest", a.registry_host));
    let res = registry
        .resolve(&private_ref)
        .await
        .expect("private image with credentials");
    assert_eq!(Some(res.digest), a.digest("library/alpine", "latest"));
    registry
        .resolve(&image(&format!("{}/library/python:3", b.registry_host)))
        .await
        .expect("public image on B");
    registry
        .resolve(&image("python:3"))
        .await
        .expect("Docker Hub image");
    registry
        .tags(&image("bitnami/private"))
        .await
        .expect_err("unknown Hub repository");

    let basic = |log: &[mock_registry::Recorded]| {
        log.iter()
            .filter(|r| {
                r.authorization
                    .as_deref()
                    .is_some_and(|a| a.starts_with("Basic"))
            })
            .map(|r| (r.role, r.path.clone()))
            .collect::<Vec<_>>()
    };
    let a_log = a.log();
    assert_eq!(
        basic(&a_log),
        [(Role::Auth, "/token".to_string())],
        "to A's token realm only"
    );
    assert!(
        basic(&b.log()).is_empty(),
        "B never sees A's credentials: {:?}",
        b.log()
    );
    for r in a_log.iter().chain(b.log().iter()) {
        if r.role == Role::Hub {
            assert!(
                r.authorization.is_none(),
                "the Hub API gets no credentials: {r:?}"
            );
        }
    }
    // Without credentials the private image is refused, with a clear message.
    let dir2 = tempdir();
    let anonymous = Registry::new(client_config(&a, dir2.path())).expect("registry");
    let err = anonymous.resolve(&private_ref).await.expect_err("private");
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");
    assert!(err.to_string().contains("docker login"), "{err}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_helpers_run_with_a_timeout() {
    use std::os::unix::fs::PermissionsExt;
    let a = MockRegistry::start(MockOptions {
        bearer_auth: true,
        private: vec![("private/app".into(), "alice".into(), "s3cret".into())],
        aliases: vec![("private/app".into(), "library/busybox".into())],
        ..MockOptions::default()
    })
    .await;
    let dir = tempdir();
    let helpers = dir.path().join("helpers");
    std::fs::create_dir_all(&helpers).expect("helper dir");
    let script = |name: &str, body: &str| {
        let path = helpers.join(format!("docker-credential-{name}"));
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("helper script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    script(
        "mock",
        r#"read key; echo "{\"ServerURL\":\"$key\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}""#,
    );
    script("hang", "sleep 30");
    let private_ref = image(&format!("{}/private/app:latest", a.registry_host));

    write_docker_config(
        dir.path(),
        &serde_json::json!({"credHelpers": {a.registry_host.clone(): "mock"}}),
    );
    let mut config = client_config(&a, dir.path());
    config.credential_helper_dir = Some(helpers.clone());
    let registry = Registry::new(config.clone()).expect("registry");
    let res = registry
        .resolve(&private_ref)
        .await
        .expect("credentials from the helper");
    assert_eq!(Some(res.digest), a.digest("library/busybox", "latest"));

    write_docker_config(dir.path(), &serde_json::json!({"credsStore": "hang"}));
    config.helper_timeout = Duration::from_millis(300);
    // A cache of its own: the digest the first instance resolved is on disk.
    config.cache_dir = Some(dir.path().join("second-cache"));
    let registry = Registry::new(config).expect("registry");
    let start = Instant::now();
    let err = registry
        .resolve(&private_ref)
        .await
        .expect_err("helper timed out");
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_cache_answers_a_second_instance_without_network() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempdir();
    let first = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let images = [
        image("python:3-alpine"),
        image("node:lts"),
        image(&format!("{}/library/redis:7", mock.registry_host)),
    ];
    for i in &images {
        first.tags(i).await.expect("warm");
    }
    drop(first);
    mock.clear_log();

    let second = Registry::new(client_config(&mock, dir.path())).expect("registry");
    for i in &images {
        let (list, freshness) = second.cached_tags(i).expect("from disk");
        assert_eq!(freshness, Freshness::Fresh);
        assert!(!list.tags.is_empty());
        assert_eq!(second.tags(i).await.expect("tags"), list);
    }
    second.prefetch(images.iter());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(mock.log().is_empty(), "{:?}", mock.log());

    // Offline: the disk still answers; what it lacks is an error, not a hang.
    let mut config = client_config(&mock, dir.path());
    config.offline = true;
    let offline = Registry::new(config).expect("registry");
    assert!(offline.tags(&images[0]).await.is_ok());
    let err = offline.tags(&image("golang")).await.expect_err("offline");
    assert_eq!(err, RegistryError::Offline);
    assert!(mock.log().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_puts_official_images_first() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let hits = registry.search("pyth").await.expect("search");
    assert_eq!(hits.first().map(|h| h.name.as_str()), Some("python"));
    assert!(hits[0].is_official);
    let again = registry.search("PYTH ").await.expect("search");
    assert!(Arc::ptr_eq(&hits, &again), "cached per query");
    assert_eq!(mock.count(Role::Hub, "/search/"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_docker_hub_repository_uses_the_registry_api() {
    let mock = MockRegistry::start(MockOptions {
        bearer_auth: true,
        private: vec![("acme/app".into(), "alice".into(), "s3cret".into())],
        aliases: vec![("acme/app".into(), "library/httpd".into())],
        ..MockOptions::default()
    })
    .await;
    let dir = tempdir();
    write_docker_config(
        dir.path(),
        &serde_json::json!({"auths": {mock.registry_host.clone(): {"username": "alice", "password": "s3cret"}}}),
    );
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let list = registry
        .tags(&image("acme/app"))
        .await
        .expect("private Hub repository");
    assert_eq!(list.source, TagSource::Oci);
    assert_eq!(list.tags.len(), mock.tag_names("library/httpd").len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_server_error_is_retried() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    mock.fault(FaultRule::new(Role::Registry, "/tags/list", Fault::Status(503)).times(1));
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let r = image(&format!("{}/library/busybox", mock.registry_host));
    let list = registry.tags(&r).await.expect("recovered after one retry");
    assert!(!list.tags.is_empty());
    assert_eq!(mock.count(Role::Registry, "/tags/list"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_challenge_gets_basic_credentials_directly() {
    let mock = MockRegistry::start(MockOptions {
        basic_auth: Some(("bob".into(), "hunter2".into())),
        ..MockOptions::default()
    })
    .await;
    let dir = tempdir();
    let r = image(&format!("{}/library/alpine:3", mock.registry_host));
    let anonymous = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let err = anonymous.resolve(&r).await.expect_err("needs credentials");
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");

    write_docker_config(
        dir.path(),
        &serde_json::json!({"auths": {format!("https://{}/v1/", mock.registry_host): {"auth": "Ym9iOmh1bnRlcjI="}}}),
    );
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let res = registry.resolve(&r).await.expect("resolved with Basic");
    assert_eq!(Some(res.digest), mock.digest("library/alpine", "3"));
    assert_eq!(mock.count(Role::Auth, "/"), 0, "no token service involved");
}

async fn next(events: &mut tokio::sync::broadcast::Receiver<FetchEvent>) -> FetchEvent {
    tokio::time::timeout(Duration::from_secs(20), events.recv())
        .await
        .expect("an event in time")
        .expect("an event")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_announce_their_start_and_end() {
    use dockerfile_ls::registry::{FetchKind, FetchPhase};
    let mock = MockRegistry::start(MockOptions::default()).await;
    mock.fault(FaultRule::new(Role::Hub, "/alpine/", Fault::Status(500)));
    let dir = tempdir();
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let mut events = registry.subscribe();
    registry.prefetch([&image("python:3-alpine")]);
    let started = next(&mut events).await;
    assert_eq!(started.repository, "docker.io/library/python");
    assert_eq!(started.kind, FetchKind::Tags);
    assert_eq!(started.phase, FetchPhase::Started);
    let finished = next(&mut events).await;
    assert_eq!(finished.phase, FetchPhase::Finished { ok: true });
    // The answer is in the cache by the time the end is announced.
    let cached = registry.cached_tags(&image("python:3-alpine"));
    assert!(matches!(cached, Some((_, Freshness::Fresh))));

    registry.prefetch([&image("alpine")]);
    assert_eq!(next(&mut events).await.phase, FetchPhase::Started);
    let failed = next(&mut events).await;
    assert_eq!(failed.repository, "docker.io/library/alpine");
    assert_eq!(failed.phase, FetchPhase::Finished { ok: false });

    // A digest question on a registry without digests in its lists is its own fetch.
    let oci = image(&format!("{}/library/python:3-alpine", mock.registry_host));
    assert_eq!(registry.cached_digest(&oci), None);
    let started = next(&mut events).await;
    assert_eq!(
        started.kind,
        FetchKind::Digest {
            tag: "3-alpine".into()
        }
    );
    assert_eq!(
        next(&mut events).await.phase,
        FetchPhase::Finished { ok: true }
    );
    assert_eq!(
        registry.cached_digest(&oci),
        mock.digest("library/python", "3-alpine")
    );
}
