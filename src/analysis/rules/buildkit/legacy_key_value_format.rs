//! LegacyKeyValueFormat: `ENV key value` or `LABEL key value` instead of `key=value`.

use super::quote::legacy_value_as_word;
use crate::analysis::rules::{Cx, Emit, Rule};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule {
    fix: Some("Rewrites the pair as `key=value`, quoting the value when it has spaces"),
    safe_fix: true,
    ..Rule::buildkit("LegacyKeyValueFormat", EXPLANATION, check)
};

const EXPLANATION: &str = "The old form takes everything after the key, spaces included, \
as the value, so `ENV A 1 B 2` sets `A` to `1 B 2`. The `key=value` form sets several \
variables at once and makes the value's extent explicit (quote it when it has spaces).";

fn check(cx: &Cx, out: &mut Emit) {
    for (_, inst) in cx.in_window() {
        let command = inst.command();
        if !matches!(command.kind, InstructionKind::Env | InstructionKind::Label) {
            continue;
        }
        let Arguments::Pairs(pairs) = &command.args else {
            continue;
        };
        for pair in pairs.iter().filter(|p| p.separator.is_empty()) {
            let range = inst.abs(&(pair.key.range.start..pair.value.range.end));
            let keyword = command.keyword.as_str();
            let found = out.report(
                &RULE,
                range.clone(),
                format!(
                    "\"{keyword} key=value\" should be used instead of legacy \"{keyword} key value\" format"
                ),
            );
            let written = format!("{} {}", pair.key.value, pair.value.value);
            let simple = cx
                .text
                .get(range.clone())
                .is_some_and(|t| t.split_whitespace().eq(written.split_whitespace()));
            if simple && let Some(value) = legacy_value_as_word(&pair.value.value, cx.model.escape)
            {
                found.fix(
                    "Use the key=value format",
                    range,
                    format!("{}={value}", pair.key.value),
                );
            }
        }
    }
}
