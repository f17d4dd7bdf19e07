//! What a stage inherits that some checks need: whether a SHELL is configured when it starts.

use crate::analysis::rules::Cx;
use crate::model::{Arguments, BaseImage};
use crate::syntax::InstructionKind;

/// The state a stage starts with.
pub(crate) struct Inherited {
    /// Whether the image config has a SHELL.
    pub inherited: bool,
}

/// Whether a SHELL is configured when stage `index` starts: from the stages it builds on,
/// down to scratch or a base image. `None` when that depends on a base image whose
/// configuration is not known.
pub(crate) fn shell_before(cx: &Cx, index: usize) -> Option<Inherited> {
    let mut current = index;
    // A chain of stages is at most as long as the list of stages.
    for _ in 0..=cx.model.stages.len() {
        match cx.model.base_image(current) {
            BaseImage::Stage(parent) => {
                if let Some(shell) = last_shell(cx, parent) {
                    return Some(Inherited { inherited: shell });
                }
                current = parent;
            }
            BaseImage::Scratch => return Some(Inherited { inherited: false }),
            BaseImage::Image(image) => {
                let images = cx.inputs.images.as_ref()?;
                let config = images.config(&image.normalized(), cx.platform())?;
                return Some(Inherited {
                    inherited: !config.shell.is_empty(),
                });
            }
            BaseImage::Unresolved | BaseImage::Invalid(_) | BaseImage::Missing => return None,
        }
    }
    None
}

/// Whether the last SHELL of a stage (if it has one) sets a shell.
fn last_shell(cx: &Cx, stage: usize) -> Option<bool> {
    let stage = cx.model.stages.get(stage)?;
    (stage.instruction + 1..stage.end_instruction)
        .rev()
        .filter_map(|i| cx.model.instructions.get(i))
        .find(|inst| inst.kind() == InstructionKind::Shell && inst.command().is_json())
        .map(|inst| matches!(&inst.command().args, Arguments::Json(items) if !items.is_empty()))
}
