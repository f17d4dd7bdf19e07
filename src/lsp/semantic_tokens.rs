//! Semantic tokens in LSP's shape: the legend, the relative encoding, and the results kept
//! per document so that `full/delta` can answer with the difference from the last one.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::DashMap;
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensEdit,
    SemanticTokensLegend, Uri,
};

use crate::analysis::Snapshot;
use crate::analysis::semantic_tokens::{Token, TokenKind, modifier};
use crate::text::PositionEncoding;

/// The LSP name of each of our token kinds, all from the standard set.
fn type_name(kind: TokenKind) -> SemanticTokenType {
    match kind {
        TokenKind::Keyword => SemanticTokenType::KEYWORD,
        TokenKind::Comment => SemanticTokenType::COMMENT,
        TokenKind::Directive => SemanticTokenType::MACRO,
        TokenKind::Flag => SemanticTokenType::PARAMETER,
        TokenKind::Property => SemanticTokenType::PROPERTY,
        TokenKind::String => SemanticTokenType::STRING,
        TokenKind::Variable => SemanticTokenType::VARIABLE,
        TokenKind::Stage => SemanticTokenType::CLASS,
        TokenKind::Image => SemanticTokenType::NAMESPACE,
        TokenKind::Tag => SemanticTokenType::ENUM_MEMBER,
        TokenKind::Operator => SemanticTokenType::OPERATOR,
        // `label` joined the standard types in LSP 3.18 (VS Code has always had it).
        TokenKind::Heredoc => SemanticTokenType::new("label"),
        TokenKind::Number => SemanticTokenType::NUMBER,
    }
}

/// Every type we emit and every modifier, in the order of their indices.
pub(crate) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenKind::ALL.iter().map(|&k| type_name(k)).collect(),
        token_modifiers: modifier::ALL
            .iter()
            .map(|(name, _)| SemanticTokenModifier::new(name))
            .collect(),
    }
}

/// Tokens in LSP's relative encoding, columns and lengths in `enc`.
pub(crate) fn encode(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    tokens: &[Token],
) -> Vec<SemanticToken> {
    let text = snapshot.text();
    let mut positions = snapshot.doc.line_index().ascending(text, enc);
    let mut out = Vec::with_capacity(tokens.len());
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for t in tokens {
        let start = positions.position(t.range.start);
        let piece = text.get(t.range.clone()).unwrap_or("");
        let length = if piece.is_ascii() || enc == PositionEncoding::Utf8 {
            piece.len()
        } else {
            enc.len_of(piece)
        };
        let delta_line = start.line - last_line;
        let delta_start = if delta_line == 0 {
            start.character - last_start
        } else {
            start.character
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: u32::try_from(length).unwrap_or(u32::MAX),
            token_type: t.kind as u32,
            token_modifiers_bitset: t.modifiers,
        });
        (last_line, last_start) = (start.line, start.character);
    }
    out
}

/// The edit that turns `old` into `new`: what lies between their common start and their
/// common end, replaced. Offsets count integers (five per token), as LSP wants.
pub(crate) fn diff(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let (prefix, suffix) = crate::text::common_ends_by(old, new, |a, b| a == b);
    let deleted = old.len() - prefix - suffix;
    let inserted = &new[prefix..new.len() - suffix];
    if deleted == 0 && inserted.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: u32::try_from(prefix * 5).unwrap_or(u32::MAX),
        delete_count: u32::try_from(deleted * 5).unwrap_or(u32::MAX),
        data: (!inserted.is_empty()).then(|| inserted.to_vec()),
    }]
}

/// The last full result sent for each document, by result id.
#[derive(Debug, Default)]
pub(crate) struct Results {
    by_uri: DashMap<Uri, (String, Arc<[SemanticToken]>)>,
    next: AtomicU64,
}

impl Results {
    /// Remembers `tokens` as the latest result for `uri`; its new result id.
    pub fn store(&self, uri: &Uri, tokens: Arc<[SemanticToken]>) -> String {
        let id = self.next.fetch_add(1, Ordering::Relaxed).to_string();
        self.by_uri.insert(uri.clone(), (id.clone(), tokens));
        id
    }

    /// The result `id` for `uri`, if it is the one we remember.
    pub fn previous(&self, uri: &Uri, id: &str) -> Option<Arc<[SemanticToken]>> {
        let entry = self.by_uri.get(uri)?;
        (entry.0 == id).then(|| Arc::clone(&entry.1))
    }

