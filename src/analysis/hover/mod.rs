//! Hover documentation for instructions, flags, mounts, directives, variables, stages, images.
//!
//! [`hover`] asks [`cursor::locate`](super::cursor::locate) what is under the cursor and
//! hands it to the submodule that knows about it: catalog pages ([`docs`]), variables
//! ([`variables`]), stages and image references ([`images`]). Every answer covers exactly the
//! hovered token.

mod diagnostic;
mod docs;
pub(crate) mod images;
pub(crate) mod markdown;
mod variables;

pub use diagnostic::with_rules;

use super::cursor::{self, Target, WordRole};
use super::{Hover, Snapshot};
use crate::catalog;

/// Documentation for what is at `offset`; `None` where there is nothing to say.
pub fn hover(snapshot: &Snapshot, offset: usize) -> Option<Hover> {
    let cursor = cursor::locate(snapshot, offset);
    let (range, markdown) = match cursor.target {
        Target::Directive { directive, part } => docs::directive(directive, part, cursor.offset)?,
        Target::Keyword { at, range } => (range, docs::keyword(at)?),
        Target::FlagName { at, flag, range } => (range, docs::flag(at, flag)?),
        Target::FlagValue { at, flag, range } => {
            let value = snapshot.doc.slice(range.clone());
            let markdown = match flag.name.as_str() {
                "from" if at.command.kind == crate::syntax::InstructionKind::Copy => {
                    images::stage_or_image(snapshot, at, flag.value.as_deref().unwrap_or(value))
                }
                "platform" => docs::platform_value(at, flag, value)?,
                _ => docs::flag(at, flag)?,
            };
            (range, markdown)
        }
        Target::MountField { at, field, .. } => match (&field.value_range, field.on_value) {
            (Some(value_range), true) => {
                let value = field.value.unwrap_or("");
                let markdown = match catalog::canonical_key(field.key.trim()) {
                    Some("type") => docs::mount_type(value)?,
                    Some("from") => images::stage_or_image(snapshot, at, value),
                    _ => docs::mount_key(field.key, field.mount_type)?,
                };
                (value_range.clone(), markdown)
            }
            _ => (
                field.key_range.clone(),
                docs::mount_key(field.key, field.mount_type)?,
            ),
        },
        Target::Variable {
            at,
            name,
            range,
            modifier,
            ..
        } => (
            range,
            variables::reference(snapshot, at, name, modifier, cursor.offset),
        ),
        Target::Word {
            at,
            role,
            value,
            range,
        } => {
            let markdown = match role {
                WordRole::BaseImage { stage } => images::base(snapshot, stage)?,
                WordRole::FromAs { stage } | WordRole::StageName { stage } => {
                    images::stage_definition(snapshot, stage)?
                }
                WordRole::ArgName | WordRole::EnvKey => {
                    variables::declaration(snapshot, at, value, range.start)?
                }
                WordRole::HealthcheckType => docs::healthcheck_type(value)?,
                WordRole::Other => return None,
            };
            (range, markdown)
        }
        Target::HeredocMarker { at, heredoc, range } => {
            (range, docs::heredoc_marker(snapshot, at, heredoc))
        }
        Target::Blank { .. }
        | Target::Comment { .. }
        | Target::HeredocBody { .. }
        | Target::Gap { .. } => return None,
    };
    Some(Hover { range, markdown })
}

#[cfg(test)]
mod tests;
