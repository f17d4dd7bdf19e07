//! MultipleInstructionsDisallowed: a second CMD, ENTRYPOINT or HEALTHCHECK in one stage.

use crate::analysis::rules::{Cx, Emit, Rule, Scope};
use crate::analysis::types::DiagnosticTag;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule {
    tags: &[DiagnosticTag::Unnecessary],
    ..Rule::buildkit("MultipleInstructionsDisallowed", EXPLANATION, check)
};

const EXPLANATION: &str = "Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage take \
effect; an earlier one does nothing. BuildKit reports the earlier instruction, the one that \
is ignored (and reads the `# check=` comment of the later one).";

fn check(cx: &Cx, out: &mut Emit) {
    for stage in &cx.model.stages {
        // The last CMD, ENTRYPOINT and HEALTHCHECK seen in the stage so far.
        let mut seen: [Option<usize>; 3] = [None; 3];
        for index in stage.instruction + 1..stage.end_instruction {
            let Some(inst) = cx.model.instructions.get(index) else {
                break;
            };
            let slot = match inst.kind() {
                InstructionKind::Cmd => 0,
                InstructionKind::Entrypoint => 1,
                InstructionKind::Healthcheck => 2,
                _ => continue,
            };
            if let Some(earlier) = seen[slot].and_then(|i| cx.model.instructions.get(i)) {
                out.report(
                    &RULE,
                    earlier.line_range(),
                    format!(
                        "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                        inst.command().keyword
                    ),
                )
                .scope(Scope::Instruction(index));
            }
            seen[slot] = Some(index);
        }
    }
}
