//! Benchmark of what completion after `FROM python:` costs once the registry cache is warm:
//! a cached tag lookup plus the completion order filtered by a typed prefix, median per
//! call; and a cold start that answers from the disk cache without touching the network.
//! Runs against the mock registry on 127.0.0.1 (see `tests/mock_registry`).

#[path = "../tests/mock_registry/mod.rs"]
mod mock_registry;

use std::hint::black_box;
use std::time::{Duration, Instant};

use dockerfile_ls::model::image_ref;
use dockerfile_ls::registry::Registry;
use mock_registry::{MockOptions, MockRegistry, client_config};

const CALLS: usize = 5_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<44} median {:>9.2?}  p90 {:>9.2?}  p99 {:>9.2?}  ({} calls)",
        percentile(&samples, 0.5),
        percentile(&samples, 0.9),
        percentile(&samples, 0.99),
        samples.len()
    );
}

/// Completion after `FROM <image>:<prefix>`: what the LSP handler will do with the cache.
fn complete(registry: &Registry, image: &image_ref::ImageRef, prefix: &str) -> usize {
    let Some((list, _freshness)) = registry.cached_tags(image) else {
        return 0;
    };
    // What an LSP completion item needs: the label and a detail line.
    let items: Vec<(&str, usize, Option<&str>)> = list
        .completion_order()
        .filter(|t| t.name.starts_with(prefix))
        .take(100)
        .map(|t| {
            (
                t.name.as_str(),
                t.platforms.len(),
                t.last_updated.as_deref(),
            )
        })
        .collect();
    black_box(&items);
    items.len()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temporary directory");
    let mock = rt.block_on(MockRegistry::start(MockOptions::default()));
    let images: Vec<_> = ["python:3", "node:lts", "eclipse-temurin:21", "golang:1.26"]
        .iter()
        .map(|s| image_ref::parse(s).expect("valid reference"))
        .collect();

    let registry = rt.block_on(async {
        let registry = Registry::new(client_config(&mock, dir.path())).expect("registry");
        for i in &images {
            registry.tags(i).await.expect("warm the cache");
        }
        registry
    });
    let _guard = rt.enter();
    for (image, prefix) in [(&images[0], ""), (&images[0], "3.1"), (&images[2], "21")] {
        // Warm up caches and the CPU before measuring.
        for _ in 0..CALLS / 5 {
            black_box(complete(&registry, image, prefix));
        }
        let mut samples = Vec::with_capacity(CALLS);
        let mut items = 0;
        for _ in 0..CALLS {
            let start = Instant::now();
            items = black_box(complete(&registry, image, prefix));
            samples.push(start.elapsed());
        }
        let n = rt
            .block_on(registry.tags(image))
            .map(|l| l.tags.len())
            .unwrap_or(0);
        report(
            &format!(
                "warm {}:{prefix} ({items} items of {n} tags)",
                image.familiar_name()
            ),
            samples,
        );
    }

    // Cold start: a new server process with the same disk cache.
    drop(registry);
    mock.clear_log();
    let mut samples = Vec::new();
    for _ in 0..20 {
        let cold = Registry::new(client_config(&mock, dir.path())).expect("registry");
        let start = Instant::now();
        let n = complete(&cold, &images[0], "3.1");
        samples.push(start.elapsed());
        assert!(n > 0, "the disk cache answers");
    }
    report("cold start from disk, first completion python:3.1", samples);
    rt.block_on(tokio::time::sleep(Duration::from_millis(100)));
    let requests = mock.log().len();
    println!("network requests during cold starts: {requests}");
    assert_eq!(requests, 0, "a warm disk cache needs no network");
}
