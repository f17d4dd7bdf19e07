//! Parser directives (`# syntax=`, `# escape=`, `# check=`) as BuildKit reads them.

use std::ops::Range;

use super::problem::Problem;

/// The directives BuildKit knows; any other `# key=value` line ends the directive header.
pub const KNOWN_DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// One parser directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower case, as BuildKit compares it.
    pub name: String,
    pub value: String,
    /// The whole line, without its line break.
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    pub value_range: Range<usize>,
}

/// Reads one directive line with BuildKit's pattern `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`
/// (after its leading whitespace). `offset` is where `line` starts in the document.
pub fn parse_directive(line: &str, offset: usize) -> Option<Directive> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r');
    let body = line.trim_end_matches(['\r', '\n']);
    let lead = body.len() - body.trim_start().len();
    let rest = body[lead..].strip_prefix('#')?;
    let mut pos = lead + 1;
    let after_hash = rest.trim_start_matches(is_space);
    pos += rest.len() - after_hash.len();
    let name_len = after_hash
        .char_indices()
        .take_while(|&(i, c)| {
            if i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if name_len == 0 {
        return None;
    }
    let name_range = pos..pos + name_len;
    let after_name = &after_hash[name_len..];
    pos += name_len;
    let before_eq = after_name.trim_start_matches(is_space);
    pos += after_name.len() - before_eq.len();
    let after_eq = before_eq.strip_prefix('=')?;
    pos += 1;
    if after_eq.is_empty() {
        return None;
    }
    // `\s*(.+?)\s*$`: the value is at least one character; blanks on both sides are dropped,
    // unless the value is nothing but blanks (then the lazy group keeps one).
    let trimmed_start = after_eq.trim_start_matches(is_space);
    let (value_start, value) = if trimmed_start.is_empty() {
        (pos + after_eq.len() - 1, &after_eq[after_eq.len() - 1..])
    } else {
        let start = pos + after_eq.len() - trimmed_start.len();
        (start, trimmed_start.trim_end_matches(is_space))
    };
    Some(Directive {
        name: body[name_range.clone()].to_ascii_lowercase(),
        value: value.to_string(),
        range: offset..offset + body.len(),
        name_range: offset + name_range.start..offset + name_range.end,
        value_range: offset + value_start..offset + value_start + value.len(),
    })
}

/// Checks the directive header as BuildKit does and returns the escape character it selects.
/// A repeated directive or an invalid escape character makes BuildKit reject the file.
pub fn check_directives(directives: &[Directive], problems: &mut Vec<Problem>) -> char {
    let mut escape = '\\';
    let mut seen: Vec<&str> = Vec::new();
    for d in directives {
        if seen.contains(&d.name.as_str()) {
            problems.push(Problem::error(
                d.range.clone(),
                "duplicate-directive",
                format!(
                    "only one {} parser directive can be used; remove this one",
                    d.name
                ),
            ));
            // BuildKit stops here; the scanner lets the last valid value win, and the model
            // must read the file with the same escape character as the tree.
        }
        seen.push(&d.name);
        if d.name == "escape" {
            match d.value.as_str() {
                "\\" => escape = '\\',
                "`" => escape = '`',
                other => problems.push(Problem::error(
                    d.value_range.clone(),
                    "invalid-escape",
                    format!("invalid escape token '{other}': use ` or \\"),
                )),
            }
        }
    }
    escape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_buildkit_directive_forms() {
        let d = parse_directive("# escape=`", 0).expect("directive");
        assert_eq!((d.name.as_str(), d.value.as_str()), ("escape", "`"));
        assert_eq!(d.value_range, 9..10);
        let d = parse_directive("#escape = \\", 0).expect("directive");
        assert_eq!(d.value, "\\");
        let d = parse_directive("  # SYNTAX = docker/dockerfile:1  \r", 5).expect("directive");
        assert_eq!(d.name, "syntax");
        assert_eq!(d.value, "docker/dockerfile:1");
        assert_eq!(d.range, 5..5 + "  # SYNTAX = docker/dockerfile:1  ".len());
        assert!(parse_directive("# Comment here.", 0).is_none());
        assert!(parse_directive("# escape=", 0).is_none());
        assert!(parse_directive("#1x=y", 0).is_none());
        let d = parse_directive("# check=skip=JSONArgsRecommended;error=true", 0).expect("d");
        assert_eq!(d.value, "skip=JSONArgsRecommended;error=true");
    }

    #[test]
    fn duplicate_and_invalid_escape_are_errors() {
        let ds = [
            parse_directive("# escape=x", 0).expect("d"),
            parse_directive("# escape=`", 20).expect("d"),
        ];
        let mut problems = Vec::new();
        let escape = check_directives(&ds, &mut problems);
        // The last valid value wins, as in the scanner (the file is rejected anyway).
        assert_eq!(escape, '`');
        let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["invalid-escape", "duplicate-directive"]);
    }
}
