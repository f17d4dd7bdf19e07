//! `dockerfile-ls pin` end to end: the real binary, pointed at the mock registry through the
//! `DOCKERFILE_LS_*` environment variables: the diff, `--digest`, `--write`, `--check` exit
//! codes, and a tag from an ARG default pinned in the ARG.

mod mock_registry;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use mock_registry::{MockOptions, MockRegistry};

/// Runs the binary with the mock's endpoints and a private cache and Docker config.
async fn pin(mock: &MockRegistry, dir: &Path, args: &[&str]) -> Output {
    pin_at(&mock.hub_url, &mock.registry_url, dir, args).await
}

/// Runs the binary with these Docker Hub API and `docker.io` registry endpoints.
async fn pin_at(hub: &str, registry: &str, dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockerfile-ls"));
    cmd.arg("pin")
        .args(args)
        .env("DOCKERFILE_LS_DOCKERHUB_API", hub)
        .env(
            "DOCKERFILE_LS_REGISTRY_ENDPOINTS",
            serde_json::json!({"docker.io": registry}).to_string(),
        )
        .env("DOCKERFILE_LS_CACHE_DIR", dir.join("cache"))
        .env("DOCKER_CONFIG", dir.join("docker"))
        .env("DOCKERFILE_LS_LOG", "warn");
    tokio::task::spawn_blocking(move || cmd.output().expect("run dockerfile-ls pin"))
        .await
        .expect("join")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn setup(content: &str) -> (MockRegistry, tempfile::TempDir, String) {
    let mock = MockRegistry::start(MockOptions::default()).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("Dockerfile");
    std::fs::write(&file, content).expect("write Dockerfile");
    let file = file.to_string_lossy().into_owned();
    (mock, dir, file)
}

#[tokio::test(flavor = "multi_thread")]
async fn prints_a_diff_by_default() {
    let (mock, dir, file) = setup("FROM python:3-alpine AS build\nRUN true\n").await;
    let out = pin(&mock, dir.path(), &[&file]).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout
            .contains("-FROM python:3-alpine AS build\n+FROM python:3.14.7-alpine3.24 AS build\n"),
        "{stdout}"
    );
    // Paths as given, here absolute (`patch -p0` applies the diff).
    assert!(
        stdout.contains(&format!("--- {file}\n+++ {file}\n")),
        "{stdout}"
    );
    // The file is left alone.
    let after = std::fs::read_to_string(&file).expect("read");
    assert_eq!(after, "FROM python:3-alpine AS build\nRUN true\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn digest_pins_keep_the_pinned_tag() {
    let (mock, dir, file) = setup("FROM python:3-alpine\n").await;
    let digest = mock
        .digest("library/python", "3-alpine")
        .expect("the mock knows python:3-alpine");
    let out = pin(&mock, dir.path(), &["--digest", &file]).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout.contains(&format!("+FROM python:3.14.7-alpine3.24@{digest}\n")),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn write_rewrites_and_check_then_passes() {
    let content =
        "FROM python:3-alpine\nFROM node:lts AS n\nCOPY --from=nginx:stable-alpine /a /b\n";
    let (mock, dir, file) = setup(content).await;

    let out = pin(&mock, dir.path(), &["--check", &file]).await;
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("python:3-alpine is not pinned"), "{stdout}");
    assert!(stdout.contains(":2:6: node:lts is not pinned"), "{stdout}");
    assert!(
        stdout.contains("nginx:stable-alpine is not pinned"),
        "{stdout}"
    );

    let out = pin(&mock, dir.path(), &["--write", &file]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        after,
        "FROM python:3.14.7-alpine3.24\nFROM node:24.19.0-bookworm AS n\n\
         COPY --from=nginx:1.30.4-alpine3.24 /a /b\n"
    );

    let out = pin(&mock, dir.path(), &["--check", &file]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // With --digest the tags still lack digests.
    let out = pin(&mock, dir.path(), &["--check", "--digest", &file]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tag_from_an_arg_default_is_pinned_in_the_arg() {
    let content = "ARG PY=3-alpine\nFROM python:${PY}\nFROM python:$PY AS again\n";
    let (mock, dir, file) = setup(content).await;
    let out = pin(&mock, dir.path(), &["--write", &file]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        after,
        "ARG PY=3.14.7-alpine3.24\nFROM python:${PY}\nFROM python:$PY AS again\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_registry_is_an_error_not_a_hang() {
    let (mock, dir, file) = setup("FROM python:3-alpine\n").await;
    mock.fault(mock_registry::FaultRule::new(
        mock_registry::Role::Hub,
        "",
        mock_registry::Fault::Status(500),
    ));
    mock.fault(mock_registry::FaultRule::new(
        mock_registry::Role::Registry,
        "",
        mock_registry::Fault::Status(500),
    ));
    let out = pin(&mock, dir.path(), &["--check", &file]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("python:3-alpine"),
        "{}",
        text(&out.stderr)
    );
}

/// Forty references to images of the mock's data, each a different one.
fn forty_references() -> String {
    let images = [
        "python", "node", "golang", "rust", "nginx", "redis", "postgres", "alpine",
    ];
    let tags = ["latest", "alpine", "1", "2", "3"];
    let mut text = String::new();
    for (i, image) in images.iter().enumerate() {
        for tag in tags {
            text.push_str(&format!("FROM {image}:{tag} AS s{i}{tag}\n"));
        }
    }
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_registry_is_said_once_and_not_asked_again() {
    let (_mock, dir, file) = setup(&forty_references()).await;
    // A port nothing listens on: every connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let url = format!("http://{closed}");
    let started = Instant::now();
    let out = pin_at(&url, &url, dir.path(), &["--check", &file]).await;
    let took = started.elapsed();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains(&format!("cannot reach {closed}")),
        "{stderr}"
    );
    assert!(
        lines[0].contains("(40 reference(s) not looked up)"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(2), "40 references took {took:?}");
    assert!(text(&out.stdout).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_pins_from_a_warm_cache_without_a_request() {
    let (mock, dir, file) = setup("").await;
    let content = format!(
        "FROM python:3-alpine\nFROM node:lts AS n\nFROM {}/library/nginx:stable-alpine\n",
        mock.registry_host
    );
    std::fs::write(&file, &content).expect("write Dockerfile");
    let online = pin(&mock, dir.path(), &[&file]).await;
    assert!(online.status.success(), "{}", text(&online.stderr));
    assert!(
        text(&online.stdout).contains("nginx:1.30.4-alpine3.24"),
        "{}",
        text(&online.stdout)
    );

    mock.clear_log();
    let offline = pin(&mock, dir.path(), &["--offline", &file]).await;
    assert!(offline.status.success(), "{}", text(&offline.stderr));
    assert_eq!(text(&offline.stdout), text(&online.stdout));
    assert!(
        mock.log().is_empty(),
        "{:#?}",
        mock_registry::summarize(&mock.log())
    );

    // What the cache does not know is an error that says so, still without a request.
    std::fs::write(&file, format!("{content}FROM redis:7\n")).expect("write Dockerfile");
    let out = pin(&mock, dir.path(), &["--offline", &file]).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(":4:6: error: redis:7: the registry cache does not know it"),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains("python:3.14.7-alpine3.24"));
    assert!(
        mock.log().is_empty(),
        "{:#?}",
        mock_registry::summarize(&mock.log())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_hub_tag_is_pinned_from_the_listing_and_its_digest_asked_for() {
    let (mock, dir, file) = setup("FROM rust:1.44-slim\n").await;
    let out = pin(&mock, dir.path(), &[&file]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("+FROM rust:1.44.1-slim-buster\n"),
        "{}",
        text(&out.stdout)
    );
    // The listing placed it: the registry was not asked.
    assert_eq!(mock.count(mock_registry::Role::Registry, "/"), 0);

    let digest = mock
        .digest("library/rust", "1.44-slim")
        .expect("the mock knows rust:1.44-slim");
    let out = pin(&mock, dir.path(), &["--digest", &file]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("+FROM rust:1.44.1-slim-buster@{digest}\n")),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_is_shown_on_a_terminal_only() {
    let (mock, dir, file) = setup("FROM python:3-alpine\nFROM node:lts\n").await;
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let binary = env!("CARGO_BIN_EXE_dockerfile-ls");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &format!("{binary} pin --check {file}"), "/dev/null"])
        .env("DOCKERFILE_LS_DOCKERHUB_API", &mock.hub_url)
        .env(
            "DOCKERFILE_LS_REGISTRY_ENDPOINTS",
            serde_json::json!({"docker.io": mock.registry_url}).to_string(),
        )
        .env("DOCKERFILE_LS_CACHE_DIR", dir.path().join("cache"))
        .env("DOCKER_CONFIG", dir.path().join("docker"))
        .env("DOCKERFILE_LS_LOG", "warn");
    let out = tokio::task::spawn_blocking(move || {
        cmd.output()
            .expect("run `script` (util-linux), which the progress test needs")
    })
    .await
    .expect("join");
    let terminal = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{terminal}");
    assert!(terminal.contains("\rlooking up images: "), "{terminal:?}");
    // The line is erased before the results.
    let erased = terminal
        .find("\r\u{1b}[K")
        .expect("the progress line is erased");
    let result = terminal
        .find("python:3-alpine is not pinned")
        .expect("the results");
    assert!(erased < result, "{terminal:?}");

    // In a pipe, nothing but the results.
    let piped = pin(&mock, dir.path(), &["--check", &file]).await;
    assert!(text(&piped.stderr).is_empty(), "{}", text(&piped.stderr));
}
