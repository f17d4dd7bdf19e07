//! What is at a byte offset of a document: the token under the cursor, typed, for hover and
//! completion alike.
//!
//! [`locate`] answers from the model: one binary search for the instruction
//! ([`Model::instruction_at`]), then only that instruction's data. Nothing here walks the
//! whole file, so the cost does not grow with the document.
//!
//! Ranges are inclusive at both ends when deciding what the cursor is "on": a cursor just
//! after `--mount` is still on the flag, which is what completion (typing at the end of a
//! word) and hover (pointing at either edge) both want.

use std::ops::Range;

use crate::model::{
    Arguments, Command, Directive, Flag, Heredoc, Instruction, Model, RefData, scan_references,
};
use crate::syntax::InstructionKind;

use super::Snapshot;

/// The instruction the cursor is in, and the command that applies there.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    /// Index in [`Model::instructions`].
    pub index: usize,
    pub instruction: &'a Instruction,
    /// The command under the cursor: ONBUILD's trigger once the cursor is past `ONBUILD`.
    pub command: &'a Command,
    /// Whether [`At::command`] is an ONBUILD trigger.
    pub in_trigger: bool,
}

impl<'a> At<'a> {
    /// A range relative to the instruction, as a document range.
    pub fn abs(&self, rel: &Range<usize>) -> Range<usize> {
        self.instruction.abs(rel)
    }

    /// The keyword of the command under the cursor, in the document.
    pub fn keyword_range(&self) -> Range<usize> {
        self.abs(&self.command.keyword_range)
    }
}

/// Which part of a directive line the cursor is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectivePart {
    /// The `#`, the key, or the space around them.
    Name,
    Value,
}

/// What a word of an instruction's arguments means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordRole {
    /// The first argument of FROM: an image, an earlier stage or `scratch`.
    BaseImage { stage: usize },
    /// The `AS` of `FROM image AS name`.
    FromAs { stage: usize },
    /// The name a FROM gives its stage.
    StageName { stage: usize },
    /// The name part of an `ARG NAME[=default]` word.
    ArgName,
    /// The key of an `ENV key=value` pair.
    EnvKey,
    /// HEALTHCHECK's `CMD` or `NONE`.
    HealthcheckType,
    /// Anything else: a path, a port, a shell command, a JSON string.
    Other,
}

/// One `key[=value]` field of a `--mount` value, in document ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountField<'a> {
    /// The value of the mount's `type=` field as written (`None` means the default, bind).
    pub mount_type: Option<&'a str>,
    pub key: &'a str,
    pub key_range: Range<usize>,
    pub value: Option<&'a str>,
    pub value_range: Option<Range<usize>>,
    /// Whether the cursor is on the value rather than the key.
    pub on_value: bool,
}

/// What the cursor is on.
#[derive(Clone, Debug)]
pub enum Target<'a> {
    /// Outside every instruction, where one could start (a blank line, the end of the file,
    /// indentation). `header`: no instruction comes before, and every line above is a parser
    /// directive, so a directive could be written here too.
    Blank { header: bool },
    /// A comment line; `header` as for [`Target::Blank`] (a directive being typed).
    Comment { range: Range<usize>, header: bool },
    /// A parser directive the model recognised.
    Directive {
        directive: &'a Directive,
        part: DirectivePart,
    },
    /// An instruction keyword (ONBUILD's or its trigger's).
    Keyword { at: At<'a>, range: Range<usize> },
    /// `--name` of a flag.
    FlagName {
        at: At<'a>,
        flag: &'a Flag,
        range: Range<usize>,
    },
    /// The value of a flag, after its `=`. For `--mount`, see [`Target::MountField`].
    FlagValue {
        at: At<'a>,
        flag: &'a Flag,
        range: Range<usize>,
    },
    /// A field of a `--mount` value.
    MountField {
        at: At<'a>,
        flag: &'a Flag,
        field: MountField<'a>,
    },
    /// A `$NAME` or `${NAME...}` reference (in an instruction, or in a heredoc body the
    /// builder or the shell expands).
    Variable {
        at: At<'a>,
        name: &'a str,
        /// The whole reference.
        range: Range<usize>,
        name_range: Range<usize>,
        modifier: Option<&'a str>,
    },
    /// An argument word.
    Word {
        at: At<'a>,
        role: WordRole,
        value: &'a str,
        range: Range<usize>,
    },
    /// A `<<EOF` marker.
    HeredocMarker {
        at: At<'a>,
        heredoc: &'a Heredoc,
        range: Range<usize>,
    },
    /// Inside a heredoc body or on its terminator.
    HeredocBody { at: At<'a>, heredoc: &'a Heredoc },
    /// Whitespace inside an instruction, between or after its tokens.
    Gap { at: At<'a> },
}

/// The cursor: its offset (clamped into the text, on a char boundary) and what it is on.
#[derive(Clone, Debug)]
pub struct Cursor<'a> {
    pub offset: usize,
    pub target: Target<'a>,
}

