//! Document highlight: the symbol under the cursor everywhere in the document, with
//! declarations marked as writes and uses as reads.

use std::ops::Range;

use super::Snapshot;
use super::index::Role;

/// Whether a highlighted place reads or writes the symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HighlightKind {
    Read,
    Write,
}

/// One highlighted place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub range: Range<usize>,
    pub kind: HighlightKind,
}

/// Every occurrence of the symbol at `offset`, in source order.
pub fn highlights(snapshot: &Snapshot, offset: usize) -> Vec<Highlight> {
    let index = snapshot.index();
    let Some((_, at)) = index.at(offset) else {
        return Vec::new();
    };
    index
        .occurrences_of(at.symbol)
        .map(|o| Highlight {
            range: o.range.clone(),
            kind: match o.role {
                Role::Declaration => HighlightKind::Write,
                Role::Use => HighlightKind::Read,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes() {
        let text = "FROM a\nENV A=1\nENV A=$A\nRUN echo $A\n";
        let snapshot = Snapshot::new(text);
        let got: Vec<(String, HighlightKind)> = highlights(&snapshot, text.len() - 2)
            .into_iter()
            .map(|h| {
                (
                    format!("{}@{}", &text[h.range.clone()], h.range.start),
                    h.kind,
                )
            })
            .collect();
        use HighlightKind::*;
        assert_eq!(
            got,
            [
                ("A@11".to_string(), Write),
                ("A@19".to_string(), Write),
                ("A@22".to_string(), Read),
                ("A@34".to_string(), Read)
            ]
        );
    }
}
