//! StageNameCasing: a stage name with capitals (`FROM alpine AS Build`).

use super::from_words;
use crate::analysis::rules::{Cx, Emit, Rule};
use crate::analysis::stage_refs;

pub static RULE: Rule = Rule {
    fix: Some("Lower-cases the name and every reference to the stage"),
    safe_fix: true,
    ..Rule::buildkit("StageNameCasing", EXPLANATION, check)
};

const EXPLANATION: &str = "BuildKit lower-cases stage names before it compares them, so \
`AS Build` defines the stage `build`. `COPY --from=Build` still finds it, but `FROM Build` \
does not (it pulls an image called `Build`, which cannot exist). Writing the name in lower \
case everywhere avoids the surprise.";

fn check(cx: &Cx, out: &mut Emit) {
    for stage in &cx.model.stages {
        let Some(inst) = cx.model.instructions.get(stage.instruction) else {
            continue;
        };
        // BuildKit looks at the third word of any three-word FROM.
        let [_, _, name] = from_words(inst) else {
            continue;
        };
        let written = name.value.as_str();
        let lower = written.to_lowercase();
        if lower == written {
            continue;
        }
        let range = inst.abs(&name.range);
        let found = out.report(
            &RULE,
            range.clone(),
            format!("Stage name '{written}' should be lowercase"),
        );
        if cx.text.get(range.clone()) == Some(written) {
            let mut edits = vec![crate::analysis::Edit {
                range,
                new_text: lower.clone(),
            }];
            for r in stage_refs::references_to(cx.model, cx.text, stage.index) {
                edits.push(crate::analysis::Edit {
                    range: r,
                    new_text: lower.clone(),
                });
            }
            found.fix_edits(format!("Rename the stage to `{lower}`"), edits);
        }
    }
}
