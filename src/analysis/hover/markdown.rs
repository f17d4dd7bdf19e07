//! Small markdown builders shared by hover and completion documentation.

use std::fmt::Write as _;

use crate::analysis::Snapshot;
use crate::model::Stage;

/// Longest value shown inline before it is cut with an ellipsis.
const MAX_INLINE: usize = 80;
/// Most lines of an instruction quoted in a fence (a long RUN would drown the hover).
const MAX_QUOTED_LINES: usize = 5;

/// `s` as inline code, safe whatever backticks it contains, on one line and cut if long.
pub(crate) fn code(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let shown = truncate(&one_line, MAX_INLINE);
    if shown.is_empty() {
        return "*empty*".to_string();
    }
    // A code span must be delimited by a backtick run longer than any run inside it.
    let longest = longest_run(&shown, '`');
    let ticks = "`".repeat(longest + 1);
    if longest == 0 {
        format!("`{shown}`")
    } else {
        format!("{ticks} {shown} {ticks}")
    }
}

/// A fenced block of `body` in `language`, with a fence longer than any backtick run inside.
pub(crate) fn fence(language: &str, body: &str) -> String {
    let ticks = "`".repeat(longest_run(body, '`').max(2) + 1);
    format!("{ticks}{language}\n{body}\n{ticks}\n")
}

/// `s` cut to at most `max` characters, with `…` when something was cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == ch { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// 1-based line of a byte offset, for people.
pub(crate) fn line_number(snapshot: &Snapshot, offset: usize) -> usize {
    snapshot.doc.line_index().line_of(offset) + 1
}

/// The lines of an instruction as written (heredoc bodies excluded), at most a few.
pub(crate) fn instruction_lines(snapshot: &Snapshot, instruction: usize) -> String {
    let Some(inst) = snapshot.model.instructions.get(instruction) else {
        return String::new();
    };
    let written = snapshot.doc.slice(inst.line_range());
    let mut lines: Vec<&str> = written.lines().map(|l| l.trim_end_matches('\r')).collect();
    if lines.len() > MAX_QUOTED_LINES {
        lines.truncate(MAX_QUOTED_LINES);
        lines.push("…");
    }
    lines.join("\n")
}

/// The first line of an instruction, cut to fit a completion detail.
pub(crate) fn instruction_summary(snapshot: &Snapshot, instruction: usize) -> String {
    let lines = instruction_lines(snapshot, instruction);
    let first = lines.lines().next().unwrap_or("").trim();
    truncate(first, 60)
}

/// The bold title of a stage: its name and index, or the index alone.
pub(crate) fn stage_title(stage: &Stage) -> String {
    match &stage.name {
        Some((name, _)) => format!("**Stage {}** · #{}", code(name), stage.index),
        None => format!("**Stage #{}**", stage.index),
    }
}

/// A stage's FROM line, for hovers on places that name it and for completion documentation.
pub(crate) fn stage_markdown(snapshot: &Snapshot, stage: &Stage) -> String {
    let Some(from) = snapshot.model.instructions.get(stage.instruction) else {
        return String::new();
    };
    let mut out = format!(
        "{} · line {}\n\n",
        stage_title(stage),
        line_number(snapshot, from.start())
    );
    out.push_str(&fence(
        "dockerfile",
        &instruction_lines(snapshot, stage.instruction),
    ));
    let _ = writeln!(
        out,
        "\n{} instructions; refer to it with `FROM`, `COPY --from=` or `RUN --mount=from=`.",
        stage.end_instruction.saturating_sub(stage.instruction)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_length() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code(""), "*empty*");
        assert_eq!(code("a\nb"), "`a b`");
        let long = "x".repeat(100);
        assert!(code(&long).ends_with("…`"));
        assert_eq!(fence("sh", "a ``` b"), "````sh\na ``` b\n````\n");
        assert_eq!(truncate("héllo", 2), "hé…");
    }
}
