//! The outline: one symbol per stage (named by its alias, its base image as detail; an
//! unnamed stage by its index), its instructions as children and the keys of its ARG, ENV
//! and LABEL instructions as grandchildren; the global ARGs before the first FROM as a group
//! of their own. [`flatten`] gives the flat list for clients without hierarchical outlines.

use std::ops::Range;

use super::Snapshot;
use super::spans::stage_range;
use crate::model::{Arguments, Instruction, InstructionKind, Stage, declarations_of};

/// What an outline entry is, for its icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    /// The group of global ARGs.
    Globals,
    Stage,
    Instruction,
    Variable,
    Label,
}

impl OutlineKind {
    /// Every kind, in the order of their discriminants.
    pub const ALL: [OutlineKind; 5] = [
        OutlineKind::Globals,
        OutlineKind::Stage,
        OutlineKind::Instruction,
        OutlineKind::Variable,
        OutlineKind::Label,
    ];
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// All of it (a stage: its FROM to the end of its last instruction).
    pub range: Range<usize>,
    /// What to select when it is chosen: the name.
    pub selection: Range<usize>,
    pub children: Vec<OutlineSymbol>,
}

/// Longest instruction detail, in characters; the outline shows one line.
const DETAIL_CHARS: usize = 60;

/// The outline of a document.
pub fn document_symbols(snapshot: &Snapshot) -> Vec<OutlineSymbol> {
    let model = &snapshot.model;
    let text = snapshot.text();
    let mut out = Vec::new();
    let first_from = model.first_from();
    let globals: Vec<OutlineSymbol> = (0..first_from)
        .map(|i| instruction(text, &model.instructions[i], i))
        .collect();
    if let (Some(first), Some(last)) = (globals.first(), globals.last()) {
        let range = first.range.start..last.range.end;
        out.push(OutlineSymbol {
            name: "global ARGs".to_string(),
            detail: None,
            kind: OutlineKind::Globals,
            selection: first.range.start..first.range.start,
            range,
            children: globals,
        });
    }
    for stage in &model.stages {
        out.push(stage_symbol(snapshot, stage));
    }
    out
}

fn stage_symbol(snapshot: &Snapshot, stage: &Stage) -> OutlineSymbol {
    let model = &snapshot.model;
    let text = snapshot.text();
    let from = &model.instructions[stage.instruction];
    let base = stage
        .base
        .as_ref()
        .map(|(_, r)| text[r.clone()].to_string());
    let (name, selection) = match &stage.name {
        Some((_, r)) => (text[r.clone()].to_string(), r.clone()),
        None => (
            format!("stage {}", stage.index),
            stage
                .base
                .as_ref()
                .map_or_else(|| from.keyword_range(), |(_, r)| r.clone()),
        ),
    };
    let children = (stage.instruction + 1..stage.end_instruction)
        .map(|i| instruction(text, &model.instructions[i], i))
        .collect();
    OutlineSymbol {
        name,
        detail: base,
        kind: OutlineKind::Stage,
        range: stage_range(model, text, stage),
        selection,
        children,
    }
}

/// An instruction, named by its keyword, with the start of its arguments as detail.
fn instruction(text: &str, inst: &Instruction, index: usize) -> OutlineSymbol {
    let keyword = inst.keyword_range();
    let mut name = text[keyword.clone()].to_ascii_uppercase();
    if let Some(trigger) = inst.data().trigger.as_deref() {
        name.push(' ');
        name.push_str(&trigger.keyword.to_ascii_uppercase());
    }
    let line = inst.line_range();
    let first_line_end = text[line.clone()]
        .find('\n')
        .map_or(line.end, |i| line.start + i);
    let args = text.get(keyword.end..first_line_end).unwrap_or("");
    // Built in place: an outline has an entry per instruction, and each copy shows.
    let mut detail = String::with_capacity(args.len() + " …".len());
    for word in args.split_whitespace() {
        if !detail.is_empty() {
            detail.push(' ');
        }
        detail.push_str(word);
    }
    let escape = inst.data().escape;
    if first_line_end < line.end {
        let kept = detail.trim_end_matches(escape).trim_end().len();
        detail.truncate(kept);
        detail.push_str(" …");
    }
    // Bytes are never fewer than chars: only a long detail needs counting.
    if detail.len() > DETAIL_CHARS && detail.chars().count() > DETAIL_CHARS {
        let cut = detail
            .char_indices()
            .nth(DETAIL_CHARS - 1)
            .map_or(detail.len(), |(i, _)| i);
        detail.truncate(cut);
        detail.push('…');
    }
    OutlineSymbol {
        name,
        detail: (!detail.is_empty()).then_some(detail),
        kind: OutlineKind::Instruction,
        range: inst.range(),
        selection: keyword,
        children: keys(text, inst, index),
    }
}

