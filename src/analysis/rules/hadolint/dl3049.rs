//! DL3049: Label is missing.

use super::{Cx, Finding};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The configured label schema (`label-schema` in `.hadolint.yaml`) requires this label and \
        the final stage does not set it. Add a LABEL with the key. Only reported when a label \
        schema is configured.";

/// DL3049: a stage without a label the schema requires.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for stage in &cx.model.stages {
        let end = stage.end_instruction.min(cx.model.instructions.len());
        let present: Vec<&str> = cx.model.instructions[stage.instruction..end]
            .iter()
            .filter_map(|i| match &i.command().args {
                Arguments::Pairs(p) if i.kind() == InstructionKind::Label => Some(p),
                _ => None,
            })
            .flat_map(|p| p.iter().map(|p| p.key.value.as_str()))
            .collect();
        let from = &cx.model.instructions[stage.instruction];
        for (name, _) in &cx.options.label_schema {
            if !present.contains(&name.as_str()) {
                out.push(Finding::new(
                    "DL3049",
                    from.keyword_range(),
                    format!("Label `{name}` is missing."),
                ));
            }
        }
    }
}
