//! The JSON of the large answers (outline, semantic tokens) and of the diagnostics we
//! publish, written straight from our results instead of through the `ls_types` answer and
//! serde.
//!
//! The outline of a 9,000-line file is about a megabyte of JSON. Going through serde meant
//! building a `DocumentSymbol` per entry first (its strings copied, its positions found
//! by a search over every line), then writing every key through the string escaper and
//! every number through a serializer call: together more than the analysis itself. Here
//! keys are the constant bytes they are, numbers go through `itoa`, positions come from a
//! cursor that moves from one to the next, and only names and details are escaped (by
//! serde_json, when they hold anything to escape). The tests check that each text parses to
//! exactly what serde_json writes for the `ls_types` answer, so the two cannot drift apart.
//!
//! Small answers do not come here: they are no cost through serde, and only a parked
//! answer (see `super::departures`) can use bytes we wrote. Diagnostics always do: the
//! outbox writes their notification itself, and a keystroke in a large file publishes
//! hundreds of them.

use tower_lsp_server::ls_types::{SemanticToken, SemanticTokensEdit, Uri};

use crate::analysis::document_symbols::{OutlineKind, OutlineSymbol};
use crate::analysis::{Diagnostic, DiagnosticTag, Severity, Snapshot};
use crate::text::line_index::Ascending;
use crate::text::{Position, PositionEncoding};

use super::nav_to_proto::{shown_name, symbol_kind};
use super::to_proto;

/// The hierarchical outline: `DocumentSymbol[]`.
pub(crate) fn outline(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    symbols: &[OutlineSymbol],
) -> Vec<u8> {
    let mut w = Outline::new(snapshot, enc, symbols);
    w.json.raw("[");
    for (i, s) in symbols.iter().enumerate() {
        w.json.comma(i);
        w.nested(s);
    }
    w.json.raw("]");
    w.json.out
}

/// The flat outline, for clients without hierarchical ones: `SymbolInformation[]`, in the
/// order of `document_symbols::flatten`, each entry with the name of the one containing it.
pub(crate) fn flat_outline(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    uri: &Uri,
    symbols: &[OutlineSymbol],
) -> Vec<u8> {
    let mut w = Outline::new(snapshot, enc, symbols);
    // Every entry repeats the document's URI: escaped once.
    let mut uri_json = Json::default();
    uri_json.string(uri.as_str());
    let mut first = true;
    w.json.raw("[");
    w.flat(symbols, None, &uri_json.out, &mut first);
    w.json.raw("]");
    w.json.out
}

/// `SemanticTokens`: the result id and every token in LSP's relative encoding.
pub(crate) fn semantic_tokens(result_id: &str, data: &[SemanticToken]) -> Vec<u8> {
    // Five numbers of a few digits each.
    let mut json = Json::with_capacity(data.len() * 16 + 64);
    json.raw("{\"resultId\":");
    json.string(result_id);
    json.raw(",\"data\":");
    json.tokens(data);
    json.raw("}");
    json.out
}

/// `SemanticTokensDelta`: the result id and the edits to the previous result.
pub(crate) fn semantic_tokens_delta(result_id: &str, edits: &[SemanticTokensEdit]) -> Vec<u8> {
    let tokens: usize = edits
        .iter()
        .filter_map(|e| e.data.as_ref())
        .map(Vec::len)
        .sum();
    let mut json = Json::with_capacity(tokens * 16 + edits.len() * 64 + 64);
    json.raw("{\"resultId\":");
    json.string(result_id);
    json.raw(",\"edits\":[");
    for (i, edit) in edits.iter().enumerate() {
        json.comma(i);
        json.raw("{\"start\":");
        json.u32(edit.start);
        json.raw(",\"deleteCount\":");
        json.u32(edit.delete_count);
        if let Some(data) = &edit.data {
            json.raw(",\"data\":");
            json.tokens(data);
        }
        json.raw("}");
    }
    json.raw("]}");
    json.out
}

