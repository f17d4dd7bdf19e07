//! Large answers over stdio. The server writes outlines, semantic tokens and folding ranges
//! above a few kilobytes from bytes it serialized itself, in place of a small stand-in that
//! goes through tower-lsp-server (`src/lsp/departures.rs`): these tests check that such
//! answers arrive whole, each under its own request id, when requests overlap, when some
//! are cancelled, and that no stand-in ever reaches the client.

mod support;

use serde_json::{Value, json};
use support::{Client, did_open, uri};

/// What a stand-in carries; it must never appear in anything the client receives.
const MARKER: &str = "dockerfile-ls:departure:";

const STAGES: usize = 1500;

/// `stages` stages of four instructions (six lines) each, names prefixed with `prefix`.
fn document(prefix: &str, stages: usize) -> String {
    (0..stages)
        .map(|i| {
            format!(
                "FROM alpine:3.{i} AS {prefix}{i}\n\
                 ENV A{i}=1 B{i}=2\n\
                 RUN echo {i} \\\n    && true\n\
                 # the end of\n# stage {i}\n"
            )
        })
        .collect()
}

fn caps() -> Value {
    json!({
        "textDocument": {
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "semanticTokens": {"requests": {"full": {"delta": true}},
                "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
            "foldingRange": {"lineFoldingOnly": true}
        }
    })
}

fn open(client: &mut Client, name: &str, text: &str) -> String {
    let u = uri(name);
    did_open(client, &u, 1, text);
    client.wait_diagnostics(&u, 1);
    u
}

/// The stage names of an outline, checking every stage's shape on the way.
fn stage_names(outline: &Value) -> Vec<String> {
    let stages = outline.as_array().map(Vec::as_slice).unwrap_or_default();
    stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let line = i as u64 * 6;
            assert_eq!(s["selectionRange"]["start"]["line"], line, "{s}");
            assert_eq!(s["detail"], format!("alpine:3.{i}"));
            let children: Vec<&str> = s["children"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| c["name"].as_str().unwrap_or("?"))
                .collect();
            assert_eq!(children, ["ENV", "RUN"], "{s}");
            assert_eq!(s["children"][0]["children"][1]["name"], format!("B{i}"));
            s["name"].as_str().unwrap_or("?").to_string()
        })
        .collect()
}

fn expected_names(prefix: &str) -> Vec<String> {
    (0..STAGES).map(|i| format!("{prefix}{i}")).collect()
}

fn assert_no_stand_in(answer: &Value) {
    let text = answer.to_string();
    assert!(
        text.len() > 16 * 1024,
        "a large answer: {} bytes",
        text.len()
    );
    assert!(!text.contains(MARKER), "a stand-in reached the client");
}

