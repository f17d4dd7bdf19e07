//! What a run of the engine keeps for the next one, and when the next one may reuse it.
//!
//! Most passes are stage-local: what they find in a stage depends on that stage's
//! instructions and on the file's *context* only: the directives, the escape character,
//! the stages and every instruction that carries something to the instructions after it
//! (FROM, ARG, ENV, SHELL, WORKDIR, USER, LABEL, ONBUILD, …), the shell in effect at each
//! instruction, and the inputs. RUN, COPY and ADD carry nothing forward. So after an edit
//! that changed only RUN, COPY and ADD instructions of one stage, the stage-local passes
//! run over that stage alone, the conversion converts that stage alone
//! ([`Conversion::restage`]), and every other finding is the previous run's, moved by the
//! edit's change in size. That is what keeps typing in a large file cheap. Any other edit
//! (or other inputs) makes a full run.
//!
//! The property test in `tests.rs` checks the result against a full run after random
//! edits of real Dockerfiles.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::{Cx, Found, Scope};
use crate::analysis::Snapshot;
use crate::analysis::convert::Conversion;
use crate::analysis::shift::Shift;
use crate::model::Model;
use crate::shell::ShellState;
use crate::syntax::InstructionKind;

/// The inputs the stage-local passes and the conversion read: a run with other inputs
/// reuses nothing.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Key {
    hadolint: Option<Arc<super::hadolint::config::Config>>,
    build_args: BTreeMap<String, String>,
    target_platform: Option<String>,
    builder: String,
    /// The base images' generation; `Some(None)` when they cannot tell it.
    images: Option<Option<u64>>,
    /// The build context (cached while its ignore files do not change), by address.
    context: Option<SameContext>,
    /// Which rules run, and which experimental ones.
    severities: super::Severities,
    check: Option<super::CheckOptions>,
}

impl Key {
    pub(super) fn new(cx: &Cx<'_>) -> Key {
        let inputs = cx.inputs;
        Key {
            hadolint: inputs.hadolint.clone(),
            build_args: inputs.build_args.clone(),
            target_platform: inputs.target_platform.clone(),
            builder: cx.platform().to_string(),
            images: inputs.images.as_ref().map(|i| i.generation()),
            context: inputs.context.clone().map(SameContext),
            severities: inputs.severities.clone(),
            check: inputs.check.clone(),
        }
    }

    /// Whether a result computed with `self` holds for `other`.
    fn reusable_for(&self, other: &Key) -> bool {
        self == other && !matches!(self.images, Some(None))
    }
}

/// A build context compared by address; holding it keeps the address from being reused.
#[derive(Clone, Debug)]
struct SameContext(Arc<super::BuildContext>);

impl PartialEq for SameContext {
    fn eq(&self, other: &SameContext) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What a run keeps for the next one.
#[derive(Debug)]
pub struct Memo {
    key: Key,
    model: Arc<Model>,
    text_len: usize,
    states: Vec<ShellState>,
    /// The stage-local passes' findings (before configuration), by start offset.
    local: Vec<Found>,
    pub(super) conversion: Arc<Conversion>,
}

impl Memo {
    pub(super) fn new(
        key: Key,
        snapshot: &Snapshot,
        local: Vec<Found>,
        conversion: Arc<Conversion>,
    ) -> Memo {
        Memo {
            key,
            model: Arc::clone(&snapshot.model),
            text_len: snapshot.text().len(),
            states: snapshot.shell().states().to_vec(),
            local,
            conversion,
        }
    }

    pub(super) fn local(&self) -> &[Found] {
        &self.local
    }
}

/// How a run reuses a previous one: the stage it analyses again, and how the rest moved.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    /// The stage (`None`: the instructions before the first FROM).
    pub stage: Option<usize>,
    /// Its instructions, in the new model.
    pub instructions: Range<usize>,
    /// Its bytes, in the new text: from its first instruction to the next stage's FROM.
    pub bytes: Range<usize>,
    pub shift: Shift,
}