/// The `diagnostics` of a `publishDiagnostics`, in order and separated by commas, without
/// the brackets (the outbox writes a large publication in two parts side by side, and joins
/// them): what serde_json writes for `to_proto::diagnostic` of each.
pub(crate) fn diagnostics(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    uri: &Uri,
    items: &[&Diagnostic],
) -> Vec<u8> {
    let encoded = |value: Result<String, serde_json::Error>| value.unwrap_or_else(|_| "0".into());
    let severities = [
        Severity::Error,
        Severity::Warning,
        Severity::Information,
        Severity::Hint,
    ]
    .map(|s| encoded(serde_json::to_string(&to_proto::severity(s))));
    let tags = [DiagnosticTag::Deprecated, DiagnosticTag::Unnecessary]
        .map(|t| encoded(serde_json::to_string(&to_proto::diagnostic_tag(t))));
    // Each code's link and source, written once: a publication has hundreds of diagnostics
    // of a few dozen codes.
    let mut described: rustc_hash::FxHashMap<&str, Vec<u8>> = Default::default();
    // Diagnostics come in source order: each position is found near the one before.
    let mut at = snapshot.doc.line_index().ascending(snapshot.text(), enc);
    let mut json = Json::with_capacity(items.len() * 256);
    for (i, d) in items.iter().enumerate() {
        json.comma(i);
        json.raw("{\"range\":");
        json.range(&mut at, &d.range);
        json.raw(",\"severity\":");
        json.raw(&severities[d.severity as usize]);
        json.raw(",\"code\":");
        json.string(&d.code);
        let code: &str = &d.code;
        let fields = described.entry(code).or_insert_with(|| {
            let (description, source) = to_proto::described(code);
            let mut fields = Json::default();
            if let Some(description) = description {
                fields.raw(",\"codeDescription\":{\"href\":");
                fields.string(description.href.as_str());
                fields.raw("}");
            }
            fields.raw(",\"source\":");
            fields.string(source);
            fields.out
        });
        json.out.extend_from_slice(fields);
        json.raw(",\"message\":");
        json.string(&d.message);
        if !d.related.is_empty() {
            json.raw(",\"relatedInformation\":[");
            for (j, (range, message)) in d.related.iter().enumerate() {
                // Elsewhere in the file: found on their own, leaving the cursor where it is.
                let mut elsewhere = snapshot.doc.line_index().ascending(snapshot.text(), enc);
                json.comma(j);
                json.raw("{\"location\":{\"uri\":");
                json.string(uri.as_str());
                json.raw(",\"range\":");
                json.range(&mut elsewhere, range);
                json.raw("},\"message\":");
                json.string(message);
                json.raw("}");
            }
            json.raw("]");
        }
        if !d.tags.is_empty() {
            json.raw(",\"tags\":[");
            for (j, tag) in d.tags.iter().enumerate() {
                json.comma(j);
                json.raw(&tags[*tag as usize]);
            }
            json.raw("]");
        }
        json.raw("}");
    }
    json.out
}

/// JSON text being written.
#[derive(Default)]
struct Json {
    out: Vec<u8>,
    digits: itoa::Buffer,
}

impl Json {
    fn with_capacity(bytes: usize) -> Json {
        Json {
            out: Vec::with_capacity(bytes),
            digits: itoa::Buffer::new(),
        }
    }

    /// Text that is JSON already.
    fn raw(&mut self, json: &str) {
        self.out.extend_from_slice(json.as_bytes());
    }

    /// The `,` before item `i` of an array.
    fn comma(&mut self, i: usize) {
        if i > 0 {
            self.out.push(b',');
        }
    }

    fn u32(&mut self, n: u32) {
        // Most numbers of an answer (token deltas, lengths and types) are one digit.
        if let Ok(digit) = u8::try_from(n)
            && digit < 10
        {
            self.out.push(b'0' + digit);
        } else {
            self.out.extend_from_slice(self.digits.format(n).as_bytes());
        }
    }

