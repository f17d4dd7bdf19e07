//! DL3048: Invalid label key.

use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Label keys should be lower case (letters, digits, `.`, `-`, `_`, `/`), start with a \
        letter, avoid `..` and `--`, and stay out of the reserved `com.docker.`, `io.docker.` and \
        `org.dockerproject.` namespaces. Rename the key, e.g. `org.opencontainers.image.title`.";

/// DL3048: a label key outside Docker's recommended form (lower-case alphanumerics, `.`,
/// `-`, `_`, `/`; starting with a letter; no reserved namespace; no `..` or `--`).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
