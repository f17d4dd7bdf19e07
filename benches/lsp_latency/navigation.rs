//! The navigation rows of the latency bench: semantic tokens (full, and the delta after a
//! one-character edit), references, rename, document symbols and folding ranges, each timed
//! from the request to the last byte of its answer.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::Row;
use super::support::{self, Client, did_open};

/// What an editor with semantic highlighting and an outline advertises; the diagnostics rows
/// use it too, since such a client makes the server do more after each change.
pub(super) fn caps() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "semanticTokens": {"requests": {"full": {"delta": true}, "range": true},
                "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "foldingRange": {"lineFoldingOnly": true},
            "rename": {"prepareSupport": true}
        }
    })
}

/// Where stage names are declared (`AS name`) and used (`--from=name`): the names that
/// references and rename are asked about.
fn stage_positions(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for (line, content) in text.lines().enumerate() {
        for needle in [" AS ", " as ", "--from="] {
            if let Some(i) = content.find(needle) {
                let character = content[..i + needle.len()].encode_utf16().count() + 1;
                out.push(json!({"line": line, "character": character}));
            }
        }
    }
    assert!(!out.is_empty(), "no stage names in the document");
    out
}

pub fn measure(document: &str, text: &str, n: usize) -> Vec<Row> {
    // ShellCheck off, as for the diagnostics rows: its background runs over every RUN of a
    // large file would compete for the CPU with the first rows, longer on the larger file.
    let (mut client, _) = Client::start_with(caps(), json!({"shellcheck": {"enable": false}}));
    let uri = support::uri("navigation.Dockerfile");
    did_open(&mut client, &uri, 1, text);
    client.wait_diagnostics(&uri, 1);
    let doc = json!({"textDocument": {"uri": uri}});
    let mut rows = Vec::new();
    let mut row = |what: &'static str, samples: Vec<Duration>| {
        rows.push(Row {
            document: document.to_string(),
            what,
            samples,
        })
    };
    // Until the answer's last byte arrives: the test client's decoding of a large answer
    // into a `Value` is slower than the server, and no part of its latency.
    let timed = |client: &mut Client, method: &str, params: &Value| {
        let (reply, took) = client.timed_request(method, params.clone());
        let reply = reply.unwrap_or_else(|e| panic!("{method} failed: {e}"));
        (took, reply)
    };

    // Only the last answer is kept: the client need not hold megabytes of `Value`s per
    // sample while it times the server.
    let mut last = Value::Null;
    let samples = (0..n)
        .map(|_| {
            let (took, reply) = timed(&mut client, "textDocument/semanticTokens/full", &doc);
            last = reply;
            took
        })
        .collect();
    let tokens = last["data"].as_array().map_or(0, Vec::len) / 5;
    eprintln!("  {tokens} semantic tokens");
    let mut result_id = last["resultId"].clone();
    row("semantic tokens, full", samples);

    // One keystroke in the middle, then the delta from the result before it.
    let middle = text.lines().count() / 2;
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let version = i as i64 + 2;
        let at = json!({"line": middle, "character": 0});
        let change = if i % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": "x"})
        } else {
            json!({"range": {"start": at, "end": {"line": middle, "character": 1}}, "text": ""})
        };
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        client.wait_diagnostics(&uri, version);
        let params = json!({"textDocument": {"uri": uri}, "previousResultId": result_id});
        let (took, reply) = timed(
            &mut client,
            "textDocument/semanticTokens/full/delta",
            &params,
        );
        assert!(
            reply.get("edits").is_some(),
            "a delta, not a full result: {reply}"
        );
        result_id = reply["resultId"].clone();
        samples.push(took);
    }
    row("semantic tokens, delta after 1 keystroke", samples);

    // The text only suggests where stage names are (` AS ` in a comment, `--from=image`,
    // `--from=0`): keep the places the server renames, before the clock runs.
    let mut positions = stage_positions(text);
    positions.retain(|p| {
        let params = json!({"textDocument": {"uri": uri}, "position": p,
            "newName": "renamed-stage"});
        client
            .request("textDocument/rename", params)
            .is_ok_and(|r| r.is_object())
    });
    assert!(
        !positions.is_empty(),
        "no stage name resolves in {document}"
    );
    let at = |i: usize| json!({"textDocument": {"uri": uri}, "position": positions[i * 7919 % positions.len()]});
    let samples = (0..n)
        .map(|i| {
            let mut params = at(i);
            params["context"] = json!({"includeDeclaration": true});
            let (took, reply) = timed(&mut client, "textDocument/references", &params);
            assert!(
                reply.as_array().is_some_and(|a| !a.is_empty()),
                "no references: {params}"
            );
            took
        })
        .collect();
    row("references", samples);
    let samples = (0..n)
        .map(|i| {
            let mut params = at(i);
            params["newName"] = json!("renamed-stage");
            let (took, reply) = timed(&mut client, "textDocument/rename", &params);
            assert!(reply.is_object(), "no edit: {reply}");
            took
        })
        .collect();
    row("rename", samples);
    let samples = (0..n)
        .map(|_| timed(&mut client, "textDocument/documentSymbol", &doc).0)
        .collect();
    row("document symbols", samples);
    let samples = (0..n)
        .map(|_| timed(&mut client, "textDocument/foldingRange", &doc).0)
        .collect();
    row("folding ranges", samples);
    assert!(client.shutdown_and_exit().success());
    rows
}

/// The Node.js server's `semanticTokens/full` on the same text, for comparison.
pub fn node_semantic_tokens(binary: &Path, document: &str, text: &str, n: usize) -> Row {
    let mut client = Client::spawn_env(binary, "warn", &[]);
    client.initialize(caps(), Value::Null);
    let uri = support::uri("navigation.Dockerfile");
    did_open(&mut client, &uri, 1, text);
    let doc = json!({"textDocument": {"uri": uri}});
    let samples = (0..n)
        .map(|_| {
            let start = Instant::now();
            let reply = client.request("textDocument/semanticTokens/full", doc.clone());
            let took = start.elapsed();
            assert!(reply.is_ok(), "docker-langserver failed: {reply:?}");
            took
        })
        .collect();
    Row {
        document: document.to_string(),
        what: "semantic tokens, full",
        samples,
    }
}
