//! Quick fixes for diagnostics whose fix is mechanical.
//!
//! The fixes are computed by the diagnostics themselves (see `diagnostics::found`), so an
//! action always matches the current text; here they are only selected and packaged.

use std::ops::Range;

use super::rules::{self, Inputs};
use super::{CodeAction, CodeActionKind, Diagnostic, Snapshot};

/// Code actions for `range`, given the diagnostics the client sent back: a fix for each of
/// our diagnostics that the client listed (same code and range) or that touches `range`.
pub fn code_actions(
    snapshot: &Snapshot,
    inputs: &Inputs,
    range: Range<usize>,
    diagnostics: &[Diagnostic],
) -> Vec<CodeAction> {
    super::findings(snapshot, inputs)
        .iter()
        .filter(|f| {
            let d = &f.diagnostic;
            let listed = diagnostics
                .iter()
                .any(|c| c.code == d.code && c.range == d.range);
            listed || touches(&d.range, &range)
        })
        .flat_map(|f| {
            let ignore = rules::ignore::actions(snapshot, f);
            let fix = f.fix.as_ref().map(|fix| CodeAction {
                title: fix.title.clone(),
                kind: CodeActionKind::QuickFix,
                edits: fix.edits.clone(),
                fixes: vec![(f.diagnostic.range.clone(), f.diagnostic.code.clone())],
                is_preferred: true,
            });
            fix.into_iter().chain(ignore)
        })
        .collect()
}

