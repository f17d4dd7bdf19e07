//! DuplicateStageName: two stages with the same name (compared in lower case).

use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    local_config: false,
    ..Rule::buildkit("DuplicateStageName", EXPLANATION, check)
};

const EXPLANATION: &str = "A name should identify one stage. With two stages of the same \
name (BuildKit compares names in lower case), `--from=name` and `--target name` mean the \
last one defined before the reference, and `FROM name` the last one before the FROM, which \
is easy to get wrong. Rename one of them.";

fn check(cx: &Cx, out: &mut Emit) {
    for stage in &cx.model.stages {
        let Some((name, range)) = &stage.name else {
            continue;
        };
        let first = cx.model.stages_named_exactly(name).first().copied();
        let Some(first) = first.filter(|&f| f < stage.index) else {
            continue;
        };
        let found = out.report(
            &RULE,
            range.clone(),
            format!("Duplicate stage name \"{name}\", stage names should be unique"),
        );
        if let Some((_, at)) = cx.model.stages.get(first).and_then(|s| s.name.as_ref()) {
            found.related(at.clone(), "the first stage of this name");
        }
    }
}
