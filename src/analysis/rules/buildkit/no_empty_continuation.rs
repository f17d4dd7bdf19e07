//! NoEmptyContinuation: a blank line inside a continued instruction.

use crate::analysis::Edit;
use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    fix: Some("Removes the blank lines"),
    safe_fix: true,
    local_config: false,
    ..Rule::buildkit("NoEmptyContinuation", EXPLANATION, check)
};

const EXPLANATION: &str = "A line ending in the escape character continues on the next \
line, and BuildKit skips blank lines while it joins them. That makes a forgotten escape \
character at the end of the previous command hard to spot: what looks like the end of the \
instruction is not. BuildKit plans to make these blank lines an error; comment lines are \
fine.";

fn check(cx: &Cx, out: &mut Emit) {
    for (_, inst) in cx.window_instructions() {
        let lines = &inst.data().empty_continuation_lines;
        let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
            continue;
        };
        let range = inst.abs(&(first.start..last.end));
        let edits = lines
            .iter()
            .map(|r| {
                let r = inst.abs(r);
                // The blank line with its line break.
                let end = cx.text[r.end..]
                    .find('\n')
                    .map_or(cx.text.len(), |i| r.end + i + 1);
                Edit {
                    range: r.start..end,
                    new_text: String::new(),
                }
            })
            .collect();
        out.report(&RULE, range, "Empty continuation line")
            .fix_edits("Remove the empty continuation lines", edits);
    }
}
