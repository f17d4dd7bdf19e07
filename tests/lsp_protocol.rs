//! End-to-end tests of the language server over the real protocol: the built binary on stdio.
//!
//! These check the protocol layer only (negotiation, document sync, robustness, lifecycle);
//! what hover, completion and diagnostics say is tested at the analysis layer.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use support::{Client, did_open, document_text, is_diagnostics_for, uri};

/// Capabilities of a plain client offering these position encodings.
fn caps_with_encodings(encodings: &[&str]) -> Value {
    json!({"general": {"positionEncodings": encodings}})
}

const DOCKERFILE: &str = "\
# syntax=docker/dockerfile:1
FROM alpine:3.19 AS büild
ARG VERSION=1.0
RUN echo \"héllo 😀 wörld\" \\
    && echo 中文
LABEL é=\"😀\"
FROM scratch
COPY --from=büild /app /app
";

fn assert_alive(client: &mut Client) {
    let reply = client.request(
        "dockerfile-ls/documentText",
        json!({"textDocument": {"uri": uri("never-opened")}}),
    );
    assert_eq!(reply, Ok(Value::Null), "server should still answer");
    assert!(client.is_alive());
}

// ---------------------------------------------------------------------------------------
// initialize

#[test]
fn initialize_announces_server_info_and_capabilities() {
    let (client, result) = Client::start(json!({}));
    let info = &result["serverInfo"];
    assert_eq!(info["name"], "dockerfile-ls");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["completionProvider"]["resolveProvider"], true);
    let triggers: Vec<&str> = caps["completionProvider"]["triggerCharacters"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(triggers, [" ", "-", "=", "$", "{", ":", "/", ","]);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn position_encoding_negotiation() {
    let cases: [(&[&str], &str); 5] = [
        (&["utf-8"], "utf-8"),
        (&["utf-16", "utf-8"], "utf-8"),
        (&[], "utf-16"),
        (&["utf-32"], "utf-32"),
        (&["utf-16", "utf-32"], "utf-32"),
    ];
    for (offered, expected) in cases {
        let (client, result) = Client::start(caps_with_encodings(offered));
        assert_eq!(
            result["capabilities"]["positionEncoding"], expected,
            "client offering {offered:?}"
        );
        drop(client);
    }
    // A client that says nothing about encodings gets UTF-16, the mandatory default.
    let (_client, result) = Client::start(json!({}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
}

#[test]
fn requests_before_initialize_and_a_second_initialize_are_refused() {
    let mut client = Client::spawn(Client::binary(), "warn");
    let early = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri("a")}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(early.err().map(|e| e["code"].clone()), Some(json!(-32002)));
    client.initialize(json!({}), Value::Null);
    let again = client.request("initialize", json!({"processId": null, "capabilities": {}}));
    assert_eq!(again.err().map(|e| e["code"].clone()), Some(json!(-32600)));
    assert_alive(&mut client);
}

// ---------------------------------------------------------------------------------------
// Document sync under a burst of edits

/// Units of one char in a position encoding, computed independently of the server's code.
fn units(c: char, encoding: &str) -> u32 {
    match encoding {
        "utf-8" => c.len_utf8() as u32,
        "utf-32" => 1,
        _ => c.len_utf16() as u32,
    }
}

/// The LSP position of byte `offset` (a char boundary) of `text`.
fn position(text: &str, offset: usize, encoding: &str) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: u32 = before[line_start..]
        .chars()
        .map(|c| units(c, encoding))
        .sum();
    json!({"line": line, "character": character})
}

/// A tiny deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// A random char boundary of `text`.
    fn offset(&mut self, text: &str) -> usize {
        let mut o = self.below(text.len() + 1);
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }
}

const SNIPPETS: [&str; 12] = [
    "a",
    "RUN ",
    "\n",
    "é",
    "中",
    "😀",
    " \\\n",
    "${VERSION}",
    "--from=x ",
    "\"",
    "",
    "ß😀é\n",
];

