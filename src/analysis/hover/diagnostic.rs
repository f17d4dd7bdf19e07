//! The hover over a diagnostic's range: what its rule is about, in our words, with its link.

use crate::analysis::rules::{self, Inputs};
use crate::analysis::{Hover, Snapshot};

/// `base` (the hover of what is under the cursor) followed by the documentation of the rules
/// whose diagnostics cover `offset`.
pub fn with_rules(
    snapshot: &Snapshot,
    inputs: &Inputs,
    offset: usize,
    base: Option<Hover>,
) -> Option<Hover> {
    let mut codes: Vec<(std::ops::Range<usize>, rules::RuleInfo)> = Vec::new();
    for found in crate::analysis::findings(snapshot, inputs).iter() {
        let d = &found.diagnostic;
        if !(d.range.start <= offset && offset <= d.range.end) {
            continue;
        }
        if codes.iter().any(|(_, i)| i.id == d.code) {
            continue;
        }
        if let Some(info) = rules::info(&d.code) {
            codes.push((d.range.clone(), info));
        }
    }
    let Some((first, _)) = codes.first() else {
        return base;
    };
    let docs: Vec<String> = codes
        .iter()
        .map(|(_, info)| rules::markdown(info))
        .collect();
    let docs = docs.join("\n\n---\n\n");
    Some(match base {
        Some(h) => Hover {
            range: h.range,
            markdown: format!("{}\n\n---\n\n{docs}", h.markdown),
        },
        None => Hover {
            range: first.clone(),
            markdown: docs,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_explains_its_rule() {
        let text = "FROM alpine AS Build\n";
        let snapshot = Snapshot::new(text);
        let at = text.find("Build").unwrap_or(0) + 1;
        let hover = with_rules(&snapshot, &Inputs::default(), at, None).expect("hover");
        assert!(
            hover.markdown.starts_with("**StageNameCasing** · buildkit"),
            "{}",
            hover.markdown
        );
        assert!(hover.markdown.contains("stage-name-casing"));
        assert_eq!(&text[hover.range], "Build");
        // Elsewhere the base hover is left alone.
        assert!(with_rules(&snapshot, &Inputs::default(), 1, None).is_none());
        let base = crate::analysis::hover(&snapshot, 1);
        assert_eq!(
            with_rules(&snapshot, &Inputs::default(), 1, base.clone()),
            base
        );
    }
}
