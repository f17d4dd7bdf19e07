//! DL3050: Superfluous label(s) present.

use super::labels::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "With `strict-labels` in the configuration, only the labels of the configured schema may \
        be set. Remove the label or add it to the schema.";

/// DL3050: with `strict-labels`, a label the schema does not name.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    if !cx.options.strict_labels {
        return;
    }
    for (_, inst, pair) in labels(cx) {
        if !cx
            .options
            .label_schema
            .iter()
            .any(|(n, _)| *n == pair.key.value)
        {
            out.push(Finding::new(
                "DL3050",
                inst.abs(&pair.key.range),
                "Superfluous label(s) present.",
            ));
        }
    }
}