/// One random content change applied to `local`, as the client would send it.
fn random_change(rng: &mut Rng, local: &mut String, encoding: &str) -> Value {
    if rng.below(100) == 0 {
        // Now and then the client resends the whole document.
        let text = format!("FROM full:{}\n{local}", rng.below(1000));
        *local = text.clone();
        return json!({"text": text});
    }
    let start = rng.offset(local);
    let mut end = start;
    if rng.below(10) < 6 {
        // Delete (or replace) up to 8 chars.
        for _ in 0..rng.below(9) {
            if let Some(c) = local[end..].chars().next() {
                end += c.len_utf8();
            }
        }
    }
    let insert = if end > start && rng.below(2) == 0 {
        ""
    } else {
        SNIPPETS[rng.below(SNIPPETS.len())]
    };
    let range = json!({
        "start": position(local, start, encoding),
        "end": position(local, end, encoding),
    });
    local.replace_range(start..end, insert);
    json!({"range": range, "text": insert})
}

/// Opens a document, fires 1000 `didChange` notifications (some carrying several changes)
/// without waiting, with hovers interleaved, then checks the server ended with our text.
fn rapid_edits(encoding: &str, log: &str, seed: u64) {
    let mut client = Client::spawn(Client::binary(), log);
    let result = client.initialize(caps_with_encodings(&[encoding]), Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], encoding);
    let doc = uri(&format!("rapid-{encoding}.Dockerfile"));
    let mut local = DOCKERFILE.to_string();
    did_open(&mut client, &doc, 1, &local);

    let mut rng = Rng(seed);
    let mut hovers = Vec::new();
    let edits = 1000;
    for i in 0..edits {
        let version = i + 2;
        let n = if rng.below(5) == 0 {
            1 + rng.below(3)
        } else {
            1
        };
        let changes: Vec<Value> = (0..n)
            .map(|_| random_change(&mut rng, &mut local, encoding))
            .collect();
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": doc, "version": version},
                "contentChanges": changes,
            }),
        );
        if i % 50 == 0 {
            let at = rng.offset(&local);
            hovers.push(client.send_request(
                "textDocument/hover",
                json!({"textDocument": {"uri": doc}, "position": position(&local, at, encoding)}),
            ));
        }
    }
    let last = edits + 1;

    let view = document_text(&mut client, &doc);
    assert_eq!(view["version"], last);
    let text = view["text"].as_str().unwrap_or_default();
    if text != local {
        let common = text
            .char_indices()
            .zip(local.chars())
            .find(|((_, a), b)| a != b)
            .map_or(text.len().min(local.len()), |((i, _), _)| i);
        panic!(
            "server text differs from the client's at byte {common}:\nserver: {:?}\nclient: {:?}",
            &text[common..(common + 40).min(text.len())],
            local.get(common..(common + 40).min(local.len())),
        );
    }
    for id in hovers {
        let reply = client.wait_response(id);
        assert!(reply.is_ok(), "hover during edits failed: {reply:?}");
    }
    let published = client.wait_diagnostics(&doc, last as i64);
    assert!(published["params"]["diagnostics"].is_array());
    // Handlers run concurrently, but diagnostics must arrive in the order of the texts they
    // describe: an older set after a newer one would leave the editor showing stale ones.
    // A version may be published twice (again when ShellCheck answers), never out of order.
    let mut versions: Vec<i64> = client
        .notifications
        .iter()
        .filter(|n| is_diagnostics_for(n, &doc))
        .filter_map(|n| n["params"]["version"].as_i64())
        .collect();
    // The last version's second publication (ShellCheck's answer) may have come already.
    if versions.last() == Some(&(last as i64)) {
        versions.pop();
    }
    assert!(
        versions.windows(2).all(|w| w[0] <= w[1]) && versions.iter().all(|&v| v < last as i64),
        "diagnostics out of order before the last version {last}: {versions:?}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn rapid_edits_utf16() {
    rapid_edits("utf-16", "warn", 0x9e37_79b9_7f4a_7c15);
}

#[test]
fn rapid_edits_utf8_with_debug_logging() {
    // Debug logging must all go to stderr: a stray byte on stdout would break the framing
    // and this test would time out.
    rapid_edits("utf-8", "debug", 0x2545_f491_4f6c_dd1d);
}

#[test]
fn rapid_edits_utf32() {
    rapid_edits("utf-32", "warn", 0xdead_beef_cafe_f00d);
}

// ---------------------------------------------------------------------------------------
// Requests round-trip on an open document