    /// A string, escaped as serde_json escapes it.
    fn string(&mut self, s: &str) {
        let plain = s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
        if plain {
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        } else if serde_json::to_writer(&mut self.out, s).is_err() {
            // Writing a `str` into a `Vec` cannot fail; should it ever, the answer stays
            // valid JSON.
            self.raw("\"\"");
        }
    }

    fn position(&mut self, p: Position) {
        self.raw("{\"line\":");
        self.u32(p.line);
        self.raw(",\"character\":");
        self.u32(p.character);
        self.raw("}");
    }

    /// A `Range`, its positions found by `at`.
    fn range(&mut self, at: &mut Ascending<'_>, range: &std::ops::Range<usize>) {
        let (start, end) = (at.position(range.start), at.position(range.end));
        self.raw("{\"start\":");
        self.position(start);
        self.raw(",\"end\":");
        self.position(end);
        self.raw("}");
    }

    /// The tokens as one flat array of five numbers each.
    fn tokens(&mut self, data: &[SemanticToken]) {
        self.out.push(b'[');
        for (i, t) in data.iter().enumerate() {
            self.comma(i);
            self.u32(t.delta_line);
            self.out.push(b',');
            self.u32(t.delta_start);
            self.out.push(b',');
            self.u32(t.length);
            self.out.push(b',');
            self.u32(t.token_type);
            self.out.push(b',');
            self.u32(t.token_modifiers_bitset);
        }
        self.out.push(b']');
    }
}

/// An outline being written.
struct Outline<'a> {
    json: Json,
    /// Positions in the order they are written: each close to the one before.
    at: Ascending<'a>,
    /// The JSON of each kind's `SymbolKind` (as `symbol_kind` maps it), by `OutlineKind`.
    kinds: [String; OutlineKind::ALL.len()],
}

impl<'a> Outline<'a> {
    fn new(snapshot: &'a Snapshot, enc: PositionEncoding, symbols: &[OutlineSymbol]) -> Self {
        fn count(symbols: &[OutlineSymbol]) -> usize {
            symbols.iter().map(|s| 1 + count(&s.children)).sum()
        }
        Outline {
            // An entry takes about 150 bytes; a little more spares a copy of the whole.
            json: Json::with_capacity(count(symbols) * 192 + 16),
            at: snapshot.doc.line_index().ascending(snapshot.text(), enc),
            kinds: OutlineKind::ALL
                .map(|k| serde_json::to_string(&symbol_kind(k)).unwrap_or_else(|_| "0".into())),
        }
    }

    fn kind(&mut self, kind: OutlineKind) {
        self.json
            .out
            .extend_from_slice(self.kinds[kind as usize].as_bytes());
    }

    fn range(&mut self, range: &std::ops::Range<usize>) {
        self.json.range(&mut self.at, range);
    }

    /// One `DocumentSymbol` with its children.
    fn nested(&mut self, s: &OutlineSymbol) {
        self.json.raw("{\"name\":");
        self.json.string(shown_name(&s.name));
        if let Some(detail) = &s.detail {
            self.json.raw(",\"detail\":");
            self.json.string(detail);
        }
        self.json.raw(",\"kind\":");
        self.kind(s.kind);
        self.json.raw(",\"range\":");
        self.range(&s.range);
        self.json.raw(",\"selectionRange\":");
        self.range(&s.selection);
        if !s.children.is_empty() {
            self.json.raw(",\"children\":[");
            for (i, c) in s.children.iter().enumerate() {
                self.json.comma(i);
                self.nested(c);
            }
            self.json.raw("]");
        }
        self.json.raw("}");
    }

