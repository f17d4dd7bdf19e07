//! DL3053: Label is not a valid RFC3339 time.

use super::context::LabelType;
use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configured label schema says this label holds a time, and its value is not RFC 3339 \
        (`2024-05-01T12:00:00Z`). Write the date and time in that form.";

/// DL3053: an `rfc3339` label that is no RFC 3339 time (`2024-01-31T12:00:00Z`).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
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
