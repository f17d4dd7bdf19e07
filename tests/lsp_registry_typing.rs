//! Typing an image reference one character at a time, as an editor sends it: a `didChange`
//! per keystroke, the code-action request an editor makes as the cursor moves, and (in the
//! second test) a completion request per keystroke. The mock registry counts what reaches
//! it: nothing about a half-typed name (`u`, `ub`, … `ubunt`), and one tag-list fetch for
//! the finished reference once the line rests.

mod mock_registry;
mod registry_server;
mod support;

use std::time::{Duration, Instant};

use mock_registry::{MockOptions, MockRegistry, Recorded, Role};
use registry_server::{Setup, setup_with};
use serde_json::json;
use support::{TIMEOUT, did_open, hover_at, is_diagnostics_for, uri};

const TYPED: &str = "FROM ubuntu:22.04";
/// Between keystrokes: a quick typist.
const KEYSTROKE: Duration = Duration::from_millis(90);

/// The repository a request is about: from the Hub API path, the registry path, or the
/// token request's scope. `None` for a search.
fn repository_of(r: &Recorded) -> Option<String> {
    let parts: Vec<&str> = r.path.trim_matches('/').split('/').collect();
    match (r.role, parts.as_slice()) {
        (Role::Hub, ["v2", "namespaces", ns, "repositories", name, ..]) => {
            Some(format!("{ns}/{name}"))
        }
        (Role::Hub, _) => None,
        (Role::Registry, ["v2", rest @ ..]) => {
            let end = rest
                .iter()
                .position(|p| *p == "tags" || *p == "manifests")
                .unwrap_or(rest.len());
            Some(rest[..end].join("/"))
        }
        (Role::Registry, _) => None,
        (Role::Auth, _) => r
            .query
            .split('&')
            .find_map(|kv| kv.strip_prefix("scope=repository%3A"))
            .map(|s| s.split("%3A").next().unwrap_or(s).replace("%2F", "/")),
    }
}

fn is_search(r: &Recorded) -> bool {
    r.role == Role::Hub && r.path.contains("/search/")
}

/// Tag-list fetches of `repo`: a Hub listing's first page (later pages carry `page=`), or a
/// registry `tags/list` without `last=`.
fn listings(mock: &MockRegistry, repo: &str) -> usize {
    mock.log()
        .iter()
        .filter(|r| repository_of(r).as_deref() == Some(repo))
        .filter(|r| {
            (r.role == Role::Hub && r.path.ends_with("/tags") && !r.query.contains("page="))
                || (r.role == Role::Registry
                    && r.path.ends_with("/tags/list")
                    && !r.query.contains("last="))
        })
        .count()
}

/// A server on a mock with bearer tokens, as on Docker Hub's registry: a missing
/// repository costs a Hub 404, a registry 401, a token and another 404.
fn server() -> Setup {
    let options = MockOptions {
        bearer_auth: true,
        ..MockOptions::default()
    };
    setup_with(options, json!({}), |_| {})
}

/// Types `text` at the end of the single-line document `u` (version `version` so far),
/// one character per [`KEYSTROKE`], with the code-action request an editor sends as the
/// cursor moves and, with `complete`, a completion request. Returns the last version.
fn type_text(s: &mut Setup, u: &str, version: usize, text: &str, complete: bool) -> usize {
    let mut version = version;
    let (mut line, mut column) = (0usize, 0usize);
    for c in text.chars() {
        let at = json!({"line": line, "character": column});
        if c == '\n' {
            (line, column) = (line + 1, 0);
        } else {
            column += 1;
        }
        let after = json!({"line": line, "character": column});
        version += 1;
        s.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version},
                   "contentChanges": [{"range": {"start": at, "end": at}, "text": c.to_string()}]}),
        );
        s.client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": u}, "range": {"start": after, "end": after},
                       "context": {"diagnostics": []}}),
            )
            .unwrap_or_else(|e| panic!("codeAction failed: {e}"));
        if complete {
            s.client
                .request(
                    "textDocument/completion",
                    json!({"textDocument": {"uri": u}, "position": after}),
                )
                .unwrap_or_else(|e| panic!("completion failed: {e}"));
        }
        std::thread::sleep(KEYSTROKE);
    }
    version
}

