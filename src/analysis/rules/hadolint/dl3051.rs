//! DL3051: Label is empty.

use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "A label of the configured schema is set to an empty value, which tells nothing. Give it a \
        value or remove it.";

/// DL3051: a schema label with an empty value.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    typed(cx, out, "DL3051", None, str::is_empty, |n| {
        format!("label `{n}` is empty.")
    });
}
