//! Parser directives: casing, directives BuildKit will not see, `# check=` and `# syntax=`.
//!
//! Repeated directives and invalid escape characters are model problems (see `parse.rs`).

use std::ops::Range;

use super::{Cx, Out};
use crate::analysis::rules::CheckOptions;
use crate::analysis::rules::check_options::split_n;
use crate::catalog::{self, did_you_mean};
use crate::model::{Directive, KNOWN_DIRECTIVES, image_ref, parse_directive};

pub(super) fn check(cx: &Cx, out: &mut Out) {
    for d in &cx.model.directives {
        casing(cx, d, out);
        match d.name.as_str() {
            "check" => check_options(d, out),
            "syntax" => syntax(d, out),
            _ => {}
        }
    }
    header_comments(cx, out);
}

fn casing(cx: &Cx, d: &Directive, out: &mut Out) {
    let written = cx.text.get(d.name_range.clone()).unwrap_or("");
    if written != d.name {
        out.hint(
            d.name_range.clone(),
            "directive-casing",
            format!(
                "parser directives are conventionally lower case: write `{}`",
                d.name
            ),
        )
        .fix(
            format!("Write `{}`", d.name),
            d.name_range.clone(),
            d.name.clone(),
        );
    }
}

/// `# syntax=<image> [args]`: BuildKit pulls the image as the frontend, so the first word
/// must be an image reference.
fn syntax(d: &Directive, out: &mut Out) {
    let image = d.value.split(' ').next().unwrap_or("");
    if let Err(err) = image_ref::parse(image) {
        let range = match err.span() {
            Some(span) => d.value_range.start + span.start..d.value_range.start + span.end,
            None => d.value_range.clone(),
        };
        out.error(
            range,
            "invalid-syntax-directive",
            format!(
                "the syntax directive must name a frontend image, such as docker/dockerfile:1: {err}"
            ),
        );
    }
}

/// `# check=skip=<rules|all>;error=<bool>;experimental=<rules|all>`, read as BuildKit's
/// `ParseLintOptions` reads it (see [`CheckOptions::parse`]): the value up to its first
/// space, at most three `;`-separated options (the third keeps any further `;`), keys
/// trimmed and case-sensitive. A malformed option fails the build; an unknown rule name is
/// silently ignored, which is worth a warning.
fn check_options(d: &Directive, out: &mut Out) {
    let value = CheckOptions::directive_value(&d.value);
    let base = d.value_range.start;
    if value.trim().is_empty() {
        return;
    }
    for (part, start) in split_n(value, ';', 3) {
        let part_range = base + start..base + start + part.len();
        let Some(eq) = part.find('=') else {
            out.error(
                part_range,
                "invalid-check-directive",
                format!(
                    "invalid check option `{}`: write `skip=<rules>`, `error=<bool>` or `experimental=<rules>`",
                    part.trim()
                ),
            );
            continue;
        };
        let key = part[..eq].trim();
        let key_start = start + (part.len() - part.trim_start().len()).min(eq);
        let key_range = base + key_start..base + key_start + key.len();
        let rest = &part[eq + 1..];
        let rest_start = start + eq + 1;
        match key {
            "skip" | "experimental" => rule_list(rest, base + rest_start, out),
            "error" => {
                if CheckOptions::parse(&format!("error={rest}")).is_err() {
                    out.error(
                        base + rest_start..base + rest_start + rest.len(),
                        "invalid-check-directive",
                        format!("`error` needs true or false, not `{}`", rest.trim()),
                    );
                }
            }
            _ => {
                let keys = ["skip", "error", "experimental"];
                let suggestion = did_you_mean(key, keys);
                let mut message = format!("unknown check option `{key}`");
                match suggestion {
                    Some(s) => message.push_str(&format!(" (did you mean `{s}`?)")),
                    None => message.push_str(": use skip, error or experimental"),
                }
                let found = out.error(key_range.clone(), "invalid-check-directive", message);
                if let Some(s) = suggestion {
                    found.fix(format!("Change to `{s}`"), key_range, s);
                }
            }
        }
    }
}