impl<'a> Target<'a> {
    /// The instruction the cursor is in, if any.
    pub fn at(&self) -> Option<At<'a>> {
        match self {
            Target::Blank { .. } | Target::Comment { .. } | Target::Directive { .. } => None,
            Target::Keyword { at, .. }
            | Target::FlagName { at, .. }
            | Target::FlagValue { at, .. }
            | Target::MountField { at, .. }
            | Target::Variable { at, .. }
            | Target::Word { at, .. }
            | Target::HeredocMarker { at, .. }
            | Target::HeredocBody { at, .. }
            | Target::Gap { at } => Some(*at),
        }
    }
}

/// Clamps a client offset into `text` and back onto a char boundary.
pub fn clamp(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// What is at `offset` of the snapshot.
pub fn locate(snapshot: &Snapshot, offset: usize) -> Cursor<'_> {
    let text = snapshot.text();
    let offset = clamp(text, offset);
    let target = target(snapshot, offset);
    Cursor { offset, target }
}

fn target(snapshot: &Snapshot, offset: usize) -> Target<'_> {
    let model: &Model = &snapshot.model;
    let text = snapshot.text();
    if let Some(d) = model.directives.iter().find(|d| contains(&d.range, offset)) {
        let part = if offset >= d.value_range.start {
            DirectivePart::Value
        } else {
            DirectivePart::Name
        };
        return Target::Directive { directive: d, part };
    }
    if let Some((index, inst)) = model.instruction_at(offset)
        && let Some(t) = in_instruction(model, text, index, inst, offset)
    {
        return t;
    }
    // Not in an instruction: a comment line, or a place where one could start.
    let lines = snapshot.doc.line_index();
    let line = lines.line_of(offset);
    let line_range = lines.line_range(line).unwrap_or(offset..offset);
    let header = is_header_line(snapshot, line, offset);
    let content = text.get(line_range.clone()).unwrap_or("");
    if content
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('#')
    {
        return Target::Comment {
            range: line_range,
            header,
        };
    }
    // A continued line whose continuation is still empty belongs to the instruction above.
    if let Some(t) = dangling_continuation(model, text, offset, line_range.start) {
        return t;
    }
    Target::Blank { header }
}

/// Whether `line` is in the directive header: nothing but directives above it and no
/// instruction before `offset`.
fn is_header_line(snapshot: &Snapshot, line: usize, offset: usize) -> bool {
    let model = &snapshot.model;
    if model
        .instructions
        .first()
        .is_some_and(|i| i.start() <= offset)
    {
        return false;
    }
    let n = model.directives.len();
    // Directives are consecutive from the first line, so the last one is on line n - 1.
    line == n
        && model
            .directives
            .last()
            .is_none_or(|d| snapshot.doc.line_index().line_of(d.range.start) + 1 == n)
}

/// The line after an instruction that ends with the escape character, while that line is
/// still blank: the tree ends the instruction before it, but BuildKit would continue there.
fn dangling_continuation<'a>(
    model: &'a Model,
    text: &str,
    offset: usize,
    line_start: usize,
) -> Option<Target<'a>> {
    let index = model
        .instructions
        .partition_point(|i| i.start() < line_start)
        .checked_sub(1)?;
    let inst = &model.instructions[index];
    let end = inst.line_range().end;
    // Only the line right after the instruction's last line.
    let between = text.get(end..line_start)?;
    if !(between == "\n" || between == "\r\n") || offset < line_start {
        return None;
    }
    let escape = inst.data().escape;
    let last = text.get(inst.line_range())?.trim_end_matches([' ', '\t']);
    if !last.ends_with(escape) || !inst.data().heredocs.is_empty() {
        return None;
    }
    let blank = text
        .get(line_start..offset)
        .is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t'));
    blank.then(|| Target::Gap {
        at: at_for(index, inst, offset),
    })
}

