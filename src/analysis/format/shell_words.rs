//! Where the whitespace of a shell-form command only separates words, so that how much of
//! it there is (one space, or a line break and an indent) does not change what runs.
//!
//! The formatter moves words only at such places, and its meaning check compares commands
//! after collapsing exactly that whitespace. The reading is conservative: anything it is not
//! sure of (an unterminated quote, `case` inside `$(…)`, a PowerShell here-string) makes it
//! give up, and then every byte of the command counts.

use std::borrow::Cow;
use std::ops::Range;

/// The language of the shell that runs a stage's shell-form commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `/bin/sh -c` and its relatives (bash, ash, dash, zsh, ...).
    Posix,
    PowerShell,
    /// `cmd /S /C`, the default of Windows images: its `echo` and `set` keep whitespace.
    Cmd,
    /// Some other program: every byte counts.
    Unknown,
}

/// The pieces of `text` separated by whitespace the shell ignores, in order; `None` when the
/// text holds something this reading is unsure of.
pub(crate) fn pieces(text: &str, dialect: Dialect) -> Option<Vec<Range<usize>>> {
    match dialect {
        Dialect::Posix => posix(text),
        Dialect::PowerShell => powershell(text),
        Dialect::Cmd => Some(cmd(text)),
        Dialect::Unknown => None,
    }
}

/// The command with every ignorable whitespace run made one space: two commands that run
/// alike have the same canonical form.
pub(crate) fn canonical(text: &str, dialect: Dialect) -> Cow<'_, str> {
    match pieces(text, dialect) {
        Some(pieces) => {
            let mut out = String::with_capacity(text.len());
            for (i, p) in pieces.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(&text[p.clone()]);
            }
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Collects pieces: a piece starts at the first byte that is not a separator and ends at
/// the next separator.
#[derive(Default)]
struct Pieces {
    out: Vec<Range<usize>>,
    start: Option<usize>,
}

impl Pieces {
    fn touch(&mut self, i: usize) {
        self.start.get_or_insert(i);
    }

    fn cut(&mut self, i: usize) {
        if let Some(s) = self.start.take() {
            self.out.push(s..i);
        }
    }

    fn at_word_start(&self, i: usize) -> bool {
        self.start.is_none_or(|s| s == i)
    }
}

/// What is open at the current byte of a POSIX command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    /// `$(…)` (or `$((…))`): a command again, ended by the `)` that balances it.
    Subst {
        depth: u32,
    },
    /// `${…}`: one word, whatever it holds.
    Param {
        depth: u32,
    },
    Double,
    /// `` `…` ``: one word up to the next unescaped backquote.
    Backtick,
}

