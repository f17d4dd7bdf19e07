//! ConsistentInstructionCasing: a keyword in mixed case, or not in the file's majority case.

use super::{in_stages, is_lower, is_upper};
use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    fix: Some("Writes the keyword in the case most keywords of the file use"),
    safe_fix: true,
    local_config: false,
    // The majority case is the whole file's.
    stage_local: false,
    ..Rule::buildkit("ConsistentInstructionCasing", EXPLANATION, check)
};

const EXPLANATION: &str = "Keywords are case-insensitive, but a file reads best when all of \
them are upper case, or all lower case. BuildKit counts the keywords written entirely in one \
case (the global ARGs before the first FROM are not counted, nor checked) and reports every \
keyword not written in the majority's case: `Run` always, `run` in a file of mostly \
upper-case keywords.";

fn check(cx: &Cx, out: &mut Emit) {
    let (mut lower, mut upper) = (0usize, 0usize);
    for (_, inst) in in_stages(cx.model) {
        let k = inst.command().keyword.as_str();
        if is_lower(k) {
            lower += 1;
        } else if is_upper(k) {
            upper += 1;
        }
    }
    let majority_lower = lower > upper;
    for (_, inst) in in_stages(cx.model) {
        let k = inst.command().keyword.as_str();
        let ok = if majority_lower {
            is_lower(k)
        } else {
            is_upper(k)
        };
        if ok {
            continue;
        }
        let (wanted, casing) = if majority_lower {
            (k.to_lowercase(), "lowercase")
        } else {
            (k.to_uppercase(), "uppercase")
        };
        let range = inst.keyword_range();
        let found = out.report(
            &RULE,
            range.clone(),
            format!("Command '{k}' should match the case of the command majority ({casing})"),
        );
        if cx.text.get(range.clone()) == Some(k) {
            found.fix(format!("Change to {wanted}"), range, wanted);
        }
    }
}
