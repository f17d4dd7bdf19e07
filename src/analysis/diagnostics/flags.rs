//! Builder flags (`--name=value`): unknown and duplicate flags, missing and boolean values,
//! `--network`, `--security`, `--chmod`, `--chown`, `--checksum`, and labs-only flags.
//!
//! HEALTHCHECK durations and retries are in `healthcheck.rs`, `--platform` in `from.rs`,
//! `--from` in `copy_from.rs` and `--mount` in `mounts.rs`.

use std::ops::Range;

use super::{CommandCx, Cx, Out, healthcheck};
use crate::analysis::Edit;
use crate::catalog::{self, FlagDoc, FlagValue, did_you_mean};
use crate::model::{Arguments, Flag, Severity, image_ref};
use crate::syntax::InstructionKind;

pub(super) fn check_command(cx: &Cx, c: &CommandCx, out: &mut Out) {
    let kind = c.cmd.kind;
    let Some(keyword) = kind.keyword() else {
        return;
    };
    // BuildKit never parses the flags of these, so it accepts and drops anything there.
    if matches!(kind, InstructionKind::Arg | InstructionKind::Stopsignal)
        || (kind == InstructionKind::Healthcheck && healthcheck::is_none(c))
    {
        for flag in &c.cmd.flags {
            let what = if kind == InstructionKind::Healthcheck {
                "HEALTHCHECK NONE"
            } else {
                keyword
            };
            out.warning(
                c.abs(&flag.range),
                "flag-ignored",
                format!("BuildKit ignores flags on {what}: remove `{}`", flag.text),
            );
        }
        return;
    }
    // The same for every instruction, and parsing the directive's image is not free.
    let pinned = *cx.pinned_version.get_or_init(|| pinned_version(cx));
    for (i, flag) in c.cmd.flags.iter().enumerate() {
        let Some(doc) = catalog::flag(keyword, &flag.name) else {
            unknown(c, keyword, flag, out);
            continue;
        };
        if doc.labs_only {
            labs_only(cx, c, doc, flag, out);
        }
        if let (Some(needed), Some(pinned)) = (doc.min_version.and_then(minor_version), pinned)
            && pinned < needed
        {
            out.warning(
                c.flag_name_range(flag),
                "flag-needs-newer-syntax",
                format!(
                    "--{} needs Dockerfile frontend {}.{} or later, but the syntax directive pins {}.{}: raise the version there",
                    doc.name, needed.0, needed.1, pinned.0, pinned.1
                ),
            );
        }
        // Looking back rather than collecting the names seen saves an allocation for the
        // usual command, whose flags are few and all different.
        let given_before = || {
            c.cmd.flags[..i]
                .iter()
                .any(|f| catalog::flag(keyword, &f.name).is_some_and(|d| d.name == doc.name))
        };
        if !doc.repeatable && given_before() {
            out.error(
                c.abs(&flag.range),
                "duplicate-flag",
                format!("--{} is given twice: {keyword} accepts it once", doc.name),
            );
            continue;
        }
        value(cx, c, doc, flag, out);
    }
}

fn unknown(c: &CommandCx, keyword: &str, flag: &Flag, out: &mut Out) {
    let range = c.flag_name_range(flag);
    let own = catalog::flags_for(keyword).map(|f| f.name);
    let suggestion = did_you_mean(&flag.name, own);
    let elsewhere: Vec<&str> = catalog::flags::all_flags()
        .iter()
        .filter(|f| f.name == flag.name)
        .flat_map(|f| f.instructions.iter().copied())
        .collect();
    let mut message = format!("unknown flag --{} for {keyword}", flag.name);
    if let Some(s) = suggestion {
        message.push_str(&format!(" (did you mean --{s}?)"));
    } else if !elsewhere.is_empty() {
        message.push_str(&format!(
            ": --{} is a flag of {}",
            flag.name,
            elsewhere.join(" and ")
        ));
    } else if catalog::flags_for(keyword).next().is_none() {
        message.push_str(&format!(": {keyword} takes no flags"));
    }
    let found = out.error(range, "unknown-flag", message);
    if let Some(s) = suggestion
        && let Some(exact) = c.flag_name_exact(flag)
    {
        found.fix(format!("Change to --{s}"), exact, s);
    }
}

