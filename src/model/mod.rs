//! The semantic model of a Dockerfile, built from the syntax tree the way BuildKit reads it.
//!
//! [`Model::build`] reads a whole [`Document`]; [`Model::update`] rebuilds only the
//! instructions an edit touched and shifts the others, which is what keeps a keystroke cheap
//! on a large file. Instruction data is position-independent (ranges relative to the
//! instruction's start), so reusing it is an `Arc` clone.

pub mod go_quote;
pub mod heredoc;
pub mod image_ref;
pub mod logical_line;
pub mod split;

mod directive;
mod dump;
mod instruction;
mod problem;
mod stage;

use std::sync::Arc;

pub use directive::{Directive, KNOWN_DIRECTIVES, parse_directive};
pub use instruction::{Command, Flag, Heredoc, Instruction, InstructionData, Rel, RelProblem};
pub use split::{Arguments, NameVal, Spanned};
pub use problem::{Problem, Severity};
pub use stage::Stage;

pub use crate::syntax::InstructionKind;
use crate::syntax::Document;
use crate::text::TextEdit;

/// What BuildKit's parser would make of a Dockerfile, with source ranges for everything.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// The escape character (`\` unless a valid `# escape=` directive says `` ` ``).
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// Problems of the directive header and of the file as a whole (instructions carry theirs).
    pub problems: Vec<Problem>,
}

impl Model {
    /// Reads a whole document.
    pub fn build(doc: &Document) -> Model {
        Self::assemble(doc, |_, _| None)
    }

    /// Reads a document after `edits` (as returned by [`Document::apply_changes`]), reusing
    /// the data of every instruction of `old` whose text the edits did not touch.
    pub fn update(old: &Model, doc: &Document, edits: &[TextEdit]) -> Model {
        let Some(dirty) = Dirty::from_edits(edits) else {
            return Self::build(doc);
        };
        Self::assemble(doc, |start, len| {
            let old_start = dirty.old_offset(start, len)?;
            let i = old
                .instructions
                .binary_search_by_key(&old_start, |inst| inst.start())
                .ok()?;
            let candidate = &old.instructions[i];
            (candidate.len() == len && candidate.data().escape == old.escape)
                .then(|| Arc::clone(candidate.data()))
        })
    }

    fn assemble(
        doc: &Document,
        mut reuse: impl FnMut(usize, usize) -> Option<Arc<InstructionData>>,
    ) -> Model {
        let text = doc.text();
        let file = doc.tree().source_file();
        let mut problems = Vec::new();
        let directives: Vec<Directive> = file
            .directives()
            .filter_map(|r| parse_directive(doc.slice(r.clone()), r.start))
            .collect();
        let escape = directive::check_directives(&directives, &mut problems);

        let mut instructions = Vec::new();
        for node in file.instructions() {
            let range = node.range();
            let data = reuse(range.start, range.len())
                .filter(|d| d.escape == escape)
                .unwrap_or_else(|| Arc::new(InstructionData::build(node, text, escape)));
            instructions.push(Instruction::new(range.start, data));
        }
        if instructions.is_empty() {
            problems.push(Problem::error(
                text.len()..text.len(),
                "no-instructions",
                "the file has no instructions; a Dockerfile needs at least a FROM",
            ));
        }
        let stages = stage::stages(&instructions);
        Model {
            escape,
            directives,
            instructions,
            stages,
            problems,
        }
    }

    /// Every problem: the file's, then each instruction's, in source order.
    pub fn all_problems(&self) -> Vec<Problem> {
        let mut out = self.problems.clone();
        for inst in &self.instructions {
            out.extend(inst.problems());
        }
        out.sort_by_key(|p| (p.range.start, p.range.end));
        out
    }

    /// Whether BuildKit would reject the file at parse time.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
            || self.instructions.iter().any(|i| i.has_errors())
    }

    /// The top-level instruction containing a byte offset.
    pub fn instruction_at(&self, offset: usize) -> Option<(usize, &Instruction)> {
        let i = self
            .instructions
            .partition_point(|inst| inst.start() <= offset)
            .checked_sub(1)?;
        let inst = &self.instructions[i];
        (offset <= inst.range().end).then_some((i, inst))
    }

    /// The stage an instruction index belongs to (`None` before the first FROM).
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        let i = self
            .stages
            .partition_point(|s| s.instruction <= instruction)
            .checked_sub(1)?;
        self.stages.get(i)
    }
}

/// The region that a batch of edits touched, in new-text offsets, and the size change.
struct Dirty {
    start: usize,
    end: usize,
    delta: isize,
}

impl Dirty {
    fn from_edits(edits: &[TextEdit]) -> Option<Dirty> {
        let mut dirty: Option<Dirty> = None;
        for e in edits {
            let delta = e.new_end as isize - e.old_end as isize;
            dirty = Some(match dirty {
                None => Dirty {
                    start: e.start,
                    end: e.new_end,
                    delta,
                },
                Some(d) => {
                    // Move the previous region through this edit, then join them.
                    let shift = |x: usize| {
                        if x < e.start {
                            x
                        } else if x >= e.old_end {
                            (x as isize + delta).max(0) as usize
                        } else {
                            e.new_end
                        }
                    };
                    Dirty {
                        start: shift(d.start).min(e.start),
                        end: shift(d.end).max(e.new_end),
                        delta: d.delta + delta,
                    }
                }
            });
        }
        dirty
    }

    /// Where an instruction at `start..start+len` of the new text was in the old text, if the
    /// edits left it untouched (touching the region counts as touched).
    fn old_offset(&self, start: usize, len: usize) -> Option<usize> {
        let end = start + len;
        if end < self.start {
            Some(start)
        } else if start > self.end {
            usize::try_from(start as isize - self.delta).ok()
        } else {
            None
        }
    }
}

