//! Formatting over the real protocol: the capabilities, whole-document, range and on-type
//! formatting applied as an editor applies them, the editor's options and our settings, and
//! the log line when an instruction is left as written.

mod support;

use serde_json::{Value, json};
use support::{Client, did_open, uri};

const MESSY: &str = "from  alpine:3 as build\n\n\n\nrun apk add --no-cache curl \\\n\t\tgit &&\\\n\t\techo   done\nenv A b\n";

/// Applies LSP text edits (UTF-16 positions, ASCII text here) to `text`.
fn apply(text: &str, edits: &Value) -> String {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().expect("line") as usize;
        let ch = p["character"].as_u64().expect("character") as usize;
        lines
            .get(line)
            .map_or(text.len(), |s| (s + ch).min(text.len()))
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

fn formatting(client: &mut Client, uri: &str, options: Value) -> Value {
    client
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": options}),
        )
        .expect("formatting")
}

#[test]
fn formats_a_document_with_the_editors_indent() {
    let (mut client, init) = Client::start(json!({}));
    let caps = &init["capabilities"];
    assert_eq!(caps["documentFormattingProvider"], json!(true));
    assert_eq!(caps["documentRangeFormattingProvider"], json!(true));
    assert_eq!(
        caps["documentOnTypeFormattingProvider"]["firstTriggerCharacter"],
        json!("\n")
    );
    let u = uri("Dockerfile");
    did_open(&mut client, &u, 1, MESSY);
    let edits = formatting(&mut client, &u, json!({"tabSize": 4, "insertSpaces": true}));
    assert_eq!(
        apply(MESSY, &edits),
        "FROM alpine:3 AS build\n\nRUN apk add --no-cache \\\n        curl \\\n        git \\\n    && echo done\nENV A=b\n"
    );
    let edits = formatting(
        &mut client,
        &u,
        json!({"tabSize": 2, "insertSpaces": false}),
    );
    assert!(
        apply(MESSY, &edits).contains("--no-cache \\\n\t\tcurl \\\n\t\tgit \\\n\t&& echo done\n")
    );
    client.shutdown_and_exit();
}

#[test]
fn settings_override_the_editor_and_can_switch_formatting_off() {
    let init =
        json!({"format": {"indentWidth": 2, "keywordCase": "lower", "normalizeKeyValue": false}});
    let (mut client, _) = Client::start_with(json!({}), init);
    let u = uri("Dockerfile");
    did_open(&mut client, &u, 1, MESSY);
    let edits = formatting(&mut client, &u, json!({"tabSize": 8, "insertSpaces": true}));
    assert_eq!(
        apply(MESSY, &edits),
        "from alpine:3 as build\n\nrun apk add --no-cache \\\n    curl \\\n    git \\\n  && echo done\nenv A b\n"
    );
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile-ls": {"format": {"enable": false}}}}),
    );
    let reply = formatting(&mut client, &u, json!({"tabSize": 4, "insertSpaces": true}));
    assert_eq!(reply, Value::Null);
    client.shutdown_and_exit();
}

#[test]
fn range_and_on_type_formatting() {
    let (mut client, _) = Client::start(json!({}));
    let u = uri("Dockerfile");
    let text = "from a\nrun  x\nrun   y\nrun z \\\n";
    did_open(&mut client, &u, 1, text);
    let edits = client
        .request(
            "textDocument/rangeFormatting",
            json!({
                "textDocument": {"uri": u},
                "range": {"start": {"line": 2, "character": 1}, "end": {"line": 2, "character": 2}},
                "options": {"tabSize": 4, "insertSpaces": true}
            }),
        )
        .expect("range formatting");
    assert_eq!(apply(text, &edits), "from a\nrun  x\nRUN y\nrun z \\\n");
    let edits = client
        .request(
            "textDocument/onTypeFormatting",
            json!({
                "textDocument": {"uri": u},
                "position": {"line": 4, "character": 0},
                "ch": "\n",
                "options": {"tabSize": 4, "insertSpaces": true}
            }),
        )
        .expect("on-type formatting");
    assert_eq!(apply(text, &edits), format!("{text}    "));
    client.shutdown_and_exit();
}

#[test]
fn an_instruction_left_as_written_is_logged() {
    let mut client = Client::spawn(Client::binary(), "info");
    client.initialize(json!({}), Value::Null);
    let u = uri("Dockerfile");
    let text = "FROM a\nCMD [\"a\"]   trailing\nrun  x\n";
    did_open(&mut client, &u, 1, text);
    let edits = formatting(&mut client, &u, json!({"tabSize": 4, "insertSpaces": true}));
    assert_eq!(
        apply(text, &edits),
        "FROM a\nCMD [\"a\"]   trailing\nRUN x\n"
    );
    let logged = "Dockerfile:2: left as written: text follows its JSON array";
    let stderr = client.stderr_with(logged);
    assert!(stderr.contains(logged), "{stderr}");
    client.shutdown_and_exit();
}

#[test]
fn the_project_file_sets_the_options_of_every_kind_of_request() {
    // A `dockerfile-ls.toml` beside the Dockerfile: its `format` table applies to document,
    // range and on-type formatting alike (the editor asks for 4 spaces each time). The last
    // RUN, continued into the end of the file, is left as written.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("dockerfile-ls.toml"),
        "[format]\nindentWidth = 2\nkeywordCase = \"lower\"\n",
    )
    .expect("write config");
    let u = format!("file://{}", dir.path().join("Dockerfile").display());
    let (mut client, _) = Client::start(json!({}));
    let text = "FROM a\nRUN x &&\\\n  y\nRUN z \\\n";
    did_open(&mut client, &u, 1, text);
    let options = json!({"tabSize": 4, "insertSpaces": true});
    let edits = formatting(&mut client, &u, options.clone());
    assert_eq!(
        apply(text, &edits),
        "from a\nrun x \\\n  && y\nRUN z \\\n",
        "{edits}"
    );
    let edits = client
        .request(
            "textDocument/rangeFormatting",
            json!({
                "textDocument": {"uri": u},
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 1}},
                "options": options
            }),
        )
        .expect("range formatting");
    assert_eq!(
        apply(text, &edits),
        "FROM a\nrun x \\\n  && y\nRUN z \\\n",
        "{edits}"
    );
    let edits = client
        .request(
            "textDocument/onTypeFormatting",
            json!({
                "textDocument": {"uri": u},
                "position": {"line": 4, "character": 0},
                "ch": "\n",
                "options": options
            }),
        )
        .expect("on-type formatting");
    assert_eq!(apply(text, &edits), format!("{text}  "), "{edits}");
    client.shutdown_and_exit();
}
