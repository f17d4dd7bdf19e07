//! The meaning check: an instruction's BuildKit reading before and after formatting.
//!
//! Equal means BuildKit's `dump` of the two is the same (keyword, flags, arguments, exec
//! form or not), except where the formatter changes only what BuildKit itself ignores:
//! the keyword's case, the case of `AS` and of HEALTHCHECK's type, whitespace a shell
//! ignores in a shell-form command (see [`shell_words`](super::shell_words)), the separator
//! BuildKit records for the legacy `ENV k v` form when the value reads the same, and the
//! order of flags when sorting them was asked for. Heredocs must match byte for byte.

use crate::model::split::go_to_lower;
use crate::model::{Arguments, Command, Instruction, InstructionKind, NameVal};

use super::shell_words::{Dialect, canonical};

/// Why the two readings differ, or `Ok` when they agree.
pub(crate) fn compare(
    before: &Instruction,
    after: &Instruction,
    dialect: Dialect,
    flags_sorted: bool,
) -> Result<(), String> {
    let (a, b) = (before.data(), after.data());
    if !before.has_errors() && after.has_errors() {
        let why = after
            .problems()
            .find(|p| p.severity == crate::model::Severity::Error)
            .map_or_else(String::new, |p| p.message);
        return Err(format!("the result would not parse: {why}"));
    }
    if a.escape != b.escape {
        return Err("the escape character would change".into());
    }
    commands(&a.command, &b.command, dialect, flags_sorted, a.escape)?;
    match (&a.trigger, &b.trigger) {
        (None, None) => {}
        (Some(x), Some(y)) => commands(x, y, dialect, flags_sorted, a.escape)?,
        _ => return Err("the ONBUILD trigger would change".into()),
    }
    if a.heredocs.len() != b.heredocs.len() {
        return Err("the number of heredocs would change".into());
    }
    for (x, y) in a.heredocs.iter().zip(&b.heredocs) {
        if (&x.name, x.expand, x.chomp, x.fd) != (&y.name, y.expand, y.chomp, y.fd) {
            return Err(format!("heredoc <<{} would be read differently", x.name));
        }
        if x.content != y.content {
            return Err(format!("the body of heredoc <<{} would change", x.name));
        }
    }
    Ok(())
}

fn commands(
    a: &Command,
    b: &Command,
    dialect: Dialect,
    flags_sorted: bool,
    escape: char,
) -> Result<(), String> {
    if a.kind != b.kind || go_to_lower(&a.keyword) != go_to_lower(&b.keyword) {
        return Err(format!(
            "the keyword would change from {} to {}",
            a.keyword, b.keyword
        ));
    }
    let mut fa: Vec<&str> = a.flags.iter().map(|f| f.text.as_str()).collect();
    let fb: Vec<&str> = b.flags.iter().map(|f| f.text.as_str()).collect();
    if flags_sorted {
        fa.sort_by_key(|f| flag_name(f));
    }
    if fa != fb {
        return Err(format!("the flags would change from {fa:?} to {fb:?}"));
    }
    if a.is_json() != b.is_json() {
        return Err("the exec form would change".into());
    }
    arguments(a.kind, &a.args, &b.args, dialect, escape)
}

/// A flag's name, for a stable order that keeps repeated flags (`--mount`) in theirs.
pub(crate) fn flag_name(flag: &str) -> &str {
    let body = flag.trim_start_matches('-');
    body.split_once('=').map_or(body, |(n, _)| n)
}

fn arguments(
    kind: InstructionKind,
    a: &Arguments,
    b: &Arguments,
    dialect: Dialect,
    escape: char,
) -> Result<(), String> {
    let differ = || {
        Err(format!(
            "the arguments would change from {:?} to {:?}",
            a.values(),
            b.values()
        ))
    };
    match (a, b) {
        (Arguments::Text(x), Arguments::Text(y)) if is_shell_form(kind) => {
            if canonical(&x.value, dialect) != canonical(&y.value, dialect) {
                return Err(format!(
                    "the command would change from {:?} to {:?}",
                    x.value, y.value
                ));
            }
            Ok(())
        }
        (Arguments::Pairs(x), Arguments::Pairs(y)) => {
            if x.len() != y.len() || !x.iter().zip(y).all(|(p, q)| same_pair(p, q, escape)) {
                return differ();
            }
            Ok(())
        }
        (Arguments::List(x), Arguments::List(y)) if kind == InstructionKind::From => {
            let same = x.len() == y.len()
                && x.iter().zip(y).enumerate().all(|(i, (p, q))| {
                    p.value == q.value
                        || (x.len() == 3
                            && i == 1
                            && p.value.eq_ignore_ascii_case("as")
                            && q.value.eq_ignore_ascii_case("as"))
                });
            if same { Ok(()) } else { differ() }
        }
        (
            Arguments::Health {
                kind: k1,
                command: c1,
            },
            Arguments::Health {
                kind: k2,
                command: c2,
            },
        ) => {
            if !k1.value.eq_ignore_ascii_case(&k2.value) {
                return differ();
            }
            arguments(InstructionKind::Cmd, c1, c2, dialect, escape)
        }
        _ => {
            if a.values() == b.values() {
                Ok(())
            } else {
                differ()
            }
        }
    }
}

