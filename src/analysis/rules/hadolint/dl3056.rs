//! DL3056: Label does not conform to semantic versioning.

use super::context::LabelType;
use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configured label schema says this label holds a version, and its value is not a \
        semantic version (`1.2.3`). Write a semantic version.";

/// DL3056: a `semver` label that is no semantic version.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