/// A flag only the labs channel of the Dockerfile frontend knows: the stable frontend
/// fails with "unknown flag". A custom frontend might know it, so that is only a warning.
fn labs_only(cx: &Cx, c: &CommandCx, doc: &FlagDoc, flag: &Flag, out: &mut Out) {
    let syntax = cx.syntax();
    if syntax.is_some_and(|s| s.contains("labs")) {
        return;
    }
    let docker_frontend = syntax.is_none_or(|s| s.contains("docker/dockerfile"));
    let severity = if docker_frontend {
        Severity::Error
    } else {
        Severity::Warning
    };
    let found = out.push(
        severity,
        c.flag_name_range(flag),
        "labs-only-flag",
        format!(
            "--{} needs the labs frontend: start the file with `# syntax=docker/dockerfile:1-labs`",
            doc.name
        ),
    );
    if syntax.is_none() {
        // After a byte order mark, if there is one: the directive must open the text.
        let at = if cx.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        found.fix = Some(super::Fix {
            title: "Use the labs frontend (`# syntax=docker/dockerfile:1-labs`)".to_string(),
            edits: vec![Edit {
                range: at..at,
                new_text: "# syntax=docker/dockerfile:1-labs\n".to_string(),
            }],
        });
    }
}

/// The stable frontend version a `# syntax=docker/dockerfile:1.N[.P]` directive pins. A
/// floating tag (`1`, `latest`) or another channel (`1.7-labs`, which had some flags
/// earlier) pins nothing we can compare.
fn pinned_version(cx: &Cx) -> Option<(u32, u32)> {
    let image = cx.syntax()?.split(' ').next()?;
    let parsed = image_ref::parse(image).ok()?;
    if !parsed.is_docker_hub()
        || !matches!(
            parsed.repository.as_str(),
            "docker/dockerfile" | "docker/dockerfile-upstream"
        )
    {
        return None;
    }
    let tag = parsed.tag.as_deref()?;
    if tag.contains('-') {
        return None;
    }
    minor_version(tag)
}

/// `1.20` or `1.20.3` as (1, 20).
fn minor_version(version: &str) -> Option<(u32, u32)> {
    // Every flag with a minimum version gets here; on strings this short, splitting the
    // bytes is quicker than a `str` search.
    let mut parts = version.as_bytes().split(|&b| b == b'.');
    let number = |part: &[u8]| std::str::from_utf8(part).ok()?.parse().ok();
    Some((number(parts.next()?)?, number(parts.next()?)?))
}

fn value(cx: &Cx, c: &CommandCx, doc: &FlagDoc, flag: &Flag, out: &mut Out) {
    let name = doc.name;
    let Some(value) = flag.value.as_deref() else {
        if doc.value != FlagValue::Bool {
            out.error(
                c.abs(&flag.range),
                "flag-missing-value",
                format!(
                    "--{name} needs a value: --{name}{}",
                    doc.value.placeholder()
                ),
            );
        }
        return;
    };
    // Mapping the value back to the source costs more than most checks, so only a
    // diagnostic pays for it.
    let range = || c.flag_value_range(flag);
    match doc.value {
        FlagValue::Bool => {
            if value.is_empty() {
                out.error(
                    c.abs(&flag.range),
                    "flag-missing-value",
                    format!("--{name}= needs true or false after `=`, or write just --{name}"),
                );
            } else if catalog::flags::parse_flag_bool(Some(value)).is_none() {
                out.error(
                    range(),
                    "invalid-boolean-flag",
                    format!("--{name} takes true or false, not `{value}`"),
                );
            }
        }
        FlagValue::Enum(words) if !words.contains(&value) => {
            let code = match name {
                "network" => "invalid-network",
                _ => "invalid-security",
            };
            let suggestion = did_you_mean(value, words.iter().copied());
            let found = out.error(
                range(),
                code,
                format!(
                    "invalid --{name} value `{value}`: use one of {}",
                    words.join(", ")
                ),
            );
            if let Some(s) = suggestion
                && let Some(exact) = c.flag_value_exact(flag)
            {
                found.fix(format!("Change to {s}"), exact, s);
            }
        }
        FlagValue::Duration => healthcheck::duration(c, flag, value, out),
        FlagValue::Integer => healthcheck::retries(c, flag, value, out),
        FlagValue::Chmod if !cx.has_variable(value) => chmod(value, range, out),
        FlagValue::Chown if !cx.has_variable(value) => chown(value, range, out),
        FlagValue::Checksum => checksum(cx, c, value, range, out),
        _ => {}
    }
}

