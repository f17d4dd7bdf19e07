//! BuildKit's splitting of an instruction's logical line into keyword, flags and arguments
//! (`splitCommand`, `extractBuilderFlags` and the line parsers of its dispatch table), with
//! every produced string keeping its range in the logical line.
//!
//! Where BuildKit works on bytes and would cut a UTF-8 character in two (it takes the
//! continuation bytes 0x85 and 0xA0 for spaces in flags and after the HEALTHCHECK type), the
//! strings here keep the whole character: Rust strings cannot hold the broken halves.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use compact_str::CompactString;

use super::go_quote::go_quote;
use crate::syntax::InstructionKind;

/// A value with the logical byte range it was read from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub range: Range<usize>,
}

/// A string of the model with its range: what the model's words, pairs and flags are. Named
/// so that readers of the model need not know how the string is stored.
pub type SpannedStr = Spanned<CompactString>;

impl<T> Spanned<T> {
    pub fn new(value: T, range: Range<usize>) -> Self {
        Spanned { value, range }
    }
}

/// An instruction line split as `splitCommand` splits it. The keyword and rest are owned
/// (`CompactString`) or slices of the line (`&str`, see [`split_command_borrowed`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SplitCommand<S = CompactString> {
    /// The first word, as written (BuildKit lowercases it; see [`go_to_lower`]).
    pub keyword: Spanned<S>,
    /// Builder flags such as `--from=build`: the value as BuildKit lists it (quotes and
    /// backslash escapes removed, bytes above 0x7F read as Latin-1 like BuildKit does), the
    /// range as written.
    pub flags: Vec<Spanned<CompactString>>,
    /// Everything after the flags, trimmed; its text is the logical line at its range.
    pub rest: Spanned<S>,
}

impl SplitCommand<&str> {
    pub fn into_owned(self) -> SplitCommand {
        SplitCommand {
            keyword: Spanned::new(CompactString::new(self.keyword.value), self.keyword.range),
            flags: self.flags,
            rest: Spanned::new(CompactString::new(self.rest.value), self.rest.range),
        }
    }
}

/// A `key=value` (or legacy `KEY name value`) pair of ENV or LABEL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameVal {
    pub key: Spanned<CompactString>,
    pub value: Spanned<CompactString>,
    /// `"="` for `key=value`, `""` for the legacy form.
    pub separator: &'static str,
}

/// An ONBUILD trigger: the rest of the line read as an instruction of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubCommand {
    pub command: SplitCommand,
    pub arguments: Arguments,
}

/// The arguments of an instruction, in the shapes BuildKit's line parsers produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arguments {
    /// Nothing after the keyword and flags (BuildKit's nil node).
    None,
    /// An instruction BuildKit does not know: `parseIgnore` drops the arguments (its dump
    /// shows one empty string).
    Ignored,
    /// Words: whitespace-separated (FROM, EXPOSE, and ADD, COPY, VOLUME when not JSON) or
    /// shell words with quotes kept (ARG).
    List(Vec<Spanned<CompactString>>),
    /// A JSON string array (exec form); each range covers the string literal with its quotes.
    Json(Vec<Spanned<CompactString>>),
    /// The whole rest as one string: the shell form of CMD, ENTRYPOINT, RUN, SHELL, or the
    /// argument of MAINTAINER, STOPSIGNAL, USER, WORKDIR.
    Text(Spanned<CompactString>),
    /// ENV and LABEL pairs.
    Pairs(Vec<NameVal>),
    /// HEALTHCHECK: the type word, then the command as CMD reads it ([`Arguments::None`],
    /// [`Arguments::Json`] or [`Arguments::Text`]).
    Health {
        kind: Spanned<CompactString>,
        command: Box<Arguments>,
    },
    /// ONBUILD and its trigger.
    SubCommand(Box<SubCommand>),
}

impl Arguments {
    /// BuildKit's `json` attribute: the exec form was used. For ONBUILD it is false (the
    /// attribute belongs to the trigger).
    pub fn json(&self) -> bool {
        match self {
            Arguments::Json(_) => true,
            Arguments::Health { command, .. } => matches!(**command, Arguments::Json(_)),
            _ => false,
        }
    }

    /// The strings BuildKit chains after the keyword node, in order (ENV and LABEL give key,
    /// value and separator for each pair). ONBUILD gives none: its trigger is a child node.
    pub fn values(&self) -> Vec<&str> {
        match self {
            Arguments::None | Arguments::SubCommand(_) => Vec::new(),
            Arguments::Ignored => vec![""],
            Arguments::List(items) | Arguments::Json(items) => {
                items.iter().map(|s| s.value.as_str()).collect()
            }
            Arguments::Text(text) => vec![text.value.as_str()],
            Arguments::Pairs(pairs) => pairs
                .iter()
                .flat_map(|p| [p.key.value.as_str(), p.value.value.as_str(), p.separator])
                .collect(),
            Arguments::Health { kind, command } => {
                let mut out = vec![kind.value.as_str()];
                out.extend(command.values());
                out
            }
        }
    }
}

/// ONBUILD triggers nested deeper than this are refused: BuildKit itself rejects
/// `ONBUILD ONBUILD` when it builds, and unbounded nesting would mean unbounded recursion
/// for every consumer of [`Arguments`].
pub const MAX_ONBUILD_DEPTH: usize = 64;

/// The errors BuildKit's line parsers report, with the logical range they are about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SplitError {
    /// Legacy `ENV name` without a value: `ENV must have two arguments`.
    MissingValue {
        keyword: &'static str,
        range: Range<usize>,
    },
    /// A word without `=` in `ENV a=b c`.
    MissingEquals { word: String, range: Range<usize> },
    /// A JSON array with a non-string element.
    NotStringArray { range: Range<usize> },
    /// More than [`MAX_ONBUILD_DEPTH`] nested ONBUILD.
    TooDeep { range: Range<usize> },
}

impl SplitError {
    pub fn range(&self) -> Option<Range<usize>> {
        match self {
            SplitError::MissingValue { range, .. }
            | SplitError::MissingEquals { range, .. }
            | SplitError::NotStringArray { range }
            | SplitError::TooDeep { range } => Some(range.clone()),
        }
    }

    /// A stable code for diagnostics.
    pub fn code(&self) -> &'static str {
        match self {
            SplitError::MissingValue { .. } => "name-val-two-arguments",
            SplitError::MissingEquals { .. } => "name-val-missing-equals",
            SplitError::NotStringArray { .. } => "json-not-string-array",
            SplitError::TooDeep { .. } => "onbuild-too-deep",
        }
    }
}

impl fmt::Display for SplitError {
    /// BuildKit's own messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::MissingValue { keyword, .. } => {
                write!(f, "{keyword} must have two arguments")
            }
            SplitError::MissingEquals { word, .. } => write!(
                f,
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(word)
            ),
            SplitError::NotStringArray { .. } => f.write_str(
                "when using JSON array syntax, arrays must be comprised of strings only",
            ),
            SplitError::TooDeep { .. } => write!(
                f,
                "ONBUILD nested more than {MAX_ONBUILD_DEPTH} levels deep is not supported"
            ),
        }
    }
}

impl std::error::Error for SplitError {}

/// `text` in ASCII lower case, copied only when it has upper-case letters.
pub fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Go's `strings.ToLower` (simple case mapping, so `İ` becomes `i` and the Kelvin sign
/// `k`): the way BuildKit lowercases a keyword before dispatching on it.
pub fn go_to_lower(s: &str) -> String {
    // Keywords are nearly always ASCII, where both mappings agree.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars()
        .map(|c| {
            if c == '\u{130}' {
                return 'i';
            }
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

/// BuildKit's `reWhitespace`, `[\t\v\f\r ]`.
fn is_re_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\u{0B}' | '\u{0C}' | '\r' | ' ')
}

/// `unicode.IsSpace(rune(b))` on a single byte, as the byte-wise loops of BuildKit use it.
fn is_latin1_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0x85 | 0xA0)
}

fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn floor_boundary(s: &str, i: usize) -> usize {
    super::logical_line::floor_boundary(s, i)
}

/// The trimmed sub-range of `s[range]` (Go's `strings.TrimSpace`), as a range of `s`.
fn trim_range(s: &str, range: Range<usize>) -> Range<usize> {
    let piece = s.get(range.clone()).unwrap_or("");
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    let start = range.start + lead;
    start..start + trimmed.len()
}

/// BuildKit's `splitCommand` on a logical line: keyword, flags and trimmed rest.
pub fn split_command(line: &str) -> SplitCommand {
    split_command_borrowed(line).into_owned()
}

/// [`split_command`] with the keyword and rest left in `line`, for a caller that reads them
/// without keeping them.
pub fn split_command_borrowed(line: &str) -> SplitCommand<&str> {
    let trimmed = trim_range(line, 0..line.len());
    let text = line.get(trimmed.clone()).unwrap_or("");
    let keyword_len = text.find(is_re_whitespace).unwrap_or(text.len());
    let keyword = Spanned::new(
        text.get(..keyword_len).unwrap_or(""),
        trimmed.start..trimmed.start + keyword_len,
    );
    let after_keyword = text.get(keyword_len..).unwrap_or("");
    let args_offset = keyword_len
        + (after_keyword.len() - after_keyword.trim_start_matches(is_re_whitespace).len());
    if args_offset == keyword_len {
        // No whitespace after the keyword means no arguments at all.
        let end = trimmed.end;
        return SplitCommand {
            keyword,
            flags: Vec::new(),
            rest: Spanned::new("", end..end),
        };
    }
    let args_start = trimmed.start + args_offset;
    let args = line.get(args_start..trimmed.end).unwrap_or("");
    let (flags, rest_offset) = extract_builder_flags(args, args_start);
    let rest_range = trim_range(line, args_start + rest_offset..trimmed.end);
    SplitCommand {
        keyword,
        flags,
        rest: Spanned::new(line.get(rest_range.clone()).unwrap_or(""), rest_range),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// BuildKit's `extractBuilderFlags`: the `--flags` at the start of `args` (whose first byte
/// is at logical offset `base`), and where the rest starts in `args`.
///
/// BuildKit reads this part byte by byte: a byte above 0x7F becomes the Latin-1 character
/// of that value, and 0x85 and 0xA0 end a word. Flag values are reproduced exactly; a rest
/// that would start inside a character starts at that character instead.
fn extract_builder_flags(args: &str, base: usize) -> (Vec<Spanned<CompactString>>, usize) {
    let bytes = args.as_bytes();
    let n = bytes.len();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = CompactString::default();
    let mut word_start = 0;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    let flag = |word: CompactString, start: usize, end: usize| {
        Spanned::new(word, base + start..base + ceil_boundary(args, end))
    };
    loop {
        let Some(&ch) = bytes.get(pos) else {
            if phase != Phase::Spaces && word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(flag(word, word_start, n));
            }
            return (flags, n);
        };
        if phase == Phase::Spaces {
            if is_latin1_space(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || bytes.get(pos + 1) != Some(&b'-') {
                return (flags, floor_boundary(args, pos));
            }
            phase = Phase::Word;
            word_start = pos;
        }
        let mut c = ch;
        if phase == Phase::Word {
            if is_latin1_space(c) {
                if word == "--" {
                    return (flags, floor_boundary(args, pos));
                }
                // The word moves into the flag; the next one starts a string of its own.
                let word = std::mem::take(&mut word);
                if blank_ok || !word.is_empty() {
                    flags.push(flag(word, word_start, pos));
                }
                phase = Phase::Spaces;
                blank_ok = false;
                pos += 1;
                continue;
            }
            if c == b'\'' || c == b'"' {
                quote = c;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
        } else if c == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        // Always a backslash here, whatever the escape directive says.
        if c == b'\\' {
            match bytes.get(pos + 1) {
                Some(&next) => {
                    pos += 1;
                    c = next;
                }
                None => {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
            }
        } else {
            // Plain ASCII bytes read as themselves; copy the run of them at once.
            let special = |b: u8| match phase {
                Phase::Quote => b == quote || b == b'\\',
                _ => is_latin1_space(b) || matches!(b, b'\'' | b'"' | b'\\'),
            };
            let run = bytes[pos..]
                .iter()
                .take_while(|&&b| b.is_ascii() && !special(b))
                .count();
            if run > 0 {
                word.push_str(args.get(pos..pos + run).unwrap_or(""));
                pos += run;
                continue;
            }
        }
        word.push(char::from(c));
        pos += 1;
    }
}

/// BuildKit's `parseWords`: words separated by Unicode whitespace, quotes and escapes kept.
/// The escape character escapes the next character outside quotes and inside double
/// quotes; an escape character that ends the input is dropped.
pub fn parse_words(rest: &Spanned<impl AsRef<str>>, escape: char) -> Vec<Spanned<CompactString>> {
    let text = rest.value.as_ref();
    let base = rest.range.start;
    word_ranges(text, escape)
        .map(|r| {
            let word = CompactString::new(text.get(r.clone()).unwrap_or(""));
            Spanned::new(word, base + r.start..base + r.end)
        })
        .collect()
}

/// Where the words of [`parse_words`] are in `text`. Every word is a verbatim copy of its
/// range: quotes and escapes are kept, and the only character BuildKit drops (an escape
/// that ends the input) can only be the last one, outside the range.
fn word_ranges(text: &str, escape: char) -> WordRanges<'_> {
    WordRanges {
        text,
        pos: 0,
        escape,
    }
}

/// The iterator of [`word_ranges`]: BuildKit's word loop, one word per step.
#[derive(Clone)]
struct WordRanges<'a> {
    text: &'a str,
    /// Where reading goes on.
    pos: usize,
    escape: char,
}

impl WordRanges<'_> {
    /// The character at `self.pos` (a char boundary), read without decoding when ASCII.
    fn peek(&self) -> Option<(char, usize)> {
        let b = *self.text.as_bytes().get(self.pos)?;
        if b.is_ascii() {
            return Some((char::from(b), 1));
        }
        let c = self.text.get(self.pos..)?.chars().next()?;
        Some((c, c.len_utf8()))
    }

    /// Steps over an escaped character: where it ends, or `None` at the end of the text.
    fn skip_escaped(&mut self) -> Option<usize> {
        let (_, len) = self.peek()?;
        self.pos += len;
        Some(self.pos)
    }
}

impl Iterator for WordRanges<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        loop {
            loop {
                let (ch, len) = self.peek()?;
                if !ch.is_whitespace() {
                    break;
                }
                self.pos += len;
            }
            let start = self.pos;
            let mut end = start;
            let mut phase = Phase::Word;
            let mut quote = '\0';
            while let Some((ch, len)) = self.peek() {
                let pos = self.pos;
                self.pos += len;
                let at_last = self.pos >= self.text.len();
                if phase == Phase::Word {
                    if ch.is_whitespace() {
                        break;
                    }
                    if ch == '\'' || ch == '"' {
                        quote = ch;
                        phase = Phase::Quote;
                    } else if ch == self.escape {
                        if !at_last {
                            // An escaped character is taken whatever it is, even a quote or a
                            // space.
                            end = self.skip_escaped().unwrap_or(pos + len);
                        }
                        continue;
                    }
                    end = pos + len;
                    continue;
                }
                // Inside quotes.
                if ch == quote {
                    phase = Phase::Word;
                } else if ch == self.escape && quote != '\'' {
                    if at_last {
                        phase = Phase::Word;
                    } else {
                        end = self.skip_escaped().unwrap_or(pos + len);
                    }
                    continue;
                }
                end = pos + len;
            }
            // A word of nothing but a final escape is no word; reading goes on after it.
            if end > start {
                return Some(start..end);
            }
        }
    }
}

