//! Variables after `$` and `${`: the ARGs and ENVs visible at the cursor (nearest first) and
//! the predefined variables that hold a value there, each with its current value as detail.
//!
//! What holds a value where, as BuildKit's Dockerfile frontend sets it up
//! (`frontend/dockerfile/dockerfile2llb`): in the global scope (ARG defaults before the first
//! FROM, and FROM lines) the declared global ARGs and the automatic platform ARGs; in a stage,
//! the ARGs and ENVs it declares or inherits, which other instructions expand and which a
//! RUN's shell finds in its environment, except the two SBOM ARGs, which are never put there.
//! A RUN's environment also gets the proxy variables passed as build arguments (both
//! spellings). BuildKit's own build arguments (`BUILDKIT_*`) and `SOURCE_DATE_EPOCH` hold a
//! value only where an ARG declares them, so they are offered only as declared ARGs.

use super::{CompletionList, Ctx, item, order};
use crate::analysis::CompletionKind;
use crate::analysis::cursor::{self, At};
use crate::analysis::hover::markdown::truncate;
use crate::catalog::{self, ArgKind};
use crate::model::{DeclKind, Declaration};
use crate::syntax::InstructionKind;

/// Longest value shown in a detail.
const MAX_DETAIL_VALUE: usize = 40;

/// ARGs BuildKit reads itself and keeps out of a RUN's environment even when declared.
const NOT_IN_RUN_ENV: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// A `$` or `${` being typed, found at the end of the text before the cursor.
pub(super) struct Found {
    /// Offset of the `$` in the text searched.
    pub dollar: usize,
    pub braced: bool,
}

/// The variable being typed at the end of `before`: a `$` followed by `{` and/or a partial
/// name, not escaped.
pub(super) fn find(before: &str, escape: char) -> Option<Found> {
    let dollar = before.rfind('$')?;
    let after = &before[dollar + 1..];
    let (braced, name) = match after.strip_prefix('{') {
        Some(name) => (true, name),
        None => (false, after),
    };
    let is_name = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    // An odd number of escape characters before the `$` makes it a literal dollar.
    let escapes = before[..dollar]
        .chars()
        .rev()
        .take_while(|c| *c == escape)
        .count();
    (is_name && escapes % 2 == 0).then_some(Found { dollar, braced })
}

/// In a heredoc body: a variable being typed on the cursor's line.
pub(super) fn in_line(ctx: &Ctx<'_>, at: At<'_>, out: &mut CompletionList) {
    let line_start = ctx.text[..ctx.offset].rfind('\n').map_or(0, |i| i + 1);
    let start = cursor::word_start(ctx.text, ctx.offset, line_start);
    if let Some(found) = find(ctx.before(start), at.instruction.data().escape) {
        complete(ctx, at, start + found.dollar, found.braced, out);
    }
}

/// Variables for a reference whose `$` is at `dollar`.
pub(super) fn complete(
    ctx: &Ctx<'_>,
    at: At<'_>,
    dollar: usize,
    braced: bool,
    out: &mut CompletionList,
) {
    let name_end = ctx.word_end(|c| c.is_ascii_alphanumeric() || c == '_');
    let end = if braced && ctx.text[name_end..].starts_with('}') {
        name_end + 1
    } else {
        name_end
    };
    let range = dollar..end;
    let model = ctx.model;
    let first_from = model.stages.first().map(|s| s.instruction);
    let global = first_from.is_none_or(|f| at.index < f)
        || (at.instruction.kind() == InstructionKind::From && !at.in_trigger);
    let in_run = at.command.kind == InstructionKind::Run;
    let mut declared = model.visible_variables(at.index);
    if in_run {
        declared.retain(|d| !NOT_IN_RUN_ENV.contains(&d.name.as_str()));
    }
    // Global ARG defaults, read once and only when an `ARG NAME` without default needs one.
    let mut globals: Option<Vec<Declaration>> = None;
    let label = |name: &str| {
        if braced {
            format!("${{{name}}}")
        } else {
            format!("${name}")
        }
    };
    for (i, decl) in declared.iter().enumerate() {
        let mut it = item(label(&decl.name), CompletionKind::Variable, range.clone());
        let detail = match (decl.kind, decl.unquoted_value()) {
            (DeclKind::Env, value) => format!("ENV = {}", shown(&value.unwrap_or_default())),
            (DeclKind::Arg, Some(v)) => format!("ARG = {}", shown(&v)),
            (DeclKind::Arg, None) if !global => {
                let globals = globals.get_or_insert_with(|| model.global_args(usize::MAX));
                match globals
                    .iter()
                    .rev()
                    .find(|g| g.name == decl.name)
                    .and_then(Declaration::unquoted_value)
                {
                    Some(v) => format!("ARG = {} (global default)", shown(&v)),
                    None => "ARG: set at build time".into(),
                }
            }
            (DeclKind::Arg, None) => "ARG: set at build time".into(),
        };
        it.detail = Some(detail);
        it.sort_text = order(1, i);
        out.items.push(it);
    }
    for (i, doc) in catalog::args::predefined_args().iter().enumerate() {
        let usable = match doc.kind {
            ArgKind::Proxy => in_run,
            ArgKind::Platform => global,
            ArgKind::BuildKit => false,
        };
        if !usable || declared.iter().any(|d| d.name == doc.name) {
            continue;
        }
        let mut it = item(label(doc.name), CompletionKind::Variable, range.clone());
        it.detail = Some(if doc.example.is_empty() {
            "predefined: set at build time".to_string()
        } else {
            format!(
                "predefined: set at build time (e.g. {})",
                shown(doc.example)
            )
        });
        let group = if doc.kind == ArgKind::Platform { 2 } else { 3 };
        it.sort_text = order(group, i);
        out.items.push(it);
    }
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        "\"\"".into()
    } else {
        truncate(value, MAX_DETAIL_VALUE)
    }
}
