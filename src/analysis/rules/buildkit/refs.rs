//! Where a variable is written inside a word, for findings about one `$NAME`.

use std::ops::Range;

use crate::analysis::rules::Cx;

/// The `$NAME` / `${NAME…}` references to `name` written inside `within` (document offsets),
/// as (whole reference, name) ranges.
pub(crate) fn references(
    cx: &Cx,
    instruction: usize,
    within: &Range<usize>,
    name: &str,
) -> Vec<(Range<usize>, Range<usize>)> {
    let Some(inst) = cx.model.instructions.get(instruction) else {
        return Vec::new();
    };
    inst.data()
        .references
        .iter()
        .filter(|r| r.name == name)
        .map(|r| (inst.abs(&r.range), inst.abs(&r.name_range)))
        .filter(|(whole, _)| within.start <= whole.start && whole.end <= within.end)
        .collect()
}

/// Where to report a variable of a word: its first reference in the word, else the word.
pub(crate) fn place(
    cx: &Cx,
    instruction: usize,
    within: &Range<usize>,
    name: &str,
) -> (Range<usize>, Option<Range<usize>>) {
    match references(cx, instruction, within, name).into_iter().next() {
        Some((whole, name)) => (whole, Some(name)),
        None => (within.clone(), None),
    }
}
