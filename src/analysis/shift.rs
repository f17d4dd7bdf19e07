//! How the positions of a previous analysis move when one window of the document changed:
//! what lies after the window moves by the window's change in size, what lies before it
//! stays. Used to reuse findings and conversion results outside an edited stage.

use std::ops::Range;

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
