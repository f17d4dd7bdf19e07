//! Where a heredoc's name is written: in its `<<NAME` marker and on its terminator line.

use std::ops::Range;

use crate::model::{Heredoc, Instruction};

/// The name in the marker and in the terminator, as document ranges. The marker's name is
/// found when it is written plainly or in one pair of quotes (`<<EOF`, `<<-'EOF'`,
/// `3<< "EOF"`); a name quoted piecemeal (`<<E"O"F`) has none, and so cannot be renamed.
pub fn heredoc_name_ranges(
    text: &str,
    inst: &Instruction,
    heredoc: &Heredoc,
) -> (Option<Range<usize>>, Option<Range<usize>>) {
    let marker = inst.abs(&heredoc.marker_range);
    let in_marker = text
        .get(marker.clone())
        .and_then(|written| name_in_marker(written, &heredoc.name))
        .map(|r| marker.start + r.start..marker.start + r.end);
    let in_terminator = heredoc.terminator_range.as_ref().and_then(|rel| {
        let range = inst.abs(rel);
        let written = text.get(range.clone())?;
        let lead = written.len() - written.trim_start_matches('\t').len();
        written[lead..]
            .starts_with(heredoc.name.as_str())
            .then(|| range.start + lead..range.start + lead + heredoc.name.len())
    });
    (in_marker, in_terminator)
}

/// The name's range inside a marker word such as `3<<-'EOF'`.
fn name_in_marker(written: &str, name: &str) -> Option<Range<usize>> {
    let digits = written.bytes().take_while(u8::is_ascii_digit).count();
    let after = written.get(digits..)?.strip_prefix("<<")?;
    let after = after.strip_prefix('-').unwrap_or(after);
    let rest = after.trim_start_matches([' ', '\t', '\r', '\n', '\u{0C}']);
    let start = written.len() - rest.len();
    if rest == name {
        return Some(start..written.len());
    }
    let quoted = rest.len() == name.len() + 2
        && (rest.starts_with('\'') && rest.ends_with('\'')
            || rest.starts_with('"') && rest.ends_with('"'))
        && &rest[1..rest.len() - 1] == name;
    quoted.then(|| start + 1..written.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_markers() {
        let cases = [
            ("<<EOF", "EOF", Some(2..5)),
            ("<<-EOF", "EOF", Some(3..6)),
            ("3<<'EOF'", "EOF", Some(4..7)),
            ("<< \"END\"", "END", Some(4..7)),
            ("<<E\"O\"F", "EOF", None),
            ("<<EOF", "OTHER", None),
            ("EOF", "EOF", None),
        ];
        for (written, name, want) in cases {
            assert_eq!(name_in_marker(written, name), want, "{written}");
        }
    }
}
