//! FROM: argument shape, stage names, `--platform`, and the base image reference.

use std::borrow::Cow;
use std::ops::Range;

use super::{Cx, Out, source_span};
use crate::catalog::{did_you_mean, platforms};
use crate::model::{Arguments, Severity, Stage, image_ref, is_valid_stage_name, unquote};

pub(super) fn check(cx: &Cx, out: &mut Out) {
    for stage in &cx.model.stages {
        // A FROM naming an earlier stage builds on that stage. BuildKit looks the base up as
        // written among the lower-cased names, so `FROM Build` is an image.
        let is_stage = stage.base.as_ref().is_some_and(|(base, _)| {
            cx.first_stage_named_exactly(base)
                .is_some_and(|first| first < stage.index)
        });
        let Some(inst) = cx.model.instructions.get(stage.instruction) else {
            continue;
        };
        let words = match &inst.command().args {
            Arguments::List(words) => words.as_slice(),
            _ => &[],
        };
        match words {
            [_] => {}
            [_, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => {
                stage_name(&name.value, inst.abs(&name.range), out);
            }
            [] => {
                out.error(
                    inst.keyword_range(),
                    "from-arguments",
                    "FROM needs a base image: FROM <image> [AS <name>]",
                );
            }
            [first, .., last] => {
                let message = if words.len() == 2 && last.value.eq_ignore_ascii_case("as") {
                    "AS needs a stage name: FROM <image> AS <name>"
                } else {
                    "FROM takes an image and optionally `AS <name>`: FROM <image> [AS <name>]"
                };
                out.error(
                    inst.abs(&(first.range.start..last.range.end)),
                    "from-arguments",
                    message,
                );
            }
        }
        if let Some((value, range)) = &stage.platform {
            platform(cx, stage, value, range.clone(), out);
        }
        if !is_stage {
            base(cx, stage, out);
        }
    }
}

/// BuildKit lowercases the name, then requires `^[a-z][a-z0-9-_.]*$`.
fn stage_name(name: &str, range: Range<usize>, out: &mut Out) {
    if !is_valid_stage_name(name) {
        out.error(
            range,
            "invalid-stage-name",
            format!(
                "invalid stage name `{name}`: it must start with a letter and contain only letters, digits, `-`, `_` and `.`"
            ),
        );
    }
}

/// `--platform`: a constant BuildKit refuses (a value with variables is expanded and
/// checked by the conversion, see [`crate::analysis::convert`]), and a platform that parses
/// but that no image is published for.
fn platform(cx: &Cx, stage: &Stage, value: &str, range: Range<usize>, out: &mut Out) {
    if value.is_empty() {
        return;
    }
    let variable = cx.has_variable(value);
    let Some(expanded) = cx.model.expand_global(stage.instruction, value) else {
        return;
    };
    if expanded.is_empty() {
        return;
    }
    match check_platform(&expanded) {
        Err(reason) if !variable => {
            out.push(
                Severity::Error,
                range,
                "invalid-platform",
                format!(
                    "invalid platform `{expanded}`: {reason}; write <os>/<arch>[/<variant>], e.g. linux/amd64"
                ),
            );
        }
        Err(_) => {}
        Ok(Known::No) => {
            let suggestion =
                did_you_mean(&expanded, platforms::platforms().iter().map(|p| p.value));
            let mut message = format!("unknown platform `{expanded}`: no image will match it");
            if let Some(s) = suggestion {
                message.push_str(&format!(" (did you mean {s}?)"));
            }
            let found = out.warning(range.clone(), "unknown-platform", message);
            if let Some(s) = suggestion
                && !variable
                && cx.text.get(range.clone()) == Some(value)
            {
                found.fix(format!("Change to {s}"), range, s);
            }
        }
        Ok(Known::Yes) => {}
    }
}

#[derive(Debug, PartialEq)]
pub(super) enum Known {
    Yes,
    No,
}

const KNOWN_OS: [&str; 18] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

const KNOWN_ARCH: [&str; 25] = [
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "ppc64",
    "ppc64le",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
    "x86_64",
];

fn known_os(os: &str) -> bool {
    let os = os.to_lowercase();
    os == "macos" || KNOWN_OS.contains(&os.as_str())
}

fn known_arch(arch: &str) -> bool {
    let arch = arch.to_lowercase();
    matches!(
        arch.as_str(),
        "i386" | "x86-64" | "aarch64" | "armhf" | "armel"
    ) || KNOWN_ARCH.contains(&arch.as_str())
}

/// containerd's `platforms.Parse`: `<os>[(<osversion>)][/<arch>[/<variant>]]`, or a lone
/// architecture. `Err` is what BuildKit rejects; `Known::No` parses but names an OS or
/// architecture that does not exist, so no image can match.
pub(super) fn check_platform(s: &str) -> Result<Known, String> {
    if s.contains('*') {
        return Err("wildcards are not supported".to_string());
    }
    let parts: Vec<&str> = s.splitn(4, '/').collect();
    let component = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    };
    let os_part = parts.first().copied().unwrap_or("");
    let os = match os_part.split_once('(') {
        Some((os, version)) => {
            let ok = version
                .strip_suffix(')')
                .is_some_and(|v| v.is_empty() || component(v));
            if !ok {
                return Err(format!(
                    "`{os_part}` is not an OS with an optional (version)"
                ));
            }
            os
        }
        None => os_part,
    };
    if os.is_empty() || os.contains('.') || !component(os) {
        return Err(format!("`{os_part}` is not a valid OS"));
    }
    if let Some(bad) = parts.iter().skip(1).find(|p| !component(p)) {
        return Err(format!("`{bad}` is not a valid platform component"));
    }
    match parts.len() {
        1 if known_os(os) || known_arch(os) => Ok(Known::Yes),
        1 => Err("unknown operating system or architecture".to_string()),
        2 | 3 if known_os(os) && known_arch(parts[1]) => Ok(Known::Yes),
        2 | 3 => Ok(Known::No),
        _ => Err("too many `/`".to_string()),
    }
}