fn contains(range: &Range<usize>, offset: usize) -> bool {
    range.start <= offset && offset <= range.end
}

/// The command the cursor is in: ONBUILD's trigger from its keyword on.
fn at_for(index: usize, inst: &Instruction, offset: usize) -> At<'_> {
    let data = inst.data();
    match data.trigger.as_deref() {
        Some(trigger) if offset >= inst.abs(&trigger.keyword_range).start => At {
            index,
            instruction: inst,
            command: trigger,
            in_trigger: true,
        },
        _ => At {
            index,
            instruction: inst,
            command: &data.command,
            in_trigger: false,
        },
    }
}

fn in_instruction<'a>(
    model: &'a Model,
    text: &'a str,
    index: usize,
    inst: &'a Instruction,
    offset: usize,
) -> Option<Target<'a>> {
    let data = inst.data();
    let at = at_for(index, inst, offset);
    if offset > inst.line_range().end {
        // Past the instruction's lines: a heredoc body, or the line break after them.
        let heredoc = data.heredocs.iter().find(|h| {
            let body = h.content_range.as_ref().or(h.terminator_range.as_ref());
            let end = h
                .terminator_range
                .as_ref()
                .or(h.content_range.as_ref())
                .map(|r| r.end);
            body.zip(end)
                .is_some_and(|(b, e)| inst.abs(&(b.start..e)).contains(&offset))
        })?;
        return Some(heredoc_body(at, heredoc, text, offset));
    }
    // A comment line inside a continuation (BuildKit drops it). Read from the text: the
    // cursor's line is all it takes, and the tree nests these comments at varying depths.
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    if line_start > inst.start() {
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if text[line_start..line_end].trim_start().starts_with('#') {
            return Some(Target::Comment {
                range: line_start..line_end,
                header: false,
            });
        }
    }
    if let Some(r) = data
        .references
        .iter()
        .find(|r| contains(&inst.abs(&r.range), offset))
    {
        return Some(variable(at, r));
    }
    let top_keyword = inst.keyword_range();
    if contains(&top_keyword, offset) {
        let top = At {
            command: &data.command,
            in_trigger: false,
            ..at
        };
        return Some(Target::Keyword {
            at: top,
            range: top_keyword,
        });
    }
    let command = at.command;
    if at.in_trigger && contains(&at.keyword_range(), offset) {
        return Some(Target::Keyword {
            at,
            range: at.keyword_range(),
        });
    }
    if let Some(flag) = command
        .flags
        .iter()
        .find(|f| contains(&at.abs(&f.range), offset))
    {
        return Some(flag_target(at, flag, text, offset));
    }
    if let Some(h) = data
        .heredocs
        .iter()
        .find(|h| contains(&inst.abs(&h.marker_range), offset))
    {
        return Some(Target::HeredocMarker {
            at,
            heredoc: h,
            range: inst.abs(&h.marker_range),
        });
    }
    Some(word(model, at, &command.args, offset).unwrap_or(Target::Gap { at }))
}

fn variable<'a>(at: At<'a>, r: &'a RefData) -> Target<'a> {
    Target::Variable {
        at,
        name: &r.name,
        range: at.abs(&r.range),
        name_range: at.abs(&r.name_range),
        modifier: r.modifier.as_deref(),
    }
}

/// In a heredoc body: a `$VAR` on the cursor's line when the body is expanded, else the body.
fn heredoc_body<'a>(at: At<'a>, heredoc: &'a Heredoc, text: &'a str, offset: usize) -> Target<'a> {
    let body = Target::HeredocBody { at, heredoc };
    if !heredoc.expand {
        return body;
    }
    // Only the cursor's line is scanned: the cost stays bounded however long the body is.
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    let found = scan_references(line, at.instruction.data().escape)
        .into_iter()
        .find(|(whole, _, _)| contains(&(start + whole.start..start + whole.end), offset));
    match found {
        Some((whole, name, modifier)) => Target::Variable {
            at,
            name: &line[name.clone()],
            range: start + whole.start..start + whole.end,
            name_range: start + name.start..start + name.end,
            modifier: modifier.and_then(|m| {
                // The modifier sits between the name and the closing brace.
                line.get(name.end..whole.end.saturating_sub(1))
                    .filter(|s| *s == m)
            }),
        },
        None => body,
    }
}

