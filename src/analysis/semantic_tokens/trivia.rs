//! Tokens outside instructions: the parser directives at the top and comment lines.

use std::ops::Range;

use super::{TokenKind, Tokens};
use crate::analysis::Snapshot;

/// `# syntax=docker/dockerfile:1`: the `#` as comment, the name as directive, `=` as an
/// operator, the value as string.
pub(super) fn directives(snapshot: &Snapshot, out: &mut Tokens) {
    let text = snapshot.text();
    for d in &snapshot.model.directives {
        out.push(d.range.start..d.name_range.start, TokenKind::Comment, 0);
        out.push(d.name_range.clone(), TokenKind::Directive, 0);
        if let Some(eq) = text
            .get(d.name_range.end..d.value_range.start)
            .and_then(|s| s.find('='))
        {
            let at = d.name_range.end + eq;
            out.push(at..at + 1, TokenKind::Operator, 0);
        }
        out.push(d.value_range.clone(), TokenKind::String, 0);
    }
}

/// The comment lines in `gap` (text between instructions).
pub(super) fn comments(text: &str, gap: Range<usize>, out: &mut Tokens) {
    let Some(between) = text.get(gap.clone()) else {
        return;
    };
    if !between.contains('#') {
        return;
    }
    let mut offset = gap.start;
    for line in between.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            let start = offset + line.len() - trimmed.len();
            let end = offset + line.trim_end_matches(['\n', '\r']).len();
            out.push(start..end, TokenKind::Comment, 0);
        }
        offset += line.len();
    }
}
