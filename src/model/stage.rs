//! Build stages: each FROM starts one, with its base image, optional name and platform.

use std::ops::Range;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::Model;
use super::image_ref::{self, ImageRef, ImageRefError};
use super::instruction::{Flag, Instruction, Rel};
use super::split::{Arguments, ascii_lowercase};
use crate::syntax::InstructionKind;

/// One build stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Position among the stages (what `COPY --from=0` refers to).
    pub index: usize,
    /// Index of its FROM in `Model::instructions`.
    pub instruction: usize,
    /// One past its last instruction.
    pub end_instruction: usize,
    /// The base image as written (it may contain `$VAR`s), and where.
    pub base: Option<(CompactString, Range<usize>)>,
    /// The name after `AS`, lower-cased as BuildKit compares it, and where it is written.
    pub name: Option<(CompactString, Range<usize>)>,
    /// The `--platform` value as written, and where.
    pub platform: Option<(CompactString, Range<usize>)>,
}

pub(crate) fn stages(instructions: &[Instruction]) -> Vec<Stage> {
    let mut out: Vec<Stage> = Vec::new();
    for (i, inst) in instructions.iter().enumerate() {
        if inst.kind() != InstructionKind::From {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.end_instruction = i;
        }
        let command = inst.command();
        let words = match &command.args {
            Arguments::List(words) => words.as_slice(),
            _ => &[],
        };
        let base = words.first().map(|w| (w.value.clone(), inst.abs(&w.range)));
        let name = match words {
            [_, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => {
                let mut lower = name.value.clone();
                lower.make_ascii_lowercase();
                Some((lower, inst.abs(&name.range)))
            }
            _ => None,
        };
        let platform = command
            .flags
            .iter()
            .find(|f| f.name == "platform")
            .map(|f| {
                let range = f.value_range.as_ref().unwrap_or(&f.range);
                (f.value.clone().unwrap_or_default(), inst.abs(range))
            });
        out.push(Stage {
            index: out.len(),
            instruction: i,
            end_instruction: instructions.len(),
            base,
            name,
            platform,
        });
    }
    out
}

/// The stages of each name (stored in ASCII lower case), in order. A large file asks once
/// per `--from` and per FROM which stage a name means, and a scan of every stage each time
/// adds up to a good part of a millisecond.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct StageNames(FxHashMap<CompactString, Vec<usize>>);

impl StageNames {
    pub fn new(stages: &[Stage]) -> StageNames {
        let mut names: FxHashMap<CompactString, Vec<usize>> = FxHashMap::default();
        for stage in stages {
            if let Some((name, _)) = &stage.name {
                names.entry(name.clone()).or_default().push(stage.index);
            }
        }
        StageNames(names)
    }

    /// The stages whose stored name is exactly `name`, in order.
    fn exactly(&self, name: &str) -> &[usize] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    /// The stages named `name`, compared as BuildKit does (ignoring ASCII case), in order.
    fn named(&self, name: &str) -> &[usize] {
        self.exactly(&ascii_lowercase(name))
    }

    /// The last of the stages named `name` among the first `limit` stages.
    fn last_before(&self, name: &str, limit: usize) -> Option<usize> {
        let same = self.named(name);
        same[..same.partition_point(|&i| i < limit)].last().copied()
    }
}

/// What a stage's FROM refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseImage {
    /// `FROM scratch`: an empty image.
    Scratch,
    /// An earlier stage, by index.
    Stage(usize),
    /// An image reference, after global ARG defaults were substituted.
    Image(ImageRef),
    /// The text (after substitution) is not a valid reference.
    Invalid(ImageRefError),
    /// It uses a variable without a known value, so it is only known at build time.
    Unresolved,
    /// FROM has no argument.
    Missing,
}

impl Model {
    /// The base of a stage: scratch, an earlier stage, or an image reference normalized as
    /// Docker does (`python` → `docker.io/library/python`).
    pub fn base_image(&self, stage_index: usize) -> BaseImage {
        let Some(stage) = self.stages.get(stage_index) else {
            return BaseImage::Missing;
        };
        let Some((text, _)) = &stage.base else {
            return BaseImage::Missing;
        };
        if let Some(parent) = self.parent_stage(stage_index) {
            return BaseImage::Stage(parent);
        }
        let Some(expanded) = self.expand_global(stage.instruction, text) else {
            return BaseImage::Unresolved;
        };
        if image_ref::is_scratch(&expanded) {
            return BaseImage::Scratch;
        }
        match image_ref::parse(&expanded) {
            Ok(image) => BaseImage::Image(image),
            Err(err) => BaseImage::Invalid(err),
        }
    }

