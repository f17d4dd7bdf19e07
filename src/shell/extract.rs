//! The scripts an instruction runs, pieced together from the Dockerfile the way BuildKit
//! hands them to the shell, each with its byte map.
//!
//! - The shell form of RUN, CMD, ENTRYPOINT and `HEALTHCHECK CMD` (and of an ONBUILD
//!   trigger): the rest of the logical line, continuation marks and dropped comment lines
//!   taken out.
//! - `RUN <<EOF` with nothing else on the line: the heredoc body is the script.
//! - A RUN line with heredocs otherwise: the line, then for each heredoc a line break, its
//!   body and its terminator (BuildKit's reconstruction), so the shell reads the bodies as
//!   the input of the commands that name them.
//! - The exec form of RUN: no shell, one command whose words are the array's strings.

use std::ops::Range;

use super::map::ByteMap;
use crate::model::heredoc::try_heredocs_from_line;
use crate::model::logical_line::{LogicalLine, assemble};
use crate::model::{Arguments, Command, Heredoc, Instruction, SpannedStr};
use crate::syntax::InstructionKind;

/// Where a script comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The instruction's shell form (with heredoc bodies appended, see the module doc).
    Line,
    /// Heredoc `n` of the instruction, run as the script itself (`RUN <<EOF`).
    Heredoc(usize),
    /// Heredoc `n`, fed to a shell named on the line (`RUN bash -e <<EOF`).
    HeredocInput(usize),
    /// The exec form: the array's strings are one command's words, no shell involved.
    Exec,
}

/// The shell-form text of a command, if it has one.
pub(crate) fn shell_form(cmd: &Command) -> Option<&SpannedStr> {
    match (&cmd.args, cmd.kind) {
        (
            Arguments::Text(t),
            InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint,
        ) => Some(t),
        (Arguments::Health { command, .. }, InstructionKind::Healthcheck) => match &**command {
            Arguments::Text(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// The exec-form strings of a RUN, if it has them.
pub(crate) fn exec_form(cmd: &Command) -> Option<&[SpannedStr]> {
    match (&cmd.args, cmd.kind) {
        (Arguments::Json(items), InstructionKind::Run) => Some(items),
        _ => None,
    }
}

/// The instruction's logical line, which shell-form and exec-form text is a part of.
pub(crate) fn logical_line<'t>(inst: &Instruction, text: &'t str) -> LogicalLine<'t> {
    let data = inst.data();
    assemble(
        text,
        inst.start(),
        inst.start() + data.line_len,
        data.escape,
    )
}

/// The script of a piece of the logical line: `rel` is where the piece starts (relative to
/// the instruction) and `value` its text, which must read the same in the logical line.
pub(crate) fn from_line(
    logical: &LogicalLine<'_>,
    inst_start: usize,
    rel_start: usize,
    value: &str,
) -> Option<(String, ByteMap)> {
    let source = inst_start + rel_start;
    let runs = logical.runs();
    let lo = runs
        .iter()
        .find(|&&(_, s, len)| (s..s + len).contains(&source))
        .map(|&(l, s, _)| l + (source - s))
        .or_else(|| value.is_empty().then_some(0))?;
    let hi = lo + value.len();
    if logical.text.get(lo..hi) != Some(value) {
        return None;
    }
    let mut map = ByteMap::default();
    for &(l, s, len) in &runs {
        let from = l.max(lo);
        let to = (l + len).min(hi);
        if from < to {
            map.push(s + (from - l) - inst_start, to - from);
        }
    }
    Some((value.to_string(), map))
}

/// Whether `line` is exactly one heredoc marker (`<<EOF`, `<<-'EOF'`): BuildKit then runs
/// the body as the script.
pub(crate) fn is_bare_heredoc(line: &str) -> bool {
    match try_heredocs_from_line(line) {
        Ok(specs) => specs.len() == 1 && specs[0].range == (0..line.len()),
        Err(_) => false,
    }
}

/// The body of a heredoc as a script of its own.
pub(crate) fn heredoc_body(heredoc: &Heredoc) -> (String, ByteMap) {
    let mut map = ByteMap::default();
    if let Some(range) = &heredoc.content_range {
        map.push(range.start, heredoc.content.len().min(range.len()));
    }
    let text = heredoc
        .content
        .get(..map.len())
        .unwrap_or_default()
        .to_string();
    (text, map)
}

/// BuildKit's reconstruction of a RUN line with heredocs: the line, then per heredoc a line
/// break, the body and the terminator's name.
pub(crate) fn with_heredocs(
    line: (String, ByteMap),
    heredocs: &[Heredoc],
    doc: &str,
    inst_start: usize,
) -> (String, ByteMap) {
    let (mut text, mut map) = line;
    for h in heredocs {
        let body_start = h
            .content_range
            .as_ref()
            .or(h.terminator_range.as_ref())
            .map(|r| r.start);
        // The line break before the body is the Dockerfile's own.
        if let Some(start) = body_start.and_then(|s| s.checked_sub(1)) {
            text.push('\n');
            map.push(start, 1);
        }
        let (body, body_map) = heredoc_body(h);
        for (range, source) in body_map.pieces() {
            map.push(source, range.len());
        }
        text.push_str(&body);
        // The terminator line holds the name after `<<-`'s tabs, before the line break.
        if let Some(term) = &h.terminator_range {
            let line = doc.get(inst_start + term.start..inst_start + term.end);
            if let Some(at) = line.and_then(|l| l.find(h.name.as_str())) {
                text.push_str(&h.name);
                map.push(term.start + at, h.name.len());
            }
        }
    }
    (text, map)
}

/// The range a string of an exec-form array covers inside the script made of the array's
/// logical text (which starts at `rel_start`).
pub(crate) fn item_range(map: &ByteMap, item: &SpannedStr) -> Option<Range<usize>> {
    let start = map.script(item.range.start)?;
    let end = map.script(item.range.end.checked_sub(1)?)? + 1;
    Some(start..end)
}