#[test]
fn large_answers_arrive_whole() {
    let (mut c, _) = Client::start(caps());
    let u = open(&mut c, "large.Dockerfile", &document("s", STAGES));
    let doc = json!({"textDocument": {"uri": u}});

    let outline = c
        .request("textDocument/documentSymbol", doc.clone())
        .unwrap_or_else(|e| panic!("documentSymbol failed: {e}"));
    assert_no_stand_in(&outline);
    assert_eq!(stage_names(&outline), expected_names("s"));

    let folds = c
        .request("textDocument/foldingRange", doc.clone())
        .unwrap_or_else(|e| panic!("foldingRange failed: {e}"));
    assert_no_stand_in(&folds);
    // Per stage: the stage, the continued RUN, the comment block.
    let folds = folds.as_array().cloned().unwrap_or_default();
    assert_eq!(folds.len(), 3 * STAGES);
    assert_eq!(folds[3 * 7], json!({"startLine": 42, "endLine": 45}));
    assert_eq!(folds[3 * 7 + 1], json!({"startLine": 44, "endLine": 45}));
    assert_eq!(
        folds[3 * 7 + 2],
        json!({"startLine": 46, "endLine": 47, "kind": "comment"})
    );

    let full = c
        .request("textDocument/semanticTokens/full", doc.clone())
        .unwrap_or_else(|e| panic!("semanticTokens/full failed: {e}"));
    assert_no_stand_in(&full);
    let data = full["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data.len() % 5, 0);
    // Delta lines add up to the line of the last token: the last comment.
    let lines: u64 = data.chunks(5).map(|t| t[0].as_u64().unwrap_or(0)).sum();
    assert_eq!(
        lines,
        6 * STAGES as u64 - 1,
        "the last token is on the last line"
    );
    let result_id = full["resultId"].as_str().unwrap_or_default().to_string();
    assert!(!result_id.is_empty());

    // The same tokens again, as a delta from that result: no change, no edits.
    let delta = c
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": u}, "previousResultId": result_id}),
        )
        .unwrap_or_else(|e| panic!("semanticTokens/full/delta failed: {e}"));
    assert_eq!(delta["edits"], json!([]), "{delta}");
    // An unknown previous result: every token again, whole.
    let again = c
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": u}, "previousResultId": "nope"}),
        )
        .unwrap_or_else(|e| panic!("semanticTokens/full/delta failed: {e}"));
    assert_no_stand_in(&again);
    assert_eq!(again["data"], full["data"]);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_large_flat_outline_arrives_whole() {
    // A client without hierarchical outlines: every entry, its container named.
    let mut flat = caps();
    flat["textDocument"]["documentSymbol"] = json!({});
    let (mut c, _) = Client::start(flat);
    let u = open(&mut c, "flat.Dockerfile", &document("f", STAGES));
    let outline = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        )
        .unwrap_or_else(|e| panic!("documentSymbol failed: {e}"));
    assert_no_stand_in(&outline);
    let entries = outline.as_array().cloned().unwrap_or_default();
    let shown: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            assert_eq!(e["location"]["uri"], u.as_str(), "{e}");
            let name = e["name"].as_str().unwrap_or("?").to_string();
            let container = e["containerName"].as_str().unwrap_or("-").to_string();
            (name, container)
        })
        .collect();
    let expected: Vec<(String, String)> = (0..STAGES)
        .flat_map(|i| {
            let stage = format!("f{i}");
            [
                (stage.clone(), "-".to_string()),
                ("ENV".to_string(), stage.clone()),
                (format!("A{i}"), "ENV".to_string()),
                (format!("B{i}"), "ENV".to_string()),
                ("RUN".to_string(), stage),
            ]
        })
        .collect();
    assert_eq!(shown, expected);
    // The last RUN: from its keyword on line 6 × 1499 + 2 through the line break of its
    // continuation line.
    let last = &entries[entries.len() - 1]["location"]["range"];
    assert_eq!(
        *last,
        json!({"start": {"line": 6 * (STAGES - 1) + 2, "character": 0},
            "end": {"line": 6 * (STAGES - 1) + 4, "character": 0}})
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn overlapping_requests_each_get_their_own_answer() {
    let (mut c, _) = Client::start(caps());
    let a = open(&mut c, "a.Dockerfile", &document("a", STAGES));
    let b = open(&mut c, "b.Dockerfile", &document("b", STAGES));
    // Sent together, answered in whatever order the server finishes them.
    let ids: Vec<(i64, &str)> = (0..3)
        .flat_map(|_| [&a, &b])
        .map(|u| {
            let id = c.send_request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": u}}),
            );
            (id, if *u == a { "a" } else { "b" })
        })
        .collect();
    let hover = c.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": a}, "position": {"line": 0, "character": 1}}),
    );
    for (id, prefix) in ids {
        let outline = c
            .wait_response(id)
            .unwrap_or_else(|e| panic!("documentSymbol {id} failed: {e}"));
        assert_no_stand_in(&outline);
        assert_eq!(
            stage_names(&outline),
            expected_names(prefix),
            "request {id}"
        );
    }
    let hover = c.wait_response(hover);
    assert!(hover.is_ok_and(|h| h.to_string().contains("FROM")));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn cancelled_large_requests_leave_the_others_intact() {
    let (mut c, _) = Client::start(caps());
    let u = open(&mut c, "cancel.Dockerfile", &document("c", STAGES));
    let doc = json!({"textDocument": {"uri": u}});
    let mut kept = Vec::new();
    for round in 0..20 {
        let id = c.send_request("textDocument/documentSymbol", doc.clone());
        if round % 2 == 0 {
            c.notify("$/cancelRequest", json!({"id": id}));
        }
        kept.push((id, round % 2 == 0));
    }
    for (id, cancelled) in kept {
        match c.wait_response(id) {
            Ok(outline) => {
                // A cancel that came too late: the answer is whole all the same.
                assert_no_stand_in(&outline);
                assert_eq!(stage_names(&outline), expected_names("c"));
            }
            Err(error) => {
                assert!(cancelled, "request {id} failed: {error}");
                assert_eq!(error["code"], -32800, "{error}");
            }
        }
    }
    let outline = c
        .request("textDocument/documentSymbol", doc)
        .unwrap_or_else(|e| panic!("documentSymbol failed: {e}"));
    assert_eq!(stage_names(&outline), expected_names("c"));
    assert!(c.shutdown_and_exit().success());
}
