//! DL3006: Always tag the version of an image explicitly.

use super::images::*;
use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`FROM image` without a tag means `latest`, which changes whenever the image is \
        republished, so the build is not reproducible. Write an explicit tag (or a digest). \
        `scratch`, earlier stage names, digests and references that start with a variable are not \
        reported.";

/// DL3006: `FROM image` without a tag (scratch, digests, variables and earlier stage names
/// are fine).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut aliases: Vec<&str> = Vec::new();
    for (index, inst) in cx.instructions(InstructionKind::From) {
        // Only the window is checked; what comes after it tells nothing about it.
        if index >= cx.window.end {
            break;
        }
        let Some((image, alias)) = from_words(inst) else {
            continue;
        };
        let value = image.value.as_str();
        let untagged = value != "scratch"
            && !value.contains('@')
            && tag(value).is_none()
            && !value.starts_with('$')
            && !aliases.contains(&value);
        if untagged && cx.visits(index) {
            out.push(Finding::new(
                "DL3006",
                inst.abs(&image.range),
                "Always tag the version of an image explicitly",
            ));
        }
        if let Some(alias) = alias {
            aliases.push(alias.value.as_str());
        }
    }
}