#[test]
fn hover_completion_code_action_and_resolve_round_trip() {
    let (mut client, _) = Client::start(caps_with_encodings(&["utf-16"]));
    let doc = uri("features.Dockerfile");
    did_open(&mut client, &doc, 7, DOCKERFILE);
    let published = client.wait_diagnostics(&doc, 7);
    assert!(published["params"]["diagnostics"].is_array());
    for d in published["params"]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert!(
            [
                "dockerfile-ls",
                "buildkit",
                "hadolint",
                "advice",
                "shellcheck"
            ]
            .contains(&d["source"].as_str().unwrap_or_default()),
            "{d}"
        );
        assert!(d["code"].is_string());
    }

    let at = json!({"textDocument": {"uri": doc}, "position": {"line": 1, "character": 2}});
    let hover = client.request("textDocument/hover", at.clone());
    match hover {
        Ok(Value::Null) => {}
        Ok(h) => assert_eq!(h["contents"]["kind"], "markdown", "{h}"),
        Err(e) => panic!("hover failed: {e}"),
    }

    let completion = client
        .request("textDocument/completion", at.clone())
        .unwrap_or_else(|e| panic!("completion failed: {e}"));
    let items = completion["items"].as_array().cloned().unwrap_or_default();
    for item in &items {
        assert!(
            item["label"].is_string() && item["textEdit"]["range"].is_object(),
            "{item}"
        );
    }
    // Resolve is stateless: an item of ours (our kind in `data`) gets its documentation,
    // whichever item it is.
    let item = items
        .first()
        .cloned()
        .unwrap_or_else(|| json!({"label": "FROM", "kind": 14, "data": {"kind": "keyword"}}));
    let resolved = client
        .request("completionItem/resolve", item.clone())
        .unwrap_or_else(|e| panic!("resolve failed: {e}"));
    assert_eq!(resolved["label"], item["label"]);
    assert_eq!(resolved["data"], item["data"]);

    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": doc},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}},
                "context": {"diagnostics": published["params"]["diagnostics"]},
            }),
        )
        .unwrap_or_else(|e| panic!("codeAction failed: {e}"));
    assert!(actions.is_array() || actions.is_null(), "{actions}");

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": doc}}),
    );
    let cleared = client.wait_notification(support::TIMEOUT, |n| {
        n["method"] == "textDocument/publishDiagnostics"
            && n["params"]["uri"] == doc
            && n["params"]["diagnostics"] == json!([])
            && n["params"]["version"].is_null()
    });
    assert!(cleared.is_some(), "diagnostics are cleared on close");
    let after_close = client.request("textDocument/hover", at);
    assert_eq!(after_close, Ok(Value::Null));
    assert!(client.shutdown_and_exit().success());
}

/// The stdin thread decodes `didOpen` itself and tower-lsp-server gets a stand-in: a burst
/// of opens, edits and closes, sent without waiting and more than it parks at once, must
/// still apply in order.
#[test]
fn a_burst_of_opens_edits_and_closes_applies_in_order() {
    let (mut client, _) = Client::start(json!({}));
    let mut expected = Vec::new();
    for i in 0..40 {
        let doc = uri(&format!("burst-{i}.Dockerfile"));
        let text = format!("FROM alpine:3.{i}\nRUN echo {}\n", "x".repeat(i * 500));
        did_open(&mut client, &doc, 1, &text);
        // A change right behind its open, and for some a close and an open again.
        let end = json!({"line": 2, "character": 0});
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc, "version": 2},
                   "contentChanges": [{"range": {"start": end, "end": end}, "text": "USER me\n"}]}),
        );
        let mut text = text + "USER me\n";
        if i % 3 == 0 {
            client.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": doc}}),
            );
            text = format!("FROM scratch\n# reopened {i}\n");
            did_open(&mut client, &doc, 7, &text);
        }
        expected.push((doc, text, if i % 3 == 0 { 7 } else { 2 }));
    }
    for (doc, text, version) in expected {
        let seen = document_text(&mut client, &doc);
        assert_eq!(seen["text"], text, "{doc}");
        assert_eq!(seen["version"], version, "{doc}");
    }
    assert!(client.shutdown_and_exit().success());
}