fn flag_target<'a>(at: At<'a>, flag: &'a Flag, text: &'a str, offset: usize) -> Target<'a> {
    let range = at.abs(&flag.range);
    let name_end = at.abs(&flag.name_range).end;
    let value_range = flag.value_range.as_ref().map(|r| at.abs(r));
    let on_value = value_range
        .as_ref()
        .is_some_and(|v| offset >= v.start && v.start > range.start);
    match (on_value, value_range) {
        (true, Some(value_range)) => {
            if flag.name == "mount"
                && let Some(field) = mount_field(text, &value_range, offset)
            {
                return Target::MountField { at, flag, field };
            }
            Target::FlagValue {
                at,
                flag,
                range: value_range,
            }
        }
        _ => Target::FlagName {
            at,
            flag,
            range: range.start..name_end.max(range.start),
        },
    }
}

/// The field of a `--mount` value (written at `value` in the document) under `offset`.
///
/// Fields are split at commas as written; CSV quoting is rare enough in mounts that a
/// quoted field simply gives the nearest approximation.
fn mount_field<'a>(text: &'a str, value: &Range<usize>, offset: usize) -> Option<MountField<'a>> {
    let written = text.get(value.clone())?;
    let mut mount_type = None;
    let mut current = None;
    let mut start = value.start;
    for part in written.split(',') {
        let range = start..start + part.len();
        start = range.end + 1;
        let (key, val) = match part.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (part, None),
        };
        let key_range = range.start..range.start + key.len();
        let value_range = val.map(|v| range.end - v.len()..range.end);
        if key.trim().eq_ignore_ascii_case("type") {
            mount_type = val;
        }
        if current.is_none() && contains(&range, offset) {
            let on_value = value_range.as_ref().is_some_and(|v| offset >= v.start);
            current = Some(MountField {
                mount_type: None,
                key,
                key_range,
                value: val,
                value_range,
                on_value,
            });
        }
    }
    current.map(|field| MountField {
        mount_type,
        ..field
    })
}

/// The argument word under the cursor, by the shape of the arguments.
fn word<'a>(model: &Model, at: At<'a>, args: &'a Arguments, offset: usize) -> Option<Target<'a>> {
    let hit = |s: &crate::model::SpannedStr| contains(&at.abs(&s.range), offset);
    let make = |role, s: &'a crate::model::SpannedStr| Target::Word {
        at,
        role,
        value: &s.value,
        range: at.abs(&s.range),
    };
    match args {
        Arguments::List(words) => {
            let (i, w) = words.iter().enumerate().find(|(_, w)| hit(w))?;
            let role = match at.command.kind {
                InstructionKind::From if !at.in_trigger => {
                    let stage = model
                        .stage_of(at.index)
                        .filter(|s| s.instruction == at.index)
                        .map_or(0, |s| s.index);
                    match i {
                        0 => WordRole::BaseImage { stage },
                        1 if w.value.eq_ignore_ascii_case("as") => WordRole::FromAs { stage },
                        2 => WordRole::StageName { stage },
                        _ => WordRole::Other,
                    }
                }
                InstructionKind::Arg => {
                    let name_len = w.value.find('=').unwrap_or(w.value.len());
                    let name_end = at.abs(&w.range).start + name_len;
                    if offset <= name_end {
                        return Some(Target::Word {
                            at,
                            role: WordRole::ArgName,
                            value: &w.value[..name_len],
                            range: at.abs(&w.range).start..name_end,
                        });
                    }
                    WordRole::Other
                }
                _ => WordRole::Other,
            };
            Some(make(role, w))
        }
        Arguments::Json(items) => items
            .iter()
            .find(|w| hit(w))
            .map(|w| make(WordRole::Other, w)),
        Arguments::Text(t) => hit(t).then(|| make(WordRole::Other, t)),
        Arguments::Pairs(pairs) => pairs.iter().find_map(|p| {
            if hit(&p.key) {
                let role = if at.command.kind == InstructionKind::Env {
                    WordRole::EnvKey
                } else {
                    WordRole::Other
                };
                Some(make(role, &p.key))
            } else if hit(&p.value) {
                Some(make(WordRole::Other, &p.value))
            } else {
                None
            }
        }),
        Arguments::Health { kind, command } => {
            if hit(kind) {
                Some(make(WordRole::HealthcheckType, kind))
            } else {
                word(model, at, command, offset)
            }
        }
        Arguments::None | Arguments::Ignored | Arguments::SubCommand(_) => None,
    }
}

