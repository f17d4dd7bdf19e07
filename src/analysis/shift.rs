//! Which stage an edit changed, and how the positions of a previous analysis move: what
//! lies after the stage moves by its change in size, what lies before it stays. Used to
//! reuse, outside the edited stage, the findings, the conversion and the image references
//! found before the edit.

use std::ops::Range;
use std::sync::Arc;

use crate::model::{Instruction, Model};
use crate::syntax::InstructionKind;

/// The move of everything at or after the end of an edited window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shift {
    /// The window's end in the old text (a byte offset).
    pub old_end: usize,
    /// How far offsets at or after `old_end` move.
    pub bytes: isize,
    /// The index of the first instruction after the window, in the old model.
    pub old_index_end: usize,
    /// How far instruction indices at or after `old_index_end` move.
    pub index: isize,
}

impl Shift {
    /// Where an old byte offset is now.
    pub fn offset(&self, x: usize) -> usize {
        if x >= self.old_end {
            x.saturating_add_signed(self.bytes)
        } else {
            x
        }
    }

    pub fn range(&self, r: &Range<usize>) -> Range<usize> {
        self.offset(r.start)..self.offset(r.end)
    }

    /// Where an old instruction index is now.
    pub fn index(&self, i: usize) -> usize {
        if i >= self.old_index_end {
            i.saturating_add_signed(self.index)
        } else {
            i
        }
    }
}

/// The one stage an edit changed, when it changed only instructions that carry nothing to
/// the instructions after them (RUN, COPY, ADD): the file's context (directives, escape
/// character, stages, FROM, ARG, ENV, SHELL, …) is then as before, and what was found
/// outside that stage still holds once moved by [`Shift`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditedStage {
    /// The stage (`None`: the instructions before the first FROM).
    pub stage: Option<usize>,
    /// Its instructions, in the new model.
    pub instructions: Range<usize>,
    /// Its bytes, in the new text: from its first instruction to the next stage's FROM.
    pub bytes: Range<usize>,
    /// How what follows it moved.
    pub shift: Shift,
}

/// Instructions that carry nothing to the instructions after them.
fn carries_nothing(kind: InstructionKind) -> bool {
    matches!(
        kind,
        InstructionKind::Run | InstructionKind::Copy | InstructionKind::Add
    )
}

impl EditedStage {
    /// The stage of `new` (whose text is `new_len` bytes long) that differs from `old`
    /// (`old_len` bytes), if only one does and only in instructions that carry nothing.
    /// Unchanged instructions are recognised by their shared data ([`Model::update`] keeps
    /// the instructions before and after an edit).
    pub fn between(
        old: &Model,
        old_len: usize,
        new: &Model,
        new_len: usize,
    ) -> Option<EditedStage> {
        if old.escape != new.escape || old.directives != new.directives {
            return None;
        }
        let (olds, news) = (&old.instructions, &new.instructions);
        let (no, nn) = (olds.len(), news.len());
        let same = |a: &Instruction, b: &Instruction| Arc::ptr_eq(a.data(), b.data());
        let prefix = olds
            .iter()
            .zip(news)
            .take_while(|(a, b)| a.start() == b.start() && same(a, b))
            .count();
        let delta = new_len as isize - old_len as isize;
        let suffix = olds[prefix..]
            .iter()
            .rev()
            .zip(news[prefix..].iter().rev())
            .take_while(|(a, b)| {
                a.start().checked_add_signed(delta) == Some(b.start()) && same(a, b)
            })
            .count();
        let first = prefix.checked_sub(1)?;
        let mut changed = olds[prefix..no - suffix]
            .iter()
            .chain(&news[prefix..nn - suffix]);
        if !changed.all(|i| carries_nothing(i.kind())) {
            return None;
        }
        let stage = new.stage_of(first);
        let (start, end) = match stage {
            Some(s) => (s.instruction, s.end_instruction.min(nn)),
            None => (0, new.stages.first().map_or(nn, |s| s.instruction)),
        };
        let old_end = (end + no).checked_sub(nn)?;
        if end < nn - suffix || old_end > no {
            return None;
        }
        let offset = |instructions: &[Instruction], i: usize, len: usize| {
            instructions.get(i).map_or(len, |inst| inst.start())
        };
        let bytes = news[start].start()..offset(news, end, new_len);
        let old_bytes_end = offset(olds, old_end, old_len);
        Some(EditedStage {
            stage: stage.map(|s| s.index),
            instructions: start..end,
            shift: Shift {
                old_end: old_bytes_end,
                bytes: bytes.end as isize - old_bytes_end as isize,
                old_index_end: old_end,
                index: nn as isize - no as isize,
            },
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_only_what_follows_the_window() {
        let shift = Shift {
            old_end: 10,
            bytes: -3,
            old_index_end: 4,
            index: 2,
        };
        assert_eq!(shift.offset(9), 9);
        assert_eq!(shift.offset(10), 7);
        assert_eq!(shift.range(&(5..12)), 5..9);
        assert_eq!(shift.index(3), 3);
        assert_eq!(shift.index(4), 6);
    }
}
