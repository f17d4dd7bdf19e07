//! HEALTHCHECK: the CMD/NONE forms, durations (Go's `time.ParseDuration`, at least 1ms) and
//! `--retries`.

use std::ops::Range;

use super::{CommandCx, Out, match_keyword_case};
use crate::catalog::did_you_mean;
use crate::model::{Arguments, Flag};

/// Whether this is `HEALTHCHECK NONE` (whose flags BuildKit never reads).
pub(super) fn is_none(c: &CommandCx) -> bool {
    matches!(&c.cmd.args, Arguments::Health { kind, .. } if kind.value.eq_ignore_ascii_case("none"))
}

pub(super) fn check_command(c: &CommandCx, out: &mut Out) {
    let Arguments::Health { kind, command } = &c.cmd.args else {
        return;
    };
    let kind_range = c.abs(&kind.range);
    match kind.value.to_uppercase().as_str() {
        "NONE" => {
            if let Some(range) = command_range(command) {
                out.error(
                    c.abs(&range),
                    "healthcheck-none-arguments",
                    "HEALTHCHECK NONE takes no arguments: remove them, or use HEALTHCHECK CMD <command>",
                );
            }
        }
        "CMD" => {
            if command_range(command).is_none() {
                out.error(
                    kind_range,
                    "healthcheck-missing-command",
                    "HEALTHCHECK CMD needs a command: HEALTHCHECK CMD curl -f http://localhost/ || exit 1",
                );
            }
        }
        _ => {
            let suggestion = did_you_mean(&kind.value, ["CMD", "NONE"]);
            let message = match suggestion {
                Some(s) => format!(
                    "unknown HEALTHCHECK type `{}` (did you mean {s}?)",
                    kind.value
                ),
                None => format!(
                    "unknown HEALTHCHECK type `{}`: write HEALTHCHECK CMD <command> or HEALTHCHECK NONE",
                    kind.value
                ),
            };
            let found = out.error(kind_range.clone(), "healthcheck-unknown-type", message);
            if let Some(s) = suggestion {
                let replacement = match_keyword_case(&kind.value, s);
                found.fix(format!("Change to {replacement}"), kind_range, replacement);
            }
        }
    }
}

/// Where the command after the type is written, if there is one.
fn command_range(command: &Arguments) -> Option<Range<usize>> {
    match command {
        Arguments::Json(items) => {
            let first = items.first()?;
            let last = items.last()?;
            Some(first.range.start..last.range.end)
        }
        Arguments::Text(text) if !text.value.is_empty() => Some(text.range.clone()),
        _ => None,
    }
}

/// `--interval`, `--timeout`, `--start-period`, `--start-interval`: BuildKit reads them
/// without variable expansion, so `$X` is an error too.
pub(super) fn duration(c: &CommandCx, flag: &Flag, value: &str, out: &mut Out) {
    // Only a diagnostic pays for mapping the value back to the source.
    let range = || c.flag_value_range(flag);
    let name = &flag.name;
    match parse_go_duration(value) {
        Ok(nanos) if nanos != 0.0 && nanos < 1e6 => {
            out.error(
                range(),
                "invalid-duration",
                format!("--{name} cannot be less than 1ms (0 means the default)"),
            );
        }
        Ok(_) => {}
        Err(DurationError::MissingUnit) => {
            let fixed = format!("{value}s");
            let found = out.error(
                range(),
                "duration-missing-unit",
                format!("--{name} needs a unit: write `{fixed}` (units: ms, s, m, h)"),
            );
            if let Some(exact) = c.flag_value_exact(flag)
                && parse_go_duration(&fixed).is_ok()
            {
                found.fix(format!("Write `{fixed}`"), exact.end..exact.end, "s");
            }
        }
        Err(DurationError::UnknownUnit(unit)) => {
            out.error(
                range(),
                "invalid-duration",
                format!(
                    "--{name}: unknown unit `{unit}` (use ns, us, ms, s, m or h, e.g. 30s or 1m30s)"
                ),
            );
        }
        Err(DurationError::Invalid) => {
            out.error(
                range(),
                "invalid-duration",
                format!("--{name} takes a duration such as 30s, 1m30s or 500ms, not `{value}`"),
            );
        }
    }
}

