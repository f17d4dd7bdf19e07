//! Where a document names images: the FROM of each stage (after global ARG defaults), and
//! `COPY --from=image` and `RUN --mount=…,from=image` when they do not name a stage. Each
//! site maps offsets in the expanded reference back to the document, so that an edit of the
//! tag lands in the FROM line, or in the ARG default the tag came from.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::Edit;
use crate::analysis::shift::EditedStage;
use crate::model::image_ref::{self, ImageRef};
use crate::model::{BaseImage, Declaration, InstructionKind, Model, mount_from, scan_references};
use crate::registry::pin;

/// Which instruction an image reference is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// The base of this stage.
    From { stage: usize },
    /// `COPY --from=image`.
    CopyFrom,
    /// `RUN --mount=…,from=image`.
    MountFrom,
}

/// A piece of the expanded reference and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    /// Range in [`ImageRef::source`] (the expanded text).
    expanded: Range<usize>,
    /// Document offset of `expanded.start`, or `None` when the piece cannot be edited in
    /// place (a `${VAR:-word}` form, an unusual quoting).
    doc_start: Option<usize>,
    /// The ARG the piece comes from, if it is a variable.
    arg: Option<String>,
}

/// A FROM line's reference, expanded and parsed, with its pieces placed relative to it.
type Expanded = (Arc<ImageRef>, Vec<Segment>);

/// One image reference in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSite {
    pub kind: SiteKind,
    /// Index of the instruction in `Model::instructions`.
    pub instruction: usize,
    /// The reference as written in the instruction (it may contain `$VAR`s).
    pub range: Range<usize>,
    /// The reference after expansion, parsed (shared: an edit elsewhere moves the site, and
    /// a keystroke moves hundreds).
    pub image: Arc<ImageRef>,
    segments: Vec<Segment>,
}

/// Where an edit of the expanded reference goes in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub edit: Edit,
    /// The ARG whose default is edited, when the edited text comes from one.
    pub arg: Option<String>,
}

impl ImageSite {
    /// Whether the reference is written with variables.
    pub fn uses_variables(&self) -> bool {
        self.segments.iter().any(|s| s.arg.is_some())
    }

    /// Maps an edit of [`ImageRef::source`] (from [`pin::tag_edit`] or
    /// [`pin::digest_edit`]) to the document: `None` when it spans several written pieces
    /// or a piece that cannot be edited in place.
    pub fn place(&self, edit: &pin::Edit) -> Option<Placed> {
        let r = &edit.range;
        // Later pieces first: an insertion at a boundary belongs to the piece it extends.
        let seg = self
            .segments
            .iter()
            .rev()
            .find(|s| s.expanded.start <= r.start && r.end <= s.expanded.end)?;
        let base = seg.doc_start?;
        let start = base + (r.start - seg.expanded.start);
        let end = base + (r.end - seg.expanded.start);
        Some(Placed {
            edit: Edit {
                range: start..end,
                new_text: edit.new_text.clone(),
            },
            arg: seg.arg.clone(),
        })
    }
}

/// Every image reference of the document that parses, in source order.
pub fn image_sites(model: &Model, text: &str) -> Vec<ImageSite> {
    let mut out = Vec::new();
    // A large file repeats its FROM lines (`FROM ${REGISTRY}/base:${VERSION}`), and what one
    // expands to depends only on its text, the global ARGs being the same for every FROM: each
    // distinct text is expanded once, with its literal pieces placed relative to its start.
    let mut bases: HashMap<&str, Option<Expanded>> = HashMap::new();
    for stage in &model.stages {
        let Some((written, range)) = &stage.base else {
            continue;
        };
        if model.parent_stage(stage.index).is_some() {
            continue;
        }
        let expanded = bases.entry(written.as_str()).or_insert_with(|| {
            let BaseImage::Image(image) = model.base_image(stage.index) else {
                return None;
            };
            let segments = from_segments(model, text, stage.instruction, written, Some(0));
            Some((Arc::new(image), segments))
        });
        let Some((image, relative)) = expanded else {
            continue;
        };
        // Offsets in `written` are document offsets only when it is written as is (unquoted).
        let literal_base =
            (text.get(range.clone()) == Some(written.as_str())).then_some(range.start);
        let segments = relative
            .iter()
            .map(|s| Segment {
                doc_start: match &s.arg {
                    None => literal_base.zip(s.doc_start).map(|(base, at)| base + at),
                    Some(_) => s.doc_start,
                },
                ..s.clone()
            })
            .collect();
        out.push(ImageSite {
            kind: SiteKind::From { stage: stage.index },
            instruction: stage.instruction,
            range: range.clone(),
            image: Arc::clone(image),
            segments,
        });
    }
    flag_sites(model, text, 0..model.instructions.len(), &mut out);
    out.sort_by_key(|s| s.range.start);
    out
}