    /// The stage a `--from=` / `from=` value names: a stage name (case-insensitive) or index
    /// defined before instruction `before`.
    pub fn stage_named(&self, name: &str, before: usize) -> Option<&Stage> {
        let earlier = self.stages.partition_point(|s| s.instruction < before);
        if let Ok(index) = name.parse::<usize>() {
            return self.stages[..earlier].get(index);
        }
        let index = self.stage_names.last_before(name, earlier)?;
        self.stages.get(index)
    }

    /// The stages named `name` (ignoring ASCII case, as BuildKit compares), in order.
    pub fn stages_named(&self, name: &str) -> &[usize] {
        self.stage_names.named(name)
    }

    /// The stages whose name, as stored in ASCII lower case, is exactly `name`, in order.
    pub fn stages_named_exactly(&self, name: &str) -> &[usize] {
        self.stage_names.exactly(name)
    }

    /// The earlier stage a stage is built `FROM`, if its base names one.
    pub fn parent_stage(&self, stage_index: usize) -> Option<usize> {
        let stage = self.stages.get(stage_index)?;
        let (base, _) = stage.base.as_ref()?;
        self.stage_names.last_before(base, stage_index)
    }
}

/// Whether BuildKit accepts `name` after `AS`: lower-cased, it must match
/// `^[a-z][a-z0-9-_.]*$`.
pub fn is_valid_stage_name(name: &str) -> bool {
    // Names are nearly always ASCII, which lowers without a copy.
    if name.is_ascii() {
        is_lower_stage_name(name.chars().map(|c| c.to_ascii_lowercase()))
    } else {
        is_lower_stage_name(name.to_lowercase().chars())
    }
}

fn is_lower_stage_name(mut lower: impl Iterator<Item = char>) -> bool {
    lower.next().is_some_and(|c| c.is_ascii_lowercase())
        && lower
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// Where an instruction names a stage, or could: the forms BuildKit reads as stage names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageUseKind {
    /// The base of `FROM name`.
    Base,
    /// `COPY --from=name` or `COPY --from=0`.
    CopyFrom,
    /// `RUN --mount=from=name`.
    MountFrom,
}

/// One place that names a stage, written plainly (no quotes or escapes), so that its range
/// is exactly its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageUse<'m> {
    pub kind: StageUseKind,
    /// Index of the instruction in `Model::instructions`.
    pub instruction: usize,
    pub value: &'m str,
    pub range: Range<usize>,
    /// The stage it means, if it names one (a later stage too: the build fails then, but
    /// the name still means it).
    pub stage: Option<usize>,
    /// It names the stage by its index (`--from=0`).
    pub by_index: bool,
}

/// The `from=` field of a `--mount` value written plainly (no CSV quotes), and where it is
/// relative to the instruction.
pub fn mount_from(flag: &Flag) -> Option<(&str, Rel)> {
    let value = flag.value.as_deref()?;
    let range = flag.value_range.as_ref()?;
    if range.len() != value.len() || value.contains('"') {
        return None;
    }
    let mut offset = range.start;
    for field in value.split(',') {
        if let Some(v) = field.strip_prefix("from=") {
            let start = offset + "from=".len();
            return Some((v, start..start + v.len()));
        }
        offset += field.len() + 1;
    }
    None
}

