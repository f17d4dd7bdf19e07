//! Base image configurations through the registry layer: the tag's index, the platform's
//! manifest, then the config blob (checked against its digest), fetched in the background
//! and cached by digest, over real HTTP on 127.0.0.1.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use dockerfile_ls::model::image_ref;
use dockerfile_ls::registry::{Registry, RegistryConfig};
use serde_json::json;
use sha2::{Digest as _, Sha256};

fn digest(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// What the server answers, by path, with its media type.
struct Content {
    paths: BTreeMap<String, (String, Vec<u8>)>,
    requests: AtomicUsize,
}

fn content(corrupt_blob: bool) -> (Content, String) {
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/bin", "APP_UID=1654"], "Shell": ["pwsh", "-c"]}
    }))
    .unwrap_or_default();
    let config_digest = digest(&config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": []
    }))
    .unwrap_or_default();
    let manifest_digest = digest(&manifest);
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000",
             "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "platform": {"os": "linux", "architecture": "arm64"}},
            {"digest": manifest_digest,
             "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "platform": {"os": "linux", "architecture": "amd64"}}
        ]
    }))
    .unwrap_or_default();
    let index_digest = digest(&index);
    let index_type = "application/vnd.oci.image.index.v1+json".to_string();
    let manifest_type = "application/vnd.oci.image.manifest.v1+json".to_string();
    let blob = if corrupt_blob {
        b"{\"os\": \"tampered\"}".to_vec()
    } else {
        config
    };
    let mut paths = BTreeMap::new();
    paths.insert(
        "/v2/team/app/manifests/1".to_string(),
        (index_type.clone(), index.clone()),
    );
    paths.insert(
        format!("/v2/team/app/manifests/{index_digest}"),
        (index_type, index),
    );
    paths.insert(
        format!("/v2/team/app/manifests/{manifest_digest}"),
        (manifest_type, manifest),
    );
    paths.insert(
        format!("/v2/team/app/blobs/{config_digest}"),
        ("application/octet-stream".to_string(), blob),
    );
    (
        Content {
            paths,
            requests: AtomicUsize::new(0),
        },
        index_digest,
    )
}

async fn serve(content: Arc<Content>) -> String {
    let handler = move |req: Request<Body>| {
        let content = Arc::clone(&content);
        async move {
            content.requests.fetch_add(1, Ordering::SeqCst);
            let path = req.uri().path().to_string();
            match content.paths.get(&path) {
                Some((media_type, body)) => Response::builder()
                    .status(StatusCode::OK)
                    .header("content-type", media_type.as_str())
                    .header("docker-content-digest", digest(body))
                    .body(Body::from(if req.method() == "HEAD" {
                        Vec::new()
                    } else {
                        body.clone()
                    }))
                    .unwrap_or_default(),
                None => Response::builder()
                    .status(StatusCode::NOT_FOUND)
                    .body(Body::from("{\"errors\":[{\"code\":\"NOT_FOUND\"}]}"))
                    .unwrap_or_default(),
            }
        }
    };
    let app = Router::new().fallback(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("127.0.0.1:{}", addr.port())
}

fn config() -> RegistryConfig {
    RegistryConfig {
        cache_dir: None,
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry_delays: vec![Duration::from_millis(20)],
        error_ttl: Duration::from_millis(200),
        ..Default::default()
    }
}

/// Asks until the configuration is cached (the first asks start background fetches).
async fn wait_config(
    registry: &Registry,
    reference: &str,
    platform: &str,
) -> Option<Arc<dockerfile_ls::registry::image_config::ImageConfigInfo>> {
    let image = image_ref::parse(reference).unwrap_or_else(|e| panic!("{reference}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(found) = registry.cached_config(&image, platform) {
            return Some(found);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_config_is_read_through_the_index() {
    let (content, _) = content(false);
    let content = Arc::new(content);
    let host = serve(Arc::clone(&content)).await;
    let registry = Registry::new(config()).unwrap_or_else(|e| panic!("{e}"));
    let reference = format!("{host}/team/app:1");
    let found = wait_config(&registry, &reference, "linux/amd64")
        .await
        .expect("the configuration arrives");
    assert_eq!(found.env, ["PATH=/usr/bin", "APP_UID=1654"]);
    assert_eq!(found.shell, ["pwsh", "-c"]);
    assert_eq!(found.platform(), "linux/amd64");
    // Cached by digest: asking again sends nothing.
    let before = content.requests.load(Ordering::SeqCst);
    let image = image_ref::parse(&reference).unwrap_or_else(|e| panic!("{e}"));
    assert!(registry.cached_config(&image, "linux/amd64").is_some());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(content.requests.load(Ordering::SeqCst), before);
    // A platform the index does not have gives nothing (and no panic).
    assert!(
        wait_short(&registry, &reference, "windows/amd64")
            .await
            .is_none()
    );
}

async fn wait_short(
    registry: &Registry,
    reference: &str,
    platform: &str,
) -> Option<Arc<dockerfile_ls::registry::image_config::ImageConfigInfo>> {
    let image = image_ref::parse(reference).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..25 {
        if let Some(found) = registry.cached_config(&image, platform) {
            return Some(found);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_that_does_not_match_its_digest_is_refused() {
    let (content, index_digest) = content(true);
    let host = serve(Arc::new(content)).await;
    let registry = Registry::new(config()).unwrap_or_else(|e| panic!("{e}"));
    let reference = format!("{host}/team/app@{index_digest}");
    assert!(
        wait_short(&registry, &reference, "linux/amd64")
            .await
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_asks_nothing() {
    let (content, _) = content(false);
    let content = Arc::new(content);
    let host = serve(Arc::clone(&content)).await;
    let registry = Registry::new(RegistryConfig {
        offline: true,
        ..config()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let reference = format!("{host}/team/app:1");
    assert!(
        wait_short(&registry, &reference, "linux/amd64")
            .await
            .is_none()
    );
    assert_eq!(content.requests.load(Ordering::SeqCst), 0);
}
