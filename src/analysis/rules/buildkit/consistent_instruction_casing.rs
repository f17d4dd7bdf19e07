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
    // One pass over the file counts, and keeps the few keywords that may be reported: a
    // second pass over every instruction would cost as much again on each keystroke.
    let (mut lower, mut upper) = (0usize, 0usize);
    let (mut not_lower, mut not_upper) = (Vec::new(), Vec::new());
    for (index, inst) in in_stages(cx.model) {
        let k = inst.command().keyword.as_str();
        let (is_l, is_u) = (is_lower(k), is_upper(k));
        lower += usize::from(is_l);
        upper += usize::from(is_u && !is_l);
        if !is_l {
            not_lower.push(index);
        }
        if !is_u {
            not_upper.push(index);
        }
    }
    let majority_lower = lower > upper;
    let (reported, casing) = if majority_lower {
        (not_lower, "lowercase")
    } else {
        (not_upper, "uppercase")
    };
    for index in reported {
        let inst = &cx.model.instructions[index];
        let k = inst.command().keyword.as_str();
        let wanted = if majority_lower {
            k.to_lowercase()
        } else {
            k.to_uppercase()
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
