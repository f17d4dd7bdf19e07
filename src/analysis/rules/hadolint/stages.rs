//! What the rules about stages share.

use crate::model::{Arguments, Instruction};

/// The name a stage is known by in hadolint's stage tracking: its alias, else its image.
pub(super) fn stage_key(inst: &Instruction) -> Option<(String, String)> {
    let Arguments::List(words) = &inst.command().args else {
        return None;
    };
    let image = words.first()?.value.to_string();
    let alias = match words.as_slice() {
        [_, kw, name] if kw.value.eq_ignore_ascii_case("as") => name.value.to_string(),
        _ => image.clone(),
    };
    Some((alias, image))
}
