//! Semantic tokens: what each piece of the text is, for editors that colour by meaning.
//!
//! Tokens come from the model and the symbol index, never from the text's shape: keywords,
//! flags and their values, mount keys, variables (declarations, uses, predefined ARGs
//! read-only), stage names (declarations and uses), image names and tags, quoted strings and
//! values, comments, parser directives, heredoc delimiters, operators (`=`, `:-`), ports.
//! Every token lies on one line (clients need not support multi-line tokens), tokens do
//! not overlap, and they come in source order.

mod instruction;
mod trivia;

use std::ops::Range;

use super::Snapshot;

/// What a token is. The order is the legend's: [`TokenKind::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenKind {
    /// Instruction keywords, `AS`, HEALTHCHECK's `CMD` and `NONE`.
    Keyword,
    Comment,
    /// A parser directive's name.
    Directive,
    /// A flag's name (`--mount`).
    Flag,
    /// A key of a `--mount` value (`type`, `target`) or of LABEL.
    Property,
    /// Flag and mount values, ARG defaults, ENV and LABEL values, exec-form strings,
    /// directive values.
    String,
    Variable,
    /// A stage name.
    Stage,
    /// An image's repository (with its registry).
    Image,
    /// An image's tag or digest.
    Tag,
    /// `=` between a name and its value, `:-` and the other `${…}` modifiers.
    Operator,
    /// A heredoc's name, in its marker and on its terminator line.
    Heredoc,
    /// A port number in EXPOSE.
    Number,
}

impl TokenKind {
    /// Every kind, in legend order.
    pub const ALL: [TokenKind; 13] = [
        TokenKind::Keyword,
        TokenKind::Comment,
        TokenKind::Directive,
        TokenKind::Flag,
        TokenKind::Property,
        TokenKind::String,
        TokenKind::Variable,
        TokenKind::Stage,
        TokenKind::Image,
        TokenKind::Tag,
        TokenKind::Operator,
        TokenKind::Heredoc,
        TokenKind::Number,
    ];
}

/// Modifiers, as bits of [`Token::modifiers`]. The order is the legend's.
pub mod modifier {
    /// Where a variable, stage or heredoc is declared.
    pub const DECLARATION: u32 = 1;
    /// A predefined ARG: BuildKit sets it.
    pub const READONLY: u32 = 1 << 1;
    /// A predefined ARG, as a language's built-ins are marked.
    pub const DEFAULT_LIBRARY: u32 = 1 << 2;
    /// `MAINTAINER`.
    pub const DEPRECATED: u32 = 1 << 3;
    /// Every modifier, in legend order, with its bit.
    pub const ALL: [(&str, u32); 4] = [
        ("declaration", DECLARATION),
        ("readonly", READONLY),
        ("defaultLibrary", DEFAULT_LIBRARY),
        ("deprecated", DEPRECATED),
    ];
}

/// One token: a range on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
    pub modifiers: u32,
}

/// The tokens of the whole document, or of the instructions and comments that overlap
/// `within`.
pub fn semantic_tokens(snapshot: &Snapshot, within: Option<Range<usize>>) -> Vec<Token> {
    let text = snapshot.text();
    let model = &snapshot.model;
    let within = within.unwrap_or(0..text.len());
    let mut out = Tokens::default();
    trivia::directives(snapshot, &mut out);
    let first = model
        .instructions
        .partition_point(|i| i.range().end < within.start);
    let mut gap_start = if first == 0 {
        model.directives.last().map_or(0, |d| d.range.end)
    } else {
        model.instructions[first - 1].range().end
    };
    for (i, inst) in model.instructions.iter().enumerate().skip(first) {
        if gap_start > within.end {
            break;
        }
        trivia::comments(text, gap_start..inst.start(), &mut out);
        if inst.start() <= within.end {
            instruction::tokens(snapshot, i, inst, &mut out);
        }
        out.sort_recent();
        gap_start = inst.range().end;
    }
    if gap_start <= within.end {
        trivia::comments(text, gap_start..text.len(), &mut out);
    }
    out.finish(text, &within)
}

