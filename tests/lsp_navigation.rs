//! Definition, declaration, references, document highlight, prepareRename and rename over
//! stdio, with the expected positions written out: BuildKit's scoping (global ARG vs stage
//! ARG, shadowing, ENV inherited through `FROM stage`, `--from=0`), heredocs, rename
//! refusals, and documents with `# escape=\``, CRLF line ends and non-ASCII text in all three
//! position encodings.

mod support;

use serde_json::{Value, json};
use support::{Client, did_open, uri};

fn caps(encoding: &str) -> Value {
    json!({
        "general": {"positionEncodings": [encoding]},
        "textDocument": {"rename": {"prepareSupport": true}},
        "workspace": {"workspaceEdit": {"documentChanges": true}}
    })
}

fn open(encoding: &str, name: &str, text: &str) -> (Client, String) {
    let (mut client, result) = Client::start(caps(encoding));
    assert_eq!(result["capabilities"]["positionEncoding"], encoding);
    let u = uri(name);
    did_open(&mut client, &u, 1, text);
    client.wait_diagnostics(&u, 1);
    (client, u)
}

fn at(u: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}})
}

/// `[line, start, end]` of a single-line LSP range.
fn span(range: &Value) -> [u64; 3] {
    assert_eq!(range["start"]["line"], range["end"]["line"], "{range}");
    [
        range["start"]["line"].as_u64().unwrap_or(u64::MAX),
        range["start"]["character"].as_u64().unwrap_or(u64::MAX),
        range["end"]["character"].as_u64().unwrap_or(u64::MAX),
    ]
}

fn definition(client: &mut Client, u: &str, line: u32, character: u32) -> Option<[u64; 3]> {
    let reply = client
        .request("textDocument/definition", at(u, line, character))
        .unwrap_or_else(|e| panic!("definition failed: {e}"));
    (!reply.is_null()).then(|| {
        assert_eq!(reply["uri"], u);
        span(&reply["range"])
    })
}

fn declaration(client: &mut Client, u: &str, line: u32, character: u32) -> Option<[u64; 3]> {
    let reply = client
        .request("textDocument/declaration", at(u, line, character))
        .unwrap_or_else(|e| panic!("declaration failed: {e}"));
    (!reply.is_null()).then(|| span(&reply["range"]))
}

fn references(
    client: &mut Client,
    u: &str,
    line: u32,
    character: u32,
    decl: bool,
) -> Vec<[u64; 3]> {
    let mut params = at(u, line, character);
    params["context"] = json!({"includeDeclaration": decl});
    let reply = client
        .request("textDocument/references", params)
        .unwrap_or_else(|e| panic!("references failed: {e}"));
    reply
        .as_array()
        .map(|a| a.iter().map(|l| span(&l["range"])).collect())
        .unwrap_or_default()
}

