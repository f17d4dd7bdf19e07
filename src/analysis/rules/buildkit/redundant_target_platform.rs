//! RedundantTargetPlatform: `FROM --platform=$TARGETPLATFORM`.

use crate::analysis::rules::{Cx, Emit, Rule};
use crate::analysis::types::DiagnosticTag;

pub static RULE: Rule = Rule {
    fix: Some("Removes the `--platform` flag"),
    tags: &[DiagnosticTag::Unnecessary],
    ..Rule::buildkit("RedundantTargetPlatform", EXPLANATION, check)
};

const EXPLANATION: &str = "A stage is built for the target platform unless `--platform` \
says otherwise, so `--platform=$TARGETPLATFORM` changes nothing. (`$BUILDPLATFORM` is the \
useful value: it runs the stage natively on the builder, for cross-compiling.)";

fn check(cx: &Cx, out: &mut Emit) {
    let converted = cx.converted();
    for stage in &converted.stages {
        let Some(platform) = &stage.platform_value else {
            continue;
        };
        if platform.matched != ["TARGETPLATFORM"]
            || !platform.unmatched.is_empty()
            || platform.result != converted.target_platform
        {
            continue;
        }
        let found = out.report(
            &RULE,
            platform.range.clone(),
            format!(
                "Setting platform to predefined {} in FROM is redundant as this is the default behavior",
                platform.raw
            ),
        );
        if let Some(edit) = remove_flag(cx, stage.instruction) {
            found.fix_edits("Remove --platform", vec![edit]);
        }
    }
}

/// Removes the FROM's `--platform=…` flag and the blanks after it.
fn remove_flag(cx: &Cx, instruction: usize) -> Option<crate::analysis::Edit> {
    let inst = cx.model.instructions.get(instruction)?;
    let flag = inst.command().flag("platform")?;
    let range = inst.abs(&flag.range);
    let after = cx.text.get(range.end..)?;
    let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
    Some(crate::analysis::Edit {
        range: range.start..range.end + blanks,
        new_text: String::new(),
    })
}