/// The image references of `model` after an edit of one stage (see [`EditedStage`]), from
/// those found before it: the references of that stage's instructions are found again
/// (its FROM did not change), the others are moved.
pub fn sites_after_edit(
    previous: &[ImageSite],
    model: &Model,
    text: &str,
    edited: &EditedStage,
) -> Vec<ImageSite> {
    let window = &edited.instructions;
    let shift = &edited.shift;
    let mut out: Vec<ImageSite> = previous
        .iter()
        .filter(|s| {
            s.instruction < window.start
                || s.instruction == window.start && matches!(s.kind, SiteKind::From { .. })
        })
        .cloned()
        .collect();
    flag_sites(model, text, window.clone(), &mut out);
    out.extend(
        previous
            .iter()
            .filter(|s| s.instruction >= shift.old_index_end)
            .map(|s| ImageSite {
                kind: s.kind,
                instruction: shift.index(s.instruction),
                range: shift.range(&s.range),
                image: Arc::clone(&s.image),
                segments: s
                    .segments
                    .iter()
                    .map(|seg| Segment {
                        doc_start: seg.doc_start.map(|at| shift.offset(at)),
                        ..seg.clone()
                    })
                    .collect(),
            }),
    );
    out.sort_by_key(|s| s.range.start);
    out
}

