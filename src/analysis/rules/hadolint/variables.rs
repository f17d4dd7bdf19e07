//! Variable references in instruction text, for the rules that look for them.

/// Whether `$name` or `${name}` occurs in `text` (`$name` not followed by a name character).
pub(super) fn references(text: &str, name: &str) -> bool {
    if text.contains(&format!("${{{name}}}")) {
        return true;
    }
    let bare = format!("${name}");
    text.match_indices(&bare).any(|(at, _)| {
        text[at + bare.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    })
}
