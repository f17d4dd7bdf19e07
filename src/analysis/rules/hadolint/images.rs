//! What the rules about FROM images share.

use crate::model::{Arguments, Instruction, SpannedStr};

/// FROM's image word and its stage name, if written.
pub(super) fn from_words(inst: &Instruction) -> Option<(&SpannedStr, Option<&SpannedStr>)> {
    let Arguments::List(words) = &inst.command().args else {
        return None;
    };
    let image = words.first()?;
    let alias = match words.as_slice() {
        [_, kw, name] if kw.value.eq_ignore_ascii_case("as") => Some(name),
        _ => None,
    };
    Some((image, alias))
}

/// The tag of an image reference (after the last `:` that follows the last `/`).
pub(super) fn tag(image: &str) -> Option<&str> {
    let name = image.split('@').next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    last.split_once(':').map(|(_, t)| t)
}

/// The registry of an image reference, when it names one (`ghcr.io/x/y`).
pub(super) fn registry(image: &str) -> Option<&str> {
    let (first, _) = image.split_once('/')?;
    (first.contains(['.', ':']) || first == "localhost").then_some(first)
}

/// Whether a `trustedRegistries` entry (`docker.io`, `*.example.com`, `registry.*`, `*`)
/// allows a registry.
pub(super) fn allows(pattern: &str, registry: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return registry.ends_with(suffix);
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return registry.starts_with(prefix);
    }
    pattern == registry
}
