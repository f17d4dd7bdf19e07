//! DL3052: Label is not a valid URL.

use super::context::LabelType;
use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configured label schema says this label holds a URL, and its value is not one. Write \
        a full URL with a scheme (`https://…`).";

/// DL3052: a `url` label that is no URL.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
