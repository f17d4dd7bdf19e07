//! Writing values as shell words that BuildKit reads back unchanged (for quick fixes).

/// `literal` as a double-quoted word that BuildKit's lexer reads as exactly `literal`: the
/// escape character escapes `"`, `$` and itself inside double quotes, and nothing else.
pub(crate) fn double_quoted(literal: &str, escape: char) -> String {
    let mut out = String::with_capacity(literal.len() + 2);
    out.push('"');
    push_literal(&mut out, literal, escape);
    out.push('"');
    out
}

fn push_literal(out: &mut String, literal: &str, escape: char) {
    for c in literal.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
}

/// The value of a legacy `ENV key value words` (everything after the key, as written) as
/// one word for `key=<word>` that the lexer reads to the same text: unchanged when it has
/// no whitespace outside quotes, else rewritten inside double quotes (variables kept).
/// `None` when the value cannot be read (an unterminated quote or brace).
pub(crate) fn legacy_value_as_word(value: &str, escape: char) -> Option<String> {
    if !has_unquoted_blank(value, escape)? {
        return Some(value.to_string());
    }
    let mut out = String::from("\"");
    let mut chars = value.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == escape => {
                let (_, next) = chars.next()?;
                push_literal(&mut out, &next.to_string(), escape);
            }
            '\'' => {
                let rest = &value[i + 1..];
                let end = rest.find('\'')?;
                push_literal(&mut out, &rest[..end], escape);
                for _ in 0..=rest[..end].chars().count() {
                    chars.next();
                }
            }
            '"' => {
                // The inside of a double-quoted piece reads the same inside ours.
                let mut escaped = false;
                loop {
                    let (_, d) = chars.next()?;
                    if escaped {
                        escaped = false;
                    } else if d == escape {
                        escaped = true;
                    } else if d == '"' {
                        break;
                    }
                    out.push(d);
                }
            }
            '$' => {
                out.push('$');
                if chars.peek().map(|(_, d)| *d) == Some('{') {
                    // `${...}`, nested braces included, copied as written.
                    let mut depth = 0usize;
                    loop {
                        let (_, d) = chars.next()?;
                        out.push(d);
                        match d {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Some(out)
}

/// Whether `value` has whitespace outside quotes (so that it is more than one word).
fn has_unquoted_blank(value: &str, escape: char) -> Option<bool> {
    let mut chars = value.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, c) if c == escape => {
                chars.next();
            }
            (Some('"'), '"') => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c.is_whitespace() => return Some(true),
            (None, _) => {}
        }
    }
    quote.is_none().then_some(false)
}

/// A shell-form command as a JSON array of its words, when splitting it on blanks is all
/// the shell would do (no quotes, variables, operators, globs or escapes); `None` otherwise,
/// since rewriting those would change what runs.
pub(crate) fn exec_form(command: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c) || !c.is_ascii();
    let words: Vec<&str> = command
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || !words.iter().all(|w| w.chars().all(plain)) {
        return None;
    }
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_default())
        .collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back_the_same() {
        assert_eq!(
            double_quoted("a \"b\" $c \\d", '\\'),
            r#""a \"b\" \$c \\d""#
        );
        assert_eq!(double_quoted("a\\b", '`'), r#""a\b""#);
        assert_eq!(
            legacy_value_as_word("/usr/bin:$PATH", '\\').as_deref(),
            Some("/usr/bin:$PATH")
        );
        assert_eq!(
            legacy_value_as_word("a b", '\\').as_deref(),
            Some("\"a b\"")
        );
        assert_eq!(
            legacy_value_as_word(r#"say "hi there" 'it''s' \$x ${y:-a b}"#, '\\').as_deref(),
            Some(r#""say hi there its \$x ${y:-a b}""#)
        );
        assert_eq!(
            legacy_value_as_word("'a \"b'", '\\').as_deref(),
            Some("'a \"b'")
        );
        assert_eq!(legacy_value_as_word("'a b", '\\'), None);
        assert_eq!(
            exec_form("node  server.js --port=80").as_deref(),
            Some(r#"["node", "server.js", "--port=80"]"#)
        );
        assert_eq!(exec_form("nginx -g 'daemon off;'"), None);
        assert_eq!(exec_form("echo $HOME"), None);
        assert_eq!(exec_form("a && b"), None);
    }
}
