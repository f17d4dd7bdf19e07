//! STOPSIGNAL: a signal name (`SIGTERM`, `term`, `SIGRTMIN+3`) or a non-zero number.

use super::{CommandCx, Cx, Out};
use crate::catalog::{did_you_mean, platforms};
use crate::model::{Arguments, unquote};

pub(super) fn check_command(cx: &Cx, c: &CommandCx, out: &mut Out) {
    let Arguments::Text(text) = &c.cmd.args else {
        return;
    };
    if cx.has_variable(&text.value) {
        return;
    }
    // The builder reads the value as a shell word, so quotes around it go away.
    let unquoted = unquote(&text.value);
    let value = unquoted.as_str();
    let range = c.abs(&text.range);
    match platforms::parse_stop_signal(value) {
        Some(signal) if !signal.is_known_number() => {
            out.warning(
                range,
                "unusual-stop-signal",
                format!("{value} is not a Linux signal number (1-31, 34-64)"),
            );
        }
        Some(_) => {}
        None => {
            let upper = value.to_uppercase();
            let suggestion = did_you_mean(&upper, platforms::stop_signal_names())
                .or_else(|| did_you_mean(&format!("SIG{upper}"), platforms::stop_signal_names()));
            let mut message =
                format!("invalid stop signal `{value}`: use a name such as SIGTERM or a number");
            if let Some(s) = suggestion {
                message.push_str(&format!(" (did you mean {s}?)"));
            }
            let found = out.error(range.clone(), "invalid-stop-signal", message);
            if let Some(s) = suggestion
                && cx.text.get(range.clone()) == Some(value)
            {
                found.fix(format!("Change to {s}"), range, s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::check;

    #[test]
    fn signals() {
        check(
            "FROM a\nSTOPSIGNAL SIGTERM\nSTOPSIGNAL \"term\"\nSTOPSIGNAL 9\nSTOPSIGNAL SIGRTMIN+3\nSTOPSIGNAL $SIG\n",
            &[],
        );
        check(
            "FROM a\nSTOPSIGNAL SIGTREM\nSTOPSIGNAL 0\nSTOPSIGNAL 99\n",
            &[
                ("invalid-stop-signal", "SIGTREM"),
                ("invalid-stop-signal", "0"),
                ("unusual-stop-signal", "99"),
            ],
        );
    }
}
