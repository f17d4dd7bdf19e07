//! Folding ranges: the directive header, each stage, each instruction that spans lines,
//! each heredoc body, and each block of two or more comment lines.
//!
//! Ranges are byte offsets: from the end of the first line's content to the end of the last
//! line's content, which is what a client that folds by character wants; a client that folds
//! whole lines only needs the lines of those two offsets.

use std::ops::Range;

use super::Snapshot;
use super::spans::{stage_range, without_line_break};

/// What a fold holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FoldKind {
    /// The parser directives at the top (`# syntax=`, `# escape=`, `# check=`).
    Header,
    Stage,
    Instruction,
    Heredoc,
    Comment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: Range<usize>,
    pub kind: FoldKind,
}

/// The folds of a document, in source order (outer before inner at the same start). At
/// most `limit` of them: the header and the stages first, then the rest in source order.
pub fn folding_ranges(snapshot: &Snapshot, limit: Option<usize>) -> Vec<Fold> {
    let model = &snapshot.model;
    let text = snapshot.text();
    let lines = snapshot.doc.line_index();
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, kind: FoldKind| {
        let (first, last) = (lines.line_of(start), lines.line_of(end));
        if first < last {
            let from = lines.line_end_trimmed(first).unwrap_or(start);
            let to = lines.line_end_trimmed(last).unwrap_or(end);
            out.push(Fold {
                range: from..to,
                kind,
            });
        }
    };
    if let (Some(first), Some(last)) = (model.directives.first(), model.directives.last()) {
        push(first.range.start, last.range.end, FoldKind::Header);
    }
    for stage in &model.stages {
        let range = stage_range(model, text, stage);
        push(range.start, range.end, FoldKind::Stage);
    }
    let header_end = model.directives.last().map_or(0, |d| d.range.end);
    let mut gap_start = header_end;
    for inst in &model.instructions {
        comment_blocks(text, gap_start..inst.start(), &mut push);
        gap_start = inst.range().end;
        let own = inst.line_range();
        push(
            own.start,
            without_line_break(text, own).end,
            FoldKind::Instruction,
        );
        for h in &inst.data().heredocs {
            let end = h.terminator_range.as_ref().or(h.content_range.as_ref());
            if let Some(end) = end {
                let marker = inst.abs(&h.marker_range);
                push(
                    marker.start,
                    without_line_break(text, inst.abs(end)).end,
                    FoldKind::Heredoc,
                );
            }
        }
    }
    comment_blocks(text, gap_start..text.len(), &mut push);
    out.sort_by(|a, b| {
        (a.range.start, std::cmp::Reverse(a.range.end), a.kind).cmp(&(
            b.range.start,
            std::cmp::Reverse(b.range.end),
            b.kind,
        ))
    });
    out.dedup_by(|a, b| a.range == b.range);
    if let Some(limit) = limit.filter(|&l| l < out.len()) {
        // Keep the folds that matter most: the header and the stages, then in order.
        let mut keep: Vec<usize> = (0..out.len()).collect();
        keep.sort_by_key(|&i| {
            (
                !matches!(out[i].kind, FoldKind::Header | FoldKind::Stage),
                i,
            )
        });
        keep.truncate(limit);
        keep.sort_unstable();
        out = keep.into_iter().map(|i| out[i].clone()).collect();
    }
    out
}

/// Runs of two or more consecutive comment lines in `gap` (text between instructions).
fn comment_blocks(text: &str, gap: Range<usize>, push: &mut impl FnMut(usize, usize, FoldKind)) {
    let Some(between) = text.get(gap.clone()) else {
        return;
    };
    if !between.contains('#') {
        return;
    }
    let mut block: Option<(usize, usize, usize)> = None; // start, end, lines
    let mut offset = gap.start;
    for line in between.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let content_end = offset + line.trim_end_matches(['\n', '\r']).len();
        if trimmed.starts_with('#') {
            block = Some(match block {
                Some((start, _, n)) => (start, content_end, n + 1),
                None => (offset + (line.len() - trimmed.len()), content_end, 1),
            });
        } else if let Some((start, end, n)) = block.take()
            && n > 1
        {
            push(start, end, FoldKind::Comment);
        }
        offset += line.len();
    }
    if let Some((start, end, n)) = block
        && n > 1
    {
        push(start, end, FoldKind::Comment);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folds as `kind first-last` (1-based lines).
    fn folds(text: &str, limit: Option<usize>) -> Vec<String> {
        let snapshot = Snapshot::new(text);
        let lines = snapshot.doc.line_index();
        folding_ranges(&snapshot, limit)
            .into_iter()
            .map(|f| {
                format!(
                    "{:?} {}-{}",
                    f.kind,
                    lines.line_of(f.range.start) + 1,
                    lines.line_of(f.range.end) + 1
                )
            })
            .collect()
    }

    const TEXT: &str = "# syntax=docker/dockerfile:1\n# escape=\\\n\n# Build stage\n# with notes\nFROM a AS b\n\
                        RUN one \\\n  two \\\n  three\nCOPY <<EOF /x\nbody\nEOF\n\n# lone comment\nFROM c\nRUN x\n";

    #[test]
    fn every_kind() {
        assert_eq!(
            folds(TEXT, None),
            [
                "Header 1-2",
                "Comment 4-5",
                "Stage 6-12",
                "Instruction 7-9",
                "Heredoc 10-12",
                "Stage 15-16",
            ]
        );
    }

    #[test]
    fn a_limit_keeps_the_header_and_stages() {
        assert_eq!(
            folds(TEXT, Some(3)),
            ["Header 1-2", "Stage 6-12", "Stage 15-16"]
        );
        assert_eq!(folds(TEXT, Some(0)), Vec::<String>::new());
    }

    #[test]
    fn crlf_and_trailing_comments() {
        let text = "FROM a\r\nRUN a \\\r\n  b\r\n# x\r\n# y\r\n";
        assert_eq!(
            folds(text, None),
            ["Stage 1-3", "Instruction 2-3", "Comment 4-5"]
        );
    }
}
