//! DL3007: Using latest is prone to errors.

use super::images::*;
use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "The `latest` tag moves whenever a new image is pushed, so builds change without any \
        change to the Dockerfile. Name the version you tested with (and pin its digest if you \
        want full reproducibility).";

/// DL3007: `FROM image:latest` (without a digest).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::From) {
        let Some((image, _)) = from_words(inst) else {
            continue;
        };
        if !image.value.contains('@') && tag(&image.value) == Some("latest") {
            out.push(Finding::new(
                "DL3007",
                inst.abs(&image.range),
                "Using latest is prone to errors if the image will ever update. Pin the version \
                 explicitly to a release tag",
            ));
        }
    }
}
