//! Heredoc detection on a logical line (`heredocsFromLine` and `ParseHeredoc` in BuildKit)
//! with BuildKit's shell lexer ([`super::lex`]), and heredoc content chomping.

use std::fmt;
use std::ops::Range;

use super::lex::Lex;
use super::split::{Arguments, keyword_kind};
use crate::syntax::InstructionKind;

/// A heredoc named on an instruction line: `<<EOF`, `<<-EOF`, `3<<'EOF'`, `<< EOF`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HeredocSpec {
    /// The terminator, quotes removed: the line that ends the body.
    pub name: String,
    /// Whether variables in the body are expanded: false when any part of the name was
    /// quoted.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body lines and the terminator line.
    pub chomp: bool,
    /// The file descriptor written before `<<` (0 when absent; saturated when too large).
    pub fd: u32,
    /// The marker word (`3<<-"EOF"`) in the logical line.
    pub range: Range<usize>,
}

/// A heredoc marker that makes BuildKit reject the whole Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeredocError {
    /// BuildKit's message.
    pub message: String,
    /// The marker word in the logical line.
    pub range: Range<usize>,
}

impl HeredocError {
    pub fn code(&self) -> &'static str {
        "heredoc-syntax"
    }
}

impl fmt::Display for HeredocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HeredocError {}

/// BuildKit's `canContainHeredoc`: RUN, COPY and ADD not in JSON form, or ONBUILD of one.
/// `kind` is the instruction's (see [`keyword_kind`]).
pub fn can_contain_heredoc(kind: InstructionKind, arguments: &Arguments) -> bool {
    let (kind, arguments) = match arguments {
        Arguments::SubCommand(sub) if kind == InstructionKind::Onbuild => {
            (keyword_kind(&sub.command.keyword.value), &sub.arguments)
        }
        _ => (kind, arguments),
    };
    kind.allows_heredocs() && !arguments.json()
}

/// The heredocs a logical line names, in order. A line BuildKit's lexer cannot split (an
/// unterminated quote, say) names none; a marker BuildKit rejects outright also gives none
/// here, see [`try_heredocs_from_line`] for the error.
pub fn heredocs_from_line(line: &str) -> Vec<HeredocSpec> {
    try_heredocs_from_line(line).unwrap_or_default()
}

/// BuildKit's `heredocsFromLine`: the line is split into shell words (quotes, escapes and
/// `$VAR`s kept; `<<` glues the whitespace after it to the next word) and every word of the
/// form `^(\d*)<<(-?)\s*([^<]*)$` whose rest is one shell word names a heredoc. Lines
/// without `<<` are not looked at, as in BuildKit's `Parse`.
pub fn try_heredocs_from_line(line: &str) -> Result<Vec<HeredocSpec>, HeredocError> {
    if !line.contains("<<") {
        return Ok(Vec::new());
    }
    let lexed = Lex {
        raw_quotes: true,
        raw_escapes: true,
        ..heredoc_lex()
    }
    .process_words(line, &());
    if lexed.error.is_some() {
        return Ok(Vec::new());
    }
    let mut specs = Vec::new();
    for (word, range) in lexed.words.iter().zip(lexed.ranges) {
        match heredoc_from_word(word) {
            Ok(Some(marker)) => specs.push(HeredocSpec {
                name: marker.name,
                expand: marker.expand,
                chomp: marker.chomp,
                fd: marker.fd,
                range,
            }),
            Ok(None) => {}
            Err(message) => return Err(HeredocError { message, range }),
        }
    }
    Ok(specs)
}