/// BuildKit's `parseNameVal` for ENV (`key` = `"ENV"`) and LABEL (`"LABEL"`).
pub fn parse_name_val(
    rest: &Spanned<impl AsRef<str>>,
    key: &'static str,
    escape: char,
) -> Result<Arguments, SplitError> {
    let text = rest.value.as_ref();
    let words = word_ranges(text, escape);
    let Some(first) = words.clone().next() else {
        return Ok(Arguments::None);
    };
    let base = rest.range.start;
    if !text.get(first.clone()).is_some_and(|w| w.contains('=')) {
        // Legacy `KEY name value`: split the raw rest once on BuildKit's whitespace, so that
        // quotes in the value are kept and a quoted name is cut at its space.
        let Some(ws) = text.find(is_re_whitespace) else {
            return Err(SplitError::MissingValue {
                keyword: key,
                range: rest.range.clone(),
            });
        };
        let after = text.get(ws..).unwrap_or("");
        let value_start = ws + (after.len() - after.trim_start_matches(is_re_whitespace).len());
        let value = text.get(value_start..).unwrap_or("");
        return Ok(Arguments::Pairs(vec![NameVal {
            key: Spanned::new(
                CompactString::new(text.get(..ws).unwrap_or("")),
                base..base + ws,
            ),
            value: Spanned::new(
                CompactString::new(value),
                base + value_start..base + text.len(),
            ),
            separator: "",
        }]));
    }
    let mut pairs = Vec::new();
    for range in words {
        let word = text.get(range.clone()).unwrap_or("");
        let (start, end) = (base + range.start, base + range.end);
        let Some((key_text, value_text)) = word.split_once('=') else {
            return Err(SplitError::MissingEquals {
                word: word.to_string(),
                range: start..end,
            });
        };
        // The word is a verbatim copy of its range, so the split point carries over.
        let eq = key_text.len();
        pairs.push(NameVal {
            key: Spanned::new(CompactString::new(key_text), start..start + eq),
            value: Spanned::new(CompactString::new(value_text), start + eq + 1..end),
            separator: "=",
        });
    }
    Ok(Arguments::Pairs(pairs))
}

/// BuildKit's `parseNameOrNameVal` (ARG): the shell words, quotes kept.
pub fn parse_name_or_name_val(rest: &Spanned<impl AsRef<str>>, escape: char) -> Arguments {
    let words = parse_words(rest, escape);
    if words.is_empty() {
        Arguments::None
    } else {
        Arguments::List(words)
    }
}

/// BuildKit's `parseStringsWhitespaceDelimited`: Go's `regexp.Split` on `[\t\v\f\r ]+`,
/// which keeps an empty string before leading and after trailing whitespace.
pub fn parse_strings_whitespace_delimited(rest: &Spanned<impl AsRef<str>>) -> Arguments {
    let text = rest.value.as_ref();
    if text.is_empty() {
        return Arguments::None;
    }
    let base = rest.range.start;
    let piece = |from: usize, to: usize| {
        Spanned::new(
            CompactString::new(text.get(from..to).unwrap_or("")),
            base + from..base + to,
        )
    };
    // The separators are ASCII and no byte of a multi-byte character is, so the text can be
    // read byte by byte and every cut falls on a character boundary.
    let bytes = text.as_bytes();
    let is_space = |b: u8| is_re_whitespace(char::from(b));
    let mut items = Vec::new();
    let mut piece_start = 0;
    let mut pos = 0;
    while let Some(offset) = bytes[pos..].iter().position(|&b| is_space(b)) {
        let run_start = pos + offset;
        let run_end = bytes[run_start..]
            .iter()
            .position(|&b| !is_space(b))
            .map_or(bytes.len(), |n| run_start + n);
        items.push(piece(piece_start, run_start));
        piece_start = run_end;
        pos = run_end;
    }
    items.push(piece(piece_start, text.len()));
    Arguments::List(items)
}

/// An owned copy of a rest, for the arguments that keep it whole.
fn owned(rest: &Spanned<impl AsRef<str>>) -> Spanned<CompactString> {
    Spanned::new(CompactString::new(rest.value.as_ref()), rest.range.clone())
}

/// BuildKit's `parseString`: the whole rest.
pub fn parse_string(rest: &Spanned<impl AsRef<str>>) -> Arguments {
    if rest.value.as_ref().is_empty() {
        Arguments::None
    } else {
        Arguments::Text(owned(rest))
    }
}

/// BuildKit's `parseMaybeJSON` (CMD, ENTRYPOINT, RUN, SHELL): a JSON string array, or the
/// whole rest as one string.
pub fn parse_maybe_json(rest: &Spanned<impl AsRef<str>>) -> Result<Arguments, SplitError> {
    if rest.value.as_ref().is_empty() {
        return Ok(Arguments::None);
    }
    match parse_json(rest) {
        Json::Strings(items) => Ok(Arguments::Json(items)),
        Json::NotStringArray(range) => Err(SplitError::NotStringArray { range }),
        Json::NotJson => Ok(Arguments::Text(owned(rest))),
    }
}

/// BuildKit's `parseMaybeJSONToList` (ADD, COPY, VOLUME): a JSON string array, or the
/// whitespace-separated words.
pub fn parse_maybe_json_to_list(rest: &Spanned<impl AsRef<str>>) -> Result<Arguments, SplitError> {
    match parse_json(rest) {
        Json::Strings(items) => Ok(Arguments::Json(items)),
        Json::NotStringArray(range) => Err(SplitError::NotStringArray { range }),
        Json::NotJson => Ok(parse_strings_whitespace_delimited(rest)),
    }
}

/// BuildKit's `parseHealthConfig`: the type word (up to the first space byte), then the rest
/// as CMD reads it.
pub fn parse_health_config(rest: &Spanned<impl AsRef<str>>) -> Result<Arguments, SplitError> {
    let text = rest.value.as_ref();
    let bytes = text.as_bytes();
    let sep = bytes
        .iter()
        .position(|&b| is_latin1_space(b))
        .unwrap_or(bytes.len());
    if sep == 0 {
        return Ok(Arguments::None);
    }
    let next = bytes
        .iter()
        .skip(sep)
        .position(|&b| !is_latin1_space(b))
        .map_or(bytes.len(), |p| sep + p);
    // A space byte inside a character (U+00A0 is C2 A0) leaves that character to the type;
    // the command starts at the next whole character.
    let kind_end = ceil_boundary(text, sep);
    let command_start = floor_boundary(text, next).max(kind_end);
    let base = rest.range.start;
    let kind = Spanned::new(
        CompactString::new(text.get(..kind_end).unwrap_or("")),
        base..base + kind_end,
    );
    let command_rest = Spanned::new(
        text.get(command_start..).unwrap_or(""),
        base + command_start..base + text.len(),
    );
    let command = parse_maybe_json(&command_rest)?;
    Ok(Arguments::Health {
        kind,
        command: Box::new(command),
    })
}

/// What [`parse_json`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    /// Not a JSON array (or a value Go's decoder rejects): the caller falls back.
    NotJson,
    /// A valid array with a non-string element (range of the first such element): a hard
    /// error.
    NotStringArray(Range<usize>),
    /// The strings of the array; each range covers the literal with its quotes.
    Strings(Vec<Spanned<CompactString>>),
}

/// Go's `encoding/json` refuses deeper nesting than this.
const MAX_JSON_DEPTH: usize = 10_000;