/// `--chmod`: an octal mode up to 07777, or (Dockerfile 1.14+) a symbolic mode.
fn chmod(value: &str, range: impl FnOnce() -> Range<usize>, out: &mut Out) {
    let valid = match super::parse_go_uint(value, 8, 32) {
        Some(mode) => mode <= 0o7777,
        None => !value.starts_with(|ch: char| ch.is_ascii_digit()) && is_symbolic_mode(value),
    };
    if !valid {
        out.error(
            range(),
            "invalid-chmod",
            format!(
                "invalid --chmod value `{value}`: use an octal mode up to 7777 (e.g. 755) or a symbolic one (e.g. u=rwX,go=rX)"
            ),
        );
    }
}

/// A symbolic mode as chmod(1) writes it: comma-separated clauses of `[ugoa]*` followed by
/// one or more actions, each an operator `+`, `-` or `=` and then either a run of
/// `rwxXst` or one of `ugo` (copying that class's bits).
pub(super) fn is_symbolic_mode(value: &str) -> bool {
    value.split(',').all(|clause| {
        let rest = clause.trim_start_matches(['u', 'g', 'o', 'a']);
        if rest.is_empty() {
            return false;
        }
        let mut chars = rest.chars().peekable();
        while let Some(op) = chars.next() {
            if !matches!(op, '+' | '-' | '=') {
                return false;
            }
            if chars.peek().is_some_and(|c| matches!(c, 'u' | 'g' | 'o')) {
                chars.next();
                continue;
            }
            while chars
                .peek()
                .is_some_and(|c| matches!(c, 'r' | 'w' | 'x' | 'X' | 's' | 't'))
            {
                chars.next();
            }
        }
        true
    })
}

/// `--chown=<user>[:<group>]`: names are looked up while building, so only the shape can
/// be checked here, and a bad shape is a warning. (`:<group>` alone is accepted.)
fn chown(value: &str, range: impl FnOnce() -> Range<usize>, out: &mut Out) {
    let problem = if value.is_empty() {
        Some("an empty --chown has no effect: remove it or name a user")
    } else if value.matches(':').nth(1).is_some() {
        Some("--chown takes <user>[:<group>]: there is more than one `:`")
    } else {
        None
    };
    if let Some(message) = problem {
        out.warning(range(), "invalid-chown", message);
    }
}

