//! FromAsCasing: `FROM image as name`, where `AS` is not written in the case of `FROM`.

use super::{from_words, is_lower, is_upper};
use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    fix: Some("Writes `AS` in the case of `FROM`"),
    safe_fix: true,
    ..Rule::buildkit("FromAsCasing", EXPLANATION, check)
};

const EXPLANATION: &str = "`FROM` and `AS` are both keywords of one instruction; writing \
them in different cases (`FROM alpine as build`) reads like a mistake. A `FROM` in mixed \
case is left to ConsistentInstructionCasing.";

fn check(cx: &Cx, out: &mut Emit) {
    for stage in &cx.model.stages {
        let Some(inst) = cx.model.instructions.get(stage.instruction) else {
            continue;
        };
        let words = from_words(inst);
        let Some(as_kw) = words.get(1).filter(|_| words.len() >= 3) else {
            continue;
        };
        let from = inst.command().keyword.as_str();
        let (wanted, matches) = if is_lower(from) {
            (as_kw.value.to_lowercase(), is_lower(&as_kw.value))
        } else if is_upper(from) {
            (as_kw.value.to_uppercase(), is_upper(&as_kw.value))
        } else {
            continue;
        };
        if matches {
            continue;
        }
        let range = inst.abs(&as_kw.range);
        let found = out.report(
            &RULE,
            range.clone(),
            format!(
                "'{}' and '{from}' keywords' casing do not match",
                as_kw.value
            ),
        );
        if cx.text.get(range.clone()) == Some(as_kw.value.as_str()) {
            found.fix(format!("Change to `{wanted}`"), range, wanted);
        }
    }
}
