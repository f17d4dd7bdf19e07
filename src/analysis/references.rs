//! Find references: every place the symbol under the cursor is written.

use std::ops::Range;

use super::Snapshot;
use super::index::Role;

/// The places the symbol at `offset` is written, in source order; declarations only when
/// `include_declaration`. Empty when the cursor is on no symbol.
pub fn references(
    snapshot: &Snapshot,
    offset: usize,
    include_declaration: bool,
) -> Vec<Range<usize>> {
    let index = snapshot.index();
    let Some((_, at)) = index.at(offset) else {
        return Vec::new();
    };
    index
        .occurrences_of(at.symbol)
        .filter(|o| include_declaration || o.role != Role::Declaration)
        .map(|o| o.range.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(fixture: &str, include_declaration: bool) -> Vec<String> {
        let offset = fixture.find("$0").expect("a $0 cursor");
        let text = fixture.replacen("$0", "", 1);
        let snapshot = Snapshot::new(text.as_str());
        references(&snapshot, offset, include_declaration)
            .into_iter()
            .map(|r| format!("{}@{}", &text[r.clone()], r.start))
            .collect()
    }

    #[test]
    fn with_and_without_declarations() {
        let text = "ARG V=1\nFROM a:$V AS b\nARG V\nRUN echo $V$0\nFROM b\nCOPY --from=0 /x /y\n";
        assert_eq!(refs(text, true), ["V@4", "V@16", "V@27", "V@39"]);
        assert_eq!(refs(text, false), ["V@16", "V@39"]);
        let stage = "FROM a AS b$0\nFROM b\nCOPY --from=0 /x /y\nRUN --mount=from=B x\n";
        assert_eq!(refs(stage, true), ["b@10", "b@17", "0@31", "B@56"]);
        assert!(refs("FROM a\nRUN x$0\n", true).is_empty());
    }
}