/// `ADD --checksum`: one source, which is an HTTP(S) URL (checksum `sha256:<hex>`) or a Git
/// repository (a commit hash or prefix).
fn checksum(
    cx: &Cx,
    c: &CommandCx,
    value: &str,
    range: impl FnOnce() -> Range<usize>,
    out: &mut Out,
) {
    let words = match &c.cmd.args {
        Arguments::List(words) | Arguments::Json(words) => words.as_slice(),
        _ => return,
    };
    let Some((_, sources)) = words.split_last() else {
        return;
    };
    let paths: Vec<&str> = sources
        .iter()
        .map(|s| s.value.as_str())
        .filter(|s| !s.starts_with("<<"))
        .collect();
    let [source] = paths.as_slice() else {
        out.error(
            range(),
            "invalid-checksum",
            "--checksum needs exactly one source: split the ADD into one per source",
        );
        return;
    };
    if cx.has_variable(source) || cx.has_variable(value) {
        return;
    }
    let hex = !value.is_empty() && value.bytes().all(|b| b.is_ascii_hexdigit());
    if is_git_source(source) {
        if !hex {
            out.warning(
                range(),
                "invalid-checksum",
                format!("for a Git source, --checksum is a commit hash or prefix, not `{value}`"),
            );
        }
    } else if is_http_source(source) {
        if let Err(reason) = check_digest(value) {
            // A bare hex string suits a Git URL this check does not recognise as one.
            let severity = if hex {
                Severity::Warning
            } else {
                Severity::Error
            };
            out.push(
                severity,
                range(),
                "invalid-checksum",
                format!("invalid --checksum `{value}`: {reason}; write sha256:<64 hex digits>"),
            );
        }
    } else if !source.contains("://") && !source.starts_with("github.com/") {
        out.error(
            range(),
            "invalid-checksum",
            "--checksum needs an HTTP(S) URL or a Git repository as the source",
        );
    }
}

