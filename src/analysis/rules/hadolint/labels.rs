//! What the rules about LABEL share.

use super::context::LabelType;
use super::{Cx, Finding};
use crate::model::{Arguments, Instruction, NameVal, unquote};
use crate::syntax::InstructionKind;

pub(super) fn labels<'a>(
    cx: &Cx<'a>,
) -> impl Iterator<Item = (usize, &'a Instruction, &'a NameVal)> + use<'a> {
    cx.indexed()
        .filter(|(_, i)| i.kind() == InstructionKind::Label)
        .flat_map(|(n, inst)| match &inst.command().args {
            Arguments::Pairs(pairs) => pairs.iter().map(move |p| (n, inst, p)).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
}

/// The schema labels of type `kind` whose value `bad` rejects.
pub(super) fn typed(
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
    code: &'static str,
    kind: Option<LabelType>,
    bad: impl Fn(&str) -> bool,
    message: impl Fn(&str) -> String,
) {
    for (_, inst, pair) in labels(cx) {
        let Some((name, _)) = cx
            .options
            .label_schema
            .iter()
            .find(|(n, t)| *n == pair.key.value && kind.is_none_or(|k| k == *t))
        else {
            continue;
        };
        if bad(&unquote(&pair.value.value)) {
            out.push(Finding::new(
                code,
                inst.abs(&pair.value.range),
                message(name),
            ));
        }
    }
}
