//! What the rules about COPY and ADD share.

use crate::model::{Arguments, Instruction, SpannedStr};

pub(super) const ARCHIVES: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

pub(super) fn drop_quotes(s: &str) -> &str {
    s.trim_matches(['"', '\''])
}

pub(super) fn is_archive(path: &str) -> bool {
    ARCHIVES.iter().any(|e| drop_quotes(path).ends_with(e))
}

/// The sources and destination of ADD or COPY (shell or JSON form).
pub(super) fn paths(inst: &Instruction) -> Option<(&[SpannedStr], &SpannedStr)> {
    let words = match &inst.command().args {
        Arguments::List(w) | Arguments::Json(w) => w.as_slice(),
        _ => return None,
    };
    let (dest, sources) = words.split_last()?;
    (!sources.is_empty()).then_some((sources, dest))
}
