//! Every navigation request on one document that has `# escape=\``, CRLF line ends and
//! non-ASCII text before the names, asked in UTF-8, UTF-16 and UTF-32 columns. Answers are
//! turned back into the text they cover (`line:from-to text`, columns in characters), so
//! the one list of expected results holds for the three encodings: a column counted in the
//! wrong unit lands on other text.

mod support;

use serde_json::{Value, json};
use support::{Client, did_open, uri};

const LINES: [&str; 12] = [
    "# escape=`",
    "# 🐳 héllo wörld",
    "ARG BASE=alpine",
    "FROM $BASE AS build",
    "LABEL note=\"ü😀\" `",
    "      other=\"x\"",
    "ENV GREET=\"😀 hi\" `",
    "    DIR=C:\\dïr",
    "RUN echo \"ü😀\" $GREET `",
    "  ${DIR}",
    "FROM build",
    "COPY --from=build /ä /b",
];

const ENCODINGS: [&str; 3] = ["utf-8", "utf-16", "utf-32"];

fn text() -> String {
    LINES.iter().flat_map(|l| [*l, "\r\n"]).collect()
}

/// The width of `c` in `encoding`'s code units.
fn width(c: char, encoding: &str) -> usize {
    match encoding {
        "utf-8" => c.len_utf8(),
        "utf-16" => c.len_utf16(),
        _ => 1,
    }
}

/// The column, in `encoding`, of the `nth` character of `line`.
fn column(line: usize, nth: usize, encoding: &str) -> u64 {
    LINES[line]
        .chars()
        .take(nth)
        .map(|c| width(c, encoding))
        .sum::<usize>() as u64
}

/// The character index of a column in `encoding`; panics when it falls inside a character.
fn character(line: usize, col: u64, encoding: &str) -> usize {
    let mut units = 0u64;
    for (i, c) in LINES.get(line).copied().unwrap_or("").chars().enumerate() {
        if units == col {
            return i;
        }
        units += width(c, encoding) as u64;
        assert!(
            units <= col || units - (width(c, encoding) as u64) == col,
            "column {col} of line {line} splits {c:?} in {encoding}"
        );
    }
    assert_eq!(units, col, "column {col} past the end of line {line}");
    LINES.get(line).map_or(0, |l| l.chars().count())
}

/// The position of the `nth` character of the first `needle` on `line`, plus `offset`.
fn position(line: usize, needle: &str, offset: usize, encoding: &str) -> Value {
    let byte = LINES[line]
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not on line {line}"));
    let nth = LINES[line][..byte].chars().count() + offset;
    json!({"line": line, "character": column(line, nth, encoding)})
}

/// `line:from-to text` for a range on one line (columns in characters), or
/// `line:from-line:to` for a longer one.
fn covered(range: &Value, encoding: &str) -> String {
    let end_of = |p: &Value| {
        let line = p["line"].as_u64().unwrap_or(u64::MAX) as usize;
        let col = character(line, p["character"].as_u64().unwrap_or(0), encoding);
        (line, col)
    };
    let (l1, c1) = end_of(&range["start"]);
    let (l2, c2) = end_of(&range["end"]);
    if l1 == l2 {
        let text: String = LINES[l1].chars().skip(c1).take(c2 - c1).collect();
        format!("{l1}:{c1}-{c2} {text}")
    } else {
        format!("{l1}:{c1}-{l2}:{c2}")
    }
}

fn caps(encoding: &str) -> Value {
    json!({
        "general": {"positionEncodings": [encoding]},
        "textDocument": {
            "rename": {"prepareSupport": true},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "semanticTokens": {"requests": {"full": true}, "tokenTypes": [],
                "tokenModifiers": [], "formats": ["relative"]}
        }
    })
}

fn open(encoding: &str) -> (Client, String, Value) {
    let (mut client, result) = Client::start(caps(encoding));
    assert_eq!(result["capabilities"]["positionEncoding"], encoding);
    let legend = result["capabilities"]["semanticTokensProvider"]["legend"].clone();
    let u = uri("encodings.Dockerfile");
    did_open(&mut client, &u, 1, &text());
    client.wait_diagnostics(&u, 1);
    (client, u, legend)
}

fn request(client: &mut Client, method: &str, params: Value) -> Value {
    client
        .request(method, params)
        .unwrap_or_else(|e| panic!("{method} failed: {e}"))
}

fn at(u: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": u}, "position": position})
}

fn ranges(reply: &Value, key: &str, encoding: &str) -> Vec<String> {
    reply
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| covered(&v[key], encoding))
        .collect()
}

