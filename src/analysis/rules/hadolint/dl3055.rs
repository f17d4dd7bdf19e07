//! DL3055: Label is not a valid git hash.

use super::context::LabelType;
use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configured label schema says this label holds a git commit, and its value is not a 7 \
        to 40 character hexadecimal hash. Write the commit hash.";

/// DL3055: a `hash` label that is no short (7) or full (40) lower-case git hash.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
