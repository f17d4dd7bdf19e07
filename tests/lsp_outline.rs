//! The outline over stdio: document symbols (a tree, or a flat list for clients without
//! hierarchical support), workspace symbols across open documents, folding ranges (by line
//! or by character, within `rangeLimit`) and selection ranges, with the expected results
//! written out.

mod support;

use serde_json::{Value, json};
use support::{Client, did_open, uri};

const TEXT: &str = "\
# syntax=docker/dockerfile:1
# check=skip=all
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} AS build
ENV CGO_ENABLED=0 \\
    GOOS=linux
RUN go build \\
    -o /out/app .
# The runtime image
# is distroless.
FROM gcr.io/distroless/static
LABEL org.opencontainers.image.title=\"app\"
COPY --from=build /out/app /app
RUN <<EOF
echo done
EOF
";

fn open(caps: Value, name: &str, text: &str) -> (Client, String) {
    let (mut client, _) = Client::start(caps);
    let u = uri(name);
    did_open(&mut client, &u, 1, text);
    client.wait_diagnostics(&u, 1);
    (client, u)
}

/// `name [detail] kind line` for each symbol, children indented.
fn tree(symbols: &Value, depth: usize, out: &mut Vec<String>) {
    for s in symbols.as_array().into_iter().flatten() {
        out.push(format!(
            "{}{} [{}] {} {}",
            "  ".repeat(depth),
            s["name"].as_str().unwrap_or("?"),
            s["detail"].as_str().unwrap_or(""),
            s["kind"],
            s["selectionRange"]["start"]["line"]
        ));
        tree(&s["children"], depth + 1, out);
    }
}

