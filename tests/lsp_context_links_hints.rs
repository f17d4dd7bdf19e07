//! Over stdio: the build context found from a compose file (the missing-source warning,
//! `COPY` source completion, links to local files), registry links, signature help, and
//! inlay hints — variable values, and image tags from the mock registry's cache, with the
//! `workspace/inlayHint/refresh` that follows a fetch.

mod mock_registry;
mod registry_server;
mod support;

use std::time::{Duration, Instant};

use registry_server::setup;
use serde_json::{Value, json};
use support::{Client, did_open};

/// A server whose workspace folder is `root`.
fn start_in(root: &std::path::Path, capabilities: Value) -> Client {
    let mut client = Client::spawn_env(Client::binary(), "warn", &[]);
    let root_uri = format!("file://{}", root.display());
    client
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "w"}],
                "capabilities": capabilities,
            }),
        )
        .unwrap_or_else(|e| panic!("initialize failed: {e}"));
    client.notify("initialized", json!({}));
    client
}

fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path();
    for dir in ["app/src", "app/docker", "app/node_modules/x", "other"] {
        std::fs::create_dir_all(root.join(dir)).expect("folders");
    }
    let files = [
        (
            "compose.yaml",
            "services:\n  app:\n    build:\n      context: app\n      dockerfile: docker/Dockerfile\n",
        ),
        ("app/.dockerignore", "node_modules\n*.secret\n"),
        ("app/package.json", "{}\n"),
        ("app/src/index.js", "\n"),
        ("app/key.secret", "x\n"),
        ("other/package.json", "{}\n"),
    ];
    for (path, text) in files {
        std::fs::write(root.join(path), text).expect("file");
    }
    tmp
}

const DOCKERFILE: &str = "FROM node:20\nCOPY package.json src/*.js ./\nCOPY missing.txt key.secret node_modules/x /x/\nCOPY --from=node:20 /nope /y\n";

#[test]
fn a_compose_context_warns_completes_and_links() {
    let tmp = workspace();
    let root = tmp.path();
    let mut c = start_in(root, json!({}));
    let path = root.join("app/docker/Dockerfile");
    std::fs::write(&path, DOCKERFILE).expect("Dockerfile");
    let u = format!("file://{}", path.display());
    did_open(&mut c, &u, 1, DOCKERFILE);
    let published = c.wait_diagnostics(&u, 1);
    let missing: Vec<(u64, u64)> = published["params"]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "copy-source-missing")
        .map(|d| {
            assert_eq!(d["severity"], 2, "a warning: {d}");
            (
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
                d["range"]["start"]["character"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // missing.txt, the ignored key.secret and node_modules/x; never --from sources.
    assert_eq!(missing, [(2, 5), (2, 17), (2, 28)], "{published}");

    let completion = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": {"line": 1, "character": 22}}),
        )
        .unwrap_or_else(|e| panic!("completion failed: {e}"));
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"index.js"), "{labels:?}");

    let links = c
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": u}}),
        )
        .unwrap_or_else(|e| panic!("documentLink failed: {e}"))
        .as_array()
        .cloned()
        .unwrap_or_default();
    let hub: Vec<&Value> = links.iter().filter(|l| l["target"].is_string()).collect();
    assert_eq!(hub.len(), 2, "node:20 twice: {links:?}");
    assert_eq!(hub[0]["target"], "https://hub.docker.com/_/node");
    let local: Vec<&Value> = links.iter().filter(|l| l["target"].is_null()).collect();
    assert_eq!(
        local.len(),
        1,
        "package.json only (globs and missing files do not link): {links:?}"
    );
    let resolved = c
        .request("documentLink/resolve", local[0].clone())
        .unwrap_or_else(|e| panic!("resolve failed: {e}"));
    let target = resolved["target"].as_str().unwrap_or("");
    assert!(
        target.starts_with("file://") && target.ends_with("/app/package.json"),
        "{resolved}"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_guessed_context_completes_but_does_not_warn() {
    let tmp = workspace();
    let root = tmp.path();
    let mut c = start_in(root, json!({}));
    let path = root.join("other/Dockerfile");
    let text = "FROM node:20\nCOPY pack missing.txt /x/\n";
    let u = format!("file://{}", path.display());
    did_open(&mut c, &u, 1, text);
    let published = c.wait_diagnostics(&u, 1);
    let codes = support::diagnostic_codes(&published);
    assert!(
        !codes.iter().any(|c| c == "copy-source-missing"),
        "{codes:?}"
    );
    let completion = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": {"line": 1, "character": 9}}),
        )
        .unwrap_or_else(|e| panic!("completion failed: {e}"));
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"package.json"), "{labels:?}");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn signature_help_with_the_active_parameter() {
    let (mut c, _) = Client::start(json!({}));
    let u = support::uri("signature.Dockerfile");
    did_open(
        &mut c,
        &u,
        1,
        "FROM alpine AS base\nCOPY a b \nRUN --mount=type=cache,target=/x make\n",
    );
    let help = |c: &mut Client, line: u32, character: u32| {
        c.request(
            "textDocument/signatureHelp",
            json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}}),
        )
        .unwrap_or_else(|e| panic!("signatureHelp failed: {e}"))
    };
    let active = |h: &Value| {
        let s = &h["signatures"][h["activeSignature"].as_u64().unwrap_or(0) as usize];
        let p = &s["parameters"][h["activeParameter"].as_u64().unwrap_or(99) as usize]["label"];
        let (a, b) = (
            p[0].as_u64().unwrap_or(0) as usize,
            p[1].as_u64().unwrap_or(0) as usize,
        );
        s["label"]
            .as_str()
            .unwrap_or("")
            .get(a..b)
            .unwrap_or("?")
            .to_string()
    };
    let h = help(&mut c, 0, 6);
    assert_eq!(h["signatures"].as_array().map(Vec::len), Some(2));
    assert_eq!(active(&h), "<image>");
    assert_eq!(active(&help(&mut c, 0, 17)), "[AS <name>]");
    assert_eq!(active(&help(&mut c, 1, 9)), "<dest>");
    assert_eq!(active(&help(&mut c, 2, 25)), "target=<target>");
    assert!(c.shutdown_and_exit().success());
}

