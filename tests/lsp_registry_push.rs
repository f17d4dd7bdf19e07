//! What the language server does when registry fetches end, end to end (the real binary and
//! the mock registry): diagnostics republished without an edit, one fetch for twenty
//! documents, work-done progress for a slow fetch, and the stale-digest diagnostic with its
//! fix on Docker Hub and on an OCI registry.

mod mock_registry;
mod registry_server;
mod support;

use std::time::Duration;

use mock_registry::{Fault, FaultRule, MockRegistry, Role};
use registry_server::{Setup, setup};
use serde_json::{Value, json};
use support::{
    TIMEOUT, code_actions_at, diagnostic_codes, did_open, hover_at, is_diagnostics_for, uri,
};

/// Waits for a `publishDiagnostics` for `uri` at `version` whose codes satisfy `done`.
fn wait_codes(s: &mut Setup, uri: &str, version: i64, done: impl Fn(&[String]) -> bool) -> Value {
    let found = s.client.wait_notification(TIMEOUT, |n| {
        is_diagnostics_for(n, uri)
            && n["params"]["version"] == version
            && done(&diagnostic_codes(n))
    });
    found.unwrap_or_else(|| {
        panic!(
            "no such diagnostics for {uri}; still queued: {:?}\n--- server stderr ---\n{}",
            s.client.notifications,
            s.client.stderr()
        )
    })
}

fn has(code: &str) -> impl Fn(&[String]) -> bool + '_ {
    move |codes| codes.iter().any(|c| c == code)
}

/// Tag-list fetches at the Hub API: a listing's first page is its only request without
/// `page=`.
/// Prepares the mock so that Docker Hub answers tag lists only after `ms` milliseconds.
fn slow_tag_lists(ms: u64) -> impl FnOnce(&MockRegistry) {
    move |mock| {
        mock.fault(FaultRule::new(
            Role::Hub,
            "/tags",
            Fault::Delay(Duration::from_millis(ms)),
        ));
    }
}

fn hub_listings(mock: &MockRegistry) -> usize {
    mock.log()
        .iter()
        .filter(|r| r.role == Role::Hub && r.path.ends_with("/tags") && !r.query.contains("page="))
        .count()
}

#[test]
fn floating_tag_is_published_when_the_fetch_ends_without_an_edit() {
    let mut s = setup(json!({}), |_| {});
    let u = uri("push");
    did_open(&mut s.client, &u, 1, "FROM python:3-alpine\n");
    let n = wait_codes(&mut s, &u, 1, has("floating-tag"));
    let message = n["params"]["diagnostics"].to_string();
    assert!(message.contains("3.14.7-alpine3.24"), "{message}");
    assert_eq!(hub_listings(&s.mock), 1);
}

#[test]
fn twenty_documents_cause_one_fetch_and_one_republication_each() {
    // Slow enough that every document opens while the one fetch runs.
    let mut s = setup(json!({}), slow_tag_lists(400));
    let refs = ["python:3-alpine", "python", "docker.io/library/python:3.14"];
    let uris: Vec<String> = (0..20).map(|i| uri(&format!("many{i}"))).collect();
    for (i, u) in uris.iter().enumerate() {
        let text = format!("FROM {} AS base\nRUN true\n", refs[i % refs.len()]);
        did_open(&mut s.client, u, 1, &text);
    }
    for u in &uris {
        wait_codes(&mut s, u, 1, has("floating-tag"));
    }
    assert_eq!(
        hub_listings(&s.mock),
        1,
        "{:?}",
        mock_registry::summarize(&s.mock.log())
    );
    // Let any further (wrong) publication arrive before counting.
    s.client.request("shutdown", Value::Null).expect("shutdown");
    for u in &uris {
        let more = s
            .client
            .notifications
            .iter()
            .filter(|n| is_diagnostics_for(n, u))
            .count();
        // The one fetch ends once: at most one republication beyond the two already taken.
        assert!(more <= 1, "{u}: {more} more publications");
    }
}

#[test]
fn a_slow_fetch_reports_work_done_progress() {
    let caps = json!({"window": {"workDoneProgress": true}});
    let mut s = setup(caps, slow_tag_lists(1500));
    let u = uri("slow");
    did_open(&mut s.client, &u, 1, "FROM python:3-alpine\n");
    let create = s
        .client
        .wait_notification(TIMEOUT, |n| n["method"] == "window/workDoneProgress/create")
        .unwrap_or_else(|| panic!("no progress created\n{}", s.client.stderr()));
    let token = create["params"]["token"].clone();
    let is_progress = |n: &Value, kind: &str| {
        n["method"] == "$/progress"
            && n["params"]["token"] == token
            && n["params"]["value"]["kind"] == kind
    };
    let begin = s
        .client
        .wait_notification(TIMEOUT, |n| is_progress(n, "begin"))
        .expect("progress begins");
    assert_eq!(
        begin["params"]["value"]["title"], "Fetching tags of python",
        "{begin}"
    );
    s.client
        .wait_notification(TIMEOUT, |n| is_progress(n, "end"))
        .expect("progress ends");
    wait_codes(&mut s, &u, 1, has("floating-tag"));
}