fn is_http_source(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// A Git source as BuildKit's `ParseGitRef` recognises most of them: an SSH or `git://`
/// address, `github.com/...`, or an HTTP(S) URL whose path ends in `.git` (a `#ref` or
/// `?ref=` may follow).
fn is_git_source(source: &str) -> bool {
    if ["git@", "git://", "ssh://", "github.com/"]
        .iter()
        .any(|p| source.starts_with(p))
    {
        return true;
    }
    let path = source.split(['#', '?']).next().unwrap_or(source);
    is_http_source(source) && path.trim_end_matches('/').ends_with(".git")
}

/// An OCI digest as `go-digest` accepts it: a known algorithm and hex of its length.
fn check_digest(value: &str) -> Result<(), String> {
    let Some((algorithm, hex)) = value.split_once(':') else {
        return Err("a digest is `<algorithm>:<hex>`".to_string());
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        other => return Err(format!("unsupported algorithm `{other}`")),
    };
    if hex.len() != len || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(format!("{algorithm} needs {len} lowercase hex digits"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, message_of, severity_of};
    use super::*;

    #[test]
    fn unknown_and_duplicate_flags() {
        check("FROM a\nRUN --mout=x y\n", &[("unknown-flag", "mout")]);
        assert!(message_of("FROM a\nRUN --mout=x y\n", "unknown-flag").contains("--mount"));
        assert!(message_of("FROM a\nADD --from=b x y\n", "unknown-flag").contains("flag of COPY"));
        assert!(message_of("FROM a\nCMD --x y\n", "unknown-flag").contains("takes no flags"));
        check(
            "FROM a\nCOPY --link --link a b\n",
            &[("duplicate-flag", "--link")],
        );
        check("FROM a\nCOPY --exclude=a --exclude=b a b\n", &[]);
        check("FROM a\nONBUILD --x RUN y\n", &[("unknown-flag", "x")]);
    }

    #[test]
    fn ignored_flags() {
        check(
            "FROM a\nARG --x=1 A\nSTOPSIGNAL --y 9\nHEALTHCHECK --interval=5 NONE\n",
            &[
                ("flag-ignored", "--x=1"),
                ("flag-ignored", "--y"),
                ("flag-ignored", "--interval=5"),
            ],
        );
        assert_eq!(
            severity_of("FROM a\nARG --x A\n", "flag-ignored"),
            Severity::Warning
        );
    }

    #[test]
    fn values() {
        check(
            "FROM a\nCOPY --from a b\nCOPY --link=yes --parents= a b\n",
            &[
                ("flag-missing-value", "--from"),
                ("invalid-boolean-flag", "yes"),
                ("flag-missing-value", "--parents="),
            ],
        );
        check("FROM a\nCOPY --link=TRUE --parents=false a b\n", &[]);
        check(
            "FROM a\nRUN --network=hots --security=insecur x\n",
            &[("invalid-network", "hots"), ("invalid-security", "insecur")],
        );
        check("FROM a\nRUN --network=none --security=sandbox x\n", &[]);
    }

    #[test]
    fn pinned_frontend_versions() {
        check(
            "# syntax=docker/dockerfile:1.4\nFROM a\nCOPY --parents --link a b\n",
            &[("flag-needs-newer-syntax", "parents")],
        );
        check(
            "# syntax=docker/dockerfile:1\nFROM a\nCOPY --parents a b\n",
            &[],
        );
        check(
            "# syntax=docker/dockerfile:1.7-labs\nFROM a\nCOPY --parents a b\n",
            &[],
        );
        check(
            "# syntax=docker/dockerfile:1.20.1\nFROM a\nCOPY --parents a b\n",
            &[],
        );
    }

    #[test]
    fn labs_flags() {
        check(
            "FROM a\nRUN --device=nvidia.com/gpu=all x\n",
            &[("labs-only-flag", "device")],
        );
        check(
            "# syntax=docker/dockerfile:1-labs\nFROM a\nRUN --device=nvidia.com/gpu=all x\n",
            &[],
        );
        assert_eq!(
            severity_of(
                "# syntax=example.com/frontend:1\nFROM a\nRUN --device=x y\n",
                "labs-only-flag"
            ),
            Severity::Warning
        );
    }

    #[test]
    fn chmod_values() {
        check(
            "FROM a\nCOPY --chmod=755 a b\nCOPY --chmod=u=rwX,go=rX a b\nCOPY --chmod=+x a b\nCOPY --chmod=$MODE a b\n",
            &[],
        );
        check(
            "FROM a\nCOPY --chmod=789 a b\nCOPY --chmod=17777 a b\nCOPY --chmod=u=rwz a b\n",
            &[
                ("invalid-chmod", "789"),
                ("invalid-chmod", "17777"),
                ("invalid-chmod", "u=rwz"),
            ],
        );
        assert!(is_symbolic_mode("a+rwx,g-w,o=u"));
        assert!(!is_symbolic_mode("rwx"));
        assert!(!is_symbolic_mode(""));
    }

    #[test]
    fn chown_values() {
        check(
            "FROM a\nCOPY --chown=1000:1000 a b\nCOPY --chown=app a b\nCOPY --chown=$U:$G a b\n",
            &[],
        );
        check(
            "FROM a\nCOPY --chown=a:b:c a b\nCOPY --chown=:g a b\nCOPY --chown= a b\n",
            &[("invalid-chown", "a:b:c"), ("invalid-chown", "")],
        );
    }

    #[test]
    fn checksum_values() {
        let hex = "a".repeat(64);
        check(
            &format!("FROM a\nADD --checksum=sha256:{hex} https://e.com/x /x\n"),
            &[],
        );
        check(
            "FROM a\nADD --checksum=abc123 https://github.com/a/b.git#v1 /x\nADD --checksum=abc123 https://github.com/a/b.git?ref=v1 /x\nADD --checksum=abc123 git@github.com:a/b.git /x\n",
            &[],
        );
        assert_eq!(
            severity_of(
                "FROM a\nADD --checksum=abc123 https://example.com/repo /x\n",
                "invalid-checksum"
            ),
            Severity::Warning
        );
        check(
            "FROM a\nADD --checksum=md5:abc https://e.com/x /x\nADD --checksum=sha256:ab a /x\nADD --checksum=sha256:ab a b /x\n",
            &[
                ("invalid-checksum", "md5:abc"),
                ("invalid-checksum", "sha256:ab"),
                ("invalid-checksum", "sha256:ab"),
            ],
        );
    }
}
