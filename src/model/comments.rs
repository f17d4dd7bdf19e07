//! The comments BuildKit's parser attaches to each instruction (`Node.PrevComment`): the
//! comment lines since the previous instruction, directives excluded, where a comment line
//! with nothing after its `#` starts the list afresh and blank lines do not.
//!
//! BuildKit reads them as documentation (`# name description` above a FROM or ARG) and as
//! configuration (`# check=skip=Rule` above one instruction).

use std::ops::Range;

use super::Model;

/// One comment line as BuildKit keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// BuildKit's text: the line without its first byte, trimmed (so `#  a b ` is `a b`; a
    /// line indented before its `#` keeps the `#`, as BuildKit's own slicing does).
    pub text: String,
    /// The whole line, without its line break.
    pub range: Range<usize>,
}

impl Model {
    /// The comments attached to each instruction, indexed like [`Model::instructions`].
    pub fn prev_comments(&self, text: &str) -> Vec<Vec<Comment>> {
        self.prev_comments_within(text, 0..self.instructions.len())
    }

    /// The comments attached to each of the instructions `within`, in order.
    pub fn prev_comments_within(&self, text: &str, within: Range<usize>) -> Vec<Vec<Comment>> {
        let (start, instructions) = self.instructions_within(within);
        let mut out = Vec::with_capacity(instructions.len());
        let mut gap_start = start
            .checked_sub(1)
            .map_or(0, |i| self.instructions[i].range().end);
        for inst in instructions {
            let gap = gap_start..inst.start().max(gap_start);
            out.push(self.comments_in(text, gap));
            gap_start = inst.range().end;
        }
        out
    }

    /// The text between instructions: before each instruction (from the end of the one
    /// before it), then after the last one. Comments, blank lines and directives live there.
    pub fn gaps<'t>(&self, text: &'t str) -> impl Iterator<Item = &'t str> + use<'_, 't> {
        let mut gap_start = 0;
        self.instructions
            .iter()
            .map(move |inst| {
                let gap = text.get(gap_start..inst.start()).unwrap_or("");
                gap_start = inst.range().end;
                gap
            })
            .chain(std::iter::once(()).map(move |()| {
                let last = self.instructions.last().map_or(0, |i| i.range().end);
                text.get(last..).unwrap_or("")
            }))
    }

    /// The comments attached to instruction `index` alone.
    pub fn comments_of(&self, index: usize, text: &str) -> Vec<Comment> {
        let Some(inst) = self.instructions.get(index) else {
            return Vec::new();
        };
        let start = index
            .checked_sub(1)
            .and_then(|i| self.instructions.get(i))
            .map_or(0, |prev| prev.range().end);
        self.comments_in(text, start..inst.start().max(start))
    }

    /// The comment list of the text between two instructions.
    fn comments_in(&self, text: &str, gap: Range<usize>) -> Vec<Comment> {
        let Some(between) = text.get(gap.clone()) else {
            return Vec::new();
        };
        if memchr::memchr(b'#', between.as_bytes()).is_none() {
            return Vec::new();
        }
        let mut comments = Vec::new();
        let mut offset = gap.start;
        for line in between.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.trim_end_matches(['\r', '\n']);
            let body = if start == 0 {
                body.strip_prefix('\u{feff}').unwrap_or(body)
            } else {
                body
            };
            let lead = line.trim_end_matches(['\r', '\n']).len() - body.len();
            if !body.trim_start().starts_with('#') {
                continue;
            }
            let range = start..start + lead + body.len();
            if self.directives.iter().any(|d| d.range == range) {
                continue;
            }
            // BuildKit drops the line's first byte (the `#` unless the line is indented).
            let text = body
                .get(1..)
                .or_else(|| body.char_indices().nth(1).and_then(|(i, _)| body.get(i..)))
                .unwrap_or("")
                .trim();
            if text.is_empty() {
                comments.clear();
            } else {
                comments.push(Comment {
                    text: text.to_string(),
                    range,
                });
            }
        }
        comments
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::syntax::Document;

    fn comments(text: &str) -> Vec<Vec<String>> {
        let model = Model::build(&Document::new(text));
        model
            .prev_comments(text)
            .into_iter()
            .map(|list| list.into_iter().map(|c| c.text).collect())
            .collect()
    }

    #[test]
    fn like_buildkit_prev_comment() {
        assert_eq!(
            comments("# check=skip=all\n# about a\nARG a\n\n# b one\n\n# b two\nFROM x AS b\n"),
            [vec!["about a"], vec!["b one", "b two"]]
        );
        // An empty comment starts afresh; comments inside a continuation are not kept.
        assert_eq!(
            comments("FROM x\n# gone\n#\n# kept\nRUN a \\\n# inside\n b\nRUN c\n"),
            [vec![], vec!["kept"], vec![]]
        );
        assert_eq!(
            comments("FROM x\n  # indented\nRUN a\n"),
            [vec![], vec!["# indented"]]
        );
    }
}