/// What the stdin thread does not decode the way tower-lsp-server would is left to it: here
/// a key given twice, where tower's JSON value keeps the last.
#[test]
fn a_did_open_with_a_repeated_key_opens_as_tower_reads_it() {
    let (mut client, _) = Client::start(json!({}));
    let doc = uri("twice.Dockerfile");
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{doc}","languageId":"dockerfile","version":4,"text":"FROM first\n","text":"FROM second\n"}}}}}}"#
    );
    client.send_raw(&framed(&body));
    let seen = document_text(&mut client, &doc);
    assert_eq!(seen["text"], "FROM second\n");
    assert_eq!(seen["version"], 4);
    assert!(client.shutdown_and_exit().success());
}

/// A `didOpen` before `initialize` is dropped (tower-lsp-server's rule), and the document it
/// left waiting does not get in the way of later ones.
#[test]
fn a_did_open_before_initialize_is_dropped_and_later_ones_open() {
    let mut client = Client::spawn(Client::binary(), "warn");
    let early = uri("early.Dockerfile");
    did_open(&mut client, &early, 1, "FROM early\n");
    client.initialize(json!({}), Value::Null);
    let later = uri("later.Dockerfile");
    did_open(&mut client, &later, 1, "FROM later\n");
    assert_eq!(document_text(&mut client, &early), Value::Null);
    assert_eq!(document_text(&mut client, &later)["text"], "FROM later\n");
    assert!(client.shutdown_and_exit().success());
}

// ---------------------------------------------------------------------------------------
// Malformed input: answered, and the server keeps serving

