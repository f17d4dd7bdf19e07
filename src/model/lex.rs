//! BuildKit's shell-word lexer (`frontend/dockerfile/shell/lex.go`): quotes, escapes and
//! variable substitution with an environment, as BuildKit applies it to the words of ENV,
//! LABEL, COPY, ADD, WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE, flag values, ARG defaults
//! and FROM lines. It reports which variables it found set and which not (for BuildKit's
//! UndefinedVar and UndefinedArgInFrom checks), and refuses what BuildKit refuses, with
//! BuildKit's message.
//!
//! Go's lexer shares one buffer between a word and the words nested in its `${...}`: a
//! substitution that reads a nested word forgets the characters of the outer word read so
//! far. Splitting into words ([`Lex::process_words`]) keeps that quirk. The parser's heredoc
//! detection splits lines with this lexer too (see `heredoc`), with raw quotes and escapes
//! and the range of each word.

use std::fmt;
use std::ops::Range;

use super::go_quote::{go_quote, in_ranges};

/// Variables the lexer can read.
pub trait Env {
    /// The value of `name`, if it is set (possibly to the empty string).
    fn get(&self, name: &str) -> Option<&str>;
}

impl Env for () {
    fn get(&self, _: &str) -> Option<&str> {
        None
    }
}

impl<F: Fn(&str) -> Option<&'static str>> Env for F {
    fn get(&self, name: &str) -> Option<&str> {
        self(name)
    }
}

impl Env for std::collections::HashMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        std::collections::HashMap::get(self, name).map(String::as_str)
    }
}

/// The lexer's settings (`shell.Lex`).
#[derive(Clone, Copy, Debug)]
pub struct Lex {
    pub escape: char,
    /// Quotes are ordinary characters (BuildKit's `SkipProcessQuotes`, used for heredoc
    /// bodies).
    pub skip_process_quotes: bool,
    /// An unset variable stays as written instead of becoming empty.
    pub skip_unset_env: bool,
    /// Quotes are processed and also kept in the result (BuildKit's `RawQuotes`).
    pub raw_quotes: bool,
    /// Escape tokens are kept in the result (BuildKit's `RawEscapes`).
    pub raw_escapes: bool,
}

impl Lex {
    pub fn new(escape: char) -> Lex {
        Lex {
            escape,
            skip_process_quotes: false,
            skip_unset_env: false,
            raw_quotes: false,
            raw_escapes: false,
        }
    }

    /// `ProcessWord` (`ProcessWordWithMatches`): the word with quotes removed and variables
    /// substituted, and the variables found set and unset. Those found before an error are
    /// reported too, as BuildKit reports them before it fails.
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Processed {
        self.process(word, env, false)
    }

    /// `ProcessWords`: the word split into words after substitution.
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Processed {
        self.process(word, env, true)
    }

    fn process(&self, word: &str, env: &dyn Env, split: bool) -> Processed {
        // Go's text/scanner skips a byte order mark at the very start.
        let pos = if word.starts_with('\u{FEFF}') { 3 } else { 0 };
        let mut sw = ShellWord {
            lex: *self,
            src: word,
            pos,
            env,
            raw_escapes: self.raw_escapes,
            words_buffer: String::new(),
            word_range: None,
            matched: Vec::new(),
            unmatched: Vec::new(),
            depth: 0,
            required: None,
        };
        let out = sw.process_stop_on(None, self.raw_escapes, split);
        let (result, (words, ranges), error) = match out {
            Ok((result, words)) => (result, words, None),
            Err(message) => (
                String::new(),
                (Vec::new(), Vec::new()),
                Some(LexError {
                    message: format!("failed to process {}: {message}", go_quote(word)),
                    required: sw.required.clone(),
                }),
            ),
        };
        Processed {
            result,
            words,
            ranges,
            matched: sw.matched,
            unmatched: sw.unmatched,
            error,
        }
    }
}

/// What the lexer made of a word.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Processed {
    /// The word after substitution (empty after an error).
    pub result: String,
    /// [`Lex::process_words`]: the words.
    pub words: Vec<String>,
    /// The part of the input each of `words` was read from (bytes); a word read from a
    /// substitution gets the whole substitution's.
    pub ranges: Vec<Range<usize>>,
    /// Variables that were set, in the order first met.
    pub matched: Vec<String>,
    /// Variables that were not set, in the order first met.
    pub unmatched: Vec<String>,
    pub error: Option<LexError>,
}

/// A word BuildKit refuses: `failed to process "…": <reason>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub message: String,
    /// The refusal of `${NAME?message}` (or `:?`): the variable that must be set and is not
    /// (which a build argument may change).
    pub required: Option<String>,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Nested `${...}` are read recursively; bounded so that hostile input cannot exhaust the
/// stack (Go's growable stacks have no such limit, but no real word comes near it).
const MAX_DEPTH: usize = 100;

const MISSING_BRACE: &str = "syntax error: missing '}'";

/// Go's `string(scanner.EOF)`.
const EOF_TEXT: char = '\u{FFFD}';

struct ShellWord<'a> {
    lex: Lex,
    src: &'a str,
    pos: usize,
    env: &'a dyn Env,
    raw_escapes: bool,
    /// Shared by every nested read, as in Go (see the module's documentation).
    words_buffer: String,
    /// Where the word in `words_buffer` was read from, once something was added to it.
    word_range: Option<Range<usize>>,
    matched: Vec<String>,
    unmatched: Vec<String>,
    depth: usize,
    /// The variable of a `${NAME?message}` error.
    required: Option<String>,
}

/// The words of one `processStopOn`, over the shared buffer.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    ranges: Vec<Range<usize>>,
    in_word: bool,
}

/// The words and their ranges.
type WordsAndRanges = (Vec<String>, Vec<Range<usize>>);