    /// `symbols` and their descendants as `SymbolInformation`s, each before its children.
    fn flat(
        &mut self,
        symbols: &[OutlineSymbol],
        container: Option<&str>,
        uri: &[u8],
        first: &mut bool,
    ) {
        for s in symbols {
            if !std::mem::take(first) {
                self.json.out.push(b',');
            }
            self.json.raw("{\"name\":");
            self.json.string(shown_name(&s.name));
            self.json.raw(",\"kind\":");
            self.kind(s.kind);
            self.json.raw(",\"location\":{\"uri\":");
            self.json.out.extend_from_slice(uri);
            self.json.raw(",\"range\":");
            self.range(&s.range);
            self.json.raw("}");
            if let Some(container) = container {
                self.json.raw(",\"containerName\":");
                self.json.string(container);
            }
            self.json.raw("}");
            self.flat(&s.children, Some(&s.name), uri, first);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use tower_lsp_server::ls_types::{DocumentSymbolResponse, SemanticTokens, SemanticTokensDelta};

    use super::*;
    use crate::analysis::document_symbols::{document_symbols, flatten};
    use crate::analysis::semantic_tokens::semantic_tokens as tokens_of;
    use crate::lsp::nav_to_proto::{document_symbol, symbol_information};
    use crate::lsp::semantic_tokens::{diff, encode};

    const ENCODINGS: [PositionEncoding; 3] = [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ];

    /// Documents whose names, details and positions need care: non-ASCII text on long
    /// lines, CRLF, the backtick escape, quotes, backslashes and control characters in
    /// names and details, blank names, and every kind of outline entry.
    fn tricky() -> Vec<String> {
        let lf = "# syntax=docker/dockerfile:1\n# escape=`\nARG ÄRG=é😀 B=\"x\\\"y\\\\z\"\n\
                  FROM python:3-alpine AS bùild\nENV Ñ=1 `\n    Y=\"tab\there\" Z=\u{1}ctl\n\
                  LABEL \"quoted key\"=\"v😀\" \"\"=empty k=\\u00e9\nRUN echo $Ñ `\n  && echo 😀😀 `\n  && true\n\
                  RUN <<EOF\necho ${ÄRG:-d}\nEOF\nFROM bùild\nCOPY --from=bùild /a /b\nFROM scratch\n\
                  ONBUILD run make\n"
            .to_string();
        let crlf = lf.replace('\n', "\r\n");
        let unterminated = "FROM a AS b\nRUN x \\\n  y".to_string();
        vec![lf, crlf, unterminated, String::new()]
    }

    fn parsed(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
    }

    /// What serde_json writes for an `ls_types` answer.
    fn serde(answer: &impl serde::Serialize) -> Value {
        serde_json::to_value(answer).unwrap_or(Value::Null)
    }

    /// The outline, nested and flat, in every encoding, reads exactly as the `ls_types`
    /// answer serialized by serde_json.
    fn check_outline(text: &str) {
        let snapshot = Snapshot::new(text);
        let symbols = document_symbols(&snapshot);
        let uri: Uri = "file:///w/d%20ir/Dockerfile"
            .parse()
            .unwrap_or_else(|_| panic!("uri"));
        for enc in ENCODINGS {
            let nested = DocumentSymbolResponse::Nested(
                symbols
                    .iter()
                    .map(|s| document_symbol(&snapshot, enc, s.clone()))
                    .collect(),
            );
            assert_eq!(
                parsed(&outline(&snapshot, enc, &symbols)),
                serde(&nested),
                "{enc:?} {text:?}"
            );
            let flat = DocumentSymbolResponse::Flat(
                flatten(symbols.clone())
                    .into_iter()
                    .map(|(s, container)| {
                        symbol_information(&snapshot, enc, &uri, s.name, s.kind, s.range, container)
                    })
                    .collect(),
            );
            assert_eq!(
                parsed(&flat_outline(&snapshot, enc, &uri, &symbols)),
                serde(&flat),
                "{enc:?} {text:?}"
            );
        }
    }

    /// Full results and deltas (from the text before an edit in the middle) read exactly as
    /// the `ls_types` answers serialized by serde_json.
    fn check_tokens(text: &str) {
        let snapshot = Snapshot::new(text);
        let mut before = text.to_string();
        let middle = (0..=text.len() / 2)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        before.insert_str(middle, "ENV NEW=$A\n");
        let previous = Snapshot::new(before);
        for enc in ENCODINGS {
            let data = encode(&snapshot, enc, &tokens_of(&snapshot, None));
            let full = SemanticTokens {
                result_id: Some("12\"\\".into()),
                data: data.clone(),
            };
            assert_eq!(parsed(&semantic_tokens("12\"\\", &data)), serde(&full));
            let old = encode(&previous, enc, &tokens_of(&previous, None));
            for edits in [diff(&old, &data), diff(&data, &[]), Vec::new()] {
                let delta = SemanticTokensDelta {
                    result_id: Some("3".into()),
                    edits: edits.clone(),
                };
                assert_eq!(parsed(&semantic_tokens_delta("3", &edits)), serde(&delta));
            }
        }
    }

    #[test]
    fn outlines_read_as_serde_writes_them() {
        for text in tricky() {
            check_outline(&text);
        }
    }

    #[test]
    fn semantic_tokens_read_as_serde_writes_them() {
        for text in tricky() {
            check_tokens(&text);
        }
    }

    #[test]
    fn corpus_answers_read_as_serde_writes_them() {
        let corpus = crate::shared_data::corpus_texts();
        assert!(corpus.len() > 300, "the corpus has {} files", corpus.len());
        for (_, text) in corpus {
            check_outline(&text);
            check_tokens(&text);
        }
    }

    /// The diagnostics of every rule (BuildKit's experimental checks too), in every
    /// encoding, read exactly as the `ls_types` diagnostics serialized by serde_json; a
    /// hand-made one carries what the rules rarely do (related places, both tags, escapes).
    fn check_diagnostics(text: &str) {
        use crate::analysis::rules::{self, CheckOptions, Inputs};
        let snapshot = Snapshot::new(text);
        let inputs = Inputs {
            check: CheckOptions::parse("experimental=all").ok(),
            ..Inputs::default()
        };
        let found = rules::run(&snapshot, &inputs);
        let mut all: Vec<Diagnostic> = found.into_iter().map(|f| f.diagnostic).collect();
        all.push(Diagnostic {
            range: 0..text.len(),
            severity: Severity::Hint,
            code: "no-such-code".into(),
            message: "a \"quoted\"\tmessage\u{1}\\".into(),
            related: vec![
                (text.len() / 2..text.len(), "there \u{7f}😀".into()),
                (0..0, String::new()),
            ],
            tags: vec![DiagnosticTag::Unnecessary, DiagnosticTag::Deprecated],
        });
        let uri: Uri = "file:///w/d%20ir/Dockerfile"
            .parse()
            .unwrap_or_else(|_| panic!("uri"));
        let items: Vec<&Diagnostic> = all.iter().collect();
        for enc in ENCODINGS {
            let typed: Vec<_> = all
                .iter()
                .map(|d| to_proto::diagnostic(&snapshot, &uri, enc, d))
                .collect();
            let mut ours = b"[".to_vec();
            ours.extend(diagnostics(&snapshot, enc, &uri, &items));
            ours.push(b']');
            assert_eq!(parsed(&ours), serde(&typed), "{enc:?} {text:?}");
        }
    }

    #[test]
    fn diagnostics_read_as_serde_writes_them() {
        for text in tricky() {
            check_diagnostics(&text);
        }
        let corpus = crate::shared_data::corpus_texts();
        assert!(corpus.len() > 300, "the corpus has {} files", corpus.len());
        for (_, text) in corpus {
            check_diagnostics(&text);
        }
    }

    #[test]
    fn outline_kinds_are_listed_in_discriminant_order() {
        for (i, kind) in OutlineKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i);
        }
    }
}