/// A base that is not an earlier stage: `scratch`, or an image reference BuildKit can parse.
fn base(cx: &Cx, stage: &Stage, out: &mut Out) {
    let Some((raw, range)) = &stage.base else {
        return;
    };
    if cx.has_variable(raw) {
        // Variables: the lint rules judge the defaults; build arguments may change them.
        return;
    }
    let quoted = raw.contains(['"', '\'', cx.model.escape]);
    let text = if quoted {
        Cow::Owned(unquote(raw))
    } else {
        Cow::Borrowed(raw.as_str())
    };
    if image_ref::is_scratch(&text) {
        return;
    }
    let later = cx
        .last_stage_named(&text)
        .filter(|&i| i >= stage.index)
        .and_then(|i| cx.model.stages.get(i));
    match image_ref::parse(&text) {
        Err(err) => {
            let narrowed = match err.span() {
                Some(span) if !quoted => {
                    source_span(cx.text, cx.model.escape, range.clone(), raw, span).0
                }
                _ => range.clone(),
            };
            let earlier = cx.earlier_stage_names(stage.index);
            let lower = text.to_ascii_lowercase();
            let stage_name = earlier.iter().find(|n| **n == lower);
            let message = match stage_name {
                Some(n) => format!(
                    "`{text}` is not an image reference, and FROM matches stage names exactly as they are stored, in lower case: write `{n}`"
                ),
                None => format!("invalid base image `{text}`: {err}"),
            };
            let found = out.error(narrowed, "invalid-image-reference", message);
            if let Some(n) = stage_name
                && !quoted
            {
                found.fix(format!("Change to `{n}`"), range.clone(), *n);
            }
        }
        Ok(image) => {
            if let Some(later) = later {
                let what = if later.index == stage.index {
                    "this stage's own name"
                } else {
                    "the name of a later stage"
                };
                let found = out.warning(
                    range.clone(),
                    "forward-stage-reference",
                    format!(
                        "`{text}` is {what}, but FROM only sees earlier stages: BuildKit will pull the image {}",
                        image.normalized()
                    ),
                );
                if let Some((_, at)) = &later.name {
                    found
                        .diagnostic
                        .related
                        .push((at.clone(), "the stage is defined here".to_string()));
                }
                return;
            }
            if text.contains(['/', ':', '@']) {
                return;
            }
            if let Some(s) = super::stage_typo(&text, || cx.earlier_stage_names(stage.index)) {
                let found = out.hint(
                    range.clone(),
                    "stage-name-typo",
                    format!(
                        "no earlier stage is named `{text}`, so BuildKit uses the image {}; did you mean the stage `{s}`?",
                        image.normalized()
                    ),
                );
                if !quoted {
                    found.fix(format!("Change to `{s}`"), range.clone(), s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, severity_of};
    use super::*;

    #[test]
    fn arguments_and_names() {
        check("FROM a AS b-1.x_y\nFROM a as Upper\nFROM b\n", &[]);
        check(
            "FROM\nFROM a AS\nFROM a b c\nFROM a AS 1st\nFROM a AS b$c\n",
            &[
                ("from-arguments", "FROM"),
                ("from-arguments", "a AS"),
                ("from-arguments", "a b c"),
                ("invalid-stage-name", "1st"),
                ("invalid-stage-name", "b$c"),
            ],
        );
    }

    #[test]
    fn platforms() {
        check(
            "ARG P=linux/arm64\nFROM --platform=linux/amd64 a\nFROM --platform=$BUILDPLATFORM a\nFROM --platform=$P a\nFROM --platform=windows(10.0.17763)/amd64 a\nFROM --platform=arm64 a\n",
            &[],
        );
        // A value with variables is the conversion's to check.
        check(
            "ARG P=linux/*\nFROM --platform=linux/amd64,linux/arm64 a\nFROM --platform=$P a\nFROM --platform=linux/amd46 a\n",
            &[
                ("invalid-platform", "linux/amd64,linux/arm64"),
                ("unknown-platform", "linux/amd46"),
            ],
        );
        assert_eq!(
            severity_of("FROM --platform=linux/* a\n", "invalid-platform"),
            Severity::Error
        );
        assert_eq!(check_platform("linux/arm/v7"), Ok(Known::Yes));
        assert_eq!(check_platform("Linux/x86_64"), Ok(Known::Yes));
        assert!(check_platform("a/b/c/d").is_err());
        assert!(check_platform("banana").is_err());
        assert!(check_platform("").is_err());
    }

    #[test]
    fn base_images() {
        check(
            "ARG V\nFROM python:3.12-slim AS py\nFROM scratch\nFROM $V\nFROM py\nFROM \"alpine\"\n",
            &[],
        );
        check(
            "FROM Alpine\nFROM alpine:\n",
            &[
                ("invalid-image-reference", "Alpine"),
                ("invalid-image-reference", ":"),
            ],
        );
        // Continued inside the word: the whole word, not a span cut through `é`.
        check(
            "FROM a<<EOF\\\né=\n",
            &[("invalid-image-reference", "a<<EOF\\\né=")],
        );
        check(
            "FROM a AS builder\nFROM buidler\n",
            &[("stage-name-typo", "buidler")],
        );
        check(
            "FROM a AS Build\nFROM Build\n",
            &[("invalid-image-reference", "Build")],
        );
        check(
            "FROM later\nFROM a AS later\n",
            &[("forward-stage-reference", "later")],
        );
    }
}
