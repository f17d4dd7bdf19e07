//! Wall time of `dockerfile-ls pin --check` (the real binary) on files of 40 and 44 image
//! references: with every registry unreachable (a closed port), against the mock registry
//! with an empty cache, `--offline` from the cache that run left, and against the mock with
//! 50 ms added to every answer (a registry on the internet). Median of several runs each. `DOCKERFILE_LS_BIN` runs another build of the binary (e.g. an older one, to
//! compare); `PIN_BENCH_RUNS` sets the number of runs (default 5).

#[path = "../tests/mock_registry/mod.rs"]
mod mock_registry;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mock_registry::{Fault, FaultRule, MockOptions, MockRegistry, Role};

fn binary() -> PathBuf {
    std::env::var_os("DOCKERFILE_LS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dockerfile-ls")))
}

/// 44 references to images the mock's data has, as a project's Dockerfiles name them.
const REFERENCES: [&str; 44] = [
    "python:3-alpine",
    "python",
    "python:3.15-rc-alpine",
    "python:3.14.7-alpine3.24",
    "node:lts",
    "node:current-alpine",
    "node:22-alpine",
    "node:24",
    "nginx:stable-alpine",
    "nginx:mainline",
    "nginx:alpine",
    "golang:1.22",
    "golang:1.26",
    "golang:tip-alpine",
    "golang:alpine",
    "ubuntu:latest",
    "ubuntu:22.04",
    "ubuntu:jammy",
    "ubuntu:noble",
    "debian:bookworm-slim",
    "debian:trixie",
    "debian:stable-slim",
    "postgres:16",
    "postgres:17",
    "postgres:alpine",
    "redis:7",
    "redis:alpine",
    "alpine:3",
    "alpine:latest",
    "rust:1",
    "rust:slim",
    "rust:1.44-slim",
    "eclipse-temurin:21",
    "eclipse-temurin:21-jre-alpine",
    "eclipse-temurin:8-jdk-alpine",
    "busybox",
    "busybox:musl",
    "httpd:2.4",
    "httpd:alpine",
    "mysql:8",
    "mysql:lts",
    "php:8-fpm",
    "php:apache",
    "php:8.4-cli",
];

/// The first `count` of [`REFERENCES`], one FROM each.
fn references(count: usize) -> String {
    REFERENCES
        .iter()
        .take(count)
        .enumerate()
        .map(|(n, r)| format!("FROM {r} AS s{n}\n"))
        .collect()
}

/// One run: its wall time and exit code.
fn run(file: &Path, hub: &str, registry: &str, cache: &Path, offline: bool) -> (Duration, i32) {
    let mut cmd = Command::new(binary());
    cmd.arg("pin").arg("--check");
    if offline {
        cmd.arg("--offline");
    }
    cmd.arg(file)
        .env("DOCKERFILE_LS_DOCKERHUB_API", hub)
        .env(
            "DOCKERFILE_LS_REGISTRY_ENDPOINTS",
            format!("{{\"docker.io\": \"{registry}\"}}"),
        )
        .env("DOCKERFILE_LS_CACHE_DIR", cache)
        .env("DOCKER_CONFIG", cache.join("no-docker-config"))
        .env("DOCKERFILE_LS_LOG", "error");
    let started = Instant::now();
    let out = cmd.output().expect("run dockerfile-ls pin");
    (started.elapsed(), out.status.code().unwrap_or(-1))
}

fn report(name: &str, mut samples: Vec<Duration>, codes: &[i32]) {
    samples.sort();
    let median = samples[samples.len() / 2];
    println!(
        "{name:<52} median {median:>9.2?}  min {:>9.2?}  max {:>9.2?}  exit {codes:?}",
        samples[0],
        samples[samples.len() - 1],
    );
}

fn main() {
    let runs: usize = std::env::var("PIN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    println!("binary: {}", binary().display());
    let dir = tempfile::tempdir().expect("temporary directory");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mock = rt.block_on(MockRegistry::start(MockOptions::default()));
    // The same data 50 ms away, as a registry on the internet is.
    let far = rt.block_on(MockRegistry::start(MockOptions::default()));
    for role in [Role::Hub, Role::Registry] {
        far.fault(FaultRule::new(
            role,
            "",
            Fault::Delay(Duration::from_millis(50)),
        ));
    }
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| format!("http://{a}"))
        .expect("a free port");

    for count in [40, 44] {
        let file = dir.path().join(format!("Dockerfile.{count}"));
        std::fs::write(&file, references(count)).expect("write the Dockerfile");
        let (mut times, mut codes) = (Vec::new(), Vec::new());
        for i in 0..runs {
            let cache = dir.path().join(format!("unreachable-{count}-{i}"));
            let (t, code) = run(&file, &closed, &closed, &cache, false);
            times.push(t);
            codes.push(code);
        }
        report(
            &format!("{count} references, registry unreachable"),
            times,
            &codes,
        );

        let (mut cold, mut offline, mut codes) = (Vec::new(), Vec::new(), Vec::new());
        let (mut asked, mut asked_offline) = (Vec::new(), Vec::new());
        for i in 0..runs {
            let cache = dir.path().join(format!("mock-{count}-{i}"));
            mock.clear_log();
            let (t, code) = run(&file, &mock.hub_url, &mock.registry_url, &cache, false);
            asked.push(mock.log().len());
            cold.push(t);
            codes.push(code);
            mock.clear_log();
            let (t, code) = run(&file, &mock.hub_url, &mock.registry_url, &cache, true);
            asked_offline.push(mock.log().len());
            offline.push(t);
            codes.push(code);
        }
        println!("requests per run: empty cache {asked:?}, --offline {asked_offline:?}");
        report(
            &format!("{count} references, mock registry, empty cache"),
            cold,
            &codes,
        );
        report(
            &format!("{count} references, --offline from that cache"),
            offline,
            &codes,
        );

        let (mut times, mut codes) = (Vec::new(), Vec::new());
        for i in 0..runs {
            let cache = dir.path().join(format!("far-{count}-{i}"));
            let (t, code) = run(&file, &far.hub_url, &far.registry_url, &cache, false);
            times.push(t);
            codes.push(code);
        }
        report(
            &format!("{count} references, 50 ms away, empty cache"),
            times,
            &codes,
        );
    }
}
