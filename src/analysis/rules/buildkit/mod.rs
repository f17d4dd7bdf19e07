//! BuildKit's build checks (`frontend/dockerfile/linter/ruleset.go`), one file per rule,
//! with BuildKit's names, trigger conditions and lines. Their summaries and links are in
//! [`crate::catalog::checks`].
//!
//! BuildKit attaches each finding to an instruction; we narrow the range to the word the
//! finding is about where there is one (a stage name, a key, a `$VAR`), and keep the
//! instruction for suppression (see [`super::Scope`]).

pub mod consistent_instruction_casing;
pub mod copy_ignored_file;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod invalid_base_image_platform;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
pub mod redundant_target_platform;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod workdir_relative_path;

mod expose;
mod quote;
mod refs;
#[cfg(test)]
mod tests;

use crate::model::{Arguments, Instruction, Model, SpannedStr};
use crate::syntax::InstructionKind;

/// The instructions BuildKit puts in stages: everything from the first FROM on (ARGs before
/// it are the global "meta" ARGs, which stage-level checks do not see), with their indexes.
pub(crate) fn in_stages(model: &Model) -> impl Iterator<Item = (usize, &Instruction)> {
    let first = model
        .stages
        .first()
        .map_or(model.instructions.len(), |s| s.instruction);
    model.instructions.iter().enumerate().skip(first)
}

/// The words of a FROM line (`image [AS name]`), as BuildKit's `nodeArgs` lists them.
pub(crate) fn from_words(inst: &Instruction) -> &[SpannedStr] {
    match (&inst.command().kind, &inst.command().args) {
        (InstructionKind::From, Arguments::List(words)) => words.as_slice(),
        _ => &[],
    }
}

/// Go's `strings.ToLower(s) == s` and `strings.ToUpper(s) == s` for a keyword.
pub(crate) fn is_lower(s: &str) -> bool {
    if s.is_ascii() {
        !s.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        s.to_lowercase() == s
    }
}

pub(crate) fn is_upper(s: &str) -> bool {
    if s.is_ascii() {
        !s.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        s.to_uppercase() == s
    }
}
