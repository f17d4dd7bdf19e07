//! Inside an instruction, after its keyword: decides from the word being typed whether the
//! cursor is on a variable, a flag, a flag's value or an argument, and completes it.

use super::{CompletionList, Ctx, cased, flags, images, item, keywords, order, snippet, variables};
use crate::analysis::CompletionKind;
use crate::analysis::cursor::{self, At};
use crate::catalog::{self, ArgKind};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

/// Details of the HEALTHCHECK forms; [`super::completion_resolve`] recognises them (their
/// labels, `CMD` and `NONE`, would otherwise read as the CMD instruction).
pub(super) const HEALTHCHECK_CMD_DETAIL: &str =
    "HEALTHCHECK form: the command that checks the container";
pub(super) const HEALTHCHECK_NONE_DETAIL: &str =
    "HEALTHCHECK form: turn off the base image's check";

/// Completes at the cursor inside the flags and arguments of `at`.
pub(super) fn complete(ctx: &Ctx<'_>, at: At<'_>, out: &mut CompletionList) {
    let floor = at.keyword_range().end;
    let start = cursor::word_start(ctx.text, ctx.offset, floor);
    let before = ctx.before(start);
    if let Some(found) = variables::find(before, at.instruction.data().escape) {
        // In the exec form of RUN, CMD and ENTRYPOINT nothing expands variables.
        let literal = at.command.is_json()
            && catalog::instruction(at.command.kind.keyword().unwrap_or(""))
                .is_some_and(|doc| !doc.expands_variables);
        if !literal {
            variables::complete(ctx, at, start + found.dollar, found.braced, out);
        }
        return;
    }
    // Flags come before every argument: the cursor's word is in flag position when no
    // argument starts before it.
    let rest = &at.command.rest;
    let in_flags = rest.is_empty() || at.abs(rest).start >= start;
    if in_flags && before.starts_with('-') {
        match before.strip_prefix("--").and_then(|b| b.split_once('=')) {
            Some((name, _)) => flags::values(ctx, at, name, start + 2 + name.len() + 1, out),
            None => flags::names(ctx, at, start, out),
        }
        return;
    }
    if in_flags && before.is_empty() {
        flags::names(ctx, at, start, out);
    }
    let index = arg_index(ctx, at, start);
    let range = start..ctx.word_end(|_| true);
    match at.command.kind {
        InstructionKind::From if index == 0 => images::base(ctx, at, start, out),
        InstructionKind::From if index == 1 => {
            let lowercase = at.command.keyword.chars().all(|c| !c.is_uppercase());
            let keyword = cased("AS", lowercase);
            let mut it = snippet(
                &keyword,
                CompletionKind::Keyword,
                range,
                format!("{keyword} ${{1:name}}"),
            );
            it.detail = Some("name this stage".into());
            out.items.push(it);
        }
        InstructionKind::Healthcheck if index == 0 => healthcheck_forms(at, range, out),
        InstructionKind::Onbuild if !at.in_trigger && index == 0 => {
            keywords::after_onbuild(ctx, at, range, out);
        }
        InstructionKind::Arg if !before.contains('=') => arg_names(range, out),
        InstructionKind::Stopsignal if index == 0 => signals(range, out),
        _ => {}
    }
}

/// How many arguments come before the word starting at `start`.
fn arg_index(ctx: &Ctx<'_>, at: At<'_>, start: usize) -> usize {
    match &at.command.args {
        Arguments::List(words) => words
            .iter()
            .filter(|w| at.abs(&w.range).start < start)
            .count(),
        Arguments::Health { kind, .. } => usize::from(at.abs(&kind.range).start < start),
        Arguments::None => 0,
        _ => {
            let rest = at.abs(&at.command.rest);
            let escape = at.instruction.data().escape;
            ctx.text
                .get(rest.start..start.max(rest.start))
                .unwrap_or("")
                .split_whitespace()
                .filter(|w| !w.chars().all(|c| c == escape))
                .count()
        }
    }
}

/// `HEALTHCHECK CMD …` and `HEALTHCHECK NONE`.
fn healthcheck_forms(at: At<'_>, range: std::ops::Range<usize>, out: &mut CompletionList) {
    // The form follows the HEALTHCHECK keyword it completes.
    let lowercase = at.command.keyword.chars().all(|c| !c.is_uppercase());
    let cmd = cased("CMD", lowercase);
    let mut it = snippet(
        &cmd,
        CompletionKind::Keyword,
        range.clone(),
        format!("{cmd} ${{1:command}}"),
    );
    it.detail = Some(HEALTHCHECK_CMD_DETAIL.into());
    it.sort_text = order(1, 0);
    out.items.push(it);
    let mut it = item(cased("NONE", lowercase), CompletionKind::Keyword, range);
    it.detail = Some(HEALTHCHECK_NONE_DETAIL.into());
    it.sort_text = order(1, 1);
    out.items.push(it);
}

/// Predefined ARG names for `ARG `: declaring one in a stage makes it usable there.
fn arg_names(range: std::ops::Range<usize>, out: &mut CompletionList) {
    for (i, doc) in catalog::args::predefined_args().iter().enumerate() {
        let mut it = item(doc.name, CompletionKind::Variable, range.clone());
        it.detail = Some(
            match doc.kind {
                ArgKind::Platform => "automatic platform ARG",
                ArgKind::Proxy => "predefined proxy ARG",
                ArgKind::BuildKit => "BuildKit build argument",
            }
            .into(),
        );
        // Platform ARGs are the ones a stage typically re-declares.
        let group = if doc.kind == ArgKind::Platform { 1 } else { 2 };
        it.sort_text = order(group, i);
        out.items.push(it);
    }
}

/// Signal names for STOPSIGNAL, the default first.
fn signals(range: std::ops::Range<usize>, out: &mut CompletionList) {
    for doc in catalog::platforms::signals() {
        let mut it = item(doc.name, CompletionKind::Value, range.clone());
        it.detail = Some(format!("{} · {}", doc.number, doc.summary));
        let group = if doc.name == catalog::platforms::DEFAULT_STOP_SIGNAL {
            0
        } else {
            1
        };
        it.sort_text = order(group, usize::from(doc.number));
        out.items.push(it);
    }
}