/// The references in `COPY --from` and `RUN --mount=from=` of the instructions `window`.
fn flag_sites(model: &Model, text: &str, window: Range<usize>, out: &mut Vec<ImageSite>) {
    for (i, inst) in model.indexed_within(window) {
        let command = inst.command();
        let mut consider = |kind: SiteKind, value: &str, range: Range<usize>| {
            if value.is_empty()
                || image_ref::contains_variable(value)
                || value.parse::<usize>().is_ok()
                || image_ref::is_scratch(value)
                || model.stage_named(value, i).is_some()
                || text.get(range.clone()) != Some(value)
            {
                return;
            }
            let Ok(image) = image_ref::parse(value) else {
                return;
            };
            out.push(ImageSite {
                kind,
                instruction: i,
                range: range.clone(),
                image: Arc::new(image),
                segments: vec![Segment {
                    expanded: 0..value.len(),
                    doc_start: Some(range.start),
                    arg: None,
                }],
            });
        };
        match inst.kind() {
            InstructionKind::Copy => {
                if let Some(flag) = command.flag("from")
                    && let (Some(value), Some(range)) = (&flag.value, &flag.value_range)
                {
                    consider(SiteKind::CopyFrom, value, inst.abs(range));
                }
            }
            InstructionKind::Run => {
                for flag in command.flags.iter().filter(|f| f.name == "mount") {
                    if let Some((from, range)) = mount_from(flag) {
                        consider(SiteKind::MountFrom, from, inst.abs(&range));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Splits a FROM argument into literal pieces and global-ARG pieces, each with where it is
/// written: a literal piece at `literal_base` plus its offset in `written` (nowhere without
/// a base), an ARG piece in its ARG's default.
fn from_segments(
    model: &Model,
    text: &str,
    instruction: usize,
    written: &str,
    literal_base: Option<usize>,
) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut expanded_len = 0;
    let mut last = 0;
    let push_literal = |segments: &mut Vec<Segment>, from: usize, to: usize, len: &mut usize| {
        if to > from {
            segments.push(Segment {
                expanded: *len..*len + (to - from),
                doc_start: literal_base.map(|b| b + from),
                arg: None,
            });
            *len += to - from;
        }
    };
    for (whole, name, modifier) in scan_references(written, model.escape) {
        push_literal(&mut segments, last, whole.start, &mut expanded_len);
        last = whole.end;
        let name = &written[name];
        let decl = model.global_arg(instruction, name);
        let value = model
            .expand_global(instruction, &written[whole.clone()])
            .unwrap_or_default();
        let doc_start = match (modifier, decl) {
            (None, Some(d)) => arg_value_start(&d, text, &value),
            _ => None,
        };
        segments.push(Segment {
            expanded: expanded_len..expanded_len + value.len(),
            doc_start,
            arg: Some(name.to_string()),
        });
        expanded_len += value.len();
    }
    push_literal(&mut segments, last, written.len(), &mut expanded_len);
    segments
}

/// Document offset where the ARG's unquoted default `value` starts, if it is written plainly
/// or in one pair of quotes.
fn arg_value_start(d: &Declaration, text: &str, value: &str) -> Option<usize> {
    let range = d.value_range.clone()?;
    let raw = text.get(range.clone())?;
    if raw == value {
        return Some(range.start);
    }
    let quoted = raw.len() == value.len() + 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''))
        && &raw[1..raw.len() - 1] == value;
    quoted.then_some(range.start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    fn sites(text: &str) -> Vec<ImageSite> {
        let model = Model::build(&Document::new(text));
        image_sites(&model, text)
    }

    fn apply(text: &str, e: &Edit) -> String {
        let mut out = text.to_string();
        out.replace_range(e.range.clone(), &e.new_text);
        out
    }

    #[test]
    fn from_lines_are_edited_in_place() {
        let text = "FROM python:3-alpine AS build\nFROM build\nFROM scratch\n";
        let s = sites(text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].image.tag.as_deref(), Some("3-alpine"));
        let placed = s[0]
            .place(&pin::tag_edit(&s[0].image, "3.14.7-alpine3.24", None))
            .expect("placed");
        assert_eq!(placed.arg, None);
        assert_eq!(
            apply(text, &placed.edit),
            "FROM python:3.14.7-alpine3.24 AS build\nFROM build\nFROM scratch\n"
        );
    }

    #[test]
    fn a_tag_from_an_arg_default_is_edited_in_the_arg() {
        let text = "ARG PY=\"3-alpine\"\nFROM python:${PY}\n";
        let s = sites(text);
        assert_eq!(s.len(), 1);
        assert!(s[0].uses_variables());
        let placed = s[0]
            .place(&pin::tag_edit(&s[0].image, "3.14.7-alpine3.24", None))
            .expect("placed");
        assert_eq!(placed.arg.as_deref(), Some("PY"));
        assert_eq!(
            apply(text, &placed.edit),
            "ARG PY=\"3.14.7-alpine3.24\"\nFROM python:${PY}\n"
        );
        // A whole reference in an ARG, without a tag: the tag is inserted there.
        let text = "ARG BASE=python\nFROM $BASE\n";
        let s = sites(text);
        let placed = s[0]
            .place(&pin::tag_edit(&s[0].image, "3.14.7", None))
            .expect("placed");
        assert_eq!(
            apply(text, &placed.edit),
            "ARG BASE=python:3.14.7\nFROM $BASE\n"
        );
        // A default word cannot be edited in place.
        let text = "ARG PY\nFROM python:${PY:-3}\n";
        let s = sites(text);
        assert_eq!(
            s[0].place(&pin::tag_edit(&s[0].image, "3.14.7", None)),
            None
        );
    }

    #[test]
    fn copy_and_mount_images_but_not_stages() {
        let text = "FROM alpine AS a\nCOPY --from=a /x /x\nCOPY --from=nginx:1 /y /y\n\
                    RUN --mount=type=bind,from=node:lts,target=/n true\n";
        let s = sites(text);
        let names: Vec<(&str, SiteKind)> =
            s.iter().map(|s| (&text[s.range.clone()], s.kind)).collect();
        assert_eq!(
            names,
            [
                ("alpine", SiteKind::From { stage: 0 }),
                ("nginx:1", SiteKind::CopyFrom),
                ("node:lts", SiteKind::MountFrom),
            ]
        );
    }
}
