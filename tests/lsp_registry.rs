//! The language server with registry data, end to end: the real binary with the mock
//! registry's endpoints in its environment. Completion answers at once (possibly
//! `isIncomplete`) and a later request lists the real tags; hover tells what a floating tag
//! is today; the pin code action and the floating-tag diagnostic; a failing registry still
//! gets immediate completion answers.

mod mock_registry;
mod registry_server;
mod support;

use std::time::{Duration, Instant};

use mock_registry::{Fault, FaultRule, Role};
use registry_server::setup;
use serde_json::{Value, json};
use support::{Client, code_actions_at, did_open, uri};

/// Longest a completion may take to be "at once" (debug build on a loaded machine).
const AT_ONCE: Duration = Duration::from_secs(3);

fn completion(client: &mut Client, uri: &str, line: u32, character: u32) -> (Value, Duration) {
    let started = Instant::now();
    let reply = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .unwrap_or_else(|e| panic!("completion failed: {e}"));
    (reply, started.elapsed())
}

fn labels(reply: &Value) -> Vec<String> {
    reply["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["label"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Repeats `ask` until `done` holds for its answer (the registry fetch runs behind).
fn poll(mut ask: impl FnMut() -> Value, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = ask();
        if done(&v) || Instant::now() > deadline {
            return v;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn tag_completion_answers_at_once_then_lists_real_tags() {
    let mut s = setup(json!({}), |_| {});
    let u = uri("tags");
    did_open(&mut s.client, &u, 1, "FROM python:\n");
    let (first, took) = completion(&mut s.client, &u, 0, 12);
    assert!(took < AT_ONCE, "first completion took {took:?}");
    if labels(&first).is_empty() {
        assert_eq!(first["isIncomplete"], true, "{first}");
    }
    let reply = poll(
        || completion(&mut s.client, &u, 0, 12).0,
        |r| labels(r).iter().any(|l| l == "3.14.7-alpine3.24"),
    );
    let l = labels(&reply);
    assert!(l.iter().any(|l| l == "3.14.7-alpine3.24"), "{reply}");
    assert!(l.iter().any(|l| l == "3-alpine"), "{reply}");
    let item = reply["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["label"] == "3-alpine"))
        .cloned()
        .unwrap_or_default();
    assert!(
        item["detail"]
            .as_str()
            .is_some_and(|d| d.contains("linux/")),
        "{item}"
    );
    assert!(s.mock.count(Role::Hub, "/tags") >= 1);
}

#[test]
fn hover_code_actions_and_diagnostics_from_cached_data() {
    let mut s = setup(json!({}), |_| {});
    let u = uri("pin");
    let text = "FROM python:3-alpine\n";
    did_open(&mut s.client, &u, 1, text);
    let hover = poll(
        || {
            s.client
                .request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 8}}),
                )
                .unwrap_or_else(|e| panic!("hover failed: {e}"))
        },
        |h| h.to_string().contains("3.14.7-alpine3.24"),
    );
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("Same image today"), "{hover}");
    assert!(md.contains("`3.14.7-alpine3.24`"), "{hover}");
    // The reference and the page link once each: the image's hover names them, the
    // registry's part adds only what the registry knows.
    assert_eq!(md.matches("hub.docker.com/_/python").count(), 1, "{md}");
    assert_eq!(
        md.matches("docker.io/library/python:3-alpine").count(),
        1,
        "{md}"
    );
    assert!(md.starts_with("**Image** `python:3-alpine` — "), "{md}");

    // A `${PY}` inside a FROM is about the variable: no image block.
    let v = uri("pin-variable");
    did_open(&mut s.client, &v, 1, "ARG PY=3-alpine\nFROM python:${PY}\n");
    let hover_at = |client: &mut Client, character: u32| {
        let h = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": v}, "position": {"line": 1, "character": character}}),
            )
            .unwrap_or_else(|e| panic!("hover failed: {e}"));
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let image = hover_at(&mut s.client, 7);
    assert!(image.contains("Same image today"), "{image}");
    let variable = hover_at(&mut s.client, 15);
    assert!(variable.starts_with("**$PY**"), "{variable}");
    assert!(
        !variable.contains("Same image today") && !variable.contains("**Image**"),
        "{variable}"
    );

    let list = code_actions_at(&mut s.client, &u, 0, 6);
    let pin = list
        .iter()
        .find(|a| a["title"] == "Pin to 3.14.7-alpine3.24")
        .unwrap_or_else(|| panic!("no pin action in {list:?}"));
    let edit = pin["edit"].to_string();
    assert!(edit.contains("\"newText\":\"3.14.7-alpine3.24\""), "{edit}");
    assert!(edit.contains("\"character\":12"), "{edit}");
    assert!(
        list.iter().any(|a| a["title"] == "Pin to 3.14.7-alpine"),
        "{list:?}"
    );
    assert!(
        list.iter().any(|a| a["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Pin to digest"))),
        "{list:?}"
    );

    // The data is cached now: the next publication has the floating-tag information.
    s.client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let diags = s.client.wait_diagnostics(&u, 2);
    let found = diags["params"]["diagnostics"].to_string();
    assert!(found.contains("floating-tag"), "{found}");
}

#[test]
fn a_failing_registry_still_answers_completion_at_once() {
    let mut s = setup(json!({}), |_| {});
    for role in [Role::Hub, Role::Registry] {
        s.mock.fault(FaultRule::new(role, "", Fault::Status(500)));
    }
    let u = uri("faulty");
    did_open(&mut s.client, &u, 1, "FROM python:\n");
    for _ in 0..3 {
        let (reply, took) = completion(&mut s.client, &u, 0, 12);
        assert!(took < AT_ONCE, "completion took {took:?}");
        assert!(reply.is_object(), "{reply}");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(s.client.is_alive());
}