fn hints(c: &mut Client, u: &str) -> Vec<String> {
    let reply = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
        )
        .unwrap_or_else(|e| panic!("inlayHint failed: {e}"));
    reply
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            format!(
                "{}:{} {}",
                h["position"]["line"],
                h["position"]["character"],
                h["label"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn variable_hints_only_when_turned_on() {
    let text = "ARG PY=3.12\nFROM python:${PY}-slim\n";
    let (mut c, _) = Client::start_with(json!({}), json!({"registry": {"offline": true}}));
    let u = support::uri("hints.Dockerfile");
    did_open(&mut c, &u, 1, text);
    assert!(hints(&mut c, &u).is_empty());
    assert!(c.shutdown_and_exit().success());

    let settings = json!({"registry": {"offline": true}, "inlayHints": {"variables": true}});
    let (mut c, _) = Client::start_with(json!({}), settings);
    did_open(&mut c, &u, 1, text);
    assert_eq!(hints(&mut c, &u), ["1:17 = 3.12"]);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn image_hints_come_from_the_cache_and_a_refresh_is_requested() {
    let caps = json!({"workspace": {"inlayHint": {"refreshSupport": true}}});
    let mut s = setup(caps, |_| {});
    // The mock serves Docker Hub's tag lists; it must outlive the requests.
    let _registry = &s.mock;
    let u = support::uri("image-hints.Dockerfile");
    did_open(&mut s.client, &u, 1, "FROM python:3-alpine\n");
    // The first answer comes at once, from whatever the cache holds; the fetch runs behind.
    let started = Instant::now();
    hints(&mut s.client, &u);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "waited on the network"
    );
    // More than one fetch runs behind (the tag list, the base image's configuration), each
    // asking for a refresh when it lands: ask again after each until the tags are in.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut after = Vec::new();
    while after.is_empty() && Instant::now() < deadline {
        let refresh = s.client.wait_notification(Duration::from_secs(20), |n| {
            n["method"] == "workspace/inlayHint/refresh"
        });
        assert!(
            refresh.is_some(),
            "no workspace/inlayHint/refresh after the fetch"
        );
        after = hints(&mut s.client, &u);
    }
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(
        after[0].starts_with("0:20 → 3.14.7-alpine3.24"),
        "{after:?}"
    );
}
