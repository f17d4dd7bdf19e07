//! The one list of rules. Adding a rule is one line here (and its file).

use super::{
    Cx, DynamicRules, Family, Rule, SuppressionsBuilder, advice, buildkit, dockerfile_ls, hadolint,
    shellcheck,
};

/// Rules with their own check, in the order they run.
pub(super) static RULES: &[&Rule] = &[
    &buildkit::stage_name_casing::RULE,
    &buildkit::from_as_casing::RULE,
    &buildkit::no_empty_continuation::RULE,
    &buildkit::consistent_instruction_casing::RULE,
    &buildkit::duplicate_stage_name::RULE,
    &buildkit::reserved_stage_name::RULE,
    &buildkit::json_args_recommended::RULE,
    &buildkit::maintainer_deprecated::RULE,
    &buildkit::multiple_instructions_disallowed::RULE,
    &buildkit::legacy_key_value_format::RULE,
    &buildkit::secrets_used_in_arg_or_env::RULE,
    &buildkit::invalid_definition_description::RULE,
    &buildkit::expose_proto_casing::RULE,
    &buildkit::expose_invalid_format::RULE,
    &buildkit::copy_ignored_file::RULE,
    &buildkit::undefined_arg_in_from::RULE,
    &buildkit::undefined_var::RULE,
    &buildkit::workdir_relative_path::RULE,
    &buildkit::invalid_base_image_platform::RULE,
    &buildkit::redundant_target_platform::RULE,
    &buildkit::from_platform_flag_const_disallowed::RULE,
    &buildkit::invalid_default_arg_in_from::RULE,
];

/// Passes that report many codes each.
pub(super) static FAMILIES: &[&Family] = &[
    &dockerfile_ls::FAMILY,
    &hadolint::family::FAMILY,
    &advice::FAMILY,
];

/// Groups whose codes are open-ended; their findings are computed elsewhere and merged.
pub(super) static DYNAMIC: &[&DynamicRules] = &[&shellcheck::DYNAMIC];

/// `(alias, rule id)`: another tool's code for a problem one of our rules already reports
/// (suppressing or configuring the alias acts on the rule).
pub(super) static ALIASES: &[(&str, &str)] = hadolint::ALIASES;

/// Sources of suppressions besides BuildKit's `# check=` (e.g. `# hadolint ignore=`).
pub(super) static SUPPRESSION_SOURCES: &[fn(&Cx, &mut SuppressionsBuilder)] =
    &[hadolint::family::suppressions];
