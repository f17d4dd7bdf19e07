//! DL3054: Label is not a valid SPDX identifier.

use super::context::LabelType;
use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configured label schema says this label holds a licence, and its value is not an SPDX \
        identifier (`MIT`, `Apache-2.0`). Use the SPDX identifier.";

/// DL3054: an `spdx` label that is no SPDX license expression (checked for form: license
/// ids joined by AND, OR and WITH).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