/// BuildKit's `parseJSON`: after leading Unicode whitespace the rest must start with `[`, and
/// Go's `json.Decoder` reads one value from there; text after that value is ignored. A
/// syntax error, or a number too large for a float64 anywhere in the value, makes it "not
/// JSON"; a valid array with a non-string element is the hard error.
pub fn parse_json(rest: &Spanned<impl AsRef<str>>) -> Json {
    let text = rest.value.as_ref();
    let base = rest.range.start;
    let start = text.len() - text.trim_start().len();
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'[') {
        return Json::NotJson;
    }
    let mut reader = JsonReader {
        bytes,
        text,
        pos: start + 1,
        overflow: false,
    };
    let mut items = Vec::new();
    let mut non_string: Option<Range<usize>> = None;
    reader.skip_ws();
    if reader.peek() == Some(b']') {
        return Json::Strings(items);
    }
    loop {
        reader.skip_ws();
        let el_start = reader.pos;
        let decoded = if reader.peek() == Some(b'"') {
            match reader.string() {
                Some(s) => Some(s),
                None => return Json::NotJson,
            }
        } else {
            if reader.value(1).is_none() {
                return Json::NotJson;
            }
            None
        };
        let range = base + el_start..base + reader.pos;
        match decoded {
            Some(s) => items.push(Spanned::new(s, range)),
            None => {
                non_string.get_or_insert(range);
            }
        }
        reader.skip_ws();
        match reader.peek() {
            Some(b',') => reader.pos += 1,
            Some(b']') => break,
            _ => return Json::NotJson,
        }
    }
    if reader.overflow {
        // Go reports the float64 overflow as a decode error, which BuildKit reads as "not
        // JSON", before it looks at the element types.
        return Json::NotJson;
    }
    match non_string {
        Some(range) => Json::NotStringArray(range),
        None => Json::Strings(items),
    }
}

struct JsonReader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    overflow: bool,
}

#[derive(Clone, Copy)]
enum Container {
    Array,
    Object,
}