fn framed(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[test]
fn invalid_json_and_non_messages_get_errors_and_the_server_survives() {
    let (mut client, _) = Client::start(json!({}));
    client.send_raw(&framed("{this is not json"));
    let answer = client.wait_null_id_response();
    assert_eq!(answer["error"]["code"], -32700, "{answer}");
    assert_alive(&mut client);

    client.send_raw(&framed("[1, 2, 3]"));
    assert_eq!(client.wait_null_id_response()["error"]["code"], -32600);
    client.send_raw(&framed(r#"{"jsonrpc":"2.0","id":4242,"method":17}"#));
    let reply = client.wait_response(4242);
    assert_eq!(reply.err().map(|e| e["code"].clone()), Some(json!(-32600)));
    client.send_raw(&framed(""));
    assert_eq!(client.wait_null_id_response()["error"]["code"], -32700);
    // Not UTF-8.
    client.send_raw(b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc");
    assert_eq!(client.wait_null_id_response()["error"]["code"], -32700);
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn broken_headers_are_skipped() {
    let (mut client, _) = Client::start(json!({}));
    // No Content-Length, then a body that runs straight into the next message's header.
    let mut bytes = b"Content-Type: text/plain\r\n\r\n{\"lost\":true}".to_vec();
    bytes.extend(framed(r#"{"jsonrpc":"2.0","id":777,"method":"shutdown"}"#));
    client.send_raw(&bytes);
    assert_eq!(client.wait_null_id_response()["error"]["code"], -32700);
    assert_eq!(client.wait_response(777), Ok(Value::Null));
    client.send_raw(b"Content-Length: many\r\n\r\n");
    assert_eq!(client.wait_null_id_response()["error"]["code"], -32700);
    client.notify("exit", Value::Null);
    assert!(client.wait_exit().success());
}

#[test]
fn unknown_methods_and_bad_params() {
    let (mut client, _) = Client::start(json!({}));
    let reply = client.request("dockerfile-ls/noSuchMethod", json!({}));
    assert_eq!(reply.err().map(|e| e["code"].clone()), Some(json!(-32601)));
    client.notify("$/noSuchNotification", json!({"x": 1}));
    client.notify("custom/whatever", Value::Null);

    let reply = client.request("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(reply.err().map(|e| e["code"].clone()), Some(json!(-32602)));
    let reply = client.request("textDocument/completion", json!([1, 2]));
    assert_eq!(reply.err().map(|e| e["code"].clone()), Some(json!(-32602)));
    let reply = client.request("dockerfile-ls/documentText", json!({"uri": 1}));
    assert_eq!(reply.err().map(|e| e["code"].clone()), Some(json!(-32602)));
    // Notifications with bad params cannot be answered; they must just be ignored.
    client.notify("textDocument/didChange", json!({"garbage": true}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "not a uri"}}),
    );
    client.notify("workspace/didChangeConfiguration", json!(42));
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn positions_past_the_end_and_inside_surrogate_pairs_are_clamped() {
    let (mut client, _) = Client::start(caps_with_encodings(&["utf-16"]));
    let doc = uri("clamp.Dockerfile");
    did_open(&mut client, &doc, 1, "FROM a😀b\nRUN x\n");
    let far = json!({"line": 100_000, "character": 100_000});
    let inside = json!({"line": 0, "character": 7});
    for position in [
        &far,
        &inside,
        &json!({"line": 0, "character": 4_000_000_000u32}),
    ] {
        let at = json!({"textDocument": {"uri": doc}, "position": position});
        assert!(client.request("textDocument/hover", at.clone()).is_ok());
        assert!(client.request("textDocument/completion", at).is_ok());
    }
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": doc},
            "range": {"start": far, "end": inside},
            "context": {"diagnostics": [{
                "range": {"start": far, "end": far}, "message": "not ours", "code": "x"
            }]},
        }),
    );
    assert!(actions.is_ok(), "{actions:?}");

    let change = |client: &mut Client, version: i64, start: &Value, end: &Value, text: &str| {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": doc, "version": version},
                "contentChanges": [{"range": {"start": start, "end": end}, "text": text}],
            }),
        );
    };
    // Past the end: appended at the end of the document.
    change(&mut client, 2, &far, &far, "!");
    assert_eq!(
        document_text(&mut client, &doc)["text"],
        "FROM a😀b\nRUN x\n!"
    );
    // A start inside the emoji rounds down to its start: the range covers all of it.
    change(
        &mut client,
        3,
        &inside,
        &json!({"line": 0, "character": 8}),
        "",
    );
    assert_eq!(
        document_text(&mut client, &doc)["text"],
        "FROM ab\nRUN x\n!"
    );
    // A reversed range is put in order.
    change(
        &mut client,
        4,
        &json!({"line": 1, "character": 3}),
        &json!({"line": 1, "character": 0}),
        "ADD",
    );
    let view = document_text(&mut client, &doc);
    assert_eq!(view["text"], "FROM ab\nADD x\n!");
    assert_eq!(view["version"], 4);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn requests_on_unknown_documents_answer_nothing() {
    let (mut client, _) = Client::start(json!({}));
    let ghost = uri("ghost.Dockerfile");
    let at = json!({"textDocument": {"uri": ghost}, "position": {"line": 0, "character": 0}});
    assert_eq!(
        client.request("textDocument/hover", at.clone()),
        Ok(Value::Null)
    );
    assert_eq!(
        client.request("textDocument/completion", at),
        Ok(Value::Null)
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": ghost},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        }),
    );
    assert_eq!(actions, Ok(Value::Null));
    // Items that are not ours come back unchanged from resolve.
    for odd in [
        json!({"label": "x"}),
        json!({"label": "y", "data": {"something": "else"}}),
        json!({"label": "z", "data": {"kind": "no-such-kind"}}),
        json!({"label": "w", "data": [1, 2]}),
    ] {
        assert_eq!(
            client.request("completionItem/resolve", odd.clone()),
            Ok(odd)
        );
    }
    assert_eq!(document_text(&mut client, &ghost), Value::Null);
    // Changes and closes of unknown documents are ignored.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": ghost}}),
    );
    assert_eq!(document_text(&mut client, &ghost), Value::Null);
    assert!(client.shutdown_and_exit().success());
}

// ---------------------------------------------------------------------------------------
// Settings

#[test]
fn diagnostics_follow_the_enable_setting() {
    let init = json!({"diagnostics": {"enable": false}});
    let (mut client, _) = Client::start_with(json!({}), init);
    let doc = uri("settings.Dockerfile");
    did_open(&mut client, &doc, 1, DOCKERFILE);
    assert_eq!(document_text(&mut client, &doc)["version"], 1);
    // Turning diagnostics on publishes them for the open documents.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile-ls": {"diagnostics": {"enable": true}}}}),
    );
    client.wait_diagnostics(&doc, 1);
    // And turning them off clears them.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"diagnostics": {"enable": false}}}),
    );
    let cleared = client.wait_notification(support::TIMEOUT, |n| {
        n["method"] == "textDocument/publishDiagnostics"
            && n["params"]["uri"] == doc
            && n["params"]["version"].is_null()
    });
    assert!(cleared.is_some());
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_setting_of_the_wrong_type_is_reported_and_the_rest_still_applies() {
    let init = json!({"diagnostics": {"enable": "yes"}, "trace": {"server": "messages"}});
    let (mut client, _) = Client::start_with(json!({}), init);
    let warning = client.wait_notification(support::TIMEOUT, |n| {
        n["method"] == "window/logMessage"
            && n["params"]["type"] == 2
            && n["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("diagnostics.enable"))
    });
    assert!(warning.is_some(), "a warning reaches the client's log");
    // The default (enabled) was kept for the bad field.
    let doc = uri("wrong-type.Dockerfile");
    did_open(&mut client, &doc, 3, DOCKERFILE);
    client.wait_diagnostics(&doc, 3);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn settings_are_pulled_from_clients_that_support_it() {
    let caps = json!({"workspace": {
        "configuration": true,
        "didChangeConfiguration": {"dynamicRegistration": true}
    }});
    let mut client = Client::spawn(Client::binary(), "warn");
    client.set_configuration(json!({"diagnostics": {"enable": false}}));
    client.initialize(caps, Value::Null);
    let is_request = |method: &'static str| move |n: &Value| n["method"] == method;
    let registration =
        client.wait_notification(support::TIMEOUT, is_request("client/registerCapability"));
    assert_eq!(
        registration.map(|r| r["params"]["registrations"][0]["method"].clone()),
        Some(json!("workspace/didChangeConfiguration"))
    );
    let pulled = client.wait_notification(support::TIMEOUT, is_request("workspace/configuration"));
    assert_eq!(
        pulled.map(|r| r["params"]["items"][0]["section"].clone()),
        Some(json!("dockerfile-ls"))
    );
    let doc = uri("pulled.Dockerfile");
    did_open(&mut client, &doc, 1, DOCKERFILE);
    client.set_configuration(json!({"diagnostics": {"enable": true}}));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    assert!(
        client
            .wait_notification(support::TIMEOUT, is_request("workspace/configuration"))
            .is_some()
    );
    client.wait_diagnostics(&doc, 1);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_null_configuration_answer_keeps_initialization_options_and_takes_pushed_settings() {
    // What Helix does: its `config` table as initializationOptions, `[null]` for our section
    // in workspace/configuration (the client's default answer here), and the table pushed in
    // didChangeConfiguration right after `initialized`.
    let caps = json!({"workspace": {
        "configuration": true,
        "didChangeConfiguration": {"dynamicRegistration": false}
    }});
    let config = json!({"diagnostics": {"enable": false}, "trace": {"server": "verbose"}});
    let mut client = Client::spawn(Client::binary(), "warn");
    client.initialize(caps, config.clone());
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": config}),
    );
    let is_pull = |n: &Value| n["method"] == "workspace/configuration";
    for _ in 0..2 {
        assert!(
            client
                .wait_notification(support::TIMEOUT, is_pull)
                .is_some()
        );
    }
    let doc = uri("helix.Dockerfile");
    did_open(&mut client, &doc, 1, "FROM scratch\nRUNN echo hello\n");
    // `trace.server = verbose` held: a debug line (type 4) about an unknown document arrives.
    let ghost = uri("never-opened.Dockerfile");
    assert_eq!(document_text(&mut client, &ghost), Value::Null);
    let debug_line = client.wait_notification(support::TIMEOUT, |n| {
        n["method"] == "window/logMessage"
            && n["params"]["type"] == 4
            && n["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("not open"))
    });
    assert!(debug_line.is_some(), "stderr:\n{}", client.stderr());
    // `diagnostics.enable = false` held: nothing published for the open document.
    assert_eq!(document_text(&mut client, &doc)["version"], 1);
    let published = client.wait_notification(Duration::from_millis(300), |n| {
        is_diagnostics_for(n, &doc) && n["params"]["diagnostics"] != json!([])
    });
    assert!(published.is_none(), "{published:?}");
    // A pushed change still applies although the pull keeps answering null.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"diagnostics": {"enable": true}}}),
    );
    let diagnostics = client.wait_diagnostics(&doc, 1);
    assert!(
        !support::diagnostic_codes(&diagnostics).is_empty(),
        "{diagnostics}"
    );
    assert!(client.shutdown_and_exit().success());
}

// ---------------------------------------------------------------------------------------
// Lifecycle

#[test]
fn shutdown_then_exit_exits_with_zero() {
    let (mut client, _) = Client::start(json!({}));
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    // After shutdown, requests are refused but the server keeps reading until `exit`.
    let late = client.request(
        "dockerfile-ls/documentText",
        json!({"textDocument": {"uri": "file:///x"}}),
    );
    assert_eq!(late.err().map(|e| e["code"].clone()), Some(json!(-32600)));
    client.notify("exit", Value::Null);
    let status = client.wait_exit();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn exit_without_shutdown_exits_with_one() {
    let (mut client, _) = Client::start(json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn a_client_that_disappears_does_not_leave_the_server_running() {
    let (mut client, _) = Client::start(json!({}));
    did_open(&mut client, &uri("orphan"), 1, DOCKERFILE);
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(1));
}

// ---------------------------------------------------------------------------------------
// The binary's command line

#[test]
fn version_help_and_dump() {
    let run = |args: &[&str]| {
        Command::new(Client::binary())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run the binary: {e}"))
    };
    let version = run(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("dockerfile-ls {}", env!("CARGO_PKG_VERSION"))
    );
    let help = run(&["--help"]);
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--stdio") && help.contains("dump"), "{help}");
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/multi-stage.Dockerfile"
    );
    assert!(run(&["dump", example]).status.success());
    assert!(run(&["dump", "--tree", example]).status.success());
    assert!(!run(&["dump", "/no/such/Dockerfile"]).status.success());
    assert!(!run(&["--stdio", "dump", example]).status.success());
}

/// The server's stderr for one session (initialize, shutdown, exit) with `env` set and the log
/// variables otherwise unset.
fn stderr_of_a_session(env: &[(&str, String)]) -> String {
    let mut client = Client::spawn_env(Client::binary(), "", env);
    client.initialize(json!({}), Value::Null);
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    client.notify("exit", Value::Null);
    let deadline = std::time::Instant::now() + support::TIMEOUT;
    while client.is_alive() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    // The reader thread drains what the process wrote before it ended.
    std::thread::sleep(Duration::from_millis(50));
    client.stderr()
}

#[test]
fn stderr_has_warnings_only_unless_a_log_variable_asks_for_more() {
    // Helix files every stderr line of a server under errors: a quiet session writes nothing.
    assert_eq!(stderr_of_a_session(&[]), "");
    for var in ["DOCKERFILE_LS_LOG", "RUST_LOG"] {
        let asked = stderr_of_a_session(&[(var, "info".into())]);
        assert!(asked.contains(" INFO "), "{var}=info: {asked}");
    }
    // DOCKERFILE_LS_LOG wins over RUST_LOG.
    let both = stderr_of_a_session(&[
        ("DOCKERFILE_LS_LOG", "warn".into()),
        ("RUST_LOG", "info".into()),
    ]);
    assert_eq!(both, "");
}

#[test]
fn dump_help_and_the_readme_describe_dump_alike() {
    let help = Command::new(Client::binary())
        .args(["dump", "--help"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run the binary: {e}"));
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap_or_else(|e| panic!("cannot read README.md: {e}"));
    let row = |command: &str| {
        readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{command}` |")))
            .unwrap_or_else(|| panic!("no README row for {command}"))
            .to_string()
    };
    let summary = help
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('.');
    assert!(row("dockerfile-ls dump FILE").contains(summary), "{help}");
    let errors = "What BuildKit would reject goes to stderr as `check` prints it, with exit code 1";
    assert!(
        help.contains(errors) && row("dockerfile-ls dump FILE").contains(errors),
        "{help}"
    );
    let tree = "Print the tree-sitter syntax tree instead, one node per line";
    assert!(
        help.contains(tree) && row("dockerfile-ls dump --tree FILE").contains(tree),
        "{help}"
    );
}

#[test]
fn stdout_carries_only_protocol_even_when_idle_with_debug_logs() {
    let mut client = Client::spawn(Client::binary(), "trace");
    client.initialize(json!({}), Value::Null);
    std::thread::sleep(Duration::from_millis(50));
    assert_alive(&mut client);
    assert!(!client.stderr().is_empty(), "logs go to stderr");
    assert!(client.shutdown_and_exit().success());
}
