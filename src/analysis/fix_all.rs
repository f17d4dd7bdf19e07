//! Applying every safe fix to a text, again and again until nothing is left to fix (`check
//! --fix`). A fix is safe when it cannot change what the build does or guess what the
//! author meant: casing (BuildKit lower-cases stage names itself), blank lines inside a
//! continuation, `ENV k v` written as `ENV k=v`, and a form BuildKit refuses rewritten into the
//! one it accepts. A "did you mean" correction is a guess, and exec form instead of shell form
//! or a label instead of MAINTAINER change the image; those stay quick fixes in the editor.

use std::ops::Range;

use super::rules::{self, Found, Inputs};
use super::{Edit, Snapshot};

/// At most this many rounds: a fix that makes another finding appear is re-analysed, but a
/// cycle of fixes must end.
pub const MAX_ROUNDS: usize = 10;

/// Whether a finding's fix is applied by `check --fix`: its rule says so
/// ([`rules::Rule::safe_fix`]).
pub fn is_safe(code: &str) -> bool {
    rules::rule(code).is_some_and(|r| r.safe_fix)
}

/// What fixing a text did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    /// False when safe fixes were still left after [`MAX_ROUNDS`] rounds, or a round gave a
    /// text seen before (fixes that undo each other).
    pub converged: bool,
}

/// `text` with every safe fix applied, re-analysed after each round with `inputs` (so that
/// what the settings or `# check=` skip is not fixed either).
pub fn fix_all(text: &str, inputs: &Inputs) -> Fixed {
    let mut current = text.to_string();
    let mut seen = vec![current.clone()];
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let findings = rules::run(&Snapshot::new(current.as_str()), inputs);
        let edits = safe_edits(&findings);
        if edits.is_empty() {
            return Fixed {
                text: current,
                applied,
                converged: true,
            };
        }
        let (next, count) = apply(&current, &edits);
        applied += count;
        if seen.contains(&next) {
            return Fixed {
                text: next,
                applied,
                converged: false,
            };
        }
        seen.push(next.clone());
        current = next;
    }
    let left = !safe_edits(&rules::run(&Snapshot::new(current.as_str()), inputs)).is_empty();
    Fixed {
        text: current,
        applied,
        converged: !left,
    }
}

/// The edits of each safe fix, one group per fix.
fn safe_edits(found: &[Found]) -> Vec<&[Edit]> {
    found
        .iter()
        .filter(|f| is_safe(&f.diagnostic.code))
        .filter_map(|f| f.fix.as_ref().map(|fix| fix.edits.as_slice()))
        .collect()
}

/// Applies whole fixes in source order, skipping any fix with an edit that overlaps one
/// already taken (the next round sees it again); the new text and how many fixes went in.
fn apply(text: &str, fixes: &[&[Edit]]) -> (String, usize) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut count = 0;
    for edits in fixes {
        let clashes = edits.iter().any(|e| {
            e.range.end > text.len()
                || !text.is_char_boundary(e.range.start)
                || !text.is_char_boundary(e.range.end)
                || taken.iter().any(|t| overlaps(&t.range, &e.range))
        });
        if !clashes {
            taken.extend(edits.iter());
            count += 1;
        }
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in taken {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.new_text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    (out, count)
}

/// Overlap, counting two insertions at one place (their order would be a guess).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end || a.start == b.start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_fixes_are_applied_and_guesses_are_not() {
        let text = "from alpine\nRun echo hi\nEXPOSE 80/TCP\nRUNN x\nSHELL /bin/sh -c\n";
        let fixed = fix_all(text, &Inputs::default());
        assert_eq!(
            fixed.text,
            "FROM alpine\nRUN echo hi\nEXPOSE 80/tcp\nRUNN x\nSHELL [\"/bin/sh\", \"-c\"]\n"
        );
        assert!(fixed.converged);
        // `from` joins the file's majority (upper) case, as BuildKit's
        // ConsistentInstructionCasing asks, beside the mixed-case `Run`.
        assert_eq!(fixed.applied, 4, "{fixed:?}");
        let left: Vec<_> = rules::run(&Snapshot::new(fixed.text.as_str()), &Inputs::default())
            .into_iter()
            .map(|f| f.diagnostic.code)
            .collect();
        assert!(left.iter().any(|c| c == "unknown-instruction"), "{left:?}");
        assert!(!left.iter().any(|c| is_safe(c)), "{left:?}");
    }

    #[test]
    fn safe_fixes_are_the_mechanical_ones() {
        let safe: Vec<&str> = rules::rules()
            .filter(|r| r.safe_fix)
            .map(|r| r.id)
            .collect();
        assert_eq!(
            safe,
            [
                "StageNameCasing",
                "FromAsCasing",
                "NoEmptyContinuation",
                "ConsistentInstructionCasing",
                "LegacyKeyValueFormat",
                "ExposeProtoCasing",
                "directive-casing",
                "shell-not-json",
            ]
        );
        // A safe rule has a fix to apply; guesses and changes to the image are not safe.
        for rule in rules::rules().filter(|r| r.safe_fix) {
            assert!(rule.fix.is_some(), "{} is safe but has no fix", rule.id);
        }
        for guess in [
            "UndefinedVar",
            "JSONArgsRecommended",
            "MaintainerDeprecated",
        ] {
            assert!(!is_safe(guess), "{guess}");
        }
    }

    #[test]
    fn what_is_skipped_is_not_fixed() {
        let text = "# check=skip=StageNameCasing\nFROM alpine AS Build\nrun echo\nFROM Build\n";
        let fixed = fix_all(text, &Inputs::default());
        assert_eq!(
            fixed.text,
            "# check=skip=StageNameCasing\nFROM alpine AS Build\nRUN echo\nFROM Build\n"
        );
    }

    #[test]
    fn a_clean_text_is_left_alone() {
        let text = "FROM alpine\nRUN echo hi\n";
        assert_eq!(
            fix_all(text, &Inputs::default()),
            Fixed {
                text: text.to_string(),
                applied: 0,
                converged: true
            }
        );
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let edit = |range: Range<usize>, t: &str| Edit {
            range,
            new_text: t.to_string(),
        };
        let a = [edit(0..3, "x")];
        let b = [edit(2..4, "y")];
        let c = [edit(5..5, "!")];
        let (out, count) = apply("abcdefg", &[&a, &b, &c]);
        assert_eq!((out.as_str(), count), ("xde!fg", 2));
    }
}