#[test]
fn definition_references_highlight_and_rename() {
    for encoding in ENCODINGS {
        let (mut c, u, _) = open(encoding);
        let greet_use = position(8, "$GREET", 2, encoding);
        let definition = request(&mut c, "textDocument/definition", at(&u, greet_use.clone()));
        assert_eq!(
            ranges(&json!([definition]), "range", encoding),
            ["6:4-9 GREET"],
            "{encoding}"
        );
        // `${DIR}` on RUN's continuation line, after the backtick.
        let dir_use = position(9, "DIR", 1, encoding);
        let definition = request(&mut c, "textDocument/definition", at(&u, dir_use.clone()));
        assert_eq!(
            ranges(&json!([definition]), "range", encoding),
            ["7:4-7 DIR"],
            "{encoding}"
        );
        let mut params = at(&u, greet_use);
        params["context"] = json!({"includeDeclaration": true});
        let references = request(&mut c, "textDocument/references", params);
        assert_eq!(
            ranges(&references, "range", encoding),
            ["6:4-9 GREET", "8:15-20 GREET"],
            "{encoding}"
        );
        let highlights = request(
            &mut c,
            "textDocument/documentHighlight",
            at(&u, position(11, "build", 0, encoding)),
        );
        assert_eq!(
            ranges(&highlights, "range", encoding),
            ["3:14-19 build", "10:5-10 build", "11:12-17 build"],
            "{encoding}"
        );
        let prepared = request(
            &mut c,
            "textDocument/prepareRename",
            at(&u, position(10, "build", 3, encoding)),
        );
        assert_eq!(
            covered(&prepared["range"], encoding),
            "10:5-10 build",
            "{encoding}"
        );
        // The braces of `${DIR}` stay: only the name is replaced.
        let mut params = at(&u, dir_use);
        params["newName"] = json!("FOLDER");
        let edit = request(&mut c, "textDocument/rename", params);
        let edits = &edit["changes"][&u];
        assert_eq!(
            ranges(edits, "range", encoding),
            ["7:4-7 DIR", "9:4-7 DIR"],
            "{encoding}"
        );
        assert!(
            edits
                .as_array()
                .into_iter()
                .flatten()
                .all(|e| e["newText"] == "FOLDER"),
            "{encoding}: {edits}"
        );
        assert!(c.shutdown_and_exit().success());
    }
}

/// `line:from-to text type` for each token of a relative-encoded result.
fn tokens(data: &Value, legend: &Value, encoding: &str) -> Vec<String> {
    let data: Vec<u64> = data
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    assert_eq!(data.len() % 5, 0);
    let (mut line, mut col) = (0u64, 0u64);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                line += t[0];
                col = t[1];
            } else {
                col += t[1];
            }
            let range = json!({"start": {"line": line, "character": col},
                "end": {"line": line, "character": col + t[2]}});
            let kind = legend["tokenTypes"][t[3] as usize].as_str().unwrap_or("?");
            format!("{} {kind}", covered(&range, encoding))
        })
        .collect()
}

#[test]
fn semantic_tokens_symbols_folding_and_selection() {
    let mut seen: Vec<Vec<String>> = Vec::new();
    for encoding in ENCODINGS {
        let (mut c, u, legend) = open(encoding);
        let doc = json!({"textDocument": {"uri": u}});
        let full = request(&mut c, "textDocument/semanticTokens/full", doc.clone());
        let decoded = tokens(&full["data"], &legend, encoding);
        // The tokens after non-ASCII text and on continuation lines, where a wrong column
        // would show.
        for want in [
            "1:0-15 # 🐳 héllo wörld comment",
            "4:11-15 \"ü😀\" string",
            "6:10-16 \"😀 hi\" string",
            "8:14-20 $GREET variable",
            // `${DIR}` is two tokens, so that `${DIR:-x}` can show its operator.
            "9:2-7 ${DIR variable",
            "9:7-8 } variable",
            "11:12-17 build class",
        ] {
            assert!(
                decoded.iter().any(|t| t == want),
                "{encoding}: no {want:?} in {decoded:#?}"
            );
        }
        let symbols = request(&mut c, "textDocument/documentSymbol", doc.clone());
        let stage = &symbols[1];
        assert_eq!(stage["name"], "build", "{encoding}: {symbols}");
        assert_eq!(
            covered(&stage["selectionRange"], encoding),
            "3:14-19 build",
            "{encoding}"
        );
        assert_eq!(covered(&stage["range"], encoding), "3:0-9:8", "{encoding}");
        let folds: Vec<String> = request(&mut c, "textDocument/foldingRange", doc.clone())
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                let end = |line: &str, ch: &str| {
                    let l = f[line].as_u64().unwrap_or(0) as usize;
                    let col = f[ch].as_u64().map_or(0, |col| character(l, col, encoding));
                    format!("{l}:{col}")
                };
                format!(
                    "{}-{}",
                    end("startLine", "startCharacter"),
                    end("endLine", "endCharacter")
                )
            })
            .collect();
        // The three continued instructions end after their last character.
        for want in ["4:17-5:15", "6:18-7:14", "8:22-9:8"] {
            assert!(
                folds.iter().any(|f| f == want),
                "{encoding}: no {want} in {folds:?}"
            );
        }
        let selection = request(
            &mut c,
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": u}, "positions": [position(8, "GREET", 1, encoding)]}),
        );
        let mut chain = Vec::new();
        let mut s = &selection[0];
        while s.is_object() {
            chain.push(covered(&s["range"], encoding));
            s = &s["parent"];
        }
        assert_eq!(chain[0], "8:15-20 GREET", "{encoding}: {chain:?}");
        assert!(
            chain.contains(&"8:0-9:8".to_string()),
            "{encoding}: {chain:?}"
        );
        seen.push(decoded);
        assert!(c.shutdown_and_exit().success());
    }
    // The same tokens, whatever the encoding.
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:#?}");
}
