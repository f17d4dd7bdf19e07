//! The byte map of a script: where each byte the shell reads is written in the Dockerfile.
//!
//! A script is pieced together from the Dockerfile: the lines of a continued instruction with
//! their continuation marks and dropped comment lines taken out, and heredoc bodies. Every
//! script byte comes from exactly one Dockerfile byte with the same value, except the few a
//! script adds itself (the line break BuildKit puts between a RUN line and its heredoc body),
//! which map to the Dockerfile byte they stand for. Offsets on the Dockerfile side are
//! relative to the start of the instruction, so a map survives edits elsewhere in the file.

use std::ops::Range;

/// Script offsets to instruction-relative Dockerfile offsets, piece by piece.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ByteMap {
    /// `(script start, source start)` of each piece, by increasing script start; a piece runs
    /// to the start of the next one (or to `len`).
    pieces: Vec<(u32, u32)>,
    /// The script's length.
    len: u32,
    /// Where the script's end maps (just after its last byte's source).
    end: u32,
}

impl ByteMap {
    /// Appends `len` script bytes read from `source..source + len`.
    pub(crate) fn push(&mut self, source: usize, len: usize) {
        if len == 0 {
            return;
        }
        let (source, len) = (to_u32(source), to_u32(len));
        // A piece that continues the previous one in both texts extends it.
        if self.pieces.is_empty() || self.end != source {
            self.pieces.push((self.len, source));
        }
        self.len += len;
        self.end = source + len;
    }

    /// The script's length in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The source offset of a script offset; the script's end (and beyond) maps to just
    /// after the last byte's source.
    pub fn source(&self, offset: usize) -> usize {
        if offset >= self.len as usize {
            return self.end as usize;
        }
        let i = self
            .pieces
            .partition_point(|&(start, _)| start as usize <= offset);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(start, source)) => source as usize + (offset - start as usize),
            None => self.end as usize,
        }
    }

    /// A script range in the source: from its first byte's offset to just after its last
    /// byte's (bytes in between may lie on several lines). An empty range maps to a point.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let last = self.source(range.end.min(self.len as usize).max(range.start + 1) - 1);
        start..(last + 1).max(start)
    }

    /// The script offset written at a source offset, if a script byte comes from there.
    pub fn script(&self, source: usize) -> Option<usize> {
        self.pieces
            .iter()
            .enumerate()
            .find_map(|(i, &(start, src))| {
                let next = self.pieces.get(i + 1).map_or(self.len, |&(n, _)| n);
                let len = (next - start) as usize;
                let from = src as usize;
                (from..from + len)
                    .contains(&source)
                    .then(|| start as usize + (source - from))
            })
    }

    /// The pieces as `(script range, source start)`, in order.
    pub fn pieces(&self) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
        self.pieces.iter().enumerate().map(|(i, &(start, src))| {
            let next = self.pieces.get(i + 1).map_or(self.len, |&(n, _)| n);
            (start as usize..next as usize, src as usize)
        })
    }
}

fn to_u32(n: usize) -> u32 {
    // Instructions past 4 GiB are not analysed; saturate rather than wrap.
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_pushes_make_one_piece() {
        let mut map = ByteMap::default();
        map.push(4, 3);
        map.push(7, 2);
        map.push(20, 5);
        assert_eq!(map.pieces().count(), 2);
        assert_eq!(map.source(0), 4);
        assert_eq!(map.source(4), 8);
        assert_eq!(map.source(5), 20);
        assert_eq!(map.source(10), 25);
        assert_eq!(map.source_range(3..7), 7..22);
        assert_eq!(map.source_range(2..2), 6..6);
        assert_eq!(map.script(21), Some(6));
        assert_eq!(map.script(10), None);
    }
}
