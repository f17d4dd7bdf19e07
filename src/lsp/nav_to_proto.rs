//! Conversions of the navigation results (outline, folding, selection) to LSP types; the
//! same rules as `to_proto`, kept apart so that the two grow without stepping on each other.

use tower_lsp_server::ls_types::{
    self, DocumentSymbol, FoldingRange, FoldingRangeKind, Location, SelectionRange,
    SymbolInformation, SymbolKind, Uri,
};

use crate::analysis::Snapshot;
use crate::analysis::document_symbols::{OutlineKind, OutlineSymbol};
use crate::analysis::folding::{Fold, FoldKind};
use crate::text::PositionEncoding;

use super::to_proto::{position, range};

pub(crate) fn symbol_kind(kind: OutlineKind) -> SymbolKind {
    match kind {
        OutlineKind::Globals => SymbolKind::NAMESPACE,
        OutlineKind::Stage => SymbolKind::MODULE,
        OutlineKind::Instruction => SymbolKind::FUNCTION,
        OutlineKind::Variable => SymbolKind::VARIABLE,
        OutlineKind::Label => SymbolKind::PROPERTY,
    }
}

pub(crate) fn document_symbol(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    s: OutlineSymbol,
) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = s
        .children
        .into_iter()
        .map(|c| document_symbol(snapshot, enc, c))
        .collect();
    #[allow(deprecated)] // `deprecated` is a required field of the struct, unused here.
    DocumentSymbol {
        name: non_empty(s.name),
        detail: s.detail,
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: range(snapshot, s.range, enc),
        selection_range: range(snapshot, s.selection, enc),
        children: (!children.is_empty()).then_some(children),
    }
}

/// A flat outline entry (for clients without hierarchical outlines) or a workspace symbol.
pub(crate) fn symbol_information(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    uri: &Uri,
    name: String,
    kind: OutlineKind,
    r: std::ops::Range<usize>,
    container: Option<String>,
) -> SymbolInformation {
    #[allow(deprecated)] // `deprecated` is a required field of the struct, unused here.
    SymbolInformation {
        name: non_empty(name),
        kind: symbol_kind(kind),
        tags: None,
        deprecated: None,
        location: Location::new(uri.clone(), range(snapshot, r, enc)),
        container_name: container,
    }
}

/// Clients reject symbols with empty names (VS Code throws); a blank name shows as `?`.
fn non_empty(name: String) -> String {
    match shown_name(&name) {
        "?" => "?".to_string(),
        _ => name,
    }
}

/// The name a symbol is shown with: its own, or `?` for a blank one (see [`non_empty`]).
pub(crate) fn shown_name(name: &str) -> &str {
    if name.trim().is_empty() { "?" } else { name }
}

pub(crate) fn folding_range(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    fold: Fold,
    line_folding_only: bool,
) -> FoldingRange {
    let start = position(snapshot, fold.range.start, enc);
    let end = position(snapshot, fold.range.end, enc);
    FoldingRange {
        start_line: start.line,
        start_character: (!line_folding_only).then_some(start.character),
        end_line: end.line,
        end_character: (!line_folding_only).then_some(end.character),
        kind: match fold.kind {
            FoldKind::Header => Some(FoldingRangeKind::Imports),
            FoldKind::Comment => Some(FoldingRangeKind::Comment),
            FoldKind::Stage | FoldKind::Instruction | FoldKind::Heredoc => None,
        },
        collapsed_text: None,
    }
}

/// A chain of ranges, innermost first, as nested selection ranges.
pub(crate) fn selection_range(
    snapshot: &Snapshot,
    enc: PositionEncoding,
    chain: Vec<std::ops::Range<usize>>,
    fallback: ls_types::Position,
) -> SelectionRange {
    let mut outer: Option<SelectionRange> = None;
    for r in chain.into_iter().rev() {
        outer = Some(SelectionRange {
            range: range(snapshot, r, enc),
            parent: outer.map(Box::new),
        });
    }
    outer.unwrap_or(SelectionRange {
        range: ls_types::Range::new(fallback, fallback),
        parent: None,
    })
}