/// Strips the leading tabs of every line of a `<<-` heredoc body (`(?m)^\t+`).
pub fn chomp_content(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

struct Marker {
    name: String,
    expand: bool,
    chomp: bool,
    fd: u32,
}

/// The lexer BuildKit reads heredoc markers with: `\\` escapes whatever the escape
/// directive, and variables (none are set) stay as written.
fn heredoc_lex() -> Lex {
    Lex {
        skip_unset_env: true,
        ..Lex::new('\\')
    }
}

/// BuildKit's `ParseHeredoc` on one word.
fn heredoc_from_word(word: &str) -> Result<Option<Marker>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word.get(digits..).and_then(|w| w.strip_prefix("<<")) else {
        return Ok(None);
    };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    // RE2's `\s` is ASCII: tab, newline, form feed, carriage return and space.
    let rest = after.trim_start_matches(['\t', '\n', '\u{0C}', '\r', ' ']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    // Go's ParseUint saturates on overflow and BuildKit ignores its error.
    let fd = word
        .get(..digits)
        .unwrap_or("")
        .bytes()
        .fold(0u32, |acc, d| {
            acc.saturating_mul(10).saturating_add(u32::from(d - b'0'))
        });

    let lex = |raw_quotes| {
        let lexed = Lex {
            raw_quotes,
            ..heredoc_lex()
        }
        .process_words(rest, &());
        match lexed.error {
            Some(error) => Err(error.message),
            None => Ok(lexed.words),
        }
    };
    let words = lex(false)?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    let raw = lex(true)?;
    let [raw_name] = raw.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    // Escaped quotes survive both lexings alike; only quotes that quoted something are
    // dropped by one of them.
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    Ok(Some(Marker {
        name: name.clone(),
        expand: quotes(name) == quotes(raw_name),
        chomp,
        fd,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::split::harness::{conformance_dir, parse_file, read};

    fn one(line: &str) -> (String, bool, bool, u32) {
        let specs = try_heredocs_from_line(line).expect("no heredoc error");
        assert_eq!(specs.len(), 1, "{line}: {specs:?}");
        let h = &specs[0];
        (h.name.clone(), h.expand, h.chomp, h.fd)
    }

    fn names(line: &str) -> Vec<String> {
        heredocs_from_line(line)
            .into_iter()
            .map(|h| h.name)
            .collect()
    }

    /// Every instruction of BuildKit's heredoc test file names exactly the heredocs
    /// BuildKit's own test expects.
    #[test]
    fn conformance_heredocs() {
        let dir = conformance_dir().join("heredocs");
        let src = read(dir.join("Dockerfile"));
        let expected: serde_json::Value =
            serde_json::from_str(&read(dir.join("expected.json"))).expect("expected.json");
        let expected = expected["instructions"]
            .as_array()
            .expect("instructions array");
        let parsed = parse_file(&src);
        assert_eq!(parsed.len(), expected.len(), "instruction count");
        for (i, (p, e)) in parsed.iter().zip(expected).enumerate() {
            let want: Vec<(String, bool, bool, u64)> = e
                .as_array()
                .map(|hs| {
                    hs.iter()
                        .map(|h| {
                            (
                                h["name"].as_str().expect("name").to_string(),
                                h["expand"].as_bool().expect("expand"),
                                h["chomp"].as_bool().expect("chomp"),
                                h["fd"].as_u64().expect("fd"),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let got: Vec<(String, bool, bool, u64)> = p
                .heredocs
                .iter()
                .map(|h| (h.name.clone(), h.expand, h.chomp, u64::from(h.fd)))
                .collect();
            assert_eq!(got, want, "instruction {i}: {}", p.line.text);
        }
    }

    #[test]
    fn names_expand_chomp_fd() {
        assert_eq!(one("RUN <<EOF"), ("EOF".into(), true, false, 0));
        assert_eq!(one("RUN 3<<-EOF"), ("EOF".into(), true, true, 3));
        assert_eq!(one("RUN <<eo\\'f"), ("eo'f".into(), true, false, 0));
        assert_eq!(one("RUN <<eo'f'"), ("eof".into(), false, false, 0));
        assert_eq!(one("RUN <<'e'o\\'f"), ("eo'f".into(), false, false, 0));
        assert_eq!(one("RUN <<'one two'"), ("one two".into(), false, false, 0));
        assert_eq!(one("RUN <<\"EOF\""), ("EOF".into(), false, false, 0));
        assert_eq!(one("RUN <<$EOF"), ("$EOF".into(), true, false, 0));
        assert_eq!(one("RUN <<${EOF}"), ("${EOF}".into(), true, false, 0));
        assert_eq!(one("RUN <<  EOF"), ("EOF".into(), true, false, 0));
        assert_eq!(one("RUN <<\tEOF  > foo"), ("EOF".into(), true, false, 0));
        assert_eq!(one("RUN 3<< EOF"), ("EOF".into(), true, false, 3));
        assert_eq!(one("RUN <<file.txt"), ("file.txt".into(), true, false, 0));
        assert_eq!(one("RUN 99999999999<<X").3, u32::MAX);
    }

    #[test]
    fn not_heredocs() {
        assert!(names("RUN \"<<NOHEREDOC\"").is_empty());
        assert!(names("RUN '<<A' \\<<B").is_empty());
        assert!(names("RUN cat<<EOF").is_empty());
        assert!(names("RUN <<").is_empty());
        assert!(names("RUN << ").is_empty());
        assert!(names("RUN <<<EOF").is_empty());
        assert_eq!(names("RUN <<one two"), ["one"]);
        // `<<-` takes no blanks after it: the name would be a word of its own.
        assert!(names("RUN <<- EOF").is_empty());
        // A line the lexer cannot split names nothing at all.
        assert!(names("RUN <<EOF echo \"unterminated").is_empty());
        assert!(names("RUN <<EOF ${").is_empty());
        assert!(names("RUN echo hi").is_empty());
    }

    #[test]
    fn several_markers_with_ranges() {
        let line = "COPY <<FILE1 3<<-\"FILE2\" /dest";
        let specs = heredocs_from_line(line);
        assert_eq!(specs.len(), 2);
        assert_eq!(&line[specs[0].range.clone()], "<<FILE1");
        assert_eq!(&line[specs[1].range.clone()], "3<<-\"FILE2\"");
        assert_eq!(
            (specs[1].name.as_str(), specs[1].expand, specs[1].chomp),
            ("FILE2", false, true)
        );
        let line = "RUN <<  EOF  > foo";
        assert_eq!(heredocs_from_line(line)[0].range, 4..11);
        let line = "RUN --mount=type=cache,target=/foo <<MOUNT";
        assert_eq!(heredocs_from_line(line)[0].range, 35..42);
    }

    #[test]
    fn markers_buildkit_rejects() {
        // A marker whose name cannot be lexed fails the whole Dockerfile, with BuildKit's
        // message; so does one whose two lexings disagree.
        let err = heredoc_from_word("<<${a:-").err();
        assert_eq!(
            err.as_deref(),
            Some("failed to process \"${a:-\": syntax error: missing '}'")
        );
        let err = heredoc_from_word("<<a ''").err();
        assert_eq!(
            err.as_deref(),
            Some("internal lexing of heredoc produced inconsistent results: a ''")
        );
    }

    #[test]
    fn a_substitution_with_a_word_forgets_the_marker() {
        // BuildKit's lexer reads the word of `${a:-…}` into the buffer of the word around
        // it, clearing it first: `<<` is gone before the line's words are looked at, so
        // these name no heredoc and are not refused (BuildKit at the conformance commit).
        assert_eq!(try_heredocs_from_line("RUN <<${a:-\\ b}"), Ok(Vec::new()));
        assert_eq!(try_heredocs_from_line("RUN cat <<${a:-x}"), Ok(Vec::new()));
        assert_eq!(names("RUN <<${a} <<${b/c/d}x"), ["${a}"]);
        // Words cut out of a substitution get the whole substitution's range.
        let lexed = Lex {
            raw_quotes: true,
            raw_escapes: true,
            ..heredoc_lex()
        }
        .process_words("RUN ${a:-x y}z", &());
        assert_eq!(lexed.words, ["RUN", "${a:-x", "y}z"]);
        assert_eq!(lexed.ranges, [0..3, 4..13, 4..14]);
    }

    #[test]
    fn lexer_quirks() {
        let lex = |s: &str, raw_quotes, raw_escapes| {
            Lex {
                raw_quotes,
                raw_escapes,
                ..heredoc_lex()
            }
            .process_words(s, &())
        };
        let words = |s: &str, rq, re| -> Vec<String> {
            let lexed = lex(s, rq, re);
            assert_eq!(lexed.error, None, "{s}");
            lexed.words
        };
        assert_eq!(
            words("a 'b c' \"d\\\"e\"", false, false),
            ["a", "b c", "d\"e"]
        );
        assert_eq!(
            words("a 'b c' \"d\\\"e\"", true, true),
            ["a", "'b c'", "\"d\\\"e\""]
        );
        // Raw escapes inside double quotes double a backslash that escapes nothing.
        assert_eq!(words("\"\\a\"", true, true), ["\"\\\\a\""]);
        // An empty quoted word is dropped without raw quotes.
        assert_eq!(words("'' x", false, false), ["x"]);
        assert_eq!(words("${a:-x y}z", false, false), ["${a:-x", "y}z"]);
        assert_eq!(
            words("${a/b/c} ${a//b/c}", false, false),
            ["${a/b/c}", "${a/b/c}"]
        );
        assert_eq!(words("$1x $@y ${#}", false, false), ["$1x", "$@y", "${#}"]);
        assert_eq!(words("\u{feff}a", false, false), ["a"]);
        assert_eq!(words("a\u{a0}b\u{3000}c", false, false), ["a", "b", "c"]);
        assert_eq!(words("a\\", false, false), ["a"]);
        let err = |s: &str| -> String {
            let message = lex(s, false, false).error.expect("refused").message;
            let prefix = format!(
                "failed to process {}: ",
                crate::model::go_quote::go_quote(s)
            );
            message
                .strip_prefix(&prefix)
                .unwrap_or(&message)
                .to_string()
        };
        assert_eq!(err("${"), "syntax error: missing '}'");
        assert_eq!(err("${}"), "syntax error: bad substitution");
        assert_eq!(
            err("${a"),
            "unsupported modifier (\u{fffd}) in substitution"
        );
        assert_eq!(err("${a!}"), "unsupported modifier (!) in substitution");
        assert_eq!(err("${a/b"), "syntax error: missing '/' in ${}");
        assert_eq!(
            err("'a"),
            "unexpected end of statement while looking for matching single-quote"
        );
        assert_eq!(
            err("\"a\\"),
            "unexpected end of statement while looking for matching double-quote"
        );
        // Names follow Go's letter and digit classes.
        assert_eq!(words("${é1}", false, false), ["${é1}"]);
        assert_eq!(
            err("${a\u{301}}"),
            "unsupported modifier (\u{301}) in substitution"
        );
        assert_eq!(err("${²}"), "unsupported modifier (²) in substitution");
    }

    #[test]
    fn deep_nesting_does_not_exhaust_the_stack() {
        let deep = format!(
            "RUN <<EOF {}x{}",
            "${a:-".repeat(100_000),
            "}".repeat(100_000)
        );
        assert!(heredocs_from_line(&deep).is_empty());
        // Fifty levels are read (the line lexes, so its marker counts).
        let ok = format!("RUN <<EOF {}x{}", "${a:-".repeat(50), "}".repeat(50));
        assert_eq!(names(&ok), ["EOF"]);
        let deep = format!(
            "RUN <<{}x{}",
            "\"${a:-".repeat(100_000),
            "}\"".repeat(100_000)
        );
        assert!(heredocs_from_line(&deep).is_empty());
    }

    #[test]
    fn heredoc_directives() {
        use crate::model::split::{keyword_kind, parse_arguments, split_command};
        let check = |line: &str| {
            let c = split_command(line);
            let kind = keyword_kind(&c.keyword.value);
            let args = parse_arguments(kind, &c.rest, '\\').expect("args");
            can_contain_heredoc(kind, &args)
        };
        assert!(check("RUN <<EOF"));
        assert!(check("copy <<EOF /x"));
        assert!(check("ADD --chmod=1 <<EOF /x"));
        assert!(check("ONBUILD RUN <<EOF"));
        assert!(!check("RUN [\"<<EOF\"]"));
        assert!(!check("ONBUILD RUN [\"<<EOF\"]"));
        assert!(!check("USER <<INVALID"));
        assert!(!check("ONBUILD"));
        assert!(!check("ONBUILD ONBUILD RUN <<EOF"));
    }

    #[test]
    fn chomping() {
        assert_eq!(
            chomp_content("\tbaz\n\t\tquux\n  \tx\n\t"),
            "baz\nquux\n  \tx\n"
        );
        assert_eq!(chomp_content(""), "");
        assert_eq!(chomp_content("\t\r\n\tb"), "\r\nb");
    }
}