/// Waits until the mock has seen `repo`'s tag list asked for (or a long time passed).
fn wait_for_listing(mock: &MockRegistry, repo: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while listings(mock, repo) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Types `TYPED` into an empty document; with `complete`, asks for completion after each
/// keystroke too. Returns the mock's log once the finished reference's list has arrived
/// and the server has had time to ask for anything else, and the server.
fn type_reference(complete: bool) -> (Vec<Recorded>, usize, Setup, String) {
    let mut s = server();
    let u = uri(if complete {
        "typing-completion"
    } else {
        "typing"
    });
    did_open(&mut s.client, &u, 1, "");
    type_text(&mut s, &u, 1, TYPED, complete);
    wait_for_listing(&s.mock, "library/ubuntu");
    // Anything the server would still ask comes within this.
    std::thread::sleep(Duration::from_millis(1500));
    let log = s.mock.log();
    let n = listings(&s.mock, "library/ubuntu");
    (log, n, s, u)
}

fn report(label: &str, log: &[Recorded], ubuntu_listings: usize) -> Vec<String> {
    let partial: Vec<String> = log
        .iter()
        .filter(|r| !is_search(r))
        .filter(|r| repository_of(r).as_deref() != Some("library/ubuntu"))
        .map(|r| format!("{:?} {} {}?{}", r.role, r.method, r.path, r.query))
        .collect();
    let searches = log.iter().filter(|r| is_search(r)).count();
    eprintln!(
        "{label}: {} requests in all; {} about half-typed names; {searches} searches; \
         {ubuntu_listings} ubuntu tag-list fetch(es)",
        log.len(),
        partial.len()
    );
    partial
}

#[test]
fn typing_a_reference_asks_nothing_until_it_is_finished() {
    let (log, ubuntu, mut s, u) = type_reference(false);
    let partial = report("didChange + codeAction", &log, ubuntu);
    assert!(
        partial.is_empty(),
        "requests for half-typed names: {partial:#?}"
    );
    assert_eq!(ubuntu, 1, "{:#?}", mock_registry::summarize(&log));
    // Nothing but the finished reference's list (one listing, however many pages).
    assert!(
        log.iter().all(|r| !is_search(r)),
        "{:#?}",
        mock_registry::summarize(&log)
    );
    // The answer is there: the diagnostics of the last version are published again
    // without an edit, and a hover tells what the tag is from the cache.
    let last = i64::try_from(TYPED.len() + 1).unwrap_or(i64::MAX);
    let publications = |s: &mut Setup| {
        s.client
            .notifications
            .iter()
            .filter(|n| is_diagnostics_for(n, &u) && n["params"]["version"] == last)
            .count()
    };
    let deadline = Instant::now() + TIMEOUT;
    while publications(&mut s) < 2 && Instant::now() < deadline {
        s.client
            .wait_notification(Duration::from_millis(200), |_| false);
    }
    assert_eq!(publications(&mut s), 2, "{:?}", s.client.notifications);
    let hover = hover_at(&mut s.client, &u, 0, 8);
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("**22.04** → `sha256:"), "{hover}");
}

#[test]
fn leaving_a_finished_reference_fetches_it_while_typing_goes_on() {
    let mut s = server();
    let u = uri("typing-on");
    did_open(&mut s.client, &u, 1, "");
    let version = type_text(&mut s, &u, 1, &format!("{TYPED}\n"), false);
    // Typing goes on below without a pause long enough to settle: the reference above was
    // left, so it is fetched meanwhile.
    type_text(&mut s, &u, version, "RUN echo hello world", false);
    let log = s.mock.log();
    let ubuntu = listings(&s.mock, "library/ubuntu");
    let partial = report("a reference, then the next line", &log, ubuntu);
    assert!(
        partial.is_empty(),
        "requests for half-typed names: {partial:#?}"
    );
    assert_eq!(ubuntu, 1, "{:#?}", mock_registry::summarize(&log));
}

#[test]
fn completing_while_typing_fetches_only_the_finished_name() {
    let (log, ubuntu, _s, _u) = type_reference(true);
    let partial = report("didChange + codeAction + completion", &log, ubuntu);
    // Image-name completion searches Docker Hub as the name grows (what the user asked
    // for), but no tag list, manifest or token is asked for a name being typed.
    assert!(
        partial.is_empty(),
        "requests for half-typed names: {partial:#?}"
    );
    assert_eq!(ubuntu, 1, "{:#?}", mock_registry::summarize(&log));
}
