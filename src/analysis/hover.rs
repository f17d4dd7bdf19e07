//! Hover documentation for instructions, flags, mounts, directives, variables, stages, images.

use super::{Hover, Snapshot};

/// Documentation for what is at `offset`.
pub fn hover(snapshot: &Snapshot, offset: usize) -> Option<Hover> {
    let _ = (snapshot, offset);
    None
}