/// The rule names of `skip=` or `experimental=`, starting at document offset `base`.
fn rule_list(list: &str, base: usize, out: &mut Out) {
    if list.trim() == catalog::directives::ALL_RULES {
        return;
    }
    for (item, start) in split_n(list, ',', usize::MAX) {
        let name = item.trim();
        if name.is_empty() || catalog::check(name).is_some() {
            continue;
        }
        let name_start = start + (item.len() - item.trim_start().len());
        let range = base + name_start..base + name_start + name.len();
        let suggestion = did_you_mean(name, catalog::checks::check_names());
        let message = match suggestion {
            Some(s) => format!(
                "unknown build check `{name}` (did you mean `{s}`? rule names are case-sensitive); BuildKit ignores it"
            ),
            None => format!("unknown build check `{name}`; BuildKit ignores it"),
        };
        let found = out.warning(range.clone(), "unknown-check-rule", message);
        if let Some(s) = suggestion {
            found.fix(format!("Change to `{s}`"), range, s);
        }
    }
}

/// Comments before the first instruction that look like directives but are not read as
/// such: a known directive after the header (BuildKit reads it as a comment), or a name
/// close to a known one.
fn header_comments(cx: &Cx, out: &mut Out) {
    let end = cx
        .model
        .instructions
        .first()
        .map_or(cx.text.len(), |i| i.start());
    let header = cx.text.get(..end).unwrap_or("");
    let mut offset = 0;
    for line in header.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let body = line.strip_prefix('\u{feff}').unwrap_or(line);
        let lead = line.len() - body.len();
        let Some(d) = parse_directive(body, line_start + lead) else {
            continue;
        };
        if cx.model.directives.iter().any(|m| m.range == d.range) {
            continue;
        }
        if KNOWN_DIRECTIVES.contains(&d.name.as_str()) {
            out.warning(
                d.range.clone(),
                "ignored-directive",
                format!(
                    "BuildKit reads this as a comment: the {} directive only counts at the very top of the file, before any comment, blank line or instruction",
                    d.name
                ),
            );
        } else if let Some(s) = did_you_mean(&d.name, KNOWN_DIRECTIVES) {
            let range: Range<usize> = d.name_range.clone();
            out.hint(
                range.clone(),
                "unknown-directive",
                format!(
                    "`{}` is no parser directive, so this line is a comment; did you mean `{s}`?",
                    d.name
                ),
            )
            .fix(format!("Change to `{s}`"), range, s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, severity_of};
    use crate::model::Severity;

    #[test]
    fn casing() {
        check(
            "# Syntax=docker/dockerfile:1\nFROM a\n",
            &[("directive-casing", "Syntax")],
        );
        check("#syntax=docker/dockerfile:1.7-labs\nFROM a\n", &[]);
    }

    #[test]
    fn check_directive() {
        check("# check=skip=all;error=true\nFROM a\n", &[]);
        check(
            "# check=skip=JSONArgsRecommended, StageNameCasing\nFROM a\n",
            &[],
        );
        check(
            "# check=skip=jsonargsrecommended,Nope\nFROM a\n",
            &[
                ("unknown-check-rule", "jsonargsrecommended"),
                ("unknown-check-rule", "Nope"),
            ],
        );
        check(
            "# check=error=maybe\nFROM a\n",
            &[("invalid-check-directive", "maybe")],
        );
        check(
            "# check=skipp=all\nFROM a\n",
            &[("invalid-check-directive", "skipp")],
        );
        check(
            "# check=skip\nFROM a\n",
            &[("invalid-check-directive", "skip")],
        );
        // BuildKit reads the value up to its first space: what follows is a comment.
        check("# check=skip=FromAsCasing // old habit\nFROM a\n", &[]);
        assert_eq!(
            severity_of("# check=skip=Nope\nFROM a\n", "unknown-check-rule"),
            Severity::Warning
        );
    }

    #[test]
    fn syntax_directive() {
        check("# syntax=docker/dockerfile:1\nFROM a\n", &[]);
        check(
            "# syntax=docker/Dockerfile:1\nFROM a\n",
            &[("invalid-syntax-directive", "docker/Dockerfile")],
        );
    }

    #[test]
    fn directives_after_the_header() {
        check(
            "# A comment\n# escape=`\nFROM a\n",
            &[("ignored-directive", "# escape=`")],
        );
        check(
            "# sytnax=docker/dockerfile:1\nFROM a\n",
            &[("unknown-directive", "sytnax")],
        );
        check("# Maintainer=me\nFROM a\n", &[]);
        check("FROM a\n# escape=`\nRUN x\n", &[]);
    }
}