/// The start of the run of non-blank characters that ends at `offset`, not before `floor`.
pub fn word_start(text: &str, offset: usize, floor: usize) -> usize {
    let offset = clamp(text, offset);
    let floor = floor.min(offset);
    text[floor..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(floor, |(i, c)| floor + i + c.len_utf8())
}

/// The end of the run of characters accepted by `keep` that starts at `offset`.
pub fn word_end(text: &str, offset: usize, keep: impl Fn(char) -> bool) -> usize {
    let offset = clamp(text, offset);
    text[offset..]
        .char_indices()
        .find(|(_, c)| !keep(*c))
        .map_or(text.len(), |(i, _)| offset + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The target at the `$0` marker of `fixture`, described in a few words.
    fn at(fixture: &str) -> String {
        let offset = fixture.find("$0").expect("fixture has a $0 cursor");
        let text = fixture.replacen("$0", "", 1);
        let snapshot = Snapshot::new(text.as_str());
        let cursor = locate(&snapshot, offset);
        describe(&snapshot, &cursor.target)
    }

    fn describe(s: &Snapshot, t: &Target<'_>) -> String {
        let slice = |r: &Range<usize>| s.text()[r.clone()].to_string();
        match t {
            Target::Blank { header } => format!("blank header={header}"),
            Target::Comment { header, .. } => format!("comment header={header}"),
            Target::Directive { directive, part } => {
                format!("directive {} {part:?}", directive.name)
            }
            Target::Keyword { at, range } => {
                format!("keyword {} trigger={}", slice(range), at.in_trigger)
            }
            Target::FlagName { range, .. } => format!("flag-name {}", slice(range)),
            Target::FlagValue { flag, range, .. } => {
                format!("flag-value {} {}", flag.name, slice(range))
            }
            Target::MountField { field, .. } => format!(
                "mount {:?} {} {:?} on_value={}",
                field.mount_type, field.key, field.value, field.on_value
            ),
            Target::Variable { name, range, .. } => format!("variable {name} {}", slice(range)),
            Target::Word {
                role, value, range, ..
            } => {
                format!("word {role:?} {value} {}", slice(range))
            }
            Target::HeredocMarker { heredoc, .. } => format!("heredoc-marker {}", heredoc.name),
            Target::HeredocBody { heredoc, .. } => format!("heredoc-body {}", heredoc.name),
            Target::Gap { at } => format!("gap {}", at.command.keyword),
        }
    }

    #[test]
    fn locates_tokens() {
        let cases = [
            ("$0", "blank header=true"),
            ("FROM a\n$0", "blank header=false"),
            ("FROM a\n\n$0\nRUN x", "blank header=false"),
            ("$0FROM a", "keyword FROM trigger=false"),
            ("FR$0OM a", "keyword FROM trigger=false"),
            ("FROM$0 a", "keyword FROM trigger=false"),
            ("FROM $0a", "word BaseImage { stage: 0 } a a"),
            ("FROM a AS$0 b", "word FromAs { stage: 0 } AS AS"),
            ("FROM a AS b$0", "word StageName { stage: 0 } b b"),
            ("FROM a\nFROM b as c$0", "word StageName { stage: 1 } c c"),
            ("FROM a\nRUN --mo$0", "flag-name --mo"),
            ("FROM a\nRUN $0--mount=type=cache x", "flag-name --mount"),
            ("FROM a\nRUN --network=ho$0st x", "flag-value network host"),
            ("FROM a\nRUN --network=$0 x", "flag-value network "),
            (
                "FROM a\nRUN --mount=type=cache,ta$0 x",
                "mount Some(\"cache\") ta None on_value=false",
            ),
            (
                "FROM a\nRUN --mount=target=/x,type=secret,id$0=y x",
                "mount Some(\"secret\") id Some(\"y\") on_value=false",
            ),
            (
                "FROM a\nRUN --mount=type=ca$0che x",
                "mount Some(\"cache\") type Some(\"cache\") on_value=true",
            ),
            ("FROM a\nRUN echo $HO$0ME", "variable HOME $HOME"),
            ("FROM a\nRUN echo ${HOME:-x}$0", "variable HOME ${HOME:-x}"),
            ("FROM a\nRUN echo $0  x", "word Other echo   x echo   x"),
            ("FROM a\nRUN    $0", "gap RUN"),
            ("FROM a\nONBUILD R$0UN x", "keyword RUN trigger=true"),
            ("FROM a\nON$0BUILD RUN x", "keyword ONBUILD trigger=false"),
            ("FROM a\nONBUILD RUN --mo$0", "flag-name --mo"),
            ("FROM a\nONBUILD COPY --from=b$0 x y", "flag-value from b"),
            ("FROM a\nARG NA$0ME=1", "word ArgName NAME NAME"),
            ("FROM a\nARG NAME=1$0", "word Other NAME=1 NAME=1"),
            ("FROM a\nENV K$0=v", "word EnvKey K K"),
            (
                "FROM a\nHEALTHCHECK C$0MD x",
                "word HealthcheckType CMD CMD",
            ),
            ("FROM a\nRUN <<E$0OF\nbody\nEOF\n", "heredoc-marker EOF"),
            ("FROM a\nRUN <<EOF\nbo$0dy\nEOF\n", "heredoc-body EOF"),
            (
                "FROM a\nRUN <<EOF\necho $HO$0ME\nEOF\n",
                "variable HOME $HOME",
            ),
            (
                "FROM a\nRUN <<'EOF'\necho $HO$0ME\nEOF\n",
                "heredoc-body EOF",
            ),
            ("FROM a\nRUN <<EOF\nbody\nEO$0F\n", "heredoc-body EOF"),
            (
                "# syn$0tax=docker/dockerfile:1\nFROM a",
                "directive syntax Name",
            ),
            (
                "# syntax=dock$0er/dockerfile:1\nFROM a",
                "directive syntax Value",
            ),
            ("# sy$0", "comment header=true"),
            ("# syntax=x\n# esc$0", "comment header=true"),
            ("# hello\n# esc$0", "comment header=false"),
            ("FROM a\n# esc$0", "comment header=false"),
            ("FROM a\nRUN a \\\n# note$0\n  b", "comment header=false"),
            (
                "FROM a\nRUN a \\\n  --x$0",
                "word Other a   --x a \\\n  --x",
            ),
            ("FROM a\nRUN a \\\n$0", "gap RUN"),
            (
                "FROM a\nRUN --mount=type=cache \\\n  --network=h$0 x",
                "flag-value network h",
            ),
            ("FROM a\r\nRUN --net$0\r\n", "flag-name --net"),
            ("FROM a\nRUN é $X$0\n", "variable X $X"),
            ("FROM a\nCMD [\"a\", \"b$0\"]", "word Other b \"b\""),
            ("FROM a\nCOPY --from=build$0 a b", "flag-value from build"),
        ];
        let mut failures = Vec::new();
        for (fixture, want) in cases {
            let got = at(fixture);
            if got != want {
                failures.push(format!("{fixture:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn never_panics_on_any_offset() {
        for text in [
            "",
            "FROM a\nRUN --mount=type=cache,target=/x é ${A:-b} <<EOF\n$A\nEOF\n",
            "# escape=`\nFROM a\r\nONBUILD COPY --from=x \"a\" b `\n  c\r\n",
            "\u{feff}FROM é\nHEALTHCHECK --interval=1s CMD [\"a\"]\n",
        ] {
            let snapshot = Snapshot::new(text);
            for offset in 0..text.len() + 3 {
                let cursor = locate(&snapshot, offset);
                assert!(cursor.offset <= text.len());
                assert!(text.is_char_boundary(cursor.offset));
            }
        }
    }

    #[test]
    fn words_before_the_cursor() {
        let text = "RUN a  --mo é\u{301}x";
        assert_eq!(word_start(text, 11, 3), 7);
        assert_eq!(word_start(text, 7, 3), 7);
        assert_eq!(word_start(text, 4, 3), 4);
        assert_eq!(word_start(text, text.len(), 3), 12);
        assert_eq!(word_end(text, 7, |c| c != ' '), 11);
    }
}
