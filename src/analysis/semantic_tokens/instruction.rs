//! The tokens of one instruction: keyword, flags, arguments by the instruction's shape,
//! heredoc delimiters, and the variables, stages and declarations the symbol index found.

use std::ops::Range;

use super::{TokenKind, Tokens, modifier};
use crate::analysis::Snapshot;
use crate::analysis::index::{Role, SymbolKind};
use crate::model::image_ref::{self, contains_variable_with_escape};
use crate::model::{Arguments, Command, Flag, Instruction, InstructionKind, SpannedStr};

pub(super) fn tokens(snapshot: &Snapshot, index: usize, inst: &Instruction, out: &mut Tokens) {
    let text = snapshot.text();
    let data = inst.data();
    own_comments(text, inst, out);
    // `FROM build` names a stage, whose token comes from the index; other bases are images.
    let base_is_stage = inst.kind() == InstructionKind::From
        && snapshot
            .model
            .stage_starting_at(index)
            .is_some_and(|s| snapshot.model.parent_stage(s.index).is_some());
    command(text, inst, &data.command, base_is_stage, out);
    if let Some(trigger) = data.trigger.as_deref() {
        command(text, inst, trigger, false, out);
    }
    symbols(snapshot, index, inst, out);
}

/// Comment lines inside a continued instruction (BuildKit drops them).
fn own_comments(text: &str, inst: &Instruction, out: &mut Tokens) {
    let lines = inst.line_range();
    let Some(own) = text.get(lines.clone()) else {
        return;
    };
    let Some(first_break) = own.find('\n') else {
        return;
    };
    if memchr::memchr(b'#', &own.as_bytes()[first_break..]).is_none() {
        return;
    }
    let mut offset = lines.start + first_break + 1;
    for line in own[first_break + 1..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            let start = offset + line.len() - trimmed.len();
            out.push(
                start..offset + line.trim_end_matches(['\n', '\r']).len(),
                TokenKind::Comment,
                0,
            );
        }
        offset += line.len();
    }
}

fn command(text: &str, inst: &Instruction, c: &Command, base_is_stage: bool, out: &mut Tokens) {
    let deprecated = if c.kind == InstructionKind::Maintainer {
        modifier::DEPRECATED
    } else {
        0
    };
    out.push(inst.abs(&c.keyword_range), TokenKind::Keyword, deprecated);
    for flag in &c.flags {
        self::flag(text, inst, flag, out);
    }
    arguments(text, inst, c.kind, &c.args, base_is_stage, out);
}

/// `--name=value`: the name, `=`, and the value (a mount's keys and values apart).
fn flag(text: &str, inst: &Instruction, f: &Flag, out: &mut Tokens) {
    let range = inst.abs(&f.range);
    let name_end = inst.abs(&f.name_range).end;
    let Some(value) = f.value_range.as_ref().map(|r| inst.abs(r)) else {
        out.push(range.start..name_end, TokenKind::Flag, 0);
        return;
    };
    if value == range {
        // Quotes or escapes: positions inside are not known.
        out.push(range, TokenKind::Flag, 0);
        return;
    }
    out.push(range.start..name_end, TokenKind::Flag, 0);
    out.push(name_end..value.start, TokenKind::Operator, 0);
    if f.name == "mount" {
        mount(text, value, out);
    } else {
        out.push(value, TokenKind::String, 0);
    }
}

/// The `key=value` fields of a `--mount` value as written.
fn mount(text: &str, value: Range<usize>, out: &mut Tokens) {
    let Some(written) = text.get(value.clone()) else {
        return;
    };
    let mut start = value.start;
    for field in written.split(',') {
        match field.find('=') {
            Some(eq) => {
                out.push(start..start + eq, TokenKind::Property, 0);
                out.push(start + eq..start + eq + 1, TokenKind::Operator, 0);
                out.push(start + eq + 1..start + field.len(), TokenKind::String, 0);
            }
            None => out.push(start..start + field.len(), TokenKind::Property, 0),
        }
        start += field.len() + 1;
    }
}

