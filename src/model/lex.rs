//! BuildKit's shell-word lexer (`frontend/dockerfile/shell/lex.go`): quotes, escapes and
//! variable substitution with an environment, as BuildKit applies it to the words of ENV,
//! LABEL, COPY, ADD, WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE, flag values, ARG defaults
//! and FROM lines. It reports which variables it found set and which not (for BuildKit's
//! UndefinedVar and UndefinedArgInFrom checks), and refuses what BuildKit refuses, with
//! BuildKit's message.
//!
//! Go's lexer shares one buffer between a word and the words nested in its `${...}`: a
//! substitution that reads a nested word forgets the characters of the outer word read so
//! far. Splitting into words ([`Lex::process_words`]) keeps that quirk.

use std::fmt;

use super::go_quote::go_quote;
use super::heredoc::{is_go_digit, is_go_letter};

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
}

impl Lex {
    pub fn new(escape: char) -> Lex {
        Lex {
            escape,
            skip_process_quotes: false,
            skip_unset_env: false,
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
            raw_escapes: false,
            words_buffer: String::new(),
            matched: Vec::new(),
            unmatched: Vec::new(),
            depth: 0,
            required: None,
        };
        let out = sw.process_stop_on(None, false, split);
        let (result, words, error) = match out {
            Ok((result, words)) => (result, words, None),
            Err(message) => (
                String::new(),
                Vec::new(),
                Some(LexError {
                    message: format!("failed to process {}: {message}", go_quote(word)),
                    required: sw.required.clone(),
                }),
            ),
        };
        Processed {
            result,
            words,
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
    in_word: bool,
}

impl ShellWord<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn add_char(&mut self, words: &mut Words, ch: char) {
        if ch.is_whitespace() {
            if words.in_word && !self.words_buffer.is_empty() {
                words.words.push(std::mem::take(&mut self.words_buffer));
                words.in_word = false;
            }
        } else {
            self.add_raw_char(words, ch);
        }
    }

    fn add_raw_char(&mut self, words: &mut Words, ch: char) {
        self.words_buffer.push(ch);
        words.in_word = true;
    }

    fn finish_words(&mut self, mut words: Words) -> Vec<String> {
        if !self.words_buffer.is_empty() {
            words.words.push(std::mem::take(&mut self.words_buffer));
        }
        words.words
    }

    /// `processStopOn`: reads up to `stop` (or the end), returning the text and its words.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
        split: bool,
    ) -> Result<(String, Vec<String>), String> {
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
    ) -> Result<(String, Vec<String>), String> {
        let mut result = String::new();
        self.words_buffer.clear();
        let mut words = Words::default();
        let quotes = !self.lex.skip_process_quotes;
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.next();
                let words = if split {
                    self.finish_words(words)
                } else {
                    self.words_buffer.clear();
                    Vec::new()
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
                    if ch == '$' {
                        for c in tmp.chars() {
                            self.add_char(&mut words, c);
                        }
                    } else {
                        self.words_buffer.push_str(&tmp);
                        words.in_word = true;
                    }
                }
                continue;
            }
            self.next();
            let mut ch = ch;
            if ch == self.lex.escape {
                if self.raw_escapes {
                    if split {
                        self.add_raw_char(&mut words, ch);
                    }
                    result.push(ch);
                }
                match self.next() {
                    None => break,
                    Some(escaped) => {
                        ch = escaped;
                        if split {
                            self.add_raw_char(&mut words, ch);
                        }
                    }
                }
            } else if split {
                self.add_char(&mut words, ch);
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
            Vec::new()
        };
        Ok((result, words))
    }

    fn process_single_quote(&mut self) -> Result<String, String> {
        self.next();
        let mut result = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .to_string(),
                    );
                }
                Some('\'') => return Ok(result),
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, String> {
        self.next();
        let mut result = String::new();
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
}
