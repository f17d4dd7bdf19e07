//! MaintainerDeprecated: the `MAINTAINER` instruction.

use super::quote::double_quoted;
use crate::analysis::rules::{Cx, Emit, Rule};
use crate::analysis::types::DiagnosticTag;
use crate::model::Arguments;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule {
    fix: Some("Replaces it with `LABEL org.opencontainers.image.authors=…`"),
    tags: &[DiagnosticTag::Deprecated],
    ..Rule::buildkit("MaintainerDeprecated", EXPLANATION, check)
};

const EXPLANATION: &str = "`MAINTAINER` only sets the image's `Author` field, which the OCI \
image format no longer has. The standard place for the author is the \
`org.opencontainers.image.authors` label.";

fn check(cx: &Cx, out: &mut Emit) {
    for (_, inst) in cx.window_instructions() {
        let command = inst.command();
        if command.kind != InstructionKind::Maintainer {
            continue;
        }
        let found = out.report(
            &RULE,
            inst.line_range(),
            "Maintainer instruction is deprecated in favor of using label",
        );
        if let Arguments::Text(text) = &command.args {
            let label = if super::is_lower(&command.keyword) {
                "label"
            } else {
                "LABEL"
            };
            let value = double_quoted(&text.value, cx.model.escape);
            found.fix(
                "Replace with LABEL org.opencontainers.image.authors",
                inst.line_range(),
                format!("{label} org.opencontainers.image.authors={value}"),
            );
        }
    }
}