    pub fn forget(&self, uri: &Uri) {
        self.by_uri.remove(uri);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::semantic_tokens::semantic_tokens;
    use crate::text::{ContentChange, Position};

    fn apply(old: &[SemanticToken], edits: &[SemanticTokensEdit]) -> Vec<SemanticToken> {
        let mut out = old.to_vec();
        for e in edits.iter().rev() {
            let start = e.start as usize / 5;
            let end = start + e.delete_count as usize / 5;
            out.splice(start..end, e.data.clone().unwrap_or_default());
        }
        out
    }

    fn full(snapshot: &Snapshot, enc: PositionEncoding) -> Vec<SemanticToken> {
        encode(snapshot, enc, &semantic_tokens(snapshot, None))
    }

    #[test]
    fn relative_encoding_in_each_encoding() {
        let snapshot = Snapshot::new("FROM a\nENV X=\"é😀\" Y=1\n");
        let units = |enc| -> Vec<[u32; 3]> {
            full(&snapshot, enc)
                .iter()
                .map(|t| [t.delta_line, t.delta_start, t.length])
                .collect()
        };
        // FROM, a, ENV, X, =, "é😀", Y, =, 1
        assert_eq!(
            units(PositionEncoding::Utf8),
            [
                [0, 0, 4],
                [0, 5, 1],
                [1, 0, 3],
                [0, 4, 1],
                [0, 1, 1],
                [0, 1, 8],
                [0, 9, 1],
                [0, 1, 1],
                [0, 1, 1]
            ]
        );
        assert_eq!(
            units(PositionEncoding::Utf16),
            [
                [0, 0, 4],
                [0, 5, 1],
                [1, 0, 3],
                [0, 4, 1],
                [0, 1, 1],
                [0, 1, 5],
                [0, 6, 1],
                [0, 1, 1],
                [0, 1, 1]
            ]
        );
        assert_eq!(
            units(PositionEncoding::Utf32),
            [
                [0, 0, 4],
                [0, 5, 1],
                [1, 0, 3],
                [0, 4, 1],
                [0, 1, 1],
                [0, 1, 4],
                [0, 5, 1],
                [0, 1, 1],
                [0, 1, 1]
            ]
        );
        assert_eq!(legend().token_types.len(), TokenKind::ALL.len());
    }

    #[test]
    fn diff_of_equal_results_is_empty() {
        let snapshot = Snapshot::new("FROM a AS b\nRUN x\n");
        let a = full(&snapshot, PositionEncoding::Utf16);
        assert!(diff(&a, &a).is_empty());
        assert_eq!(apply(&a, &diff(&a, &[])), Vec::<SemanticToken>::new());
        assert_eq!(apply(&[], &diff(&[], &a)), a);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
        ))]
        /// After every edit of a random sequence, the delta from the previous result, applied
        /// to it, gives exactly the full result of a fresh parse of the new text.
        #[test]
        fn deltas_applied_give_fresh_full_results(
            edits in proptest::collection::vec((0usize..10_000, 0usize..6, proptest::sample::select(&[
                "", "x", "$", "${A:-b}", "\n", "\\\n", "FROM b AS c\n", "ARG A=1\n", "ENV A=$A\n",
                "RUN <<EOF\n", "EOF\n", "--mount=type=cache,target=/x ", "COPY --from=c / /\n",
                "# c\n", "é", "😀", "\"", "=", " AS ", "LABEL k=v\n", "\r\n",
            ][..])), 1..12),
            encoding in proptest::sample::select(&[PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32][..]),
        ) {
            let mut text = String::from(
                "# syntax=docker/dockerfile:1\nARG A=1\nFROM img:$A AS b\nENV B=$A\nRUN --mount=type=cache,target=/c echo $B <<EOF\n$B\nEOF\nFROM b\nCOPY --from=b /x /y\n",
            );
            let mut snapshot = Snapshot::new(text.clone());
            let mut previous = full(&snapshot, encoding);
            for (at, len, insert) in edits {
                let start = floor(&text, at % (text.len() + 1));
                let end = floor(&text, (start + len).min(text.len()));
                let index = snapshot.doc.line_index();
                let p = |o| {
                    let p = index.position(&text, o, encoding);
                    Position::new(p.line, p.character)
                };
                let change = ContentChange::ranged(p(start), p(end), insert);
                text.replace_range(start..end, insert);
                snapshot = snapshot.apply(&[change], encoding);
                proptest::prop_assert_eq!(snapshot.text(), text.as_str());
                let next = full(&snapshot, encoding);
                let delta = diff(&previous, &next);
                let fresh = full(&Snapshot::new(text.clone()), encoding);
                proptest::prop_assert_eq!(&apply(&previous, &delta), &fresh, "{:?}", text);
                previous = next;
            }
        }
    }

    fn floor(text: &str, mut at: usize) -> usize {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}