impl ShellWord<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn add_char(&mut self, words: &mut Words, ch: char, at: Range<usize>) {
        if ch.is_whitespace() {
            if words.in_word && !self.words_buffer.is_empty() {
                self.push_word(words);
                words.in_word = false;
            }
        } else {
            self.add_raw_char(words, ch, at);
        }
    }

    fn add_raw_char(&mut self, words: &mut Words, ch: char, at: Range<usize>) {
        self.words_buffer.push(ch);
        self.extend_word(at);
        words.in_word = true;
    }

    fn add_raw_string(&mut self, words: &mut Words, s: &str, at: Range<usize>) {
        self.words_buffer.push_str(s);
        self.extend_word(at);
        words.in_word = true;
    }

    fn extend_word(&mut self, at: Range<usize>) {
        match &mut self.word_range {
            Some(range) => range.end = at.end,
            None => self.word_range = Some(at),
        }
    }

    fn clear_buffer(&mut self) {
        self.words_buffer.clear();
        self.word_range = None;
    }

    fn push_word(&mut self, words: &mut Words) {
        words.words.push(std::mem::take(&mut self.words_buffer));
        words
            .ranges
            .push(self.word_range.take().unwrap_or_default());
    }

    fn finish_words(&mut self, mut words: Words) -> WordsAndRanges {
        if !self.words_buffer.is_empty() {
            self.push_word(&mut words);
        }
        self.word_range = None;
        (words.words, words.ranges)
    }

    /// `processStopOn`: reads up to `stop` (or the end), returning the text and its words.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
        split: bool,
    ) -> Result<(String, WordsAndRanges), String> {
        if self.depth >= MAX_DEPTH {
            return Err("variable substitutions nested too deeply".to_string());
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let out = self.stop_on(stop, split);
        self.raw_escapes = saved;
        self.depth -= 1;
        out
    }

    fn stop_on(
        &mut self,
        stop: Option<char>,
        split: bool,
    ) -> Result<(String, WordsAndRanges), String> {
        let mut result = String::new();
        self.clear_buffer();
        let mut words = Words::default();
        let quotes = !self.lex.skip_process_quotes;
        while let Some(ch) = self.peek() {
            let at = self.pos;
            if stop == Some(ch) {
                self.next();
                let words = if split {
                    self.finish_words(words)
                } else {
                    self.clear_buffer();
                    WordsAndRanges::default()
                };
                return Ok((result, words));
            }
            let special = match ch {
                '$' => Some(self.process_dollar()?),
                '<' => Some(self.process_possible_heredoc()),
                '\'' if quotes => Some(self.process_single_quote()?),
                '"' if quotes => Some(self.process_double_quote()?),
                _ => None,
            };
            if let Some(tmp) = special {
                result.push_str(&tmp);
                if split {
                    let read = at..self.pos;
                    if ch == '$' {
                        for c in tmp.chars() {
                            self.add_char(&mut words, c, read.clone());
                        }
                    } else {
                        self.add_raw_string(&mut words, &tmp, read);
                    }
                }
                continue;
            }
            self.next();
            let mut ch = ch;
            if ch == self.lex.escape {
                if self.raw_escapes {
                    if split {
                        self.add_raw_char(&mut words, ch, at..self.pos);
                    }
                    result.push(ch);
                }
                match self.next() {
                    None => break,
                    Some(escaped) => {
                        ch = escaped;
                        if split {
                            self.add_raw_char(&mut words, ch, at..self.pos);
                        }
                    }
                }
            } else if split {
                self.add_char(&mut words, ch, at..self.pos);
            }
            result.push(ch);
        }
        if let Some(c) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {c}"
            ));
        }
        let words = if split {
            self.finish_words(words)
        } else {
            WordsAndRanges::default()
        };
        Ok((result, words))
    }

    fn process_single_quote(&mut self) -> Result<String, String> {
        let open = self.next();
        let mut result = String::new();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .to_string(),
                    );
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, String> {
        let open = self.next();
        let mut result = String::new();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .to_string(),
                    );
                }
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or(EOF_TEXT);
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.lex.escape => {
                                ch = self.next().unwrap_or(ch);
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn get_env(&mut self, name: &str) -> Option<String> {
        match self.env.get(name) {
            Some(v) => {
                if !self.matched.iter().any(|m| m == name) {
                    self.matched.push(name.to_string());
                }
                Some(v.to_string())
            }
            None => {
                if !self.unmatched.iter().any(|m| m == name) {
                    self.unmatched.push(name.to_string());
                }
                None
            }
        }
    }

    /// A nested `processStopOn` whose failure at the end of input has its own message.
    fn stop_or(&mut self, stop: char, raw: bool, at_end: &str) -> Result<String, String> {
        match self.process_stop_on(Some(stop), raw, true) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.peek().is_none() => Err(at_end.to_string()),
            Err(e) => Err(e),
        }
    }

    fn process_dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err(MISSING_BRACE.to_string()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_string()),
            Some(_) => {}
        }
        let name = self.process_name();
        let mut ch = self.next();
        let mut chs = ch.unwrap_or(EOF_TEXT).to_string();
        match ch {
            Some('}') => Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let null_is_unset = ch == Some(':');
                if null_is_unset {
                    ch = self.next();
                    chs.push(ch.unwrap_or(EOF_TEXT));
                }
                let raw = matches!(ch, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({chs}) in substitution"));
                }
                let word = self.stop_or('}', raw, MISSING_BRACE)?;
                let value = self.get_env(&name);
                let set = value.is_some();
                if self.lex.skip_unset_env && !set {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                let value = value.unwrap_or_default();
                let empty = null_is_unset && value.is_empty();
                match ch {
                    Some('-') => Ok(if !set || empty { word } else { value }),
                    Some('+') => Ok(if !set || empty { String::new() } else { word }),
                    Some('?') => {
                        if !set || empty {
                            self.required = Some(name.clone());
                        }
                        if !set {
                            let message = if word.is_empty() {
                                "is not allowed to be unset".to_string()
                            } else {
                                word
                            };
                            Err(format!("{name}: {message}"))
                        } else if empty {
                            let message = if word.is_empty() {
                                "is not allowed to be empty".to_string()
                            } else {
                                word
                            };
                            Err(format!("{name}: {message}"))
                        } else {
                            Ok(value)
                        }
                    }
                    Some(op @ ('%' | '#')) => {
                        let (greedy, pattern) = match word.strip_prefix(op) {
                            Some(rest) => (true, rest),
                            None => (false, word.as_str()),
                        };
                        if op == '%' {
                            trim_suffix(pattern, &value, greedy)
                        } else {
                            trim_prefix(pattern, &value, greedy)
                        }
                    }
                    _ => Err(format!("unsupported modifier ({chs}) in substitution")),
                }
            }
            Some('/') => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                let pattern = self.stop_or('/', true, "syntax error: missing '/' in ${}")?;
                let replacement = self.stop_or('}', true, MISSING_BRACE)?;
                let value = match self.get_env(&name) {
                    Some(v) => v,
                    None if self.lex.skip_unset_env => {
                        return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                    }
                    None => String::new(),
                };
                let re = shell_pattern(&pattern, true, false)
                    .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
                // Go expands `$1` in the replacement of a global replace only.
                Ok(if all {
                    re.replace_all(&value, replacement.as_str()).into_owned()
                } else {
                    re.replace(&value, regex::NoExpand(&replacement))
                        .into_owned()
                })
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_go_digit(ch) {
                while let Some(d) = self.peek().filter(|&c| is_go_digit(c)) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !is_go_letter(ch) && !is_go_digit(ch) && ch != '_' {
                break;
            }
            name.push(ch);
            self.next();
        }
        name
    }

    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut out = "<<".to_string();
        while let Some(c) = self.peek().filter(|c| matches!(c, ' ' | '\t' | '\r')) {
            out.push(c);
            self.next();
        }
        out
    }
}