#[test]
fn no_progress_without_the_client_capability() {
    let mut s = setup(json!({}), slow_tag_lists(1000));
    let u = uri("quiet");
    did_open(&mut s.client, &u, 1, "FROM python:3-alpine\n");
    wait_codes(&mut s, &u, 1, has("floating-tag"));
    let asked =
        s.client.notifications.iter().any(|n| {
            n["method"] == "window/workDoneProgress/create" || n["method"] == "$/progress"
        });
    assert!(!asked, "{:?}", s.client.notifications);
}

#[test]
fn a_moved_tag_is_a_stale_digest_with_a_refresh_fix() {
    let mut s = setup(json!({}), |_| {});
    let old = format!("sha256:{}", "0".repeat(64));
    let current = s
        .mock
        .digest("library/python", "3-alpine")
        .expect("mock digest of python:3-alpine");
    // Docker Hub (tag list with digests) and an OCI registry (manifest HEAD); the last one
    // is up to date.
    let host = s.mock.registry_host.clone();
    let text = format!(
        "FROM python:3-alpine@{old} AS hub\nFROM {host}/library/python:3-alpine@{old} AS oci\nFROM python:3-alpine@{current}\n"
    );
    let u = uri("stale");
    did_open(&mut s.client, &u, 1, &text);
    let n = wait_codes(&mut s, &u, 1, |codes| {
        codes.iter().filter(|c| *c == "stale-digest").count() == 2
    });
    let diags = n["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let stale: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "stale-digest")
        .collect();
    let lines: Vec<u64> = stale
        .iter()
        .filter_map(|d| d["range"]["start"]["line"].as_u64())
        .collect();
    assert_eq!(lines, [0, 1], "{n}");
    assert_eq!(stale[0]["severity"], 3, "information: {n}");

    for d in stale {
        let line = d["range"]["start"]["line"].clone();
        let actions = s
            .client
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": {"uri": u},
                    "range": d["range"],
                    "context": {"diagnostics": [d]}
                }),
            )
            .unwrap_or_else(|e| panic!("codeAction failed: {e}"));
        let list = actions.as_array().cloned().unwrap_or_default();
        let fix = list
            .iter()
            .find(|a| {
                a["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Refresh digest"))
            })
            .unwrap_or_else(|| panic!("line {line}: no refresh action in {actions}"));
        assert_eq!(fix["kind"], "quickfix", "{fix}");
        assert_eq!(fix["isPreferred"], true, "{fix}");
        assert_eq!(fix["diagnostics"][0]["code"], "stale-digest", "{fix}");
        let edit = fix["edit"].to_string();
        assert!(
            edit.contains(&format!("\"newText\":\"@{current}\"")),
            "{edit}"
        );
    }
    // The OCI digest came from a manifest HEAD, never a GET (a pull on Docker Hub).
    let gets = s
        .mock
        .log()
        .iter()
        .filter(|r| r.role == Role::Registry && r.path.contains("/manifests/") && r.method == "GET")
        .count();
    assert_eq!(gets, 0, "{:?}", mock_registry::summarize(&s.mock.log()));
}

#[test]
fn oci_references_are_pinned_by_probing_a_few_manifests() {
    let mut s = setup(json!({}), |_| {});
    let host = s.mock.registry_host.clone();
    let u = uri("oci");
    did_open(
        &mut s.client,
        &u,
        1,
        &format!("FROM {host}/library/python:3-alpine\n"),
    );
    // The tag list has no digests: the pin comes from manifest HEADs, published unasked.
    let n = wait_codes(&mut s, &u, 1, has("floating-tag"));
    let message = n["params"]["diagnostics"].to_string();
    assert!(
        message.contains("today it is 3.14.7-alpine3.24"),
        "{message}"
    );

    let actions = code_actions_at(&mut s.client, &u, 0, 8);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.contains(&"Pin to 3.14.7-alpine3.24"), "{titles:?}");
    assert!(titles.contains(&"Pin to 3.14.7-alpine"), "{titles:?}");
    assert!(
        titles.iter().any(|t| t.starts_with("Pin to digest")),
        "{titles:?}"
    );

    let hover = hover_at(&mut s.client, &u, 0, 8);
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    let digest = s
        .mock
        .digest("library/python", "3-alpine")
        .expect("mock digest");
    assert!(md.contains(&format!("**3-alpine** → `{digest}`")), "{md}");
    assert!(md.contains("Same image today: `3.14.7-alpine3.24`"), "{md}");

    // A bounded number of HEADs, and no GET of a manifest (a pull on Docker Hub).
    let log = s.mock.log();
    let manifests: Vec<_> = log
        .iter()
        .filter(|r| r.path.contains("/manifests/"))
        .collect();
    assert!(
        manifests.iter().all(|r| r.method == "HEAD"),
        "{manifests:?}"
    );
    assert!(manifests.len() <= 1 + 10, "{} HEADs", manifests.len());
}