/// Instructions that carry nothing to the instructions after them.
fn carries_nothing(kind: InstructionKind) -> bool {
    matches!(
        kind,
        InstructionKind::Run | InstructionKind::Copy | InstructionKind::Add
    )
}

impl Plan {
    /// The plan for analysing `snapshot` after `memo`'s run, if the edits between them
    /// allow one (see the module doc).
    pub(super) fn new(memo: &Memo, snapshot: &Snapshot, key: &Key) -> Option<Plan> {
        if !memo.key.reusable_for(key) {
            return None;
        }
        let (old, new) = (&*memo.model, &*snapshot.model);
        if old.escape != new.escape || old.directives != new.directives {
            return None;
        }
        let (olds, news) = (&old.instructions, &new.instructions);
        let (no, nn) = (olds.len(), news.len());
        let same = |a: &crate::model::Instruction, b: &crate::model::Instruction| {
            Arc::ptr_eq(a.data(), b.data())
        };
        let prefix = olds
            .iter()
            .zip(news)
            .take_while(|(a, b)| a.start() == b.start() && same(a, b))
            .count();
        let text_len = snapshot.text().len();
        let delta = text_len as isize - memo.text_len as isize;
        let suffix = olds[prefix..]
            .iter()
            .rev()
            .zip(news[prefix..].iter().rev())
            .take_while(|(a, b)| {
                a.start().checked_add_signed(delta) == Some(b.start()) && same(a, b)
            })
            .count();
        let first = prefix.checked_sub(1)?;
        let changed = olds[prefix..no - suffix]
            .iter()
            .chain(&news[prefix..nn - suffix]);
        if !changed.clone().all(|i| carries_nothing(i.kind())) {
            return None;
        }
        let stage = new.stage_of(first);
        let (start, end) = match stage {
            Some(s) => (s.instruction, s.end_instruction.min(nn)),
            None => (0, new.stages.first().map_or(nn, |s| s.instruction)),
        };
        let old_end = (end + no).checked_sub(nn)?;
        if end < nn - suffix || old_end > no {
            return None;
        }
        let offset = |instructions: &[crate::model::Instruction], i: usize, len: usize| {
            instructions.get(i).map_or(len, |inst| inst.start())
        };
        let bytes = news[start].start()..offset(news, end, text_len);
        let old_bytes_end = offset(olds, old_end, memo.text_len);
        let states = snapshot.shell().states();
        if states.get(..start) != memo.states.get(..start)
            || states.get(end..) != memo.states.get(old_end..)
        {
            return None;
        }
        Some(Plan {
            stage: stage.map(|s| s.index),
            instructions: start..end,
            shift: Shift {
                old_end: old_bytes_end,
                bytes: bytes.end as isize - old_bytes_end as isize,
                old_index_end: old_end,
                index: nn as isize - no as isize,
            },
            bytes,
        })
    }

    /// The stage-local findings of the new text: the previous ones before the stage, the
    /// stage's `fresh` ones (sorted by start), and the previous ones after it, moved.
    pub(super) fn merge(&self, previous: &[Found], fresh: Vec<Found>) -> Vec<Found> {
        let before = previous.partition_point(|f| f.diagnostic.range.start < self.bytes.start);
        let after = previous.partition_point(|f| f.diagnostic.range.start < self.shift.old_end);
        let mut out = Vec::with_capacity(previous.len() + fresh.len());
        out.extend_from_slice(&previous[..before]);
        out.extend(fresh);
        out.extend(
            previous[after.max(before)..]
                .iter()
                .map(|f| moved(f, &self.shift)),
        );
        out
    }
}

/// A finding after the edited window, where it is now.
fn moved(found: &Found, shift: &Shift) -> Found {
    let mut found = found.clone();
    let d = &mut found.diagnostic;
    d.range = shift.range(&d.range);
    for (range, _) in &mut d.related {
        *range = shift.range(range);
    }
    if let Some(fix) = &mut found.fix {
        for edit in &mut fix.edits {
            edit.range = shift.range(&edit.range);
        }
    }
    if let Scope::Instruction(i) = found.scope {
        found.scope = Scope::Instruction(shift.index(i));
    }
    found
}
