//! Semantic tokens over stdio: announced only to clients that ask, full results decoded
//! against the legend, ranges, and deltas that, applied to the previous result, give the
//! next full result.

mod support;

use serde_json::{Value, json};
use support::{Client, did_open, uri};

fn caps() -> Value {
    json!({"textDocument": {"semanticTokens": {
        "requests": {"full": {"delta": true}, "range": true},
        "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]
    }}})
}

const TEXT: &str =
    "ARG V=1\nFROM img:$V AS base\nENV HOME=/root\nRUN echo $HOME\nCOPY --from=base /a /b\n";

/// `line:column text type [modifiers]` for each token of a relative-encoded result.
fn decode(text: &str, legend: &Value, data: &Value) -> Vec<String> {
    let data: Vec<u64> = data
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    assert_eq!(data.len() % 5, 0);
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut col) = (0usize, 0usize);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                line += t[0] as usize;
                col = t[1] as usize;
            } else {
                col += t[1] as usize;
            }
            let word = lines[line].get(col..col + t[2] as usize).unwrap_or("?");
            let kind = legend["tokenTypes"][t[3] as usize].as_str().unwrap_or("?");
            let mods: Vec<&str> = (0..4)
                .filter(|b| t[4] & (1 << b) != 0)
                .filter_map(|b| legend["tokenModifiers"][b].as_str())
                .collect();
            format!("{line}:{col} {word} {kind} {}", mods.join(","))
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn only_clients_that_ask_get_semantic_tokens() {
    let (client, result) = Client::start(json!({}));
    assert!(
        result["capabilities"]
            .get("semanticTokensProvider")
            .is_none()
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn full_range_and_delta() {
    let (mut c, result) = Client::start(caps());
    let provider = &result["capabilities"]["semanticTokensProvider"];
    assert_eq!(provider["range"], true);
    assert_eq!(provider["full"]["delta"], true);
    let legend = provider["legend"].clone();
    assert_eq!(
        legend["tokenTypes"],
        json!([
            "keyword",
            "comment",
            "macro",
            "parameter",
            "property",
            "string",
            "variable",
            "class",
            "namespace",
            "enumMember",
            "operator",
            "label",
            "number"
        ])
    );
    assert_eq!(
        legend["tokenModifiers"],
        json!(["declaration", "readonly", "defaultLibrary", "deprecated"])
    );
    let u = uri("tokens.Dockerfile");
    did_open(&mut c, &u, 1, TEXT);
    let full = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": u}}),
        )
        .unwrap_or_else(|e| panic!("full failed: {e}"));
    assert_eq!(
        decode(TEXT, &legend, &full["data"]),
        [
            "0:0 ARG keyword",
            "0:4 V variable declaration",
            "0:5 = operator",
            "0:6 1 string",
            "1:0 FROM keyword",
            "1:9 $V variable",
            "1:12 AS keyword",
            "1:15 base class declaration",
            "2:0 ENV keyword",
            "2:4 HOME variable declaration",
            "2:8 = operator",
            "2:9 /root string",
            "3:0 RUN keyword",
            "3:9 $HOME variable",
            "4:0 COPY keyword",
            "4:5 --from parameter",
            "4:11 = operator",
            "4:12 base class",
        ]
    );
    let range = c
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": u}, "range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 14}}}),
        )
        .unwrap_or_else(|e| panic!("range failed: {e}"));
    // Relative to the start of the document: the first token carries its line.
    assert_eq!(range["data"], json!([3, 0, 3, 0, 0, 0, 9, 5, 6, 0]));

    // Rename the stage by hand, then ask for the delta from the first result.
    let edited = TEXT.replace("base", "build");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let delta = c
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": u}, "previousResultId": full["resultId"]}),
        )
        .unwrap_or_else(|e| panic!("delta failed: {e}"));
    let edits = delta["edits"].as_array().cloned().unwrap_or_default();
    assert!(!edits.is_empty(), "{delta}");
    let mut data: Vec<Value> = full["data"].as_array().cloned().unwrap_or_default();
    for e in edits.iter().rev() {
        let start = e["start"].as_u64().unwrap_or(0) as usize;
        let count = e["deleteCount"].as_u64().unwrap_or(0) as usize;
        let insert = e["data"].as_array().cloned().unwrap_or_default();
        data.splice(start..start + count, insert);
    }
    let again = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": u}}),
        )
        .unwrap_or_else(|e| panic!("full failed: {e}"));
    assert_eq!(Value::Array(data), again["data"]);
    assert!(
        decode(&edited, &legend, &again["data"])
            .contains(&"1:15 build class declaration".to_string())
    );

    // An unknown previous result: the whole result instead.
    let fallback = c
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": u}, "previousResultId": "no-such-result"}),
        )
        .unwrap_or_else(|e| panic!("delta failed: {e}"));
    assert_eq!(fallback["data"], again["data"]);
    assert!(c.shutdown_and_exit().success());
}
