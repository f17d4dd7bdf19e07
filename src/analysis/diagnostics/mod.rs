//! Diagnostics: everything BuildKit would reject before running a step, with fixes in mind.

use super::{Diagnostic, Snapshot};

/// All diagnostics of a snapshot, in source order.
pub fn diagnostics(snapshot: &Snapshot) -> Vec<Diagnostic> {
    let _ = snapshot;
    Vec::new()
}