/// `convertShellPatternToRegex`: `*` any run (shortest unless greedy), `?` one character,
/// `\` escapes `*`, `?` and itself (and is dropped before `}` and `/`); an escape of
/// anything else is refused.
fn shell_pattern(pattern: &str, greedy: bool, anchored: bool) -> Result<regex::Regex, String> {
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let star = if greedy { ".*" } else { ".*?" };
    let mut chars = pattern.chars().peekable();
    while let Some(tok) = chars.next() {
        match tok {
            '*' => out.push_str(star),
            '?' => out.push('.'),
            '\\' => {
                if matches!(chars.peek(), Some('}' | '/')) {
                    continue;
                }
                out.push('\\');
                match chars.next() {
                    Some(c @ ('*' | '?' | '\\')) => out.push(c),
                    Some(c) => return Err(format!("invalid escape '\\{c}'")),
                    None => return Err("invalid escape '\\%!c(int32=-1)'".to_string()),
                }
            }
            '[' | ']' | '{' | '}' | '.' | '+' | '(' | ')' | '|' | '^' | '$' => {
                out.push('\\');
                out.push(tok);
            }
            c => out.push(c),
        }
    }
    regex::Regex::new(&out).map_err(|e| e.to_string())
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let re = shell_pattern(pattern, greedy, true)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    Ok(match re.find(value) {
        Some(m) => value[m.end()..].to_string(),
        None => value.to_string(),
    })
}

/// Reverses a pattern without reversing its escapes (`a\*c` becomes `c\*a`).
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = vec![' '; chars.len()];
    let last = chars.len().saturating_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let tok = chars[i];
        let at = last - i;
        if tok == '\\' && i != last {
            out[at - 1] = tok;
            out[at] = chars[i + 1];
            i += 2;
        } else {
            out[at] = tok;
            i += 1;
        }
    }
    out.into_iter().collect()
}

fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Go's `unicode.IsLetter` (general category L).
fn is_go_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && in_ranges(&LETTER, c))
}

/// Go's `unicode.IsDigit` (general category Nd).
fn is_go_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && in_ranges(&DIGIT, c))
}

