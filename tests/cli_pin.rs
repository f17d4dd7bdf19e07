//! `dockerfile-ls pin` end to end: the real binary, pointed at the mock registry through the
//! `DOCKERFILE_LS_*` environment variables: the diff, `--digest`, `--write`, `--check` exit
//! codes, and a tag from an ARG default pinned in the ARG.

mod mock_registry;

use std::path::Path;
use std::process::{Command, Output};

use mock_registry::{MockOptions, MockRegistry};

/// Runs the binary with the mock's endpoints and a private cache and Docker config.
async fn pin(mock: &MockRegistry, dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockerfile-ls"));
    cmd.arg("pin")
        .args(args)
        .env("DOCKERFILE_LS_DOCKERHUB_API", &mock.hub_url)
        .env(
            "DOCKERFILE_LS_REGISTRY_ENDPOINTS",
            serde_json::json!({"docker.io": mock.registry_url}).to_string(),
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
    assert!(stdout.contains("--- a/"), "{stdout}");
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