#[test]
fn hierarchical_document_symbols() {
    let caps =
        json!({"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}});
    let (mut c, u) = open(caps, "outline.Dockerfile", TEXT);
    let reply = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        )
        .unwrap_or_else(|e| panic!("documentSymbol failed: {e}"));
    let mut lines = Vec::new();
    tree(&reply, 0, &mut lines);
    // Kinds: 3 namespace, 2 module, 12 function, 13 variable, 7 property.
    assert_eq!(
        lines,
        [
            "global ARGs [] 3 2",
            "  ARG [GO_VERSION=1.22] 12 2",
            "    GO_VERSION [1.22] 13 2",
            "build [golang:${GO_VERSION}] 2 3",
            "  ENV [CGO_ENABLED=0 …] 12 4",
            "    CGO_ENABLED [0] 13 4",
            "    GOOS [linux] 13 5",
            "  RUN [go build …] 12 6",
            "stage 1 [gcr.io/distroless/static] 2 10",
            "  LABEL [org.opencontainers.image.title=\"app\"] 12 11",
            "    org.opencontainers.image.title [\"app\"] 7 11",
            "  COPY [--from=build /out/app /app] 12 12",
            "  RUN [<<EOF] 12 13",
        ]
    );
    // A stage's range spans its instructions, heredoc body included.
    let stage = &reply[2];
    assert_eq!(stage["range"]["start"], json!({"line": 10, "character": 0}));
    assert_eq!(stage["range"]["end"], json!({"line": 15, "character": 3}));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn flat_document_symbols_for_older_clients() {
    let (mut c, u) = open(json!({}), "flat.Dockerfile", TEXT);
    let reply = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        )
        .unwrap_or_else(|e| panic!("documentSymbol failed: {e}"));
    let flat: Vec<String> = reply
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            assert_eq!(s["location"]["uri"], u);
            format!(
                "{} < {}",
                s["name"].as_str().unwrap_or("?"),
                s["containerName"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        flat,
        [
            "global ARGs < -",
            "ARG < global ARGs",
            "GO_VERSION < ARG",
            "build < -",
            "ENV < build",
            "CGO_ENABLED < ENV",
            "GOOS < ENV",
            "RUN < build",
            "stage 1 < -",
            "LABEL < stage 1",
            "org.opencontainers.image.title < LABEL",
            "COPY < stage 1",
            "RUN < stage 1",
        ]
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn workspace_symbols_across_open_documents() {
    let (mut c, a) = open(json!({}), "a.Dockerfile", TEXT);
    let b = uri("b.Dockerfile");
    did_open(&mut c, &b, 1, "FROM node:20 AS web-build\nFROM nginx\n");
    c.wait_diagnostics(&b, 1);
    let mut search = |query: &str| -> Vec<String> {
        let reply = c
            .request("workspace/symbol", json!({"query": query}))
            .unwrap_or_else(|e| panic!("workspace/symbol failed: {e}"));
        reply
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                let file = s["location"]["uri"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                format!(
                    "{} ({}) {}:{}",
                    s["name"].as_str().unwrap_or("?"),
                    s["containerName"].as_str().unwrap_or(""),
                    file,
                    s["location"]["range"]["start"]["line"]
                )
            })
            .collect()
    };
    assert_eq!(
        search("build"),
        [
            "build (golang:${GO_VERSION}) a.Dockerfile:3",
            "web-build (node:20) b.Dockerfile:0"
        ]
    );
    assert_eq!(search("gov"), ["GO_VERSION (global ARG) a.Dockerfile:2"]);
    assert_eq!(
        search("stage"),
        [
            "stage 1 (gcr.io/distroless/static) a.Dockerfile:10",
            "stage 1 (nginx) b.Dockerfile:1"
        ]
    );
    assert!(search("nothing-like-this").is_empty());
    let _ = a;
    assert!(c.shutdown_and_exit().success());
}

fn folds(c: &mut Client, u: &str) -> Vec<String> {
    let reply = c
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": u}}),
        )
        .unwrap_or_else(|e| panic!("foldingRange failed: {e}"));
    reply
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let ch = |k: &str| f[k].as_u64().map_or(String::new(), |c| format!(":{c}"));
            format!(
                "{}{}-{}{} {}",
                f["startLine"],
                ch("startCharacter"),
                f["endLine"],
                ch("endCharacter"),
                f["kind"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn folding_by_line_by_character_and_within_a_limit() {
    let by_line = json!({"textDocument": {"foldingRange": {"lineFoldingOnly": true}}});
    let (mut c, u) = open(by_line, "fold.Dockerfile", TEXT);
    assert_eq!(
        folds(&mut c, &u),
        [
            "0-1 imports",
            "3-7 -",
            "4-5 -",
            "6-7 -",
            "8-9 comment",
            "10-15 -",
            "13-15 -",
        ]
    );
    assert!(c.shutdown_and_exit().success());

    let (mut c, u) = open(json!({}), "fold.Dockerfile", TEXT);
    let got = folds(&mut c, &u);
    assert_eq!(got[0], "0:28-1:16 imports");
    assert_eq!(got[1], "3:34-7:17 -");
    assert!(c.shutdown_and_exit().success());

    let limited =
        json!({"textDocument": {"foldingRange": {"lineFoldingOnly": true, "rangeLimit": 4}}});
    let (mut c, u) = open(limited, "fold.Dockerfile", TEXT);
    assert_eq!(
        folds(&mut c, &u),
        ["0-1 imports", "3-7 -", "4-5 -", "10-15 -"]
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn selection_ranges_grow_outwards() {
    let (mut c, u) = open(json!({}), "select.Dockerfile", TEXT);
    let reply = c
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": u}, "positions": [{"line": 12, "character": 14}, {"line": 7, "character": 8}]}),
        )
        .unwrap_or_else(|e| panic!("selectionRange failed: {e}"));
    let chain = |mut s: &Value| {
        let mut out = Vec::new();
        while s.is_object() {
            let r = &s["range"];
            out.push(format!(
                "{}:{}-{}:{}",
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"]
            ));
            s = &s["parent"];
        }
        out
    };
    // `build` in `COPY --from=build`: the value, the flag, the instruction, the stage, the file.
    assert_eq!(
        chain(&reply[0]),
        [
            "12:12-12:17",
            "12:5-12:17",
            "12:0-12:31",
            "10:0-15:3",
            "0:0-16:0"
        ]
    );
    // `out` in `/out/app` on RUN's continuation line: the word, the argument text, the
    // instruction, the stage, the file.
    assert_eq!(
        chain(&reply[1]),
        ["7:8-7:11", "6:4-7:17", "6:0-7:17", "3:0-7:17", "0:0-16:0"]
    );
    assert!(c.shutdown_and_exit().success());
}
