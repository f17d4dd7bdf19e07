//! LABEL keys, and the label schema of hadolint's configuration (`label-schema`,
//! `strict-labels`).

use super::context::LabelType;
use super::{Cx, Finding};
use crate::model::{Arguments, Instruction, NameVal, unquote};
use crate::syntax::InstructionKind;

fn labels<'a>(
    cx: &Cx<'a>,
) -> impl Iterator<Item = (usize, &'a Instruction, &'a NameVal)> + use<'a> {
    cx.model
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind() == InstructionKind::Label)
        .flat_map(|(n, inst)| match &inst.command().args {
            Arguments::Pairs(pairs) => pairs.iter().map(move |p| (n, inst, p)).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
}

/// DL3048: a label key outside Docker's recommended form (lower-case alphanumerics, `.`,
/// `-`, `_`, `/`; starting with a letter; no reserved namespace; no `..` or `--`).
pub fn dl3048(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst, pair) in labels(cx) {
        let key = pair.key.value.as_str();
        let valid_char =
            |c: char| c.is_ascii_digit() || c.is_ascii_lowercase() || ".-_/".contains(c);
        let invalid = !key.starts_with(|c: char| c.is_ascii_lowercase())
            || !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            || !key.chars().all(valid_char)
            || ["com.docker.", "io.docker.", "org.dockerproject."]
                .iter()
                .any(|p| key.starts_with(p))
            || key.contains("..")
            || key.contains("--");
        if invalid {
            out.push(Finding::new(
                "DL3048",
                inst.abs(&pair.key.range),
                "Invalid label key.",
            ));
        }
    }
}

/// DL3049: a stage without a label the schema requires.
pub fn dl3049(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for stage in &cx.model.stages {
        let end = stage.end_instruction.min(cx.model.instructions.len());
        let present: Vec<&str> = cx.model.instructions[stage.instruction..end]
            .iter()
            .filter_map(|i| match &i.command().args {
                Arguments::Pairs(p) if i.kind() == InstructionKind::Label => Some(p),
                _ => None,
            })
            .flat_map(|p| p.iter().map(|p| p.key.value.as_str()))
            .collect();
        let from = &cx.model.instructions[stage.instruction];
        for (name, _) in &cx.options.label_schema {
            if !present.contains(&name.as_str()) {
                out.push(Finding::new(
                    "DL3049",
                    from.keyword_range(),
                    format!("Label `{name}` is missing."),
                ));
            }
        }
    }
}

/// DL3050: with `strict-labels`, a label the schema does not name.
pub fn dl3050(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    if !cx.options.strict_labels {
        return;
    }
    for (_, inst, pair) in labels(cx) {
        if !cx
            .options
            .label_schema
            .iter()
            .any(|(n, _)| *n == pair.key.value)
        {
            out.push(Finding::new(
                "DL3050",
                inst.abs(&pair.key.range),
                "Superfluous label(s) present.",
            ));
        }
    }
}

/// The schema labels of type `kind` whose value `bad` rejects.
fn typed(
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
    code: &'static str,
    kind: Option<LabelType>,
    bad: impl Fn(&str) -> bool,
    message: impl Fn(&str) -> String,
) {
    for (_, inst, pair) in labels(cx) {
        let Some((name, _)) = cx
            .options
            .label_schema
            .iter()
            .find(|(n, t)| *n == pair.key.value && kind.is_none_or(|k| k == *t))
        else {
            continue;
        };
        if bad(&unquote(&pair.value.value)) {
            out.push(Finding::new(
                code,
                inst.abs(&pair.value.range),
                message(name),
            ));
        }
    }
}

/// DL3051: a schema label with an empty value.
pub fn dl3051(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    typed(cx, out, "DL3051", None, str::is_empty, |n| {
        format!("label `{n}` is empty.")
    });
}

/// DL3052: a `url` label that is no URL.
pub fn dl3052(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let url = |v: &str| {
        v.split_once(':').is_some_and(|(scheme, rest)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.contains(char::is_whitespace)
        })
    };
    typed(
        cx,
        out,
        "DL3052",
        Some(LabelType::Url),
        |v| !url(v),
        |n| format!("Label `{n}` is not a valid URL."),
    );
}

/// DL3053: an `rfc3339` label that is no RFC 3339 time (`2024-01-31T12:00:00Z`).
pub fn dl3053(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let valid = |v: &str| {
        let b = v.as_bytes();
        let digits =
            |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        b.len() >= 20
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && matches!(b[10], b'T' | b't' | b' ')
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
            && b[16] == b':'
            && digits(17..19)
            && {
                let zone = v[19..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
                zone == "Z"
                    || zone == "z"
                    || (zone.len() == 6
                        && (zone.starts_with('+') || zone.starts_with('-'))
                        && zone.as_bytes()[3] == b':')
            }
    };
    typed(
        cx,
        out,
        "DL3053",
        Some(LabelType::Rfc3339),
        |v| !valid(v),
        |n| format!("Label `{n}` is not a valid time format - must conform to RFC3339."),
    );
}

/// DL3054: an `spdx` label that is no SPDX license expression (checked for form: license
/// ids joined by AND, OR and WITH).
pub fn dl3054(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let valid = |v: &str| {
        !v.is_empty()
            && v.split_whitespace().all(|w| {
                matches!(w, "AND" | "OR" | "WITH")
                    || w.trim_matches(['(', ')'])
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-.+:".contains(c))
            })
    };
    typed(
        cx,
        out,
        "DL3054",
        Some(LabelType::Spdx),
        |v| !valid(v),
        |n| format!("Label `{n}` is not a valid SPDX identifier."),
    );
}

/// DL3055: a `hash` label that is no short (7) or full (40) lower-case git hash.
pub fn dl3055(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let valid = |v: &str| {
        (v.len() == 7 || v.len() == 40)
            && v.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    };
    typed(
        cx,
        out,
        "DL3055",
        Some(LabelType::Hash),
        |v| !valid(v),
        |n| format!("Label `{n}` is not a valid git hash."),
    );
}

/// DL3056: a `semver` label that is no semantic version.
pub fn dl3056(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let number = |s: &str| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    let ident = |s: &str| {
        !s.is_empty()
            && s.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    let valid = |v: &str| {
        let (core, build) = v.split_once('+').map_or((v, None), |(c, b)| (c, Some(b)));
        let (core, pre) = core
            .split_once('-')
            .map_or((core, None), |(c, p)| (c, Some(p)));
        let parts: Vec<&str> = core.split('.').collect();
        parts.len() == 3
            && parts.iter().all(|p| number(p))
            && pre.is_none_or(ident)
            && build.is_none_or(ident)
    };
    typed(
        cx,
        out,
        "DL3056",
        Some(LabelType::SemVer),
        |v| !valid(v),
        |n| format!("Label `{n}` does not conform to semantic versioning."),
    );
}

/// DL3058: an `email` label that is no e-mail address.
pub fn dl3058(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let valid = |v: &str| {
        v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !v.contains(char::is_whitespace)
        })
    };
    typed(
        cx,
        out,
        "DL3058",
        Some(LabelType::Email),
        |v| !valid(v),
        |n| format!("Label `{n}` is not a valid email format - must conform to RFC5322."),
    );
}