fn arguments(
    text: &str,
    inst: &Instruction,
    kind: InstructionKind,
    args: &Arguments,
    base_is_stage: bool,
    out: &mut Tokens,
) {
    let abs = |s: &SpannedStr| inst.abs(&s.range);
    match (kind, args) {
        (InstructionKind::From, Arguments::List(words)) => {
            if let Some(base) = words.first().filter(|_| !base_is_stage) {
                image(text, inst, abs(base), out);
            }
            if let [_, as_kw, _] = words.as_slice()
                && as_kw.value.eq_ignore_ascii_case("as")
            {
                out.push(abs(as_kw), TokenKind::Keyword, 0);
            }
        }
        (InstructionKind::Arg, Arguments::List(words)) => {
            for w in words {
                let range = abs(w);
                if let Some(eq) = text.get(range.clone()).and_then(|s| s.find('=')) {
                    let at = range.start + eq;
                    out.push(at..at + 1, TokenKind::Operator, 0);
                    out.push(at + 1..range.end, TokenKind::String, 0);
                }
            }
        }
        (InstructionKind::Expose, Arguments::List(words)) => {
            for w in words {
                let range = abs(w);
                let digits = w.value.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 && text.get(range.clone()) == Some(w.value.as_str()) {
                    out.push(range.start..range.start + digits, TokenKind::Number, 0);
                }
            }
        }
        (_, Arguments::Json(items)) => {
            for item in items {
                out.push(abs(item), TokenKind::String, 0);
            }
        }
        (_, Arguments::Pairs(pairs)) => {
            for p in pairs {
                let key = abs(&p.key);
                let value = abs(&p.value);
                if kind == InstructionKind::Label {
                    out.push(key.clone(), TokenKind::Property, 0);
                }
                if p.separator == "=" && value.start > key.end {
                    out.push(value.start - 1..value.start, TokenKind::Operator, 0);
                }
                out.push(value, TokenKind::String, 0);
            }
        }
        (
            _,
            Arguments::Health {
                kind: word,
                command,
            },
        ) => {
            out.push(abs(word), TokenKind::Keyword, 0);
            arguments(text, inst, InstructionKind::Cmd, command, false, out);
        }
        _ => {}
    }
    if let Some(marker_kinds) = heredoc_markers(inst) {
        for range in marker_kinds {
            out.push(range, TokenKind::Operator, 0);
        }
    }
}

/// The `<<` (and `-`) of each heredoc marker.
fn heredoc_markers(inst: &Instruction) -> Option<Vec<Range<usize>>> {
    let heredocs = &inst.data().heredocs;
    if heredocs.is_empty() {
        return None;
    }
    Some(
        heredocs
            .iter()
            .map(|h| {
                let marker = inst.abs(&h.marker_range);
                let digits = h.fd.to_string().len() * usize::from(h.fd != 0);
                let start = marker.start + digits;
                let len = if h.chomp { 3 } else { 2 };
                start..(start + len).min(marker.end)
            })
            .collect(),
    )
}

/// A FROM base without variables that is no stage: its repository and its tag or digest.
fn image(text: &str, inst: &Instruction, range: Range<usize>, out: &mut Tokens) {
    let Some(written) = text.get(range.clone()) else {
        return;
    };
    if contains_variable_with_escape(written, inst.data().escape) || image_ref::is_scratch(written)
    {
        return;
    }
    let Ok(image) = image_ref::parse(written) else {
        return;
    };
    let at = |r: &Range<usize>| range.start + r.start..range.start + r.end;
    out.push(at(&image.spans.name), TokenKind::Image, 0);
    for part in [&image.spans.tag, &image.spans.digest]
        .into_iter()
        .flatten()
    {
        out.push(at(part), TokenKind::Tag, 0);
    }
}

/// Variables, stages and heredoc names of this instruction, from the symbol index.
fn symbols(snapshot: &Snapshot, index: usize, inst: &Instruction, out: &mut Tokens) {
    let text = snapshot.text();
    let symbols = snapshot.index();
    for o in symbols.occurrences_in(inst.range()) {
        if o.instruction != index {
            continue;
        }
        let symbol = symbols.symbol(o.symbol);
        let mut modifiers = match o.role {
            Role::Declaration => modifier::DECLARATION,
            Role::Use => 0,
        };
        if symbol.predefined {
            modifiers |= modifier::READONLY | modifier::DEFAULT_LIBRARY;
        }
        match symbol.kind {
            SymbolKind::Stage => out.push(o.range.clone(), TokenKind::Stage, modifiers),
            SymbolKind::Heredoc => out.push(o.range.clone(), TokenKind::Heredoc, modifiers),
            _ => match &o.reference {
                Some(whole) => reference(text, whole, &o.range, modifiers, out),
                None => out.push(o.range.clone(), TokenKind::Variable, modifiers),
            },
        }
    }
}

/// `$NAME`, `${NAME}`, `${NAME:-word}`: `$`/`${` with the name, the operator, the `}`.
fn reference(
    text: &str,
    whole: &Range<usize>,
    name: &Range<usize>,
    modifiers: u32,
    out: &mut Tokens,
) {
    out.push(whole.start..name.end, TokenKind::Variable, modifiers);
    if text.as_bytes().get(whole.start + 1) != Some(&b'{') {
        return;
    }
    let close = whole.end.saturating_sub(1);
    let operator = text.get(name.end..close).map_or(0, |m| {
        m.chars()
            .take_while(|c| matches!(c, ':' | '-' | '+' | '?' | '#' | '%' | '/' | '='))
            .count()
    });
    out.push(name.end..name.end + operator.min(2), TokenKind::Operator, 0);
    out.push(close..whole.end, TokenKind::Variable, modifiers);
}
