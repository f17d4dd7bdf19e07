//! SecretsUsedInArgOrEnv: an ARG or ENV whose name looks like a credential.

use crate::analysis::rules::{Cx, Emit, Rule};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule::buildkit("SecretsUsedInArgOrEnv", EXPLANATION, check);

const EXPLANATION: &str = "Build arguments and environment variables end up in the image's \
history and configuration, where anyone who pulls the image can read them. A name with a \
part such as `password`, `token`, `secret`, `key` or `auth` (between underscores or at an \
end; `public`, `file` and `version` parts exempt it) suggests a secret: pass it with \
`RUN --mount=type=secret` instead.";

/// The name parts that suggest a secret, and those that say it is not one.
const SECRET: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOWED: [&str; 3] = ["public", "file", "version"];

/// BuildKit's patterns `(?i)(?:_|^)(?:word)(?:_|$)`: some `_`-separated part is the word.
pub(crate) fn looks_secret(key: &str) -> bool {
    let has = |words: &[&str]| {
        key.split('_')
            .any(|part| words.iter().any(|w| part.eq_ignore_ascii_case(w)))
    };
    has(&SECRET) && !has(&ALLOWED)
}

fn check(cx: &Cx, out: &mut Emit) {
    let converted = cx.converted();
    for (index, inst) in cx.in_window() {
        let command = inst.command();
        match (command.kind, &command.args) {
            (InstructionKind::Env, Arguments::Pairs(pairs)) => {
                // The key as BuildKit expands it.
                for pair in pairs {
                    let range = inst.abs(&pair.key.range);
                    let key = converted.value(index, &range, &pair.key.value);
                    if looks_secret(key) {
                        report(out, range, "ENV", key);
                    }
                }
            }
            (InstructionKind::Arg, Arguments::List(words)) => {
                for word in words {
                    let key = word.value.split('=').next().unwrap_or("");
                    if looks_secret(key) {
                        let start = inst.abs(&word.range).start;
                        report(out, start..start + key.len(), "ARG", key);
                    }
                }
            }
            _ => {}
        }
    }
}

fn report(out: &mut Emit, range: std::ops::Range<usize>, instruction: &str, key: &str) {
    out.report(
        &RULE,
        range,
        format!(
            "Do not use ARG or ENV instructions for sensitive data ({instruction} {})",
            crate::model::go_quote::go_quote(key)
        ),
    );
}
