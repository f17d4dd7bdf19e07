//! UndefinedVar: a variable BuildKit expands that nothing sets.

use super::refs::place;
use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    fix: Some("Changes the name to the close one that is set, when there is one"),
    ..Rule::buildkit("UndefinedVar", EXPLANATION, check)
};

const EXPLANATION: &str = "BuildKit expands variables in the words of ENV, LABEL, COPY, ADD, \
WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE, ARG defaults and `--mount` options; a variable \
that no ARG, ENV, build argument or base image sets expands to nothing, which is usually a \
typo or a missing `ARG` (global ARGs must be declared again inside a stage). Shell-form RUN, \
CMD and ENTRYPOINT are expanded by the shell, not BuildKit, and are not checked. The base \
image's ENV counts, so a stage built on an image whose configuration is not cached is not \
checked.";

fn check(cx: &Cx, out: &mut Emit) {
    for word in cx.converted().words_in(cx.window()) {
        if !word.env_known {
            continue;
        }
        for (name, close) in &word.undefined {
            let (range, name_range) = place(cx, word.instruction, &word.range, name);
            let mut message = format!("Usage of undefined variable '${name}'");
            if let Some(close) = close {
                message.push_str(&format!(" (did you mean ${close}?)"));
            }
            let found = out.report(&RULE, range, message);
            if let (Some(close), Some(at)) = (close, name_range) {
                found.fix(format!("Change to ${close}"), at, close.clone());
            }
        }
    }
}
