//! The pin and update algorithm on the real official-images tag lists, served by the mock
//! registry: through Docker Hub's API (digests in the list) and through the OCI API (HEAD
//! probes within a budget), a tag that moved (older snapshot → current), and the edits.

mod mock_registry;

use dockerfile_ls::model::image_ref::{self, ImageRef};
use dockerfile_ls::registry::{Partial, PinPlan, Registry, pin};
use mock_registry::{MockOptions, MockRegistry, Role, client_config};

fn image(s: &str) -> ImageRef {
    image_ref::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

async fn setup() -> (MockRegistry, Registry, tempfile::TempDir) {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    (mock, registry, dir)
}

async fn plan(registry: &Registry, reference: &str) -> PinPlan {
    registry
        .pin(&image(reference))
        .await
        .unwrap_or_else(|e| panic!("{reference}: {e}"))
}

/// (reference, preferred pin, same-variant pin, snapshot)
type Case = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const HUB_CASES: &[Case] = &[
    (
        "python:3-alpine",
        Some("3.14.7-alpine3.24"),
        Some("3.14.7-alpine"),
        None,
    ),
    ("python", Some("3.14.7"), None, None),
    ("python:latest", Some("3.14.7"), None, None),
    (
        "python:3.15-rc-alpine",
        Some("3.15.0rc1-alpine3.24"),
        Some("3.15.0rc1-alpine"),
        None,
    ),
    ("python:3.15-rc", Some("3.15.0rc1"), None, None),
    ("node:lts", Some("24.19.0-bookworm"), Some("24.19.0"), None),
    (
        "node:current-alpine",
        Some("26.7.0-alpine3.24"),
        Some("26.7.0-alpine"),
        None,
    ),
    (
        "nginx:stable-alpine",
        Some("1.30.4-alpine3.24"),
        Some("1.30.4-alpine"),
        None,
    ),
    ("golang:1.22", Some("1.22.12"), None, None),
    ("golang:1.26", Some("1.26.7"), None, None),
    (
        "golang:tip-alpine",
        Some("tip-20260815-alpine3.24"),
        None,
        None,
    ),
    (
        "ubuntu:latest",
        Some("26.04"),
        None,
        Some("resolute-20260811.1"),
    ),
    (
        "debian:bookworm-slim",
        Some("12.15-slim"),
        None,
        Some("bookworm-20260803-slim"),
    ),
    ("postgres:16", Some("16.15-trixie"), Some("16.15"), None),
    (
        "postgres:alpine",
        Some("18.6-alpine3.24"),
        Some("18.6-alpine"),
        None,
    ),
    ("redis:7", Some("7.4.11-bookworm"), Some("7.4.11"), None),
    ("alpine:3", Some("3.24.1"), None, None),
    ("rust:1", Some("1.98.0-trixie"), Some("1.98.0"), None),
    (
        "rust:slim",
        Some("1.98.0-slim-trixie"),
        Some("1.98.0-slim"),
        None,
    ),
    ("eclipse-temurin:21", Some("21.0.12_8-jdk"), None, None),
    (
        "eclipse-temurin:21-jre-alpine",
        Some("21.0.12_8-jre-alpine-3.24"),
        Some("21.0.12_8-jre-alpine"),
        None,
    ),
    (
        "eclipse-temurin:8-jdk-alpine",
        Some("8u502-b07-jdk-alpine-3.24"),
        Some("8u502-b07-jdk-alpine"),
        None,
    ),
    ("busybox", Some("1.38.0"), None, None),
    ("busybox:musl", Some("1.38.0-musl"), None, None),
    // Already the most specific: only a digest pin.
    ("python:3.14.7-alpine3.24", None, None, None),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pins_on_docker_hub_data() {
    let (mock, registry, _dir) = setup().await;
    let mut failures = Vec::new();
    for (reference, preferred, same_variant, snapshot) in HUB_CASES {
        let p = plan(&registry, reference).await;
        let r = image(reference);
        let repo = r.repository.clone();
        assert_eq!(
            Some(p.resolution.digest.clone()),
            mock.digest(&repo, r.tag_or_latest()),
            "{reference}"
        );
        let got = (
            p.targets.preferred.as_deref(),
            p.targets.same_variant.as_deref(),
            p.targets.snapshot.as_deref(),
        );
        if got != (*preferred, *same_variant, *snapshot) {
            failures.push(format!(
                "{reference}: got {got:?}, want {:?}",
                (preferred, same_variant, snapshot)
            ));
        }
        // Every target is the same image.
        for t in [
            &p.targets.preferred,
            &p.targets.same_variant,
            &p.targets.snapshot,
        ]
        .into_iter()
        .flatten()
        {
            assert_eq!(
                mock.digest(&repo, t),
                Some(p.resolution.digest.clone()),
                "{reference} → {t}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // One tag list per repository, whatever the number of references.
    let lists = mock
        .log()
        .iter()
        .filter(|r| r.role == Role::Hub && r.path.ends_with("/tags") && !r.query.contains("page="))
        .count();
    assert_eq!(lists, 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_image_hover_data() {
    let (_mock, registry, _dir) = setup().await;
    let p = plan(&registry, "python:3-alpine").await;
    let mut same = p.targets.same_image.clone();
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
    assert_eq!(
        p.targets.same_image[0], "3.14.7-alpine3.24",
        "most specific first"
    );
    let info = p.resolution.info.expect("tag details from the list");
    assert!(!info.platforms.iter().any(|p| p.os == "unknown"));
    assert_eq!(info.platforms.len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_keep_the_shape() {
    let (mock, registry, _dir) = setup().await;
    // Stale tags from the older snapshot are still listed, so updates can be computed for them.
    mock.use_old_snapshot("library/python", false);
    let p = plan(&registry, "python:3.12.8-alpine3.21").await;
    assert_eq!(p.updates.within_major.as_deref(), Some("3.13.1-alpine3.21"));
    assert_eq!(p.updates.major, None);
    let p = plan(&registry, "golang:1.22").await;
    assert_eq!(p.updates.within_major.as_deref(), Some("1.27"));
    let p = plan(&registry, "node:22-alpine").await;
    assert_eq!(p.updates.within_major, None);
    assert_eq!(p.updates.major.as_deref(), Some("26-alpine"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_tag_gets_a_digest_refresh() {
    let (mock, registry, _dir) = setup().await;
    mock.use_old_snapshot("library/python", true);
    let then = plan(&registry, "python:3-alpine").await;
    assert_eq!(then.targets.preferred.as_deref(), Some("3.13.1-alpine3.21"));
    assert_eq!(then.targets.same_variant.as_deref(), Some("3.13.1-alpine"));
    let old_digest = then.resolution.digest.clone();

    // The tag moves; the reference pinned back then is now outdated.
    mock.use_old_snapshot("library/python", false);
    let pinned = image(&format!("python:3-alpine@{old_digest}"));
    let cached = registry.resolve(&pinned).await.expect("resolved");
    assert_eq!(
        cached.pinned_digest_current,
        Some(true),
        "cached within its time to live"
    );
    let now = registry.resolve_fresh(&pinned).await.expect("resolved");
    assert_eq!(now.pinned_digest_current, Some(false));
    assert_ne!(now.digest, old_digest);
    let edit = pin::digest_edit(&pinned, &now.digest);
    assert_eq!(
        edit.apply(&pinned.source),
        format!("python:3-alpine@{}", now.digest)
    );
    let edit = pin::tag_edit(&pinned, "3.14.7-alpine3.24", Some(&now.digest));
    assert_eq!(
        edit.apply(&pinned.source),
        format!("python:3.14.7-alpine3.24@{}", now.digest)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pins_through_the_oci_api_with_few_heads() {
    let mock = MockRegistry::start(MockOptions {
        bearer_auth: true,
        ..MockOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    let host = mock.registry_host.clone();
    for (reference, preferred, same_variant) in [
        (
            "python:3-alpine",
            "3.14.7-alpine3.24",
            Some("3.14.7-alpine"),
        ),
        ("python", "3.14.7", None),
        (
            "nginx:stable-alpine",
            "1.30.4-alpine3.24",
            Some("1.30.4-alpine"),
        ),
        ("node:lts", "24.19.0-bookworm", Some("24.19.0")),
        ("golang:1.26", "1.26.7", None),
    ] {
        mock.clear_log();
        let p = plan(&registry, &format!("{host}/library/{reference}")).await;
        assert_eq!(
            p.targets.preferred.as_deref(),
            Some(preferred),
            "{reference}"
        );
        assert_eq!(
            p.targets.same_variant.as_deref(),
            same_variant,
            "{reference}"
        );
        let log = mock.log();
        let heads: Vec<_> = log.iter().filter(|r| r.method == "HEAD").collect();
        // One HEAD resolves the tag; the probes stay within the budget of 6 + 4.
        assert!(
            heads.len() <= 1 + 10 + 1,
            "{reference}: {} HEADs",
            heads.len()
        );
        for h in heads {
            assert!(
                h.accept
                    .as_deref()
                    .is_some_and(|a| a.contains("image.index.v1+json"))
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn platforms_for_hover() {
    let (mock, registry, _dir) = setup().await;
    // Docker Hub: from the tag data, no registry request (a GET would count as a pull).
    let hub = registry
        .platforms(&image("golang:1.26"))
        .await
        .expect("platforms");
    assert!(hub.iter().any(|p| p.os == "windows"), "{hub:?}");
    assert_eq!(mock.count(Role::Registry, "/"), 0);
    // Another registry: one GET of the index, cached by digest.
    let r = image(&format!("{}/library/python:3-alpine", mock.registry_host));
    let oci = registry.platforms(&r).await.expect("platforms");
    let names: Vec<String> = oci.iter().map(|p| p.display()).collect();
    assert_eq!(names.len(), 8, "{names:?}");
    assert!(names.contains(&"linux/arm/v6".to_string()));
    registry.platforms(&r).await.expect("platforms");
    let gets = mock
        .log()
        .iter()
        .filter(|l| l.method == "GET" && l.path.contains("/manifests/"))
        .count();
    assert_eq!(gets, 1);
}

/// A registry that lists only names, as Docker Hub's registry does (`text/plain`, opaque
/// `last=` cursors in `Link`), small pages, bearer tokens.
async fn names_only_registry() -> (MockRegistry, Registry, tempfile::TempDir) {
    let mock = MockRegistry::start(MockOptions {
        bearer_auth: true,
        hub_style_tags_list: true,
        oci_page_cap: Some(10),
        ..MockOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
    (mock, registry, dir)
}

/// The tags HEAD-probed while pinning, in order (the reference's own HEAD excluded).
fn probed(mock: &MockRegistry, own: &str) -> Vec<String> {
    mock.log()
        .iter()
        .filter(|r| r.method == "HEAD")
        .filter_map(|r| {
            r.path
                .rsplit_once("/manifests/")
                .map(|(_, t)| t.to_string())
        })
        .filter(|t| t != own)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_less_tags_on_a_names_only_registry() {
    let (mock, registry, dir) = names_only_registry().await;
    let host = mock.registry_host.clone();
    // The whole list is read through ten-tag pages and opaque cursors.
    let list = registry
        .tags(&image(&format!("{host}/archive/ubuntu")))
        .await
        .expect("tags");
    assert!(list.complete);
    assert_eq!(list.tags.len(), mock.tag_names("archive/ubuntu").len());
    assert!(list.tags.len() > 30, "{}", list.tags.len());

    // (tag, pin, the probes it may take): a codename and `devel` are the newest release,
    // `latest` the newest version sharing its digest (16.04, after 17.10, 17.04, 16.10).
    for (tag, want, most) in [
        ("artful", "17.10", 1),
        ("devel", "17.10", 1),
        ("latest", "16.04", 4),
    ] {
        // A registry layer of its own, so that no probe is answered from another's cache.
        let mut config = client_config(&mock, dir.path());
        config.cache_dir = None;
        let registry = Registry::new(config).expect("registry");
        mock.clear_log();
        let p = plan(&registry, &format!("{host}/archive/ubuntu:{tag}")).await;
        assert_eq!(p.targets.preferred.as_deref(), Some(want), "{tag}: {p:#?}");
        assert_eq!(
            mock.digest("archive/ubuntu", want),
            Some(p.resolution.digest.clone()),
            "{tag}"
        );
        let probes = probed(&mock, tag);
        assert!(probes.len() <= most, "{tag}: probed {probes:?}");
        assert_eq!(probes.last().map(String::as_str), Some(want), "{tag}");
    }

    // `stable` on a repository with one major line, and the variant words after.
    mock.clear_log();
    let p = plan(&registry, &format!("{host}/library/nginx:stable")).await;
    assert_eq!(p.targets.preferred.as_deref(), Some("1.30.4-trixie"));
    assert_eq!(p.targets.same_variant.as_deref(), Some("1.30.4"));
    let probes = probed(&mock, "stable");
    assert!(probes.len() <= 6 + 2 + 4, "{probes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_hub_tags_are_placed_by_their_platform_digests() {
    let (mock, registry, _dir) = setup().await;
    let rust = image("rust");
    let list = registry.tags(&rust).await.expect("tags");
    // The listing mixes records with an index digest and old ones without.
    let old = list.get("1.44-slim").expect("an old tag");
    assert_eq!(old.digest, None);
    assert!(old.platform_digests().is_some(), "{old:?}");
    assert!(list.get("1-slim").and_then(|t| t.digest.as_ref()).is_some());

    mock.clear_log();
    let p = plan(&registry, "rust:1.44-slim").await;
    assert_eq!(p.targets.same_variant.as_deref(), Some("1.44.1-slim"));
    assert_eq!(p.targets.preferred.as_deref(), Some("1.44.1-slim-buster"));
    assert!(!p.targets.same_image.iter().any(|t| t == "1.44.0-slim"));
    for t in [&p.targets.preferred, &p.targets.same_variant]
        .into_iter()
        .flatten()
    {
        assert_eq!(
            mock.digest("library/rust", t),
            mock.digest("library/rust", "1.44-slim"),
            "{t}"
        );
    }
    // The listing decided: not one request (the list was cached), no HEAD.
    assert!(
        mock.log().is_empty(),
        "{:#?}",
        mock_registry::summarize(&mock.log())
    );
    // A digest pin needs the index digest, which only the registry has.
    let r = registry
        .resolve(&image("rust:1.44-slim"))
        .await
        .expect("resolved");
    assert_eq!(Some(r.digest), mock.digest("library/rust", "1.44-slim"));
    assert_eq!(mock.count(Role::Registry, "/manifests/1.44-slim"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_refusing_pages_past_offset_1000_keeps_the_pages_read() {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let sprawl = image("archive/sprawl");
    let listings = |mock: &MockRegistry| {
        mock.log()
            .iter()
            .filter(|r| r.role == Role::Hub && r.path.ends_with("/tags"))
            .count()
    };

    // Asked for more pages than Docker Hub gives an anonymous client: the 403 on the 11th
    // keeps the first ten, and is not "unauthorized" (no fallback to the registry).
    let mut config = client_config(&mock, dir.path());
    config.hub_max_pages = 20;
    config.cache_dir = None;
    let registry = Registry::new(config).expect("registry");
    let list = registry.tags(&sprawl).await.expect("the pages read");
    assert_eq!(list.tags.len(), 1000);
    assert!(!list.complete);
    match &list.partial {
        Some(Partial::Refused { pages, detail }) => {
            assert_eq!(*pages, 10);
            assert!(detail.contains("pagination offset too large"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(listings(&mock), 11);
    assert_eq!(mock.count(Role::Registry, "/"), 0);

    // The default cap stays within the limit: ten pages, no refused request.
    mock.clear_log();
    let mut config = client_config(&mock, dir.path());
    config.cache_dir = None;
    let registry = Registry::new(config).expect("registry");
    let list = registry.tags(&sprawl).await.expect("tags");
    assert_eq!(list.tags.len(), 1000);
    assert_eq!(list.partial, Some(Partial::PageCap { pages: 10 }));
    assert_eq!(listings(&mock), 10);
}
