//! StageNameCasing: a stage name with capitals (`FROM alpine AS Build`).

use super::from_words;
use crate::analysis::rules::{Cx, Emit, Rule};

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
            // The places after the stage that name it, as the model resolves them (the
            // symbol index's stage uses); `--from=0` names it by index and stays.
            for u in cx.model.stage_uses() {
                if u.stage == Some(stage.index)
                    && u.instruction > stage.instruction
                    && !u.by_index
                    && cx.text.get(u.range.clone()) == Some(u.value)
                {
                    edits.push(crate::analysis::Edit {
                        range: u.range,
                        new_text: lower.clone(),
                    });
                }
            }
            found.fix_edits(format!("Rename the stage to `{lower}`"), edits);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{Snapshot, rules};

    #[test]
    fn the_fix_renames_from_copy_and_mount_references() {
        let text = "FROM a AS Build\nFROM build\nCOPY --from=BUILD /a /b\nCOPY --from=0 /a /b\n\
                    RUN --mount=type=cache,from=build,target=/c x\nFROM x AS other\nCOPY --from=Build /a /b\n";
        let snapshot = Snapshot::new(text.to_string());
        let found = rules::run(&snapshot, &rules::Inputs::default());
        let casing = found
            .iter()
            .find(|f| f.diagnostic.code == "StageNameCasing")
            .expect("a StageNameCasing finding");
        let fix = casing.fix.as_ref().expect("a fix");
        let mut edited = text.to_string();
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            edited.replace_range(e.range, &e.new_text);
        }
        assert_eq!(
            edited,
            "FROM a AS build\nFROM build\nCOPY --from=build /a /b\nCOPY --from=0 /a /b\n\
             RUN --mount=type=cache,from=build,target=/c x\nFROM x AS other\nCOPY --from=build /a /b\n"
        );
    }
}