/// The names an ARG, ENV or LABEL instruction sets.
fn keys(text: &str, inst: &Instruction, index: usize) -> Vec<OutlineSymbol> {
    match (inst.kind(), &inst.command().args) {
        (InstructionKind::Arg | InstructionKind::Env, _) => declarations_of(inst, index)
            .into_iter()
            .map(|d| OutlineSymbol {
                detail: d.value.clone(),
                name: d.name,
                kind: OutlineKind::Variable,
                range: d.name_range.start..d.value_range.map_or(d.name_range.end, |v| v.end),
                selection: d.name_range,
                children: Vec::new(),
            })
            .collect(),
        (InstructionKind::Label, Arguments::Pairs(pairs)) => pairs
            .iter()
            .map(|p| {
                let key = inst.abs(&p.key.range);
                let value = inst.abs(&p.value.range);
                OutlineSymbol {
                    name: p.key.value.to_string(),
                    detail: Some(text.get(value.clone()).unwrap_or("").to_string()),
                    kind: OutlineKind::Label,
                    range: key.start..value.end.max(key.end),
                    selection: key,
                    children: Vec::new(),
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The outline as a flat list, each entry with the name of the entry that contains it.
pub fn flatten(symbols: Vec<OutlineSymbol>) -> Vec<(OutlineSymbol, Option<String>)> {
    let mut out = Vec::new();
    let mut stack: Vec<(OutlineSymbol, Option<String>)> =
        symbols.into_iter().rev().map(|s| (s, None)).collect();
    while let Some((mut symbol, container)) = stack.pop() {
        let children = std::mem::take(&mut symbol.children);
        let name = symbol.name.clone();
        stack.extend(children.into_iter().rev().map(|c| (c, Some(name.clone()))));
        out.push((symbol, container));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The outline as indented lines: `name [detail] @selected text`.
    fn outline(text: &str) -> Vec<String> {
        let snapshot = Snapshot::new(text);
        let mut out = Vec::new();
        fn walk(text: &str, symbols: &[OutlineSymbol], depth: usize, out: &mut Vec<String>) {
            for s in symbols {
                assert!(s.range.start <= s.selection.start && s.selection.end <= s.range.end);
                out.push(format!(
                    "{}{:?} {} [{}] @{}",
                    "  ".repeat(depth),
                    s.kind,
                    s.name,
                    s.detail.as_deref().unwrap_or(""),
                    &text[s.selection.clone()]
                ));
                walk(text, &s.children, depth + 1, out);
            }
        }
        walk(text, &document_symbols(&snapshot), 0, &mut out);
        out
    }

    #[test]
    fn stages_instructions_and_keys() {
        let text = "# syntax=docker/dockerfile:1\nARG A=1 B\nFROM python:3 AS build\nENV X=1 Y=\"two\"\n\
                    RUN apt-get update \\\n  && apt-get install -y curl\nLABEL org.title=\"x\"\n\
                    FROM scratch\nonbuild run make\nCOPY --from=build /a /b\n";
        assert_eq!(
            outline(text),
            [
                "Globals global ARGs [] @",
                "  Instruction ARG [A=1 B] @ARG",
                "    Variable A [1] @A",
                "    Variable B [] @B",
                "Stage build [python:3] @build",
                "  Instruction ENV [X=1 Y=\"two\"] @ENV",
                "    Variable X [1] @X",
                "    Variable Y [\"two\"] @Y",
                "  Instruction RUN [apt-get update …] @RUN",
                "  Instruction LABEL [org.title=\"x\"] @LABEL",
                "    Label org.title [\"x\"] @org.title",
                "Stage stage 1 [scratch] @scratch",
                "  Instruction ONBUILD RUN [run make] @onbuild",
                "  Instruction COPY [--from=build /a /b] @COPY",
            ]
        );
    }

    #[test]
    fn flat_list_names_containers() {
        let snapshot = Snapshot::new("FROM a AS b\nENV K=v\n");
        let flat: Vec<(String, Option<String>)> = flatten(document_symbols(&snapshot))
            .into_iter()
            .map(|(s, c)| (s.name, c))
            .collect();
        assert_eq!(
            flat,
            [
                ("b".to_string(), None),
                ("ENV".to_string(), Some("b".to_string())),
                ("K".to_string(), Some("ENV".to_string())),
            ]
        );
    }

    #[test]
    fn long_details_are_cut() {
        let text = format!("FROM a\nRUN {}\n", "x".repeat(200));
        let got = outline(&text);
        assert_eq!(
            got[1].chars().filter(|&c| c == 'x').count(),
            DETAIL_CHARS - 1
        );
    }
}