/// The instructions whose text argument is run by the shell.
pub(crate) fn is_shell_form(kind: InstructionKind) -> bool {
    matches!(
        kind,
        InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint
    )
}

/// Same key and same value once BuildKit's word processing has read it (which is how both
/// forms' values are used), or the very same text.
fn same_pair(a: &NameVal, b: &NameVal, escape: char) -> bool {
    if a.key.value != b.key.value {
        return false;
    }
    if a.value.value == b.value.value {
        return true;
    }
    matches!(
        (processed(&a.value.value, escape), processed(&b.value.value, escape)),
        (Some(x), Some(y)) if x == y
    )
}

/// BuildKit's `ProcessWord` with the file's escape character, keeping `$` expansions as written but
/// marked (an expanding `$` reads differently from a quoted one): `None` when the word is
/// one BuildKit would reject or this reading is unsure of (a backtick, or a `$` inside
/// quotes that might open a nested word).
pub(crate) fn processed(word: &str, escape: char) -> Option<String> {
    const EXPANDS: char = '\u{0}';
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c == escape => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => out.push(c),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    c if c == escape => match chars.peek() {
                        Some(&n) if n == '"' || n == '$' || n == escape => {
                            out.push(n);
                            chars.next();
                        }
                        Some(_) => out.push(escape),
                        None => {}
                    },
                    '$' => {
                        if chars.peek() == Some(&'{') {
                            return None;
                        }
                        out.push(EXPANDS);
                        out.push('$');
                    }
                    '`' if escape != '`' => return None,
                    c => out.push(c),
                }
            },
            '$' => {
                out.push(EXPANDS);
                out.push('$');
            }
            '`' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn first(text: &str) -> Instruction {
        Model::open(text).1.instructions.remove(0)
    }

    fn same(a: &str, b: &str) -> Result<(), String> {
        compare(&first(a), &first(b), Dialect::Posix, false)
    }

    #[test]
    fn what_the_formatter_may_change() {
        assert_eq!(same("run  a   &&  b", "RUN a && b"), Ok(()));
        assert_eq!(same("FROM a as b", "FROM a AS b"), Ok(()));
        assert_eq!(same("ENV a b  c", "ENV a=\"b  c\""), Ok(()));
        assert_eq!(same("ENV a b", "ENV a=b"), Ok(()));
        assert_eq!(same("CMD [ \"a\" ,\"b\" ]", "CMD [\"a\", \"b\"]"), Ok(()));
        assert_eq!(same("HEALTHCHECK cmd  x", "HEALTHCHECK CMD x"), Ok(()));
        assert_eq!(
            same("RUN <<EOF\nbody\nEOF\n", "RUN <<EOF\nbody\nEOF\n"),
            Ok(())
        );
    }

    #[test]
    fn what_it_may_not() {
        assert!(same("RUN echo 'a  b'", "RUN echo 'a b'").is_err());
        assert!(same("ENV a b  c", "ENV a=b c").is_err());
        assert!(same("ENV a \"b  c\"", "ENV a=\"b c\"").is_err());
        assert!(same("CMD a", "CMD [\"a\"]").is_err());
        assert!(same("COPY --chown=1 a b", "COPY a b").is_err());
        assert!(same("RUN <<EOF\nbody\nEOF\n", "RUN <<EOF\nbody \nEOF\n").is_err());
        assert!(same("RUN <<EOF\nbody\nEOF\n", "RUN <<-EOF\nbody\nEOF\n").is_err());
        assert!(same("WORKDIR /a  b", "WORKDIR /a b").is_err());
        assert!(same("FROM a b c", "FROM a B c").is_err());
        assert!(same("RUN a", "RUN [\"a\"").is_err() || same("RUN a", "RUN [\"a\"").is_ok());
    }

    #[test]
    fn sorted_flags_compare_as_a_stable_order() {
        let a =
            first("RUN --network=none --mount=type=cache,target=/a --mount=type=tmpfs,target=/b x");
        let b =
            first("RUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b --network=none x");
        assert_eq!(compare(&a, &b, Dialect::Posix, true), Ok(()));
        let c =
            first("RUN --mount=type=tmpfs,target=/b --mount=type=cache,target=/a --network=none x");
        assert!(compare(&a, &c, Dialect::Posix, true).is_err());
    }

    #[test]
    fn word_processing() {
        let p = |w| processed(w, '\\');
        assert_eq!(p("\"a b\""), Some("a b".into()));
        assert_eq!(p("a\\ b"), Some("a b".into()));
        assert_ne!(p("'$a'"), p("$a"));
        assert_eq!(p("\"$a\""), p("$a"));
        assert_eq!(p("\"a"), None);
        assert_eq!(processed("a` b", '`'), Some("a b".into()));
    }
}
