//! ReservedStageName: a stage called `scratch` or `context`.

use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    local_config: false,
    ..Rule::buildkit("ReservedStageName", EXPLANATION, check)
};

const EXPLANATION: &str = "`scratch` is the empty image and `context` the build context; a \
stage of either name cannot be referred to the way its author means. Choose another name.";

fn check(cx: &Cx, out: &mut Emit) {
    for stage in &cx.model.stages {
        let Some((name, range)) = &stage.name else {
            continue;
        };
        if matches!(name.as_str(), "scratch" | "context") {
            out.report(
                &RULE,
                range.clone(),
                format!("Stage name should not use the same name as reserved stage \"{name}\""),
            );
        }
    }
}