/// Whether two ranges overlap or touch (an empty range at a diagnostic's edge counts).
fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Edit;

    /// The text after applying `edits` (which do not overlap).
    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut out = text.to_string();
        for e in edits {
            out.replace_range(e.range.clone(), &e.new_text);
        }
        out
    }

    fn count(text: &str, code: &str) -> usize {
        crate::analysis::diagnostics(&Snapshot::new(text))
            .iter()
            .filter(|d| d.code == code)
            .count()
    }

    /// Each case: a Dockerfile, the code of the diagnostic to fix, and the fixed text.
    const CASES: &[(&str, &str, &str)] = &[
        ("FROM a\nRUNN x\n", "unknown-instruction", "FROM a\nRUN x\n"),
        (
            "from a\ncopyy a b\n",
            "unknown-instruction",
            "from a\ncopy a b\n",
        ),
        (
            "FROM a\nRun x\n",
            "ConsistentInstructionCasing",
            "FROM a\nRUN x\n",
        ),
        (
            "FROM a\nRUN --mout=type=cache,target=/c x\n",
            "unknown-flag",
            "FROM a\nRUN --mount=type=cache,target=/c x\n",
        ),
        (
            "FROM a\nRUN --mount=type=cache,tagret=/c x\n",
            "unknown-mount-key",
            "FROM a\nRUN --mount=type=cache,target=/c x\n",
        ),
        (
            "FROM a\nRUN --mount=type=cache,\\\ntagret=/c x\n",
            "unknown-mount-key",
            "FROM a\nRUN --mount=type=cache,\\\ntarget=/c x\n",
        ),
        (
            "FROM a\nRUN --mount=type=cahce,target=/c x\n",
            "unknown-mount-type",
            "FROM a\nRUN --mount=type=cache,target=/c x\n",
        ),
        (
            "FROM a\nRUN --mount=type=cache,target=/c,sharing=lockd x\n",
            "invalid-mount-value",
            "FROM a\nRUN --mount=type=cache,target=/c,sharing=locked x\n",
        ),
        (
            "# Syntax=docker/dockerfile:1\nFROM a\n",
            "directive-casing",
            "# syntax=docker/dockerfile:1\nFROM a\n",
        ),
        (
            "# sytnax=docker/dockerfile:1\nFROM a\n",
            "unknown-directive",
            "# syntax=docker/dockerfile:1\nFROM a\n",
        ),
        (
            "# escape=x\nFROM a\n",
            "invalid-escape",
            "# escape=\\\nFROM a\n",
        ),
        (
            "# check=skip=jsonargsrecommended\nFROM a\n",
            "unknown-check-rule",
            "# check=skip=JSONArgsRecommended\nFROM a\n",
        ),
        (
            "# check=skipp=all\nFROM a\n",
            "invalid-check-directive",
            "# check=skip=all\nFROM a\n",
        ),
        (
            "FROM a\nHEALTHCHECK --interval=30 CMD x\n",
            "duration-missing-unit",
            "FROM a\nHEALTHCHECK --interval=30s CMD x\n",
        ),
        (
            "FROM a\nHEALTHCHECK CDM x\n",
            "healthcheck-unknown-type",
            "FROM a\nHEALTHCHECK CMD x\n",
        ),
        (
            "FROM a\nSHELL pwsh -Command\n",
            "shell-not-json",
            "FROM a\nSHELL [\"pwsh\", \"-Command\"]\n",
        ),
        (
            "FROM a AS builder\nFROM b\nCOPY --from=buidler /a /b\n",
            "stage-name-typo",
            "FROM a AS builder\nFROM b\nCOPY --from=builder /a /b\n",
        ),
        (
            "FROM a AS builder\nFROM buidler\n",
            "stage-name-typo",
            "FROM a AS builder\nFROM builder\n",
        ),
        (
            "FROM a AS builder\nFROM b\nRUN --mount=from=buidler,target=/x y\n",
            "stage-name-typo",
            "FROM a AS builder\nFROM b\nRUN --mount=from=builder,target=/x y\n",
        ),
        (
            "FROM a AS builder\nFROM b\nCOPY --from=Buidler /a /b\n",
            "invalid-image-reference",
            "FROM a AS builder\nFROM b\nCOPY --from=builder /a /b\n",
        ),
        (
            "FROM a AS Build\nFROM Build\n",
            "invalid-image-reference",
            "FROM a AS Build\nFROM build\n",
        ),
        (
            "FROM a\nEXPOSE 80/TCP\n",
            "ExposeProtoCasing",
            "FROM a\nEXPOSE 80/tcp\n",
        ),
        (
            "FROM a\nCOPY https://e.com/x /x\n",
            "copy-url-source",
            "FROM a\nADD https://e.com/x /x\n",
        ),
        (
            "FROM a\nRUN --network=hots x\n",
            "invalid-network",
            "FROM a\nRUN --network=host x\n",
        ),
        (
            "FROM a\nSTOPSIGNAL SIGTREM\n",
            "invalid-stop-signal",
            "FROM a\nSTOPSIGNAL SIGTERM\n",
        ),
        (
            "FROM --platform=linux/amd46 a\n",
            "unknown-platform",
            "FROM --platform=linux/amd64 a\n",
        ),
        (
            "FROM a\nRUN --device=gpu x\n",
            "labs-only-flag",
            "# syntax=docker/dockerfile:1-labs\nFROM a\nRUN --device=gpu x\n",
        ),
        (
            "FROM a\nONBUILD RUNN x\n",
            "unknown-instruction",
            "FROM a\nONBUILD RUN x\n",
        ),
    ];

    #[test]
    fn every_fix_removes_its_diagnostic() {
        for (text, code, expected) in CASES {
            let snapshot = Snapshot::new(*text);
            let actions: Vec<CodeAction> =
                crate::analysis::code_actions(&snapshot, 0..text.len(), &[])
                    .into_iter()
                    .filter(|a| a.is_preferred && a.fixes.iter().any(|(_, c)| c == code))
                    .collect();
            assert_eq!(
                actions.len(),
                1,
                "one fix for {code} in {text:?}: {actions:#?}"
            );
            let action = &actions[0];
            assert_eq!(action.kind, CodeActionKind::QuickFix);
            let fixed = apply(text, &action.edits);
            assert_eq!(fixed, *expected, "{code} in {text:?}");
            assert!(
                count(&fixed, code) < count(text, code),
                "{code} still reported after the fix: {fixed:?}"
            );
        }
    }

    #[test]
    fn every_offered_fix_removes_its_diagnostic() {
        // Whatever fixes the diagnostics offer on these files, applying one must remove the
        // diagnostic it is for.
        for (text, _, _) in CASES {
            let snapshot = Snapshot::new(*text);
            for action in crate::analysis::code_actions(&snapshot, 0..text.len(), &[]) {
                let fixed = apply(text, &action.edits);
                for (_, code) in &action.fixes {
                    assert!(
                        count(&fixed, code) < count(text, code),
                        "{} did not remove {code}: {fixed:?}",
                        action.title
                    );
                }
            }
        }
    }

    #[test]
    fn no_fix_where_quotes_hide_the_text() {
        let text = "FROM a\nRUN --mount=\"type=cahce,target=/c\" x\n";
        let snapshot = Snapshot::new(text);
        assert_eq!(count(text, "unknown-mount-type"), 1);
        assert!(crate::analysis::code_actions(&snapshot, 0..text.len(), &[]).is_empty());
    }

    #[test]
    fn selection_by_range_and_by_client_diagnostics() {
        let text = "FROM a\nRUNN x\nCOPYY a b\n";
        let snapshot = Snapshot::new(text);
        let second = crate::analysis::code_actions(&snapshot, 16..16, &[]);
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].title, "Change to COPY");
        let listed = crate::analysis::diagnostics::diagnostics(&snapshot);
        let first = listed
            .iter()
            .find(|d| d.range.start == 7)
            .cloned()
            .expect("RUNN diagnostic");
        let actions = crate::analysis::code_actions(&snapshot, 0..0, &[first]);
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].title, "Change to RUN");
        assert!(crate::analysis::code_actions(&snapshot, 0..3, &[]).is_empty());
    }
}
