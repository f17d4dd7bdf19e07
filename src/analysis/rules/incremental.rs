//! What a run of the engine keeps for the next one, and when the next one may reuse it.
//!
//! Most passes are stage-local: what they find in a stage depends on that stage's
//! instructions and on the file's *context* only: the directives, the escape character,
//! the stages and every instruction that carries something to the instructions after it
//! (FROM, ARG, ENV, SHELL, WORKDIR, USER, LABEL, ONBUILD, …), the shell in effect at each
//! instruction, the comments between instructions, and the inputs. RUN, COPY and ADD carry
//! nothing forward. So after an edit that changed only RUN, COPY and ADD instructions of one
//! stage, and no text between instructions, the suppressions are the previous run's, the
//! stage-local passes run over that stage alone, the conversion converts that stage alone
//! ([`Conversion::restage`]), and every other finding is the previous run's, moved by the
//! edit's change in size. That is what keeps typing in a large file cheap. Any other edit
//! (or other inputs) makes a full run.
//!
//! The property test in `tests.rs` checks the result against a full run after random
//! edits of real Dockerfiles.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Cx, Found, Scope, Suppressions};
use crate::analysis::Snapshot;
use crate::analysis::convert::Conversion;
use crate::analysis::shift::{EditedStage, Shift};
use crate::model::Model;
use crate::shell::ShellState;

/// The inputs the stage-local passes and the conversion read: a run with other inputs
/// reuses nothing.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Key {
    hadolint: Option<Arc<super::hadolint::config::Config>>,
    build_args: BTreeMap<String, String>,
    target_platform: Option<String>,
    /// The builder's platform when it is given; `builder` is then that, else the guess.
    platform: Option<String>,
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
            platform: inputs.platform.clone(),
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
    gaps: Gaps,
    states: Arc<[ShellState]>,
    /// The stage-local passes' findings (before configuration), by start offset.
    local: Vec<Found>,
    pub(super) conversion: Arc<Conversion>,
    /// They depend on the comments and directives alone, and on instruction indices, which
    /// an edit that keeps the text between instructions keeps too.
    pub(super) suppressions: Arc<Suppressions>,
}

/// What was found and resolved in a run, for [`Memo::new`].
pub(super) struct Kept {
    pub local: Vec<Found>,
    pub conversion: Arc<Conversion>,
    pub suppressions: Arc<Suppressions>,
}

impl Memo {
    pub(super) fn new(key: Key, snapshot: &Snapshot, kept: Kept) -> Memo {
        Memo {
            key,
            model: Arc::clone(&snapshot.model),
            text_len: snapshot.text().len(),
            gaps: Gaps::of(&snapshot.model, snapshot.text()),
            states: Arc::clone(snapshot.shell_states()),
            local: kept.local,
            conversion: kept.conversion,
            suppressions: kept.suppressions,
        }
    }

    /// The one stage the edits from this run's text to `snapshot`'s changed, if they changed
    /// only RUN, COPY and ADD instructions of one stage (see [`EditedStage::between`]).
    pub(super) fn edited(&self, snapshot: &Snapshot) -> Option<EditedStage> {
        EditedStage::between(
            &self.model,
            self.text_len,
            &snapshot.model,
            snapshot.text().len(),
        )
    }

    /// The platform this run guessed from the file, when it was not given. After an edit
    /// that [`Memo::edited`] finds, the guess is the same: it reads the FROM lines and the
    /// global ARGs, which such an edit keeps.
    pub(super) fn guessed_platform(&self) -> Option<&str> {
        self.key
            .platform
            .is_none()
            .then_some(self.key.builder.as_str())
    }

    pub(super) fn local(&self) -> &[Found] {
        &self.local
    }
}

/// The text between instructions (see [`Model::gaps`]), as it was. An edit there changes no
/// instruction, but what is there configures the checks (`# check=`,
/// `# hadolint ignore=`), names the shell (`# hadolint shell=`) and describes stages and
/// ARGs.
#[derive(Debug)]
struct Gaps {
    text: String,
    /// Where each gap ends in `text`.
    ends: Vec<usize>,
}

impl Gaps {
    fn of(model: &Model, text: &str) -> Gaps {
        let mut gaps = Gaps {
            text: String::new(),
            ends: Vec::with_capacity(model.instructions.len() + 1),
        };
        for gap in model.gaps(text) {
            gaps.text.push_str(gap);
            gaps.ends.push(gaps.text.len());
        }
        gaps
    }

    /// Whether `model`'s gaps in `text` are these.
    fn same_as(&self, model: &Model, text: &str) -> bool {
        let mut ends = self.ends.iter();
        let mut start = 0;
        let same = model.gaps(text).all(|gap| {
            let Some(&end) = ends.next() else {
                return false;
            };
            let was = self.text.get(start..end);
            start = end;
            was == Some(gap)
        });
        same && ends.next().is_none()
    }
}

/// How a run reuses a previous one: the stage it analyses again, and how the rest moved.
pub(super) type Plan = EditedStage;

/// The plan for analysing `snapshot` after `memo`'s run, whose edits changed the stage
/// `edited` ([`Memo::edited`]), if the inputs and the text between instructions allow one
/// (see the module doc).
pub(super) fn plan(
    memo: &Memo,
    snapshot: &Snapshot,
    key: &Key,
    edited: EditedStage,
) -> Option<Plan> {
    if !memo.key.reusable_for(key) || !memo.gaps.same_as(&snapshot.model, snapshot.text()) {
        return None;
    }
    // The shell in effect at each instruction is as before: with the text between the
    // instructions kept (so as many instructions as before) and only RUN, COPY and ADD
    // changed, nothing that sets it (FROM, SHELL, `# hadolint shell=`) changed or moved.
    snapshot.reuse_shell_states(&memo.states);
    Some(edited)
}

impl Plan {
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