/// `(line, start, end, kind)` with kind 2 = read, 3 = write.
fn highlights(
    client: &mut Client,
    u: &str,
    line: u32,
    character: u32,
) -> Vec<(u64, u64, u64, u64)> {
    let reply = client
        .request("textDocument/documentHighlight", at(u, line, character))
        .unwrap_or_else(|e| panic!("documentHighlight failed: {e}"));
    reply
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    let [l, s, e] = span(&h["range"]);
                    (l, s, e, h["kind"].as_u64().unwrap_or(0))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The edits of a rename as `[line, start, end]` and new text, or the error message.
fn rename(
    client: &mut Client,
    u: &str,
    line: u32,
    character: u32,
    new_name: &str,
) -> Result<Vec<([u64; 3], String)>, String> {
    let mut params = at(u, line, character);
    params["newName"] = json!(new_name);
    match client.request("textDocument/rename", params) {
        Ok(edit) => {
            let changes = &edit["documentChanges"][0];
            assert_eq!(changes["textDocument"]["uri"], u);
            assert_eq!(changes["textDocument"]["version"], 1);
            Ok(changes["edits"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|e| {
                            (
                                span(&e["range"]),
                                e["newText"].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default())
        }
        Err(error) => {
            assert_eq!(error["code"], -32803, "{error}");
            Err(error["message"].as_str().unwrap_or("").to_string())
        }
    }
}

fn prepare(client: &mut Client, u: &str, line: u32, character: u32) -> Result<Value, String> {
    client
        .request("textDocument/prepareRename", at(u, line, character))
        .map_err(|e| e["message"].as_str().unwrap_or("").to_string())
}

const SCOPES: &str = "\
ARG VERSION=3.12
ARG REGISTRY=docker.io
FROM ${REGISTRY}/python:$VERSION AS base
ARG VERSION
ENV APP=/app HOME=/root
RUN echo $VERSION ${APP:-/srv}
FROM base AS build
ARG VERSION=9
RUN echo $VERSION $APP
COPY --from=base /a /b
FROM alpine
COPY --from=0 /x /y
COPY --from=build /x /y
RUN --mount=type=cache,from=build,target=/c echo $APP
";

#[test]
fn scoping_definition_declaration_references_highlight() {
    let (mut c, u) = open("utf-16", "scopes.Dockerfile", SCOPES);

    // $VERSION in FROM (line 2) is the global ARG; so is the `ARG VERSION` of stage base.
    assert_eq!(definition(&mut c, &u, 2, 27), Some([0, 4, 11]));
    assert_eq!(definition(&mut c, &u, 3, 6), Some([0, 4, 11]));
    // $VERSION in stage base: the redeclaration is its definition, the global ARG its
    // declaration.
    assert_eq!(definition(&mut c, &u, 5, 11), Some([3, 4, 11]));
    assert_eq!(declaration(&mut c, &u, 5, 11), Some([0, 4, 11]));
    // Stage build's `ARG VERSION=9` shadows nothing visible: its own symbol.
    assert_eq!(definition(&mut c, &u, 8, 11), Some([7, 4, 11]));
    assert_eq!(
        references(&mut c, &u, 0, 6, true),
        [[0, 4, 11], [2, 25, 32], [3, 4, 11], [5, 10, 17]]
    );
    assert_eq!(
        references(&mut c, &u, 0, 6, false),
        [[2, 25, 32], [5, 10, 17]]
    );
    assert_eq!(
        references(&mut c, &u, 8, 11, true),
        [[7, 4, 11], [8, 10, 17]]
    );

    // ENV APP of stage base reaches stage build (FROM base) but not stage 2 (FROM alpine).
    assert_eq!(definition(&mut c, &u, 8, 20), Some([4, 4, 7]));
    assert_eq!(definition(&mut c, &u, 5, 21), Some([4, 4, 7]));
    assert_eq!(definition(&mut c, &u, 13, 52), None);
    assert_eq!(
        highlights(&mut c, &u, 4, 5),
        [(4, 4, 7, 3), (5, 20, 23, 2), (8, 19, 22, 2)]
    );

    // Stages: FROM base, --from=base, --from=0 (by index), --from=build, mount from=build.
    assert_eq!(definition(&mut c, &u, 6, 7), Some([2, 36, 40]));
    assert_eq!(definition(&mut c, &u, 11, 12), Some([2, 36, 40]));
    assert_eq!(definition(&mut c, &u, 13, 30), Some([6, 13, 18]));
    assert_eq!(
        references(&mut c, &u, 2, 38, true),
        [[2, 36, 40], [6, 5, 9], [9, 12, 16], [11, 12, 13]]
    );
    assert_eq!(
        highlights(&mut c, &u, 12, 14),
        [(6, 13, 18, 3), (12, 12, 17, 2), (13, 28, 33, 2)]
    );
    // Nothing to find on a keyword or a path.
    assert_eq!(definition(&mut c, &u, 9, 1), None);
    assert!(references(&mut c, &u, 9, 18, true).is_empty());
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn rename_edits_and_refusals() {
    let (mut c, u) = open("utf-16", "rename.Dockerfile", SCOPES);
    // The global ARG: its FROM use keeps its `$` form, the stage redeclaration and its use
    // follow; stage build's own VERSION does not.
    assert_eq!(
        rename(&mut c, &u, 3, 6, "PY_VERSION"),
        Ok(vec![
            ([0, 4, 11], "PY_VERSION".into()),
            ([2, 25, 32], "PY_VERSION".into()),
            ([3, 4, 11], "PY_VERSION".into()),
            ([5, 10, 17], "PY_VERSION".into()),
        ])
    );
    // A stage: never the `--from=0`.
    assert_eq!(
        rename(&mut c, &u, 6, 6, "py"),
        Ok(vec![
            ([2, 36, 40], "py".into()),
            ([6, 5, 9], "py".into()),
            ([9, 12, 16], "py".into()),
        ])
    );
    // `${APP:-/srv}` keeps its braces and default.
    assert_eq!(
        rename(&mut c, &u, 5, 21, "APP_DIR"),
        Ok(vec![
            ([4, 4, 7], "APP_DIR".into()),
            ([5, 20, 23], "APP_DIR".into()),
            ([8, 19, 22], "APP_DIR".into()),
        ])
    );
    let refused = |r: Result<Vec<([u64; 3], String)>, String>, needle: &str| match r {
        Err(m) => assert!(m.contains(needle), "{m:?} should say {needle:?}"),
        Ok(e) => panic!("renamed, should be refused ({needle}): {e:?}"),
    };
    refused(rename(&mut c, &u, 6, 6, "2nd"), "not a valid stage name");
    refused(rename(&mut c, &u, 6, 6, "BUILD"), "already named `BUILD`");
    refused(rename(&mut c, &u, 0, 6, "A-B"), "not a valid variable name");
    refused(rename(&mut c, &u, 0, 6, "REGISTRY"), "already declared");
    refused(rename(&mut c, &u, 11, 12, "x"), "by its index");
    refused(
        rename(&mut c, &u, 9, 1, "x"),
        "no stage, variable or heredoc name here",
    );

    // prepareRename: the name and its text, or the refusal.
    let ok = prepare(&mut c, &u, 6, 16).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(span(&ok["range"]), [6, 13, 18]);
    assert_eq!(ok["placeholder"], "build");
    assert!(prepare(&mut c, &u, 9, 1).is_ok_and(|v| v.is_null()));
    let by_index = prepare(&mut c, &u, 11, 12);
    assert!(by_index.is_err_and(|m| m.contains("by its index")));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn predefined_and_undeclared_names_are_not_renamed() {
    let text = "ARG TARGETPLATFORM\nFROM --platform=$BUILDPLATFORM alpine\nRUN echo $TARGETPLATFORM $HOME\n";
    let (mut c, u) = open("utf-16", "predefined.Dockerfile", text);
    for (line, character) in [(0, 6), (1, 20)] {
        let m = prepare(&mut c, &u, line, character)
            .err()
            .unwrap_or_default();
        assert!(m.contains("predefined ARG"), "{line}:{character}: {m:?}");
    }
    let m = prepare(&mut c, &u, 2, 28).err().unwrap_or_default();
    assert!(
        m.contains("nothing in this Dockerfile declares `HOME`"),
        "{m:?}"
    );
    // Not redeclared in the stage, TARGETPLATFORM is nothing there.
    assert_eq!(definition(&mut c, &u, 2, 12), None);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn heredoc_delimiters() {
    let text =
        "FROM alpine\nRUN <<EOF sh\necho $HOME\nEOF\nCOPY <<-'CONF' /etc/x.conf\n\tkey=1\n\tCONF\n";
    let (mut c, u) = open("utf-16", "heredoc.Dockerfile", text);
    assert_eq!(definition(&mut c, &u, 3, 1), Some([1, 6, 9]));
    assert_eq!(
        rename(&mut c, &u, 4, 10, "END"),
        Ok(vec![([4, 9, 13], "END".into()), ([6, 1, 5], "END".into())])
    );
    let m = rename(&mut c, &u, 1, 7, "echo $HOME")
        .err()
        .unwrap_or_default();
    assert!(m.contains("not a plain heredoc name"), "{m:?}");
    assert!(c.shutdown_and_exit().success());
}

/// Backtick escapes and CRLF: continuation lines still resolve, ranges stay on their lines.
#[test]
fn escape_directive_and_crlf() {
    let text = "# escape=`\r\nARG BASE=alpine\r\nFROM $BASE AS one\r\nENV DIR=C:\\dir `\r\n    MORE=$BASE\r\nFROM one\r\nRUN echo `\r\n  $DIR\r\n";
    let (mut c, u) = open("utf-16", "escape.Dockerfile", text);
    // $DIR on the continuation line of RUN, in a stage built FROM one.
    assert_eq!(definition(&mut c, &u, 7, 3), Some([3, 4, 7]));
    // $BASE in ENV of stage one: the global ARG was not redeclared there.
    assert_eq!(definition(&mut c, &u, 4, 11), None);
    assert_eq!(definition(&mut c, &u, 2, 7), Some([1, 4, 8]));
    assert_eq!(
        rename(&mut c, &u, 2, 15, "first"),
        Ok(vec![
            ([2, 14, 17], "first".into()),
            ([5, 5, 8], "first".into())
        ])
    );
    assert!(c.shutdown_and_exit().success());
}

/// Non-ASCII text before the names: the same answers in UTF-8, UTF-16 and UTF-32 columns.
#[test]
fn non_ascii_in_every_encoding() {
    let text = "FROM alpine AS å\nENV GREET=\"😀 hi\" X=1\nRUN echo \"ü😀\" $X $GREET\nFROM å\n";
    // (encoding, column of X in `$X` on line 2, column of the declaration `X=1` on line 1)
    for (encoding, use_start, decl_start) in [
        ("utf-8", 19u32, 20u32),
        ("utf-16", 16, 18),
        ("utf-32", 15, 17),
    ] {
        let (u64_use, u64_decl) = (u64::from(use_start), u64::from(decl_start));
        let (mut c, u) = open(encoding, "unicode.Dockerfile", text);
        assert_eq!(
            definition(&mut c, &u, 2, use_start),
            Some([1, u64_decl, u64_decl + 1]),
            "{encoding}"
        );
        assert_eq!(
            references(&mut c, &u, 1, decl_start, true),
            [[1, u64_decl, u64_decl + 1], [2, u64_use, u64_use + 1]],
            "{encoding}"
        );
        assert!(c.shutdown_and_exit().success());
    }
}

#[test]
fn requests_about_unknown_documents_answer_nothing() {
    let (mut c, _) = Client::start(caps("utf-16"));
    let u = uri("never-opened.Dockerfile");
    assert_eq!(definition(&mut c, &u, 0, 0), None);
    assert!(references(&mut c, &u, 0, 0, true).is_empty());
    let reply = c.request("textDocument/rename", {
        let mut p = at(&u, 0, 0);
        p["newName"] = json!("x");
        p
    });
    assert_eq!(reply, Ok(Value::Null));
    assert!(c.shutdown_and_exit().success());
}