impl JsonReader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads one value at `self.pos` (already past whitespace) nested `depth` containers
    /// deep. Iterative, so that deeply nested input cannot exhaust the stack.
    fn value(&mut self, depth: usize) -> Option<()> {
        let mut stack: Vec<Container> = Vec::new();
        loop {
            // A value is expected here.
            self.skip_ws();
            match self.peek()? {
                b'[' | b'{' => {
                    let is_array = self.peek() == Some(b'[');
                    self.pos += 1;
                    if depth + stack.len() + 1 > MAX_JSON_DEPTH {
                        return None;
                    }
                    self.skip_ws();
                    // An empty container is a complete value; otherwise read its first
                    // element (after the key, for an object).
                    if is_array && !self.eat(b']') {
                        stack.push(Container::Array);
                        continue;
                    }
                    if !is_array && !self.eat(b'}') {
                        stack.push(Container::Object);
                        self.key()?;
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&top) = stack.last() else {
                    return Some(());
                };
                self.skip_ws();
                match (top, self.peek()?) {
                    (_, b',') => {
                        self.pos += 1;
                        if let Container::Object = top {
                            self.skip_ws();
                            self.key()?;
                        }
                        break;
                    }
                    (Container::Array, b']') | (Container::Object, b'}') => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.skip_ws();
        self.eat(b':').then_some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Some(())
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // Go decodes numbers into float64 and fails on the ones that round to infinity.
        let literal = self.text.get(start..self.pos).unwrap_or("0");
        if literal.parse::<f64>().is_ok_and(f64::is_infinite) {
            self.overflow = true;
        }
        Some(())
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        Some(v)
    }

    /// A string literal at `self.pos` (on its `"`), decoded as Go decodes it.
    fn string(&mut self) -> Option<CompactString> {
        self.pos += 1;
        let mut out = CompactString::default();
        loop {
            let chunk_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Only ASCII bytes stop the scan, so both ends are char boundaries.
            out.push_str(self.text.get(chunk_start..self.pos)?);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {}
                _ => return None,
            }
            let esc = *self.bytes.get(self.pos + 1)?;
            self.pos += 2;
            let simple = match esc {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let unit = self.hex4(self.pos)?;
                    self.pos += 4;
                    out.push(self.unicode_escape(unit));
                    continue;
                }
                _ => return None,
            };
            out.push(simple);
        }
    }

    /// The character of a `\uXXXX` escape whose four digits were just read. A high
    /// surrogate followed by a `\u` low surrogate makes one character; any other surrogate
    /// becomes U+FFFD, as Go decodes it.
    fn unicode_escape(&mut self, unit: u32) -> char {
        if (0xD800..0xDC00).contains(&unit)
            && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
            && let Some(low) = self.hex4(self.pos + 2)
            && (0xDC00..0xE000).contains(&low)
        {
            self.pos += 6;
            let cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            return char::from_u32(cp).unwrap_or('\u{FFFD}');
        }
        char::from_u32(unit).unwrap_or('\u{FFFD}')
    }
}

/// BuildKit's dispatch table: the arguments of an instruction of `kind` (see
/// [`keyword_kind`]), from its rest (see [`split_command`]). Ranges stay in the logical line
/// the rest came from, ONBUILD's trigger included.
pub fn parse_arguments(
    kind: InstructionKind,
    rest: &Spanned<impl AsRef<str>>,
    escape: char,
) -> Result<Arguments, SplitError> {
    dispatch(kind, rest, escape, 0)
}

/// The instruction a keyword names, the way BuildKit matches its lowercased keyword.
pub fn keyword_kind(keyword: &str) -> InstructionKind {
    // `from_keyword` ignores ASCII case, which is all of Go's lowercasing on ASCII text.
    if keyword.is_ascii() {
        InstructionKind::from_keyword(keyword)
    } else {
        InstructionKind::from_keyword(&go_to_lower(keyword))
    }
}

fn dispatch(
    kind: InstructionKind,
    rest: &Spanned<impl AsRef<str>>,
    escape: char,
    depth: usize,
) -> Result<Arguments, SplitError> {
    use InstructionKind as K;
    match kind {
        K::Add | K::Copy | K::Volume => parse_maybe_json_to_list(rest),
        K::Arg => Ok(parse_name_or_name_val(rest, escape)),
        K::Cmd | K::Entrypoint | K::Run | K::Shell => parse_maybe_json(rest),
        K::Env => parse_name_val(rest, "ENV", escape),
        K::Label => parse_name_val(rest, "LABEL", escape),
        K::Expose | K::From => Ok(parse_strings_whitespace_delimited(rest)),
        K::Healthcheck => parse_health_config(rest),
        K::Maintainer | K::Stopsignal | K::User | K::Workdir => Ok(parse_string(rest)),
        K::Onbuild => parse_sub_command(rest, escape, depth),
        K::Unknown => Ok(Arguments::Ignored),
    }
}

/// BuildKit's `parseSubCommand`: the rest is an instruction line of its own.
fn parse_sub_command(
    rest: &Spanned<impl AsRef<str>>,
    escape: char,
    depth: usize,
) -> Result<Arguments, SplitError> {
    if rest.value.as_ref().is_empty() {
        return Ok(Arguments::None);
    }
    if depth >= MAX_ONBUILD_DEPTH {
        return Err(SplitError::TooDeep {
            range: rest.range.clone(),
        });
    }
    let command = split_command(rest.value.as_ref());
    let command = shift_command(command, rest.range.start);
    let arguments = dispatch(
        keyword_kind(&command.keyword.value),
        &command.rest,
        escape,
        depth + 1,
    )?;
    Ok(Arguments::SubCommand(Box::new(SubCommand {
        command,
        arguments,
    })))
}

fn shift_command(mut command: SplitCommand, by: usize) -> SplitCommand {
    let shift = |r: &mut Range<usize>| *r = r.start + by..r.end + by;
    shift(&mut command.keyword.range);
    for f in &mut command.flags {
        shift(&mut f.range);
    }
    shift(&mut command.rest.range);
    command
}

/// A small re-implementation of BuildKit's `Parse` loop over whole Dockerfiles, built from
/// the functions of this module, to check them against BuildKit's conformance data.
#[cfg(test)]
pub(crate) mod harness {
    use std::path::PathBuf;

    use super::*;
    use crate::model::go_quote::go_quote;
    use crate::model::heredoc::{HeredocSpec, can_contain_heredoc, try_heredocs_from_line};
    use crate::model::logical_line::{LogicalLine, assemble, continuation_end};

    /// `$DOCKERFILE_LS_SHARED/conformance/buildkit`, failing loudly when it is missing.
    pub fn conformance_dir() -> PathBuf {
        crate::shared_data::dir_with("conformance/buildkit").join("conformance/buildkit")
    }

    pub fn read(path: PathBuf) -> String {
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub struct Parsed<'a> {
        pub line: LogicalLine<'a>,
        pub command: SplitCommand,
        pub arguments: Result<Arguments, String>,
        pub heredocs: Vec<HeredocSpec>,
        /// 1-based, heredoc bodies included.
        pub start_line: usize,
        pub end_line: usize,
    }

    /// Physical lines: (start offset, text without the line break).
    fn lines(src: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for piece in src.split_inclusive('\n') {
            out.push((offset, piece.trim_end_matches(['\r', '\n'])));
            offset += piece.len();
        }
        out
    }

    /// `# escape=...` in the directive header (test-only, simplified: `# key = value`).
    fn escape_of(lines: &[(usize, &str)]) -> char {
        let mut escape = '\\';
        for (_, line) in lines {
            let line = line.strip_prefix('\u{feff}').unwrap_or(line);
            let Some(body) = line.trim_start().strip_prefix('#') else {
                break;
            };
            let Some((key, value)) = body.split_once('=') else {
                break;
            };
            let key = key.trim();
            if key.is_empty()
                || !key.starts_with(|c: char| c.is_ascii_alphabetic())
                || !key.chars().all(|c| c.is_ascii_alphanumeric())
            {
                break;
            }
            match key.to_ascii_lowercase().as_str() {
                "escape" => escape = value.trim().chars().next().unwrap_or('\\'),
                "syntax" | "check" => {}
                _ => break,
            }
        }
        escape
    }

    pub fn parse_file(src: &str) -> Vec<Parsed<'_>> {
        let bom = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        let lines = lines(src);
        let escape = escape_of(&lines);
        let mut out = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let (offset, text) = lines[i];
            let offset = if i == 0 { offset + bom } else { offset };
            let text = if i == 0 { &text[bom..] } else { text };
            let trimmed = text.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                i += 1;
                continue;
            }
            let start = offset + (text.len() - trimmed.len());
            let end = continuation_end(src, start, escape);
            let line = assemble(src, start, end, escape);
            let start_line = i + 1;
            // The physical line holding `end`.
            i = lines.partition_point(|&(o, _)| o <= end);
            let command = split_command(&line.text);
            let keyword = go_to_lower(&command.keyword.value);
            let kind = InstructionKind::from_keyword(&keyword);
            let mut arguments = parse_arguments(kind, &command.rest, escape);
            let mut heredocs = Vec::new();
            if let Ok(args) = &arguments
                && can_contain_heredoc(kind, args)
            {
                heredocs = match try_heredocs_from_line(&line.text) {
                    Ok(h) => h,
                    Err(e) => {
                        arguments = Err(SplitError::TooDeep { range: e.range });
                        Vec::new()
                    }
                };
                for h in &heredocs {
                    loop {
                        let Some(&(_, body)) = lines.get(i) else {
                            // Unterminated: BuildKit rejects the file.
                            arguments = Err(SplitError::TooDeep { range: 0..0 });
                            break;
                        };
                        i += 1;
                        let candidate = if h.chomp {
                            body.trim_start_matches('\t')
                        } else {
                            body
                        };
                        if candidate == h.name {
                            break;
                        }
                    }
                }
            }
            out.push(Parsed {
                line,
                command,
                arguments: arguments.map_err(|e| e.to_string()),
                heredocs,
                start_line,
                end_line: i,
            });
        }
        out
    }

    /// BuildKit's `Node.Dump()` of one instruction.
    pub fn dump(command: &SplitCommand, arguments: &Arguments) -> String {
        let mut out = go_to_lower(&command.keyword.value);
        if !command.flags.is_empty() {
            let flags: Vec<String> = command.flags.iter().map(|f| go_quote(&f.value)).collect();
            out.push_str(&format!(" [{}]", flags.join(" ")));
        }
        for value in arguments.values() {
            out.push(' ');
            out.push_str(&go_quote(value));
        }
        if let Arguments::SubCommand(sub) = arguments {
            out.push_str(&format!(" ({})", dump(&sub.command, &sub.arguments)));
        }
        out.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::harness::{conformance_dir, dump, parse_file, read};
    use super::*;

    fn sp(s: &str) -> Spanned<CompactString> {
        Spanned::new(s.into(), 0..s.len())
    }

    fn values(args: &Arguments) -> Vec<&str> {
        args.values()
    }

    fn dump_line(line: &str) -> String {
        let command = split_command(line);
        match parse_arguments(keyword_kind(&command.keyword.value), &command.rest, '\\') {
            Ok(args) => dump(&command, &args),
            Err(e) => format!("ERROR: {e}"),
        }
    }

    /// Every positive case prints BuildKit's dump, byte for byte.
    #[test]
    fn conformance_testfiles() {
        let dir = conformance_dir().join("testfiles");
        let mut cases: Vec<_> = std::fs::read_dir(&dir)
            .expect("testfiles directory")
            .map(|e| e.expect("dir entry").path())
            .collect();
        cases.sort();
        assert!(
            cases.len() >= 30,
            "expected the BuildKit testfiles in {}",
            dir.display()
        );
        let mut failures = Vec::new();
        for case in cases {
            let src = read(case.join("Dockerfile"));
            let expected = read(case.join("result"));
            let got: Vec<String> = parse_file(&src)
                .iter()
                .map(|p| match &p.arguments {
                    Ok(args) => format!("({})", dump(&p.command, args)),
                    Err(e) => format!("ERROR: {e}"),
                })
                .collect();
            let got = got.join("\n");
            if got.trim_end() != expected.trim_end() {
                failures.push(format!(
                    "{}:\n--- expected\n{}\n--- got\n{}",
                    case.display(),
                    expected.trim_end(),
                    got
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn conformance_negative_cases() {
        let dir = conformance_dir().join("testfiles-negative");
        let env = read(dir.join("env_no_value/Dockerfile"));
        let env = parse_file(&env);
        assert_eq!(
            env.iter()
                .find_map(|p| p.arguments.as_ref().err())
                .map(String::as_str),
            Some("ENV must have two arguments")
        );
        let json = read(dir.join("shykes-nested-json/Dockerfile"));
        let json = parse_file(&json);
        assert_eq!(
            json.iter()
                .find_map(|p| p.arguments.as_ref().err())
                .map(String::as_str),
            Some("when using JSON array syntax, arrays must be comprised of strings only")
        );
        // "file with no instructions" is the caller's to report.
        assert!(parse_file(&read(dir.join("empty_dockerfile/Dockerfile"))).is_empty());
        assert!(parse_file(&read(dir.join("only_comments/Dockerfile"))).is_empty());
    }

    #[test]
    fn conformance_instruction_lines() {
        let src = read(conformance_dir().join("testfile-line/Dockerfile"));
        let parsed = parse_file(&src);
        let spans: Vec<(usize, usize)> =
            parsed.iter().map(|p| (p.start_line, p.end_line)).collect();
        assert_eq!(spans, [(5, 5), (11, 12), (17, 31)]);
        // Lines 19, 20, 24 and 27 are blank inside the RUN continuation.
        assert_eq!(parsed[2].line.empty_continuation_lines.len(), 4);
    }

    #[test]
    fn split_command_keyword_flags_rest() {
        let c = split_command("COPY --user=me --doit=true foo /tmp/");
        assert_eq!(c.keyword, Spanned::new("COPY".into(), 0..4));
        assert_eq!(
            c.flags,
            vec![
                Spanned::new("--user=me".into(), 5..14),
                Spanned::new("--doit=true".into(), 15..26)
            ]
        );
        assert_eq!(c.rest, Spanned::new("foo /tmp/".into(), 27..36));

        let c = split_command("  RUN\t\t--mount='type=cache,target=/x y' \\\"a  ");
        assert_eq!(c.keyword.range, 2..5);
        assert_eq!(c.flags[0].value, "--mount=type=cache,target=/x y");
        assert_eq!(c.flags[0].range, 7..39);
        assert_eq!(c.rest.value, "\\\"a");

        let c = split_command("RUN");
        assert!(c.flags.is_empty());
        assert_eq!(c.rest, Spanned::new(CompactString::default(), 3..3));
        let c = split_command("");
        assert_eq!(c.keyword.value, "");
    }

    #[test]
    fn flags_end_at_double_dash_and_first_non_flag() {
        let c = split_command("COPY --doit=true -- foo /tmp/");
        assert_eq!(c.flags.len(), 1);
        assert_eq!(c.rest.value, "foo /tmp/");
        let c = split_command("COPY -- --not-a-flag");
        assert!(c.flags.is_empty());
        assert_eq!(c.rest.value, "--not-a-flag");
        let c = split_command("CMD --doit -- [ ]");
        assert_eq!(c.flags[0].value, "--doit");
        assert_eq!(c.rest.value, "[ ]");
        let c = split_command("COPY --a -b --c");
        assert_eq!(c.flags.len(), 1);
        assert_eq!(c.rest.value, "-b --c");
        // Everything is flags: no rest.
        let c = split_command("COPY --a --");
        assert_eq!(c.flags.len(), 1);
        assert_eq!(c.rest.value, "");
        let c = split_command("COPY --a=\"\"");
        assert_eq!(c.flags[0].value, "--a=");
        let c = split_command("COPY --a=x\\");
        assert_eq!(c.flags[0].value, "--a=x");
        let c = split_command("COPY --a=\"x\\");
        assert_eq!(c.flags[0].value, "--a=x");
    }

    #[test]
    fn flags_are_read_byte_by_byte_like_buildkit() {
        // é is C3 A9: each byte becomes its Latin-1 character.
        let c = split_command("COPY --chown=é a b");
        assert_eq!(c.flags[0].value, "--chown=Ã©");
        assert_eq!(c.flags[0].range, 5..15);
        // à is C3 A0, and A0 is a space byte: the flag ends inside the character.
        let c = split_command("COPY --chown=à a b");
        assert_eq!(c.flags[0].value, "--chown=Ã");
        assert_eq!(c.flags[0].range, 5..15);
        assert_eq!(c.rest.value, "a b");
        // 堂 is E5 A0 82: BuildKit's rest would start at the stray 82; ours keeps 堂.
        let c = split_command("COPY --chown=堂 a b");
        assert_eq!(c.flags[0].value, "--chown=å");
        assert_eq!(c.rest.value, "堂 a b");
        assert_eq!(c.rest.range, 13..20);
    }

    #[test]
    fn keyword_is_cut_at_buildkit_whitespace_only() {
        let c = split_command("RUN\u{a0}echo hi");
        assert_eq!(c.keyword.value, "RUN\u{a0}echo");
        assert_eq!(c.rest.value, "hi");
        let c = split_command("\u{2003}RUN\u{0B}x\u{2003}");
        assert_eq!(c.keyword.value, "RUN");
        assert_eq!(c.rest.value, "x");
    }

    #[test]
    fn go_lowercase() {
        assert_eq!(go_to_lower("WOR\u{212A}DIR"), "workdir");
        assert_eq!(go_to_lower("ENTRYPO\u{130}NT"), "entrypoint");
        assert_eq!(go_to_lower("ΣΑΣ"), "σασ");
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let w = parse_words(&sp(r#"abc="123 456" def 'a b'\ c x\"y "u\"v""#), '\\');
        let v: Vec<&str> = w.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(
            v,
            [
                r#"abc="123 456""#,
                "def",
                r"'a b'\ c",
                r#"x\"y"#,
                r#""u\"v""#
            ]
        );
        assert_eq!(w[0].range, 0..13);
        assert_eq!(w[2].range, 18..26);
        // A single quote cannot be escaped; an escape at the very end is dropped.
        let w = parse_words(&sp(r"'a\' b\"), '\\');
        assert_eq!(w[0].value, r"'a\'");
        assert_eq!(w[1].value, "b");
        assert_eq!(w[1].range, 5..6);
        let w = parse_words(&sp("\"ab\\"), '\\');
        assert_eq!(w[0].value, "\"ab");
        // The backtick escape.
        let w = parse_words(&sp("a` b \\c"), '`');
        let v: Vec<&str> = w.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(v, ["a` b", "\\c"]);
        assert!(parse_words(&sp("  \u{a0}\u{3000} "), '\\').is_empty());
        assert!(parse_words(&sp("\\"), '\\').is_empty());
    }

    // testfiles/env and args
    #[test]
    fn env_and_label_pairs() {
        let cases = [
            ("ENV name value", r#"(env "name" "value" "")"#),
            (
                "ENV name=value name2=value2",
                r#"(env "name" "value" "=" "name2" "value2" "=")"#,
            ),
            ("ENV name=\"a\\\"b\"", r#"(env "name" "\"a\\\"b\"" "=")"#),
            ("ENV name='a\\'b''", r#"(env "name" "'a\\'b''" "=")"#),
            (
                "ENV name=value\\ value2",
                r#"(env "name" "value\\ value2" "=")"#,
            ),
            (
                "LABEL maintainer James Turnbull \"james@example.com\"",
                r#"(label "maintainer" "James Turnbull \"james@example.com\"" "")"#,
            ),
            ("ENV SCUBA 1 DUBA 3", r#"(env "SCUBA" "1 DUBA 3" "")"#),
            ("ENV", "(env)"),
            ("ENV a=", r#"(env "a" "" "=")"#),
            ("ARG foo bar=baz", r#"(arg "foo" "bar=baz")"#),
            (
                "ARG abc=\"123 456\" def",
                r#"(arg "abc=\"123 456\"" "def")"#,
            ),
            ("ARG", "(arg)"),
        ];
        for (line, expected) in cases {
            assert_eq!(format!("({})", dump_line(line)), expected, "{line}");
        }
        let c = split_command("ENV a=b  cc=\"d e\"");
        let Ok(Arguments::Pairs(p)) = parse_arguments(InstructionKind::Env, &c.rest, '\\') else {
            panic!("pairs");
        };
        assert_eq!(
            (p[0].key.range.clone(), p[0].value.range.clone()),
            (4..5, 6..7)
        );
        assert_eq!(
            (p[1].key.range.clone(), p[1].value.range.clone()),
            (9..11, 12..17)
        );
        let c = split_command("LABEL  k \t v  w");
        let Ok(Arguments::Pairs(p)) = parse_arguments(InstructionKind::Label, &c.rest, '\\') else {
            panic!("pairs");
        };
        assert_eq!(p[0].key, Spanned::new("k".into(), 7..8));
        assert_eq!(p[0].value, Spanned::new("v  w".into(), 11..15));
    }

    #[test]
    fn env_errors() {
        let err = parse_name_val(&sp("PATH"), "ENV", '\\').unwrap_err();
        assert_eq!(err.to_string(), "ENV must have two arguments");
        assert_eq!(err.range(), Some(0..4));
        let err = parse_name_val(&sp("a=b c d=e"), "LABEL", '\\').unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"Syntax error - can't find = in "c". Must be of the form: name=value"#
        );
        assert_eq!(err.range(), Some(4..5));
        assert_eq!(err.code(), "name-val-missing-equals");
        // The first word decides the form; the legacy split ignores quotes.
        let err = parse_name_val(&sp("a\u{a0}b"), "ENV", '\\').unwrap_err();
        assert!(matches!(err, SplitError::MissingValue { .. }));
        let Ok(args) = parse_name_val(&sp("\"a b\" c"), "ENV", '\\') else {
            panic!("legacy form");
        };
        assert_eq!(values(&args), ["\"a", "b\" c", ""]);
    }

    #[test]
    fn whitespace_split_follows_go_regexp_split() {
        assert_eq!(
            values(&parse_strings_whitespace_delimited(&sp("a  b\tc"))),
            ["a", "b", "c"]
        );
        assert_eq!(
            values(&parse_strings_whitespace_delimited(&sp(" a "))),
            ["", "a", ""]
        );
        assert_eq!(
            values(&parse_strings_whitespace_delimited(&sp("a\u{a0}b"))),
            ["a\u{a0}b"]
        );
        assert_eq!(parse_strings_whitespace_delimited(&sp("")), Arguments::None);
        let Arguments::List(items) = parse_strings_whitespace_delimited(&sp("ab \u{0B}cd")) else {
            panic!("list");
        };
        assert_eq!(items[1].range, 4..6);
    }

    // testfiles/json and the jeztah-invalid-json-* cases
    #[test]
    fn json_arrays() {
        let cases = [
            ("CMD []", "(cmd)"),
            ("CMD [\"\"]", r#"(cmd "")"#),
            ("CMD\t[\t\"a\",\t\"b\"\t]\t", r#"(cmd "a" "b")"#),
            (
                r#"CMD ["abc 123", "♥", "☃", "\" \\ \/ \b \f \n \r \t \u0000"]"#,
                r#"(cmd "abc 123" "♥" "☃" "\" \\ / \b \f \n \r \t \x00")"#,
            ),
            (
                "CMD ['echo','single quotes are invalid JSON']",
                r#"(cmd "['echo','single quotes are invalid JSON']")"#,
            ),
            (
                "CMD [\"echo\", \"look ma, no quote!]",
                r#"(cmd "[\"echo\", \"look ma, no quote!]")"#,
            ),
            ("CMD [\"a\"] trailing junk", r#"(cmd "a")"#),
            ("CMD [\"a\",]", r#"(cmd "[\"a\",]")"#),
            ("CMD [\"a\\x\"]", r#"(cmd "[\"a\\x\"]")"#),
            (
                "CMD [\"\\ud83d\\ude00\", \"\\ud83d\", \"\\ude00x\", \"\\ud83d\\u0041\"]",
                "(cmd \"😀\" \"\u{fffd}\" \"\u{fffd}x\" \"\u{fffd}A\")",
            ),
            ("ADD\t\t[ \"vimrc\", \"/tmp\" ]", r#"(add "vimrc" "/tmp")"#),
            ("VOLUME [\"/a\" \"/b\"]", r#"(volume "[\"/a\"" "\"/b\"]")"#),
            ("COPY [ ]", "(copy)"),
            ("SHELL [\"a\"]  ", r#"(shell "a")"#),
        ];
        for (line, expected) in cases {
            assert_eq!(format!("({})", dump_line(line)), expected, "{line}");
        }
        let rest = sp("[ \"a\" ,\"b\\n\"]");
        let Json::Strings(items) = parse_json(&rest) else {
            panic!("strings");
        };
        assert_eq!(items[0].range, 2..5);
        assert_eq!(items[1], Spanned::new("b\n".into(), 7..12));
    }

    #[test]
    fn json_non_string_elements_and_decode_failures() {
        for bad in [
            r#"[ "echo", [ "nested json" ] ]"#,
            "[1]",
            "[\"a\", true]",
            "[null]",
            "[{\"k\": [1, {}], \"j\": -0.5e+3}]",
            "[\"a\", []] trailing",
        ] {
            assert!(
                matches!(parse_json(&sp(bad)), Json::NotStringArray(_)),
                "{bad}"
            );
            let err = parse_maybe_json(&sp(bad)).unwrap_err();
            assert_eq!(
                err.to_string(),
                "when using JSON array syntax, arrays must be comprised of strings only"
            );
            assert!(parse_maybe_json_to_list(&sp(bad)).is_err());
        }
        assert_eq!(parse_json(&sp("[\"a\", 7]")), Json::NotStringArray(6..7));
        // Syntax errors and float64 overflow are "not JSON".
        for not_json in [
            "[01]",
            "[1.]",
            "[-]",
            "[\"a\"",
            "[\"tab\there\"]",
            "[{\"a\" 1}]",
            "[{1: 2}]",
            "[tru]",
            "[1e400]",
            "[\"a\", [1e400]]",
            "[\"a\\'\"]",
            "[\"\\u12\"]",
            " x[]",
            "",
        ] {
            assert_eq!(parse_json(&sp(not_json)), Json::NotJson, "{not_json}");
        }
        assert!(matches!(
            parse_json(&sp("[1e308]")),
            Json::NotStringArray(_)
        ));
        assert!(matches!(
            parse_json(&sp("[1e-400]")),
            Json::NotStringArray(_)
        ));
        assert_eq!(
            parse_maybe_json(&sp("[1e400]")),
            Ok(Arguments::Text(sp("[1e400]")))
        );
    }

    #[test]
    fn json_nesting_limit_matches_go() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(matches!(
            parse_json(&sp(&nested(10_000))),
            Json::NotStringArray(_)
        ));
        assert_eq!(parse_json(&sp(&nested(10_001))), Json::NotJson);
        let objects = format!("[{}]", "{\"a\":".repeat(20_000));
        assert_eq!(parse_json(&sp(&objects)), Json::NotJson);
    }

    // testfiles/health
    #[test]
    fn healthcheck() {
        let cases = [
            ("HEALTHCHECK", "(healthcheck)"),
            (
                "HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD /app/check.sh --quiet",
                r#"(healthcheck ["--interval=5s" "--timeout=3s" "--retries=3"] "CMD" "/app/check.sh --quiet")"#,
            ),
            ("HEALTHCHECK CMD", r#"(healthcheck "CMD")"#),
            ("HEALTHCHECK   CMD   a b", r#"(healthcheck "CMD" "a b")"#),
            (
                "HEALTHCHECK --timeout=3s CMD [\"foo\"]",
                r#"(healthcheck ["--timeout=3s"] "CMD" "foo")"#,
            ),
            (
                "HEALTHCHECK CONNECT TCP 7000",
                r#"(healthcheck "CONNECT" "TCP 7000")"#,
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(format!("({})", dump_line(line)), expected, "{line}");
        }
        let c = split_command("HEALTHCHECK CMD [\"a\"]");
        let args = parse_arguments(InstructionKind::Healthcheck, &c.rest, '\\').expect("health");
        assert!(args.json());
        let Arguments::Health { kind, command } = args else {
            panic!("health");
        };
        assert_eq!(kind.range, 12..15);
        assert_eq!(
            *command,
            Arguments::Json(vec![Spanned::new("a".into(), 17..20)])
        );
        assert!(parse_health_config(&sp("CMD [1]")).is_err());
        // U+00A0 is C2 A0 and BuildKit cuts after C2: the type is not CMD either way.
        let Ok(Arguments::Health { kind, command }) = parse_health_config(&sp("CMD\u{a0}echo"))
        else {
            panic!("health");
        };
        assert_eq!(kind.value, "CMD\u{a0}");
        assert_eq!(values(&command), ["echo"]);
    }

    #[test]
    fn onbuild_nests_with_ranges_in_the_same_line() {
        let line = "ONBUILD  RUN --mount=x [\"echo\", \"test\"]";
        assert_eq!(
            dump_line(line),
            r#"onbuild (run ["--mount=x"] "echo" "test")"#
        );
        let c = split_command(line);
        let args = parse_arguments(InstructionKind::Onbuild, &c.rest, '\\').expect("onbuild");
        assert!(!args.json());
        let Arguments::SubCommand(sub) = args else {
            panic!("sub-command");
        };
        assert_eq!(sub.command.keyword.range, 9..12);
        assert_eq!(sub.command.flags[0].range, 13..22);
        let Arguments::Json(items) = &sub.arguments else {
            panic!("json");
        };
        assert_eq!(&line[items[1].range.clone()], "\"test\"");
        assert_eq!(dump_line("ONBUILD"), "onbuild");
        assert_eq!(
            dump_line("ONBUILD ENV a"),
            "ERROR: ENV must have two arguments"
        );
        assert_eq!(
            dump_line("ONBUILD ONBUILD copy . /"),
            r#"onbuild (onbuild (copy "." "/"))"#
        );
        let deep = "ONBUILD ".repeat(MAX_ONBUILD_DEPTH + 1) + "RUN x";
        let c = split_command(&deep);
        let err = parse_arguments(InstructionKind::Onbuild, &c.rest, '\\').unwrap_err();
        assert_eq!(err.code(), "onbuild-too-deep");
        let ok = "ONBUILD ".repeat(MAX_ONBUILD_DEPTH) + "RUN x";
        let c = split_command(&ok);
        assert!(parse_arguments(InstructionKind::Onbuild, &c.rest, '\\').is_ok());
    }

    #[test]
    fn dispatch_table() {
        assert_eq!(dump_line("FROM  a  AS b"), r#"from "a" "AS" "b""#);
        assert_eq!(dump_line("EXPOSE 80/tcp 443"), r#"expose "80/tcp" "443""#);
        assert_eq!(dump_line("USER  a b "), r#"user "a b""#);
        assert_eq!(dump_line("WORKDIR"), "workdir");
        assert_eq!(dump_line("STOPSIGNAL SIGKILL"), r#"stopsignal "SIGKILL""#);
        assert_eq!(dump_line("MAINTAINER me <m@e>"), r#"maintainer "me <m@e>""#);
        assert_eq!(dump_line("RUN"), "run");
        assert_eq!(dump_line("COPY"), "copy");
        assert_eq!(dump_line("FOO bar baz"), r#"foo """#);
        assert_eq!(dump_line("Run echo"), r#"run "echo""#);
        assert!(
            !parse_arguments(InstructionKind::Run, &sp("echo"), '\\')
                .expect("run")
                .json()
        );
        assert!(
            parse_arguments(InstructionKind::Run, &sp("[\"echo\"]"), '\\')
                .expect("run")
                .json()
        );
    }

    const KEYWORDS: [&str; 20] = [
        "add",
        "arg",
        "cmd",
        "copy",
        "entrypoint",
        "env",
        "expose",
        "from",
        "healthcheck",
        "label",
        "maintainer",
        "onbuild",
        "run",
        "shell",
        "stopsignal",
        "user",
        "volume",
        "workdir",
        "unknown",
        "",
    ];

    /// Every range of the arguments slices `line`, and the ranges of verbatim pieces slice
    /// exactly their value.
    fn check_ranges(line: &str, args: &Arguments) -> Result<(), String> {
        let slice = |s: &Spanned<CompactString>| {
            line.get(s.range.clone())
                .ok_or_else(|| format!("range {:?} does not slice {line:?}", s.range))
        };
        match args {
            Arguments::None | Arguments::Ignored => {}
            Arguments::List(items) => {
                for item in items {
                    if slice(item)? != item.value {
                        return Err(format!("{item:?} is not verbatim in {line:?}"));
                    }
                }
            }
            Arguments::Json(items) => {
                for item in items {
                    if !slice(item)?.starts_with('"') {
                        return Err(format!("{item:?} is not a literal in {line:?}"));
                    }
                }
            }
            Arguments::Text(text) => {
                if slice(text)? != text.value {
                    return Err(format!("{text:?} is not verbatim in {line:?}"));
                }
            }
            Arguments::Pairs(pairs) => {
                for p in pairs {
                    slice(&p.key)?;
                    slice(&p.value)?;
                }
            }
            Arguments::Health { kind, command } => {
                slice(kind)?;
                check_ranges(line, command)?;
            }
            Arguments::SubCommand(sub) => {
                slice(&sub.command.keyword)?;
                slice(&sub.command.rest)?;
                check_ranges(line, &sub.arguments)?;
            }
        }
        Ok(())
    }

    proptest::proptest! {
        // No input makes any function panic, and every range slices the line.
        #[test]
        fn splitting_is_total(
            keyword in proptest::sample::select(KEYWORDS.to_vec()),
            rest in "[ \\t\\\\`'\"\\[\\]{}:,=$<-]{0,3}([ a-z0-9\\t\\\\`'\"\\[\\]{}:,=$<\\-.eu堂à⅓é\u{a0}\u{85}\u{3000}#]{0,30})|\\PC{0,30}",
            backtick in proptest::bool::ANY,
        ) {
            let escape = if backtick { '`' } else { '\\' };
            let line = format!("{keyword} {rest}");
            for line in [line.as_str(), rest.as_str()] {
                let command = split_command(line);
                proptest::prop_assert!(line.get(command.keyword.range.clone()) == Some(command.keyword.value.as_str()));
                proptest::prop_assert!(line.get(command.rest.range.clone()) == Some(command.rest.value.as_str()));
                for f in &command.flags {
                    proptest::prop_assert!(line.get(f.range.clone()).is_some());
                }
                for kw in KEYWORDS {
                    if let Ok(args) = parse_arguments(InstructionKind::from_keyword(kw), &command.rest, escape) {
                        let checked = check_ranges(line, &args);
                        proptest::prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
                        let _ = args.values();
                        let _ = args.json();
                    } else if let Err(e) = parse_arguments(InstructionKind::from_keyword(kw), &command.rest, escape) {
                        proptest::prop_assert!(e.range().is_some_and(|r| line.get(r).is_some()));
                        let _ = e.to_string();
                    }
                }
                for w in parse_words(&command.rest, escape) {
                    proptest::prop_assert!(line.get(w.range.clone()).is_some());
                }
                let _ = parse_json(&command.rest);
                match crate::model::heredoc::try_heredocs_from_line(line) {
                    Ok(specs) => {
                        for h in specs {
                            proptest::prop_assert!(line.get(h.range.clone()).is_some());
                        }
                    }
                    Err(e) => proptest::prop_assert!(line.get(e.range.clone()).is_some()),
                }
                let _ = crate::model::heredoc::chomp_content(line);
                let quoted = go_quote(line);
                proptest::prop_assert!(quoted.starts_with('"') && quoted.ends_with('"'));
                let _ = go_to_lower(line);
            }
        }
    }

    #[test]
    fn error_range_and_code() {
        let c = split_command("CMD [ \"echo\", [ \"nested json\" ] ]");
        let err = parse_arguments(InstructionKind::Cmd, &c.rest, '\\').unwrap_err();
        assert_eq!(err.code(), "json-not-string-array");
        assert_eq!(err.range(), Some(14..31));
    }
}
