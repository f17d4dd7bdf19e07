//! Build stages: names and indexes for `--from=` and `--mount=from=`, names and `scratch`
//! for a FROM.

use std::ops::Range;

use super::{CompletionList, Ctx, item, order};
use crate::analysis::CompletionKind;
use crate::analysis::cursor::At;
use crate::analysis::hover::markdown::instruction_summary;
use crate::model::Stage;

/// The stages defined before `at` (only those can be referred to).
fn earlier<'a>(ctx: &Ctx<'a>, at: At<'_>) -> &'a [Stage] {
    let stages = &ctx.model.stages;
    let n = stages.partition_point(|s| s.instruction < at.index);
    &stages[..n]
}

/// `COPY --from=` and `--mount=from=`: earlier stage names, then their indexes.
pub(super) fn for_from(ctx: &Ctx<'_>, at: At<'_>, range: Range<usize>, out: &mut CompletionList) {
    // A trigger runs in another Dockerfile's build, whose stages are unknown here.
    if at.in_trigger {
        return;
    }
    // A stage cannot copy from itself.
    let own = ctx.model.stage_of(at.index).map(|s| s.index);
    for stage in earlier(ctx, at).iter().filter(|s| Some(s.index) != own) {
        let summary = instruction_summary(ctx.snapshot, stage.instruction);
        if let Some((name, _)) = &stage.name {
            let mut it = item(name.as_str(), CompletionKind::Stage, range.clone());
            it.detail = Some(summary.clone());
            it.sort_text = order(1, stage.index);
            out.items.push(it);
        }
        let mut it = item(
            stage.index.to_string(),
            CompletionKind::Stage,
            range.clone(),
        );
        it.detail = Some(format!("stage #{}: {summary}", stage.index));
        it.sort_text = order(2, stage.index);
        out.items.push(it);
    }
}

/// A FROM's base: earlier named stages (to build on one), and `scratch`.
pub(super) fn for_base(ctx: &Ctx<'_>, at: At<'_>, range: Range<usize>, out: &mut CompletionList) {
    for stage in earlier(ctx, at) {
        if let Some((name, _)) = &stage.name {
            let mut it = item(name.as_str(), CompletionKind::Stage, range.clone());
            it.detail = Some(instruction_summary(ctx.snapshot, stage.instruction));
            it.sort_text = order(1, stage.index);
            out.items.push(it);
        }
    }
    let mut it = item("scratch", CompletionKind::Keyword, range);
    it.detail = Some("an empty base image".into());
    it.sort_text = order(4, 0);
    out.items.push(it);
}
