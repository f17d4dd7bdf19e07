//! DL3058: Label is not a valid email format.

use super::context::LabelType;
use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configured label schema says this label holds an email address, and its value is not \
        one. Write a valid address.";

/// DL3058: an `email` label that is no e-mail address.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