fn posix(text: &str) -> Option<Vec<Range<usize>>> {
    let b = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut p = Pieces::default();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let top = stack.last().copied();
        let in_command = matches!(top, None | Some(Open::Subst { .. }));
        if in_command && is_blank(c) {
            p.cut(i);
            i += 1;
            continue;
        }
        p.touch(i);
        match top {
            None | Some(Open::Subst { .. }) => {
                if c == b'#' && p.at_word_start(i) {
                    if !stack.is_empty() {
                        return None;
                    }
                    // A comment runs to the end of the line: what is in it runs nowhere.
                    p.start = None;
                    for r in split_blanks(&text[i..]) {
                        p.out.push(i + r.start..i + r.end);
                    }
                    return Some(p.out);
                }
                let after_separator =
                    i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'(' | b';' | b'&' | b'|');
                if top.is_some() && after_separator && starts_word(b, i, b"case") {
                    // A pattern's `)` in `$(case …)` would end the substitution early.
                    return None;
                }
                match c {
                    b'\\' => i += 2,
                    b'\'' => i = close_single(b, i + 1)?,
                    b'"' => {
                        stack.push(Open::Double);
                        i += 1;
                    }
                    b'`' => {
                        stack.push(Open::Backtick);
                        i += 1;
                    }
                    b'$' => i = dollar(b, i, &mut stack, true)?,
                    b'(' => {
                        if let Some(Open::Subst { depth }) = stack.last_mut() {
                            *depth += 1;
                        }
                        i += 1;
                    }
                    b')' => {
                        if let Some(Open::Subst { depth }) = stack.last_mut() {
                            if *depth == 0 {
                                stack.pop();
                            } else {
                                *depth -= 1;
                            }
                        }
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
            Some(Open::Double) => match c {
                b'\\' => i += 2,
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                b'`' => {
                    stack.push(Open::Backtick);
                    i += 1;
                }
                b'$' => i = dollar(b, i, &mut stack, false)?,
                _ => i += 1,
            },
            Some(Open::Param { .. }) => match c {
                b'\\' => i += 2,
                b'\'' => i = close_single(b, i + 1)?,
                b'"' => {
                    stack.push(Open::Double);
                    i += 1;
                }
                b'`' => {
                    stack.push(Open::Backtick);
                    i += 1;
                }
                b'$' => i = dollar(b, i, &mut stack, false)?,
                b'{' => {
                    if let Some(Open::Param { depth }) = stack.last_mut() {
                        *depth += 1;
                    }
                    i += 1;
                }
                b'}' => {
                    if let Some(Open::Param { depth }) = stack.last_mut() {
                        if *depth == 0 {
                            stack.pop();
                        } else {
                            *depth -= 1;
                        }
                    }
                    i += 1;
                }
                _ => i += 1,
            },
            Some(Open::Backtick) => match c {
                b'\\' => i += 2,
                b'`' => {
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            },
        }
    }
    if !stack.is_empty() || i > b.len() {
        // Unterminated, or an escape at the very end: unsure.
        return None;
    }
    p.cut(b.len());
    Some(p.out)
}

/// After a `$` at `i`: opens what it opens and returns where reading goes on.
fn dollar(b: &[u8], i: usize, stack: &mut Vec<Open>, ansi_c: bool) -> Option<usize> {
    match b.get(i + 1) {
        Some(b'(') => {
            stack.push(Open::Subst { depth: 0 });
            Some(i + 2)
        }
        Some(b'{') => {
            stack.push(Open::Param { depth: 0 });
            Some(i + 2)
        }
        // `$'…'`: backslash escapes inside; shells that lack it read `$` then `'…'`, and
        // the two readings agree unless an escaped quote is in it.
        Some(b'\'') if ansi_c => {
            let end = close_single(b, i + 2)?;
            if b[i + 2..end].contains(&b'\\') {
                return None;
            }
            Some(end)
        }
        _ => Some(i + 1),
    }
}

/// The index after the `'` that closes a single-quoted string whose body starts at `from`.
fn close_single(b: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(b'\'', b.get(from..)?).map(|n| from + n + 1)
}

/// Whether `word` is at `i` and ends there (followed by a blank or the end).
fn starts_word(b: &[u8], i: usize, word: &[u8]) -> bool {
    b[i..].starts_with(word)
        && b.get(i + word.len())
            .is_none_or(|&c| is_blank(c) || c == b';')
}

fn split_blanks(s: &str) -> Vec<Range<usize>> {
    let mut p = Pieces::default();
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if is_blank(c) {
            p.cut(i);
        } else {
            p.touch(i);
        }
    }
    p.cut(s.len());
    p.out
}

/// PowerShell: `'…'` (no escapes), `"…"` (backtick escapes, `$(…)` inside), a backtick
/// escapes the next character outside quotes too, `#` starts a comment.
fn powershell(text: &str) -> Option<Vec<Range<usize>>> {
    let b = text.as_bytes();
    // Open double quotes and subexpressions, innermost last: `true` for a string.
    let mut stack: Vec<bool> = Vec::new();
    let mut depth: Vec<u32> = Vec::new();
    let mut p = Pieces::default();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let in_string = stack.last() == Some(&true);
        if !in_string && is_blank(c) {
            p.cut(i);
            i += 1;
            continue;
        }
        p.touch(i);
        if in_string {
            match c {
                b'`' => i += 2,
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                b'$' if b.get(i + 1) == Some(&b'(') => {
                    stack.push(false);
                    depth.push(0);
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'@' if matches!(b.get(i + 1), Some(b'"' | b'\'')) => return None,
            b'<' if b.get(i + 1) == Some(&b'#') => return None,
            b'#' if p.at_word_start(i) => {
                if !stack.is_empty() {
                    return None;
                }
                p.start = None;
                for r in split_blanks(&text[i..]) {
                    p.out.push(i + r.start..i + r.end);
                }
                return Some(p.out);
            }
            b'`' => i += 2,
            b'\'' => i = close_single(b, i + 1)?,
            b'"' => {
                stack.push(true);
                i += 1;
            }
            b'$' if b.get(i + 1) == Some(&b'(') => {
                stack.push(false);
                depth.push(0);
                i += 2;
            }
            b'(' => {
                if let Some(d) = depth.last_mut() {
                    *d += 1;
                }
                i += 1;
            }
            b')' => {
                match depth.last_mut() {
                    Some(0) => {
                        depth.pop();
                        stack.pop();
                    }
                    Some(d) => *d -= 1,
                    None => {}
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if !stack.is_empty() || i > b.len() {
        return None;
    }
    p.cut(b.len());
    Some(p.out)
}

/// cmd: only the whitespace that starts a command (at the start, or after an unquoted `&`,
/// `|` or `(`) is ignored; `echo a  b &` prints both spaces and the one before `&`.
fn cmd(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut p = Pieces::default();
    let mut quoted = false;
    let mut command_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !quoted && command_start && is_blank(c) {
            p.cut(i);
            i += 1;
            continue;
        }
        p.touch(i);
        command_start = false;
        match c {
            b'"' => quoted = !quoted,
            b'^' if !quoted => i += 1,
            b'&' | b'|' | b'(' if !quoted => command_start = true,
            _ => {}
        }
        i += 1;
    }
    p.cut(b.len());
    p.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, d: Dialect) -> Option<Vec<&str>> {
        pieces(text, d).map(|p| p.into_iter().map(|r| &text[r]).collect())
    }

    #[test]
    fn posix_splits_outside_quotes_only() {
        assert_eq!(
            words("a  'b  c' \"d  $(e  f)\" ${g:- h}", Dialect::Posix),
            Some(vec!["a", "'b  c'", "\"d  $(e", "f)\"", "${g:- h}"])
        );
        assert_eq!(
            words("echo a\\ b `x  y` # c  d", Dialect::Posix),
            Some(vec!["echo", "a\\ b", "`x  y`", "#", "c", "d"])
        );
        assert_eq!(words("echo \"a", Dialect::Posix), None);
        assert_eq!(words("x=$(case a in b) c;; esac)", Dialect::Posix), None);
        assert_eq!(words("echo $'a\\'b  c'", Dialect::Posix), None);
        assert_eq!(words("echo a\\", Dialect::Posix), None);
        assert_eq!(
            words("a#b 'x  y'", Dialect::Posix),
            Some(vec!["a#b", "'x  y'"])
        );
    }

    #[test]
    fn canonical_forms_agree_when_only_separators_differ() {
        let c = |t| canonical(t, Dialect::Posix).into_owned();
        assert_eq!(c("a &&    b"), c("a && b"));
        assert_ne!(c("echo 'a    b'"), c("echo 'a b'"));
        assert_ne!(c("echo \"a \\\"   b\""), c("echo \"a \\\" b\""));
    }

    #[test]
    fn powershell_and_cmd() {
        assert_eq!(
            words(
                "Write-Host  'a  b' \"c `\"  d\" $(x  y)",
                Dialect::PowerShell
            ),
            Some(vec!["Write-Host", "'a  b'", "\"c `\"  d\"", "$(x", "y)"])
        );
        assert_eq!(words("$x = @\"", Dialect::PowerShell), None);
        assert_eq!(
            words("echo a  b &&   dir \"x  y\"", Dialect::Cmd),
            Some(vec!["echo a  b &&", "dir \"x  y\""])
        );
        assert_eq!(words("anything", Dialect::Unknown), None);
    }
}