/// Tokens as they are found, later sorted, split into lines and freed of overlaps.
#[derive(Default)]
pub(crate) struct Tokens {
    tokens: Vec<Token>,
    /// How many tokens (from the start) are in order already.
    sorted: usize,
}

/// The order of tokens: by start; at one start, a string after what it contains.
fn order(t: &Token) -> (usize, bool, usize) {
    (t.range.start, t.kind == TokenKind::String, t.range.end)
}

impl Tokens {
    /// Puts the tokens pushed since the last call in order. Called after each instruction
    /// (and the comments before it): its tokens lie after the previous instruction's, so
    /// sorting instruction by instruction orders the whole document in linear time, where
    /// one sort of every token would not be.
    pub fn sort_recent(&mut self) {
        self.tokens[self.sorted..].sort_by_key(order);
        self.sorted = self.tokens.len();
    }

    pub fn push(&mut self, range: Range<usize>, kind: TokenKind, modifiers: u32) {
        if range.start < range.end {
            self.tokens.push(Token {
                range,
                kind,
                modifiers,
            });
        }
    }

    /// Sorted tokens inside `within`, one per line piece; where two overlap, the one that
    /// starts first wins, and a string yields to what lies inside it (a `$VAR` in a value).
    fn finish(self, text: &str, within: &Range<usize>) -> Vec<Token> {
        let mut tokens = self.tokens;
        // Already in order, unless an instruction's tokens reached into another's.
        if !tokens.is_sorted_by_key(order) {
            tokens.sort_by_key(order);
        }
        let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
        // A string waiting for the tokens inside it (a `$VAR` in a value) to pass.
        let mut pending: Option<Token> = None;
        for t in tokens {
            if let Some(s) = pending.as_mut() {
                if t.range.start >= s.range.end {
                    if let Some(s) = pending.take() {
                        push_lines(text, &mut out, s, within);
                    }
                } else if t.kind == TokenKind::String {
                    continue;
                } else {
                    let before = s.range.start..t.range.start;
                    push_lines(
                        text,
                        &mut out,
                        Token {
                            range: before,
                            ..s.clone()
                        },
                        within,
                    );
                    s.range.start = t.range.end.max(s.range.start);
                }
            }
            let floor = out.last().map_or(0, |last| last.range.end);
            if t.kind == TokenKind::String {
                let start = t.range.start.max(floor);
                if start < t.range.end {
                    pending = Some(Token {
                        range: start..t.range.end,
                        ..t
                    });
                }
            } else if t.range.start >= floor {
                push_lines(text, &mut out, t, within);
            }
        }
        if let Some(s) = pending {
            push_lines(text, &mut out, s, within);
        }
        out
    }
}

/// `t` cut at line breaks (a continued value spans lines), the pieces inside `within`.
fn push_lines(text: &str, out: &mut Vec<Token>, t: Token, within: &Range<usize>) {
    let Some(s) = text.get(t.range.clone()) else {
        return;
    };
    // Most tokens are one word on one line, with nothing to trim at either end.
    let solid = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !(b as char).is_whitespace());
    if solid(s.as_bytes().first())
        && solid(s.as_bytes().last())
        && memchr::memchr(b'\n', s.as_bytes()).is_none()
    {
        if t.range.end > within.start && t.range.start < within.end {
            out.push(t);
        }
        return;
    }
    let mut start = t.range.start;
    for line in s.split_inclusive('\n') {
        // Nothing ends in blanks; a continuation's indentation is no part of a token either.
        let piece = line.trim_end();
        let range = start..start + piece.len();
        start += line.len();
        let blank = piece.trim().is_empty();
        if !blank && range.end > within.start && range.start < within.end {
            let lead = piece.len() - piece.trim_start().len();
            out.push(Token {
                range: range.start + lead..range.end,
                ..t.clone()
            });
        }
    }
}

#[cfg(test)]
mod tests;