impl Model {
    /// Every place that names a stage or could (`FROM x`, `COPY --from=x`, `RUN
    /// --mount=from=x`), in source order, with the stage it resolves to. ONBUILD triggers
    /// are left out: their stages are those of the build that uses the image.
    pub fn stage_uses(&self) -> Vec<StageUse<'_>> {
        let mut out = Vec::new();
        for (i, inst) in self.instructions.iter().enumerate() {
            let command = inst.command();
            match command.kind {
                InstructionKind::From => {
                    let Some(stage) = self.stage_starting_at(i) else {
                        continue;
                    };
                    if let Some((base, range)) = &stage.base {
                        out.push(StageUse {
                            kind: StageUseKind::Base,
                            instruction: i,
                            value: base,
                            range: range.clone(),
                            stage: self.parent_stage(stage.index),
                            by_index: false,
                        });
                    }
                }
                InstructionKind::Copy => {
                    let Some(flag) = command.flag("from") else {
                        continue;
                    };
                    let (Some(value), Some(range)) = (&flag.value, &flag.value_range) else {
                        continue;
                    };
                    if range.len() != value.len() || value.is_empty() {
                        continue;
                    }
                    let by_index = value.parse::<usize>().is_ok();
                    let stage = self.stage_named(value, i).map(|s| s.index).or_else(|| {
                        (!by_index)
                            .then(|| self.stages_named(value).last().copied())
                            .flatten()
                    });
                    out.push(StageUse {
                        kind: StageUseKind::CopyFrom,
                        instruction: i,
                        value,
                        range: inst.abs(range),
                        stage,
                        by_index: by_index && stage.is_some(),
                    });
                }
                InstructionKind::Run => {
                    for flag in command.flags.iter().filter(|f| f.name == "mount") {
                        let Some((value, range)) = mount_from(flag) else {
                            continue;
                        };
                        if value.is_empty() {
                            continue;
                        }
                        // A mount names stages by name only.
                        let stage = if value.parse::<usize>().is_ok() {
                            None
                        } else {
                            self.stage_named(value, i)
                                .map(|s| s.index)
                                .or_else(|| self.stages_named(value).last().copied())
                        };
                        out.push(StageUse {
                            kind: StageUseKind::MountFrom,
                            instruction: i,
                            value,
                            range: inst.abs(&range),
                            stage,
                            by_index: false,
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The stage a FROM instruction starts.
    pub fn stage_starting_at(&self, instruction: usize) -> Option<&Stage> {
        let i = self
            .stages
            .binary_search_by_key(&instruction, |s| s.instruction)
            .ok()?;
        self.stages.get(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    #[test]
    fn base_images_resolve_through_args_and_stages() {
        let m = Model::build(&Document::new(
            "ARG V=3.12\nFROM python:$V-alpine AS Build\nFROM build\nFROM scratch\nFROM $NOPE\nFROM Bad\n",
        ));
        match m.base_image(0) {
            BaseImage::Image(i) => {
                assert_eq!(i.normalized(), "docker.io/library/python:3.12-alpine")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            m.stages[0].name.as_ref().map(|n| n.0.as_str()),
            Some("build")
        );
        assert_eq!(m.base_image(1), BaseImage::Stage(0));
        assert_eq!(m.base_image(2), BaseImage::Scratch);
        assert_eq!(m.base_image(3), BaseImage::Unresolved);
        assert!(matches!(m.base_image(4), BaseImage::Invalid(_)));
        assert_eq!(m.stage_named("BUILD", 5).map(|s| s.index), Some(0));
        assert_eq!(m.stage_named("0", 5).map(|s| s.index), Some(0));
        assert!(m.stage_named("build", 1).is_none());
    }

    #[test]
    fn a_repeated_name_means_the_latest_stage_before_the_use() {
        let text = "FROM a AS x\nFROM b AS Y\nFROM c AS X\nFROM x\nFROM d AS x\nFROM X\n\
                    FROM e AS x-ray\nFROM f AS w\n";
        let m = Model::build(&Document::new(text));
        let named = |name: &str, before: usize| m.stage_named(name, before).map(|s| s.index);
        assert_eq!(named("x", 1), Some(0));
        assert_eq!(named("X", 2), Some(0));
        assert_eq!(named("x", 3), Some(2));
        assert_eq!(named("x", 5), Some(4));
        assert_eq!(named("y", 8), Some(1));
        assert_eq!(named("x-RAY", 8), Some(6));
        assert_eq!(named("x", 0), None);
        assert_eq!(named("", 8), None);
        assert_eq!(named("v", 8), None);
        assert_eq!(named("z", 8), None);
        assert_eq!(named("7", 8), Some(7));
        assert_eq!(named("7", 7), None);
        // `FROM x` builds on stage 2, the last `x` before it; `FROM X` on stage 4.
        assert_eq!(m.base_image(3), BaseImage::Stage(2));
        assert_eq!(m.base_image(5), BaseImage::Stage(4));
    }
}