/// `--retries`: a decimal integer (Go's `ParseInt(v, 10, 32)`), not negative.
pub(super) fn retries(c: &CommandCx, flag: &Flag, value: &str, out: &mut Out) {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    let parsed = if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        None
    } else {
        value.parse::<i32>().ok()
    };
    let message = match parsed {
        None => format!("--retries takes a whole number such as 3, not `{value}`"),
        Some(n) if n < 0 => "--retries cannot be negative".to_string(),
        Some(_) => return,
    };
    out.error(c.flag_value_range(flag), "invalid-retries", message);
}

#[derive(Debug, PartialEq)]
pub(super) enum DurationError {
    MissingUnit,
    UnknownUnit(String),
    Invalid,
}

/// Go's `time.ParseDuration`, in nanoseconds: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or `0`.
pub(super) fn parse_go_duration(s: &str) -> Result<f64, DurationError> {
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err(DurationError::Invalid);
    }
    let mut total = 0.0f64;
    while !rest.is_empty() {
        // Digits, then optionally `.` and digits; at least one digit in all.
        let count_digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let int_len = count_digits(rest);
        let mut number_len = int_len;
        let mut fraction_len = 0;
        if rest.as_bytes().get(int_len) == Some(&b'.') {
            fraction_len = count_digits(&rest[int_len + 1..]);
            number_len = int_len + 1 + fraction_len;
        }
        if int_len == 0 && fraction_len == 0 {
            return Err(DurationError::Invalid);
        }
        let number = &rest[..number_len];
        rest = &rest[number_len..];
        let unit_len = rest
            .char_indices()
            .find(|&(_, c)| c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        if unit_len == 0 {
            return Err(DurationError::MissingUnit);
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            other => return Err(DurationError::UnknownUnit(other.to_string())),
        };
        let value: f64 = number.parse().unwrap_or(0.0);
        total += value * scale;
    }
    // Go keeps durations in an int64 of nanoseconds.
    if total > i64::MAX as f64 {
        return Err(DurationError::Invalid);
    }
    Ok(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::check;
    use super::*;

    #[test]
    fn forms() {
        check(
            "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK CMD curl -f http://x/\nHEALTHCHECK cmd [\"a\"]\n",
            &[],
        );
        check(
            "FROM a\nHEALTHCHECK NONE x\nHEALTHCHECK CMD\nHEALTHCHECK CDM x\nHEALTHCHECK CMD []\n",
            &[
                ("healthcheck-none-arguments", "x"),
                ("healthcheck-missing-command", "CMD"),
                ("healthcheck-unknown-type", "CDM"),
                ("healthcheck-missing-command", "CMD"),
            ],
        );
    }

    #[test]
    fn durations_and_retries() {
        check(
            "FROM a\nHEALTHCHECK --interval=30s --timeout=1m30s --start-period=0 --start-interval=500ms --retries=3 CMD x\n",
            &[],
        );
        check(
            "FROM a\nHEALTHCHECK --interval=30 --timeout=5x --start-period=100us --start-interval=$T --retries=-1 CMD x\n",
            &[
                ("duration-missing-unit", "30"),
                ("invalid-duration", "5x"),
                ("invalid-duration", "100us"),
                ("invalid-duration", "$T"),
                ("invalid-retries", "-1"),
            ],
        );
        check(
            "FROM a\nHEALTHCHECK --retries=three CMD x\n",
            &[("invalid-retries", "three")],
        );
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1h"), Ok(3600e9));
        assert_eq!(parse_go_duration("1.5s"), Ok(1.5e9));
        assert_eq!(parse_go_duration(".5s"), Ok(0.5e9));
        assert_eq!(parse_go_duration("-1s"), Ok(-1e9));
        assert_eq!(parse_go_duration("1m30"), Err(DurationError::MissingUnit));
        assert_eq!(parse_go_duration(""), Err(DurationError::Invalid));
        assert_eq!(parse_go_duration("."), Err(DurationError::Invalid));
        assert_eq!(parse_go_duration("s"), Err(DurationError::Invalid));
        assert_eq!(parse_go_duration("1.2.3s"), Err(DurationError::MissingUnit));
        assert_eq!(parse_go_duration("5.s"), Ok(5e9));
        assert_eq!(
            parse_go_duration("3d"),
            Err(DurationError::UnknownUnit("d".into()))
        );
        assert_eq!(parse_go_duration("1µs"), Ok(1e3));
    }
}
