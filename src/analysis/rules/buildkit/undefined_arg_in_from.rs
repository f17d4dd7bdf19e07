//! UndefinedArgInFrom: a variable in a FROM line that no global ARG declares.

use super::refs::place;
use crate::analysis::rules::{Cx, Emit, Rule};
use crate::catalog::suggest::buildkit_suggestion;

pub static RULE: Rule = Rule {
    fix: Some("Changes the name to the close global ARG, when there is one"),
    ..Rule::buildkit("UndefinedArgInFrom", EXPLANATION, check)
};

const EXPLANATION: &str = "A FROM line (its image and its `--platform`) sees only the ARGs \
declared before the first FROM, and the predefined platform ARGs (`BUILDPLATFORM`, \
`TARGETPLATFORM`, …). A variable that is none of them expands to nothing; declare it with \
`ARG` at the top of the file, or fix its spelling.";

fn check(cx: &Cx, out: &mut Emit) {
    let converted = cx.converted();
    let names = &converted.global_names;
    for stage in &converted.stages {
        let values = std::iter::once(&stage.base_value).chain(stage.platform_value.as_ref());
        for value in values {
            for name in value.unmatched.iter().filter(|n| !names.contains(n)) {
                let close = buildkit_suggestion(name, names.iter().map(String::as_str), true);
                let (range, name_range) = place(cx, stage.instruction, &value.range, name);
                let mut message = format!("FROM argument '{name}' is not declared");
                if let Some(close) = &close {
                    message.push_str(&format!(" (did you mean {close}?)"));
                }
                let found = out.report(&RULE, range, message);
                if let (Some(close), Some(at)) = (close, name_range) {
                    found.fix(format!("Change to ${close}"), at, close);
                }
            }
        }
    }
}