// Generated from the Unicode Character Database 15.0.0 (the version of Go's `unicode`
// package) by merging consecutive code points of the general category.
/// Code points in general category L (Unicode 15.0.0): Go's `unicode.IsLetter`.
#[rustfmt::skip]
const LETTER: [(u32, u32); 659] = [
    (0x0041, 0x005A), (0x0061, 0x007A), (0x00AA, 0x00AA), (0x00B5, 0x00B5), (0x00BA, 0x00BA),
    (0x00C0, 0x00D6), (0x00D8, 0x00F6), (0x00F8, 0x02C1), (0x02C6, 0x02D1), (0x02E0, 0x02E4),
    (0x02EC, 0x02EC), (0x02EE, 0x02EE), (0x0370, 0x0374), (0x0376, 0x0377), (0x037A, 0x037D),
    (0x037F, 0x037F), (0x0386, 0x0386), (0x0388, 0x038A), (0x038C, 0x038C), (0x038E, 0x03A1),
    (0x03A3, 0x03F5), (0x03F7, 0x0481), (0x048A, 0x052F), (0x0531, 0x0556), (0x0559, 0x0559),
    (0x0560, 0x0588), (0x05D0, 0x05EA), (0x05EF, 0x05F2), (0x0620, 0x064A), (0x066E, 0x066F),
    (0x0671, 0x06D3), (0x06D5, 0x06D5), (0x06E5, 0x06E6), (0x06EE, 0x06EF), (0x06FA, 0x06FC),
    (0x06FF, 0x06FF), (0x0710, 0x0710), (0x0712, 0x072F), (0x074D, 0x07A5), (0x07B1, 0x07B1),
    (0x07CA, 0x07EA), (0x07F4, 0x07F5), (0x07FA, 0x07FA), (0x0800, 0x0815), (0x081A, 0x081A),
    (0x0824, 0x0824), (0x0828, 0x0828), (0x0840, 0x0858), (0x0860, 0x086A), (0x0870, 0x0887),
    (0x0889, 0x088E), (0x08A0, 0x08C9), (0x0904, 0x0939), (0x093D, 0x093D), (0x0950, 0x0950),
    (0x0958, 0x0961), (0x0971, 0x0980), (0x0985, 0x098C), (0x098F, 0x0990), (0x0993, 0x09A8),
    (0x09AA, 0x09B0), (0x09B2, 0x09B2), (0x09B6, 0x09B9), (0x09BD, 0x09BD), (0x09CE, 0x09CE),
    (0x09DC, 0x09DD), (0x09DF, 0x09E1), (0x09F0, 0x09F1), (0x09FC, 0x09FC), (0x0A05, 0x0A0A),
    (0x0A0F, 0x0A10), (0x0A13, 0x0A28), (0x0A2A, 0x0A30), (0x0A32, 0x0A33), (0x0A35, 0x0A36),
    (0x0A38, 0x0A39), (0x0A59, 0x0A5C), (0x0A5E, 0x0A5E), (0x0A72, 0x0A74), (0x0A85, 0x0A8D),
    (0x0A8F, 0x0A91), (0x0A93, 0x0AA8), (0x0AAA, 0x0AB0), (0x0AB2, 0x0AB3), (0x0AB5, 0x0AB9),
    (0x0ABD, 0x0ABD), (0x0AD0, 0x0AD0), (0x0AE0, 0x0AE1), (0x0AF9, 0x0AF9), (0x0B05, 0x0B0C),
    (0x0B0F, 0x0B10), (0x0B13, 0x0B28), (0x0B2A, 0x0B30), (0x0B32, 0x0B33), (0x0B35, 0x0B39),
    (0x0B3D, 0x0B3D), (0x0B5C, 0x0B5D), (0x0B5F, 0x0B61), (0x0B71, 0x0B71), (0x0B83, 0x0B83),
    (0x0B85, 0x0B8A), (0x0B8E, 0x0B90), (0x0B92, 0x0B95), (0x0B99, 0x0B9A), (0x0B9C, 0x0B9C),
    (0x0B9E, 0x0B9F), (0x0BA3, 0x0BA4), (0x0BA8, 0x0BAA), (0x0BAE, 0x0BB9), (0x0BD0, 0x0BD0),
    (0x0C05, 0x0C0C), (0x0C0E, 0x0C10), (0x0C12, 0x0C28), (0x0C2A, 0x0C39), (0x0C3D, 0x0C3D),
    (0x0C58, 0x0C5A), (0x0C5D, 0x0C5D), (0x0C60, 0x0C61), (0x0C80, 0x0C80), (0x0C85, 0x0C8C),
    (0x0C8E, 0x0C90), (0x0C92, 0x0CA8), (0x0CAA, 0x0CB3), (0x0CB5, 0x0CB9), (0x0CBD, 0x0CBD),
    (0x0CDD, 0x0CDE), (0x0CE0, 0x0CE1), (0x0CF1, 0x0CF2), (0x0D04, 0x0D0C), (0x0D0E, 0x0D10),
    (0x0D12, 0x0D3A), (0x0D3D, 0x0D3D), (0x0D4E, 0x0D4E), (0x0D54, 0x0D56), (0x0D5F, 0x0D61),
    (0x0D7A, 0x0D7F), (0x0D85, 0x0D96), (0x0D9A, 0x0DB1), (0x0DB3, 0x0DBB), (0x0DBD, 0x0DBD),
    (0x0DC0, 0x0DC6), (0x0E01, 0x0E30), (0x0E32, 0x0E33), (0x0E40, 0x0E46), (0x0E81, 0x0E82),
    (0x0E84, 0x0E84), (0x0E86, 0x0E8A), (0x0E8C, 0x0EA3), (0x0EA5, 0x0EA5), (0x0EA7, 0x0EB0),
    (0x0EB2, 0x0EB3), (0x0EBD, 0x0EBD), (0x0EC0, 0x0EC4), (0x0EC6, 0x0EC6), (0x0EDC, 0x0EDF),
    (0x0F00, 0x0F00), (0x0F40, 0x0F47), (0x0F49, 0x0F6C), (0x0F88, 0x0F8C), (0x1000, 0x102A),
    (0x103F, 0x103F), (0x1050, 0x1055), (0x105A, 0x105D), (0x1061, 0x1061), (0x1065, 0x1066),
    (0x106E, 0x1070), (0x1075, 0x1081), (0x108E, 0x108E), (0x10A0, 0x10C5), (0x10C7, 0x10C7),
    (0x10CD, 0x10CD), (0x10D0, 0x10FA), (0x10FC, 0x1248), (0x124A, 0x124D), (0x1250, 0x1256),
    (0x1258, 0x1258), (0x125A, 0x125D), (0x1260, 0x1288), (0x128A, 0x128D), (0x1290, 0x12B0),
    (0x12B2, 0x12B5), (0x12B8, 0x12BE), (0x12C0, 0x12C0), (0x12C2, 0x12C5), (0x12C8, 0x12D6),
    (0x12D8, 0x1310), (0x1312, 0x1315), (0x1318, 0x135A), (0x1380, 0x138F), (0x13A0, 0x13F5),
    (0x13F8, 0x13FD), (0x1401, 0x166C), (0x166F, 0x167F), (0x1681, 0x169A), (0x16A0, 0x16EA),
    (0x16F1, 0x16F8), (0x1700, 0x1711), (0x171F, 0x1731), (0x1740, 0x1751), (0x1760, 0x176C),
    (0x176E, 0x1770), (0x1780, 0x17B3), (0x17D7, 0x17D7), (0x17DC, 0x17DC), (0x1820, 0x1878),
    (0x1880, 0x1884), (0x1887, 0x18A8), (0x18AA, 0x18AA), (0x18B0, 0x18F5), (0x1900, 0x191E),
    (0x1950, 0x196D), (0x1970, 0x1974), (0x1980, 0x19AB), (0x19B0, 0x19C9), (0x1A00, 0x1A16),
    (0x1A20, 0x1A54), (0x1AA7, 0x1AA7), (0x1B05, 0x1B33), (0x1B45, 0x1B4C), (0x1B83, 0x1BA0),
    (0x1BAE, 0x1BAF), (0x1BBA, 0x1BE5), (0x1C00, 0x1C23), (0x1C4D, 0x1C4F), (0x1C5A, 0x1C7D),
    (0x1C80, 0x1C88), (0x1C90, 0x1CBA), (0x1CBD, 0x1CBF), (0x1CE9, 0x1CEC), (0x1CEE, 0x1CF3),
    (0x1CF5, 0x1CF6), (0x1CFA, 0x1CFA), (0x1D00, 0x1DBF), (0x1E00, 0x1F15), (0x1F18, 0x1F1D),
    (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B),
    (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC), (0x1FBE, 0x1FBE),
    (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC), (0x1FD0, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC),
    (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC), (0x2071, 0x2071), (0x207F, 0x207F), (0x2090, 0x209C),
    (0x2102, 0x2102), (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115), (0x2119, 0x211D),
    (0x2124, 0x2124), (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D), (0x212F, 0x2139),
    (0x213C, 0x213F), (0x2145, 0x2149), (0x214E, 0x214E), (0x2183, 0x2184), (0x2C00, 0x2CE4),
    (0x2CEB, 0x2CEE), (0x2CF2, 0x2CF3), (0x2D00, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D),
    (0x2D30, 0x2D67), (0x2D6F, 0x2D6F), (0x2D80, 0x2D96), (0x2DA0, 0x2DA6), (0x2DA8, 0x2DAE),
    (0x2DB0, 0x2DB6), (0x2DB8, 0x2DBE), (0x2DC0, 0x2DC6), (0x2DC8, 0x2DCE), (0x2DD0, 0x2DD6),
    (0x2DD8, 0x2DDE), (0x2E2F, 0x2E2F), (0x3005, 0x3006), (0x3031, 0x3035), (0x303B, 0x303C),
    (0x3041, 0x3096), (0x309D, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF), (0x3105, 0x312F),
    (0x3131, 0x318E), (0x31A0, 0x31BF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0xA48C),
    (0xA4D0, 0xA4FD), (0xA500, 0xA60C), (0xA610, 0xA61F), (0xA62A, 0xA62B), (0xA640, 0xA66E),
    (0xA67F, 0xA69D), (0xA6A0, 0xA6E5), (0xA717, 0xA71F), (0xA722, 0xA788), (0xA78B, 0xA7CA),
    (0xA7D0, 0xA7D1), (0xA7D3, 0xA7D3), (0xA7D5, 0xA7D9), (0xA7F2, 0xA801), (0xA803, 0xA805),
    (0xA807, 0xA80A), (0xA80C, 0xA822), (0xA840, 0xA873), (0xA882, 0xA8B3), (0xA8F2, 0xA8F7),
    (0xA8FB, 0xA8FB), (0xA8FD, 0xA8FE), (0xA90A, 0xA925), (0xA930, 0xA946), (0xA960, 0xA97C),
    (0xA984, 0xA9B2), (0xA9CF, 0xA9CF), (0xA9E0, 0xA9E4), (0xA9E6, 0xA9EF), (0xA9FA, 0xA9FE),
    (0xAA00, 0xAA28), (0xAA40, 0xAA42), (0xAA44, 0xAA4B), (0xAA60, 0xAA76), (0xAA7A, 0xAA7A),
    (0xAA7E, 0xAAAF), (0xAAB1, 0xAAB1), (0xAAB5, 0xAAB6), (0xAAB9, 0xAABD), (0xAAC0, 0xAAC0),
    (0xAAC2, 0xAAC2), (0xAADB, 0xAADD), (0xAAE0, 0xAAEA), (0xAAF2, 0xAAF4), (0xAB01, 0xAB06),
    (0xAB09, 0xAB0E), (0xAB11, 0xAB16), (0xAB20, 0xAB26), (0xAB28, 0xAB2E), (0xAB30, 0xAB5A),
    (0xAB5C, 0xAB69), (0xAB70, 0xABE2), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB),
    (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0xFB00, 0xFB06), (0xFB13, 0xFB17), (0xFB1D, 0xFB1D),
    (0xFB1F, 0xFB28), (0xFB2A, 0xFB36), (0xFB38, 0xFB3C), (0xFB3E, 0xFB3E), (0xFB40, 0xFB41),
    (0xFB43, 0xFB44), (0xFB46, 0xFBB1), (0xFBD3, 0xFD3D), (0xFD50, 0xFD8F), (0xFD92, 0xFDC7),
    (0xFDF0, 0xFDFB), (0xFE70, 0xFE74), (0xFE76, 0xFEFC), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),
    (0xFF66, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC),
    (0x10000, 0x1000B), (0x1000D, 0x10026), (0x10028, 0x1003A), (0x1003C, 0x1003D),
    (0x1003F, 0x1004D), (0x10050, 0x1005D), (0x10080, 0x100FA), (0x10280, 0x1029C),
    (0x102A0, 0x102D0), (0x10300, 0x1031F), (0x1032D, 0x10340), (0x10342, 0x10349),
    (0x10350, 0x10375), (0x10380, 0x1039D), (0x103A0, 0x103C3), (0x103C8, 0x103CF),
    (0x10400, 0x1049D), (0x104B0, 0x104D3), (0x104D8, 0x104FB), (0x10500, 0x10527),
    (0x10530, 0x10563), (0x10570, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592),
    (0x10594, 0x10595), (0x10597, 0x105A1), (0x105A3, 0x105B1), (0x105B3, 0x105B9),
    (0x105BB, 0x105BC), (0x10600, 0x10736), (0x10740, 0x10755), (0x10760, 0x10767),
    (0x10780, 0x10785), (0x10787, 0x107B0), (0x107B2, 0x107BA), (0x10800, 0x10805),
    (0x10808, 0x10808), (0x1080A, 0x10835), (0x10837, 0x10838), (0x1083C, 0x1083C),
    (0x1083F, 0x10855), (0x10860, 0x10876), (0x10880, 0x1089E), (0x108E0, 0x108F2),
    (0x108F4, 0x108F5), (0x10900, 0x10915), (0x10920, 0x10939), (0x10980, 0x109B7),
    (0x109BE, 0x109BF), (0x10A00, 0x10A00), (0x10A10, 0x10A13), (0x10A15, 0x10A17),
    (0x10A19, 0x10A35), (0x10A60, 0x10A7C), (0x10A80, 0x10A9C), (0x10AC0, 0x10AC7),
    (0x10AC9, 0x10AE4), (0x10B00, 0x10B35), (0x10B40, 0x10B55), (0x10B60, 0x10B72),
    (0x10B80, 0x10B91), (0x10C00, 0x10C48), (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2),
    (0x10D00, 0x10D23), (0x10E80, 0x10EA9), (0x10EB0, 0x10EB1), (0x10F00, 0x10F1C),
    (0x10F27, 0x10F27), (0x10F30, 0x10F45), (0x10F70, 0x10F81), (0x10FB0, 0x10FC4),
    (0x10FE0, 0x10FF6), (0x11003, 0x11037), (0x11071, 0x11072), (0x11075, 0x11075),
    (0x11083, 0x110AF), (0x110D0, 0x110E8), (0x11103, 0x11126), (0x11144, 0x11144),
    (0x11147, 0x11147), (0x11150, 0x11172), (0x11176, 0x11176), (0x11183, 0x111B2),
    (0x111C1, 0x111C4), (0x111DA, 0x111DA), (0x111DC, 0x111DC), (0x11200, 0x11211),
    (0x11213, 0x1122B), (0x1123F, 0x11240), (0x11280, 0x11286), (0x11288, 0x11288),
    (0x1128A, 0x1128D), (0x1128F, 0x1129D), (0x1129F, 0x112A8), (0x112B0, 0x112DE),
    (0x11305, 0x1130C), (0x1130F, 0x11310), (0x11313, 0x11328), (0x1132A, 0x11330),
    (0x11332, 0x11333), (0x11335, 0x11339), (0x1133D, 0x1133D), (0x11350, 0x11350),
    (0x1135D, 0x11361), (0x11400, 0x11434), (0x11447, 0x1144A), (0x1145F, 0x11461),
    (0x11480, 0x114AF), (0x114C4, 0x114C5), (0x114C7, 0x114C7), (0x11580, 0x115AE),
    (0x115D8, 0x115DB), (0x11600, 0x1162F), (0x11644, 0x11644), (0x11680, 0x116AA),
    (0x116B8, 0x116B8), (0x11700, 0x1171A), (0x11740, 0x11746), (0x11800, 0x1182B),
    (0x118A0, 0x118DF), (0x118FF, 0x11906), (0x11909, 0x11909), (0x1190C, 0x11913),
    (0x11915, 0x11916), (0x11918, 0x1192F), (0x1193F, 0x1193F), (0x11941, 0x11941),
    (0x119A0, 0x119A7), (0x119AA, 0x119D0), (0x119E1, 0x119E1), (0x119E3, 0x119E3),
    (0x11A00, 0x11A00), (0x11A0B, 0x11A32), (0x11A3A, 0x11A3A), (0x11A50, 0x11A50),
    (0x11A5C, 0x11A89), (0x11A9D, 0x11A9D), (0x11AB0, 0x11AF8), (0x11C00, 0x11C08),
    (0x11C0A, 0x11C2E), (0x11C40, 0x11C40), (0x11C72, 0x11C8F), (0x11D00, 0x11D06),
    (0x11D08, 0x11D09), (0x11D0B, 0x11D30), (0x11D46, 0x11D46), (0x11D60, 0x11D65),
    (0x11D67, 0x11D68), (0x11D6A, 0x11D89), (0x11D98, 0x11D98), (0x11EE0, 0x11EF2),
    (0x11F02, 0x11F02), (0x11F04, 0x11F10), (0x11F12, 0x11F33), (0x11FB0, 0x11FB0),
    (0x12000, 0x12399), (0x12480, 0x12543), (0x12F90, 0x12FF0), (0x13000, 0x1342F),
    (0x13441, 0x13446), (0x14400, 0x14646), (0x16800, 0x16A38), (0x16A40, 0x16A5E),
    (0x16A70, 0x16ABE), (0x16AD0, 0x16AED), (0x16B00, 0x16B2F), (0x16B40, 0x16B43),
    (0x16B63, 0x16B77), (0x16B7D, 0x16B8F), (0x16E40, 0x16E7F), (0x16F00, 0x16F4A),
    (0x16F50, 0x16F50), (0x16F93, 0x16F9F), (0x16FE0, 0x16FE1), (0x16FE3, 0x16FE3),
    (0x17000, 0x187F7), (0x18800, 0x18CD5), (0x18D00, 0x18D08), (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122), (0x1B132, 0x1B132),
    (0x1B150, 0x1B152), (0x1B155, 0x1B155), (0x1B164, 0x1B167), (0x1B170, 0x1B2FB),
    (0x1BC00, 0x1BC6A), (0x1BC70, 0x1BC7C), (0x1BC80, 0x1BC88), (0x1BC90, 0x1BC99),
    (0x1D400, 0x1D454), (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F), (0x1D4A2, 0x1D4A2),
    (0x1D4A5, 0x1D4A6), (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9), (0x1D4BB, 0x1D4BB),
    (0x1D4BD, 0x1D4C3), (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A), (0x1D50D, 0x1D514),
    (0x1D516, 0x1D51C), (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E), (0x1D540, 0x1D544),
    (0x1D546, 0x1D546), (0x1D54A, 0x1D550), (0x1D552, 0x1D6A5), (0x1D6A8, 0x1D6C0),
    (0x1D6C2, 0x1D6DA), (0x1D6DC, 0x1D6FA), (0x1D6FC, 0x1D714), (0x1D716, 0x1D734),
    (0x1D736, 0x1D74E), (0x1D750, 0x1D76E), (0x1D770, 0x1D788), (0x1D78A, 0x1D7A8),
    (0x1D7AA, 0x1D7C2), (0x1D7C4, 0x1D7CB), (0x1DF00, 0x1DF1E), (0x1DF25, 0x1DF2A),
    (0x1E030, 0x1E06D), (0x1E100, 0x1E12C), (0x1E137, 0x1E13D), (0x1E14E, 0x1E14E),
    (0x1E290, 0x1E2AD), (0x1E2C0, 0x1E2EB), (0x1E4D0, 0x1E4EB), (0x1E7E0, 0x1E7E6),
    (0x1E7E8, 0x1E7EB), (0x1E7ED, 0x1E7EE), (0x1E7F0, 0x1E7FE), (0x1E800, 0x1E8C4),
    (0x1E900, 0x1E943), (0x1E94B, 0x1E94B), (0x1EE00, 0x1EE03), (0x1EE05, 0x1EE1F),
    (0x1EE21, 0x1EE22), (0x1EE24, 0x1EE24), (0x1EE27, 0x1EE27), (0x1EE29, 0x1EE32),
    (0x1EE34, 0x1EE37), (0x1EE39, 0x1EE39), (0x1EE3B, 0x1EE3B), (0x1EE42, 0x1EE42),
    (0x1EE47, 0x1EE47), (0x1EE49, 0x1EE49), (0x1EE4B, 0x1EE4B), (0x1EE4D, 0x1EE4F),
    (0x1EE51, 0x1EE52), (0x1EE54, 0x1EE54), (0x1EE57, 0x1EE57), (0x1EE59, 0x1EE59),
    (0x1EE5B, 0x1EE5B), (0x1EE5D, 0x1EE5D), (0x1EE5F, 0x1EE5F), (0x1EE61, 0x1EE62),
    (0x1EE64, 0x1EE64), (0x1EE67, 0x1EE6A), (0x1EE6C, 0x1EE72), (0x1EE74, 0x1EE77),
    (0x1EE79, 0x1EE7C), (0x1EE7E, 0x1EE7E), (0x1EE80, 0x1EE89), (0x1EE8B, 0x1EE9B),
    (0x1EEA1, 0x1EEA3), (0x1EEA5, 0x1EEA9), (0x1EEAB, 0x1EEBB), (0x20000, 0x2A6DF),
    (0x2A700, 0x2B739), (0x2B740, 0x2B81D), (0x2B820, 0x2CEA1), (0x2CEB0, 0x2EBE0),
    (0x2F800, 0x2FA1D), (0x30000, 0x3134A), (0x31350, 0x323AF),
];
/// Code points in general category Nd (Unicode 15.0.0): Go's `unicode.IsDigit`.
#[rustfmt::skip]
const DIGIT: [(u32, u32); 64] = [
    (0x0030, 0x0039), (0x0660, 0x0669), (0x06F0, 0x06F9), (0x07C0, 0x07C9), (0x0966, 0x096F),
    (0x09E6, 0x09EF), (0x0A66, 0x0A6F), (0x0AE6, 0x0AEF), (0x0B66, 0x0B6F), (0x0BE6, 0x0BEF),
    (0x0C66, 0x0C6F), (0x0CE6, 0x0CEF), (0x0D66, 0x0D6F), (0x0DE6, 0x0DEF), (0x0E50, 0x0E59),
    (0x0ED0, 0x0ED9), (0x0F20, 0x0F29), (0x1040, 0x1049), (0x1090, 0x1099), (0x17E0, 0x17E9),
    (0x1810, 0x1819), (0x1946, 0x194F), (0x19D0, 0x19D9), (0x1A80, 0x1A89), (0x1A90, 0x1A99),
    (0x1B50, 0x1B59), (0x1BB0, 0x1BB9), (0x1C40, 0x1C49), (0x1C50, 0x1C59), (0xA620, 0xA629),
    (0xA8D0, 0xA8D9), (0xA900, 0xA909), (0xA9D0, 0xA9D9), (0xA9F0, 0xA9F9), (0xAA50, 0xAA59),
    (0xABF0, 0xABF9), (0xFF10, 0xFF19), (0x104A0, 0x104A9), (0x10D30, 0x10D39), (0x11066, 0x1106F),
    (0x110F0, 0x110F9), (0x11136, 0x1113F), (0x111D0, 0x111D9), (0x112F0, 0x112F9),
    (0x11450, 0x11459), (0x114D0, 0x114D9), (0x11650, 0x11659), (0x116C0, 0x116C9),
    (0x11730, 0x11739), (0x118E0, 0x118E9), (0x11950, 0x11959), (0x11C50, 0x11C59),
    (0x11D50, 0x11D59), (0x11DA0, 0x11DA9), (0x11F50, 0x11F59), (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9), (0x16B50, 0x16B59), (0x1D7CE, 0x1D7FF), (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9), (0x1E4F0, 0x1E4F9), (0x1E950, 0x1E959), (0x1FBF0, 0x1FBF9),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<&'static str> {
        match name {
            "SET" => Some("value"),
            "EMPTY" => Some(""),
            "PATH" => Some("/usr/local/bin:/usr/bin"),
            "FILE" => Some("archive.tar.gz"),
            _ => None,
        }
    }

    fn word(w: &str) -> Result<String, String> {
        let p = Lex::new('\\').process_word(w, &env);
        match p.error {
            Some(e) => Err(e.message),
            None => Ok(p.result),
        }
    }

    #[test]
    fn quotes_escapes_and_substitutions() {
        assert_eq!(word(r#""a b"'c d'\ e"#).as_deref(), Ok("a bc d e"));
        assert_eq!(word("$SET ${SET}x $NOPE.").as_deref(), Ok("value valuex ."));
        assert_eq!(
            word("${NOPE:-d} ${EMPTY:-d} ${EMPTY-d}|").as_deref(),
            Ok("d d |")
        );
        assert_eq!(
            word("${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt}").as_deref(),
            Ok("alt  alt")
        );
        assert_eq!(word(r#""\$SET \"q\" \n""#).as_deref(), Ok(r#"$SET "q" \n"#));
        assert_eq!(word("'$SET'").as_deref(), Ok("$SET"));
        assert_eq!(
            word("${FILE%.*} ${FILE%%.*} ${FILE#*.} ${FILE##*.}").as_deref(),
            Ok("archive.tar archive tar.gz gz")
        );
        assert_eq!(
            word("${PATH/usr/opt} ${PATH//usr/opt}").as_deref(),
            Ok("/opt/local/bin:/usr/bin /opt/local/bin:/opt/bin")
        );
        assert_eq!(word("$ a$").as_deref(), Ok("$ a$"));
        assert_eq!(word("${SET:?} ${NOPE-}").as_deref(), Ok("value "));
    }

    #[test]
    fn refusals_with_buildkit_messages() {
        assert_eq!(
            word("${templateOption:imageVariant}"),
            Err(r#"failed to process "${templateOption:imageVariant}": unsupported modifier (:i) in substitution"#.to_string())
        );
        assert_eq!(
            word("'a\\'b'"),
            Err(r#"failed to process "'a\\'b'": unexpected end of statement while looking for matching single-quote"#.to_string())
        );
        assert!(
            word("\"open")
                .unwrap_err()
                .ends_with("matching double-quote")
        );
        assert!(
            word("${a")
                .unwrap_err()
                .ends_with("unsupported modifier (\u{FFFD}) in substitution")
        );
        assert!(
            word("${a:")
                .unwrap_err()
                .ends_with("syntax error: missing '}'")
        );
        assert!(
            word("${a:-b")
                .unwrap_err()
                .ends_with("syntax error: missing '}'")
        );
        assert!(
            word("${")
                .unwrap_err()
                .ends_with("syntax error: missing '}'")
        );
        assert!(
            word("${:a}")
                .unwrap_err()
                .ends_with("syntax error: bad substitution")
        );
        assert!(
            word("${}")
                .unwrap_err()
                .ends_with("syntax error: bad substitution")
        );
        assert!(
            word("${a:#b}")
                .unwrap_err()
                .ends_with("unsupported modifier (:#) in substitution")
        );
        assert!(
            word("${a!}")
                .unwrap_err()
                .ends_with("unsupported modifier (!) in substitution")
        );
        assert!(
            word("${a/b")
                .unwrap_err()
                .ends_with("syntax error: missing '/' in ${}")
        );
        assert!(
            word("${NOPE?}")
                .unwrap_err()
                .ends_with("NOPE: is not allowed to be unset")
        );
        assert!(
            word("${EMPTY:?must be set}")
                .unwrap_err()
                .ends_with("EMPTY: must be set")
        );
        assert!(
            word("${SET#\\a}")
                .unwrap_err()
                .ends_with("invalid pattern (\\a) in substitution: invalid escape '\\a'")
        );
    }

    #[test]
    fn matched_and_unmatched_names() {
        let p = Lex::new('\\').process_word("$SET ${NOPE:-$OTHER} $SET", &env);
        assert_eq!(p.matched, ["SET"]);
        assert_eq!(p.unmatched, ["OTHER", "NOPE"]);
        // Names met before an error are reported with it (BuildKit looks `x` up before it
        // finds the modifier it does not know).
        let p = Lex::new('\\').process_word("$MISSING ${x:y} $LATER", &env);
        assert!(p.error.is_some());
        assert_eq!(p.unmatched, ["MISSING", "x"]);
    }

    #[test]
    fn words_after_substitution() {
        let p = Lex::new('\\').process_words("80 $PORTS \"9 0\"", &|n: &str| {
            (n == "PORTS").then_some("81  82")
        });
        assert_eq!(p.words, ["80", "81", "82", "9 0"]);
        // The escape character of the file, and skipped quotes for heredoc bodies.
        let lex = Lex {
            skip_process_quotes: true,
            ..Lex::new('`')
        };
        assert_eq!(lex.process_word("'$SET' `$x", &env).result, "'value' $x");
    }

    #[test]
    fn tables_are_sorted() {
        for table in [&LETTER[..], &DIGIT[..]] {
            assert!(table.windows(2).all(|w| w[0].1 + 1 < w[1].0));
        }
        assert!(is_go_letter('ß') && is_go_letter('中') && !is_go_letter('1'));
        assert!(is_go_digit('٣') && !is_go_digit('²') && !is_go_digit('a'));
    }
}
