//! One instruction as BuildKit reads it: keyword, flags, arguments, heredocs, and its problems.
//!
//! The data of an instruction depends only on its own text and the escape character, so it is
//! stored with ranges relative to the instruction's start ([`Rel`]) and shared (`Arc`) between
//! successive models of a document: an edit elsewhere only moves the start.

use std::ops::Range;
use std::sync::Arc;

use compact_str::CompactString;

use super::heredoc::{can_contain_heredoc, try_heredocs_from_line};
use super::logical_line::{LogicalLine, assemble};
use super::problem::{Problem, Severity};
use super::split::{
    Arguments, Spanned, SplitCommand, SplitError, SubCommand, keyword_kind, parse_arguments,
    split_command_borrowed,
};
use super::variables::each_reference;
use crate::syntax::{HeredocNode, InstructionKind, InstructionNode};

/// A byte range relative to the start of the top-level instruction it belongs to.
pub type Rel = Range<usize>;

/// A top-level instruction: where it starts, and its position-independent data.
#[derive(Clone, Debug, PartialEq)]
pub struct Instruction {
    start: usize,
    data: Arc<InstructionData>,
}

/// A builder flag such as `--mount=type=cache,target=/x` or `--link`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The flag as BuildKit lists it (quotes and escapes removed): `--mount=type=cache`.
    pub text: CompactString,
    /// Without the dashes: `mount`.
    pub name: CompactString,
    /// After the first `=`, if there is one.
    pub value: Option<CompactString>,
    pub range: Rel,
    pub name_range: Rel,
    /// Where the value is written; the whole flag when quotes or escapes make the value's
    /// characters differ from the source.
    pub value_range: Option<Rel>,
}

/// A heredoc named on an instruction's line, with its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    /// Whether `$VAR`s in the body are expanded (no part of the name was quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body when it is used.
    pub chomp: bool,
    /// The file descriptor of `N<<NAME` (0 when absent).
    pub fd: u32,
    /// The body as written, each line with its line break.
    pub content: String,
    pub marker_range: Rel,
    pub content_range: Option<Rel>,
    pub terminator_range: Option<Rel>,
}

/// The keyword, flags and arguments of an instruction line (ONBUILD's trigger has them too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub kind: InstructionKind,
    /// The keyword as written.
    pub keyword: CompactString,
    pub keyword_range: Rel,
    pub flags: Vec<Flag>,
    /// Where everything after the flags is (what the line parser received); empty when
    /// nothing follows them.
    pub rest: Rel,
    /// The arguments in BuildKit's shapes; every range is relative to the instruction start.
    /// For ONBUILD, the trigger is in [`InstructionData::trigger`] instead.
    pub args: Arguments,
}

impl Command {
    /// BuildKit's `json` attribute: the exec form was used.
    pub fn is_json(&self) -> bool {
        self.args.json()
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// Everything about an instruction that does not depend on where it is in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstructionData {
    pub command: Command,
    /// ONBUILD's trigger instruction.
    pub trigger: Option<Box<Command>>,
    /// The whole instruction, heredoc bodies included.
    pub len: usize,
    /// The instruction's own lines (without the final line break or heredoc bodies).
    pub line_len: usize,
    pub heredocs: Vec<Heredoc>,
    /// Blank lines inside a line continuation (BuildKit warns about them).
    pub empty_continuation_lines: Vec<Rel>,
    /// `$VAR` references in the flags and arguments (heredoc bodies excluded).
    pub references: Vec<RefData>,
    pub problems: Vec<RelProblem>,
    /// The escape character the data was read with.
    pub escape: char,
}

/// A `$VAR` / `${VAR...}` reference, relative to its instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefData {
    pub name: CompactString,
    pub range: Rel,
    pub name_range: Rel,
    pub modifier: Option<String>,
}

/// A problem with a range relative to its instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelProblem {
    pub range: Rel,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Instruction {
    pub(crate) fn new(start: usize, data: Arc<InstructionData>) -> Instruction {
        Instruction { start, data }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn len(&self) -> usize {
        self.data.len
    }

    pub fn is_empty(&self) -> bool {
        self.data.len == 0
    }

    pub fn data(&self) -> &Arc<InstructionData> {
        &self.data
    }

    pub fn command(&self) -> &Command {
        &self.data.command
    }

    pub fn kind(&self) -> InstructionKind {
        self.data.command.kind
    }

    /// The instruction whose semantics apply: ONBUILD's trigger, or the instruction itself.
    pub fn effective(&self) -> &Command {
        self.data.trigger.as_deref().unwrap_or(&self.data.command)
    }

    /// The whole instruction in the document, heredoc bodies included.
    pub fn range(&self) -> Range<usize> {
        self.start..self.start + self.data.len
    }

    /// The instruction's own lines in the document.
    pub fn line_range(&self) -> Range<usize> {
        self.start..self.start + self.data.line_len
    }

    /// A relative range of this instruction as a document range.
    pub fn abs(&self, rel: &Rel) -> Range<usize> {
        self.start + rel.start..self.start + rel.end
    }

    pub fn keyword_range(&self) -> Range<usize> {
        self.abs(&self.data.command.keyword_range)
    }

    pub fn problems(&self) -> impl Iterator<Item = Problem> + '_ {
        self.data.problems.iter().map(|p| Problem {
            range: self.abs(&p.range),
            code: p.code,
            severity: p.severity,
            message: p.message.clone(),
        })
    }

    pub fn has_errors(&self) -> bool {
        self.data
            .problems
            .iter()
            .any(|p| p.severity == Severity::Error)
    }
}

impl InstructionData {
    /// Reads one instruction node the way BuildKit reads its lines.
    pub(crate) fn build(node: InstructionNode<'_>, text: &str, escape: char) -> InstructionData {
        let range = node.range();
        let base = range.start;
        let parts = NodeParts::read(node, range.clone(), text);
        let line = parts.line_range.clone();
        let logical = assemble(text, line.start, line.end, escape);
        let to_rel = |r: &Range<usize>| relative(&logical.source_range(r.clone()), base);

        let mut problems = Vec::new();
        let split = split_command_borrowed(&logical.text);
        let kind = keyword_kind(split.keyword.value);
        let (args, ok) = match parse_arguments(kind, &split.rest, escape) {
            Ok(args) => (args, true),
            Err(err) => {
                problems.push(split_problem(&err, &to_rel));
                (Arguments::None, false)
            }
        };
        let heredoc_capable = ok && can_contain_heredoc(kind, &args);
        let after_keyword = split.keyword.range.end.min(logical.text.len());
        let args_text = logical.text.get(after_keyword..).unwrap_or("");
        let mut references = Vec::new();
        let dollars = memchr::memchr_iter(b'$', args_text.as_bytes()).count();
        if dollars > 0 {
            // A reference starts at a `$`: no more of them than that.
            references.reserve_exact(dollars);
            each_reference(args_text, escape, |whole, name, modifier| {
                let shift = |r: Range<usize>| after_keyword + r.start..after_keyword + r.end;
                let name = shift(name);
                references.push(RefData {
                    name: CompactString::new(&logical.text[name.clone()]),
                    range: to_rel(&shift(whole)),
                    name_range: to_rel(&name),
                    modifier: modifier.map(|m| args_text[m].to_string()),
                });
            });
        }
        let (command, trigger) = commands(split, args, &logical, &to_rel);

        let mut data = InstructionData {
            command,
            trigger,
            len: range.len(),
            line_len: line.len(),
            heredocs: Vec::new(),
            empty_continuation_lines: logical
                .empty_continuation_lines
                .iter()
                .map(|r| relative(r, base))
                .collect(),
            references,
            problems,
            escape,
        };
        if heredoc_capable {
            attach_heredocs(&mut data, &parts.bodies(), text, base, &logical);
        }
        data
    }
}

/// What the model reads from an instruction's node besides its text.
struct NodeParts<'t> {
    line_range: Range<usize>,
    heredocs: Vec<HeredocNode>,
    trigger: Option<InstructionNode<'t>>,
}

impl<'t> NodeParts<'t> {
    /// Walking a node's children is the costly part of reading it, and most instructions
    /// have nothing to find there: a heredoc body follows a `<<` marker on the instruction's
    /// lines. Without one in its text, the instruction's lines are all of it.
    fn read(node: InstructionNode<'t>, range: Range<usize>, text: &str) -> NodeParts<'t> {
        if text.get(range).is_some_and(|own| !own.contains("<<")) {
            let parts = NodeParts {
                line_range: node.line_range_without_heredocs(text),
                heredocs: Vec::new(),
                trigger: None,
            };
            #[cfg(debug_assertions)]
            {
                let walked = node.parts(text);
                debug_assert_eq!(parts.line_range, walked.line_range);
                debug_assert!(walked.heredocs.is_empty());
                debug_assert!(walked.trigger.is_none_or(|t| t.heredocs().is_empty()));
            }
            return parts;
        }
        let walked = node.parts(text);
        NodeParts {
            line_range: walked.line_range,
            heredocs: walked.heredocs,
            trigger: walked.trigger,
        }
    }

    /// The heredoc bodies: ONBUILD's are in its trigger's node.
    fn bodies(self) -> Vec<HeredocNode> {
        match self.trigger {
            Some(trigger) => trigger.heredocs(),
            None => self.heredocs,
        }
    }
}

fn relative(range: &Range<usize>, base: usize) -> Rel {
    let start = range.start.saturating_sub(base);
    start..range.end.saturating_sub(base).max(start)
}

/// The instruction's command and, for ONBUILD, its trigger's, with ranges made relative.
fn commands(
    split: SplitCommand<&str>,
    args: Arguments,
    logical: &LogicalLine<'_>,
    to_rel: &impl Fn(&Range<usize>) -> Rel,
) -> (Command, Option<Box<Command>>) {
    match args {
        Arguments::SubCommand(sub) => {
            let SubCommand {
                command: sub,
                arguments,
            } = *sub;
            let trigger = command(sub, arguments, logical, to_rel);
            let onbuild = command(split, Arguments::None, logical, to_rel);
            (onbuild, Some(Box::new(trigger)))
        }
        args => (command(split, args, logical, to_rel), None),
    }
}

fn command<S: AsRef<str> + Into<CompactString>>(
    split: SplitCommand<S>,
    mut args: Arguments,
    logical: &LogicalLine<'_>,
    to_rel: &impl Fn(&Range<usize>) -> Rel,
) -> Command {
    map_ranges(&mut args, to_rel);
    Command {
        kind: keyword_kind(split.keyword.value.as_ref()),
        keyword_range: to_rel(&split.keyword.range),
        keyword: split.keyword.value.into(),
        flags: split
            .flags
            .into_iter()
            .map(|f| flag(f, logical, to_rel))
            .collect(),
        rest: to_rel(&split.rest.range),
        args,
    }
}

fn flag(
    f: Spanned<CompactString>,
    logical: &LogicalLine<'_>,
    to_rel: &impl Fn(&Range<usize>) -> Rel,
) -> Flag {
    let text = f.value;
    let body = text.strip_prefix("--").unwrap_or(&text);
    let (name, value) = match body.split_once('=') {
        Some((n, v)) => (CompactString::new(n), Some(CompactString::new(v))),
        None => (CompactString::new(body), None),
    };
    let range = to_rel(&f.range);
    // Exact positions when the flag is written without quotes or escapes (nearly always).
    let raw = logical.text.get(f.range.clone()).unwrap_or("");
    let (name_range, value_range) = if raw == text {
        let name_start = f.range.start + 2;
        let name_end = name_start + name.len();
        (
            to_rel(&(name_start..name_end)),
            value
                .as_ref()
                .map(|v| to_rel(&(name_end + 1..name_end + 1 + v.len()))),
        )
    } else {
        (range.clone(), value.as_ref().map(|_| range.clone()))
    };
    Flag {
        text,
        name,
        value,
        range,
        name_range,
        value_range,
    }
}

/// Maps every range inside `args` (logical ranges) through `f`.
fn map_ranges(args: &mut Arguments, f: &impl Fn(&Range<usize>) -> Rel) {
    let map = |s: &mut Spanned<CompactString>| s.range = f(&s.range);
    match args {
        Arguments::None | Arguments::Ignored => {}
        Arguments::List(items) | Arguments::Json(items) => items.iter_mut().for_each(map),
        Arguments::Text(text) => map(text),
        Arguments::Pairs(pairs) => {
            for p in pairs {
                map(&mut p.key);
                map(&mut p.value);
            }
        }
        Arguments::Health { kind, command } => {
            map(kind);
            map_ranges(command, f);
        }
        Arguments::SubCommand(sub) => {
            map(&mut sub.command.keyword);
            sub.command.flags.iter_mut().for_each(map);
            map(&mut sub.command.rest);
            map_ranges(&mut sub.arguments, f);
        }
    }
}

fn split_problem(err: &SplitError, to_rel: &impl Fn(&Range<usize>) -> Rel) -> RelProblem {
    RelProblem {
        range: err.range().map(|r| to_rel(&r)).unwrap_or(0..0),
        code: err.code(),
        severity: Severity::Error,
        message: err.to_string(),
    }
}

fn attach_heredocs(
    data: &mut InstructionData,
    bodies: &[HeredocNode],
    text: &str,
    base: usize,
    logical: &LogicalLine<'_>,
) {
    let specs = match try_heredocs_from_line(&logical.text) {
        Ok(specs) => specs,
        Err(err) => {
            data.problems.push(RelProblem {
                range: relative(&logical.source_range(err.range.clone()), base),
                code: err.code(),
                severity: Severity::Error,
                message: err.to_string(),
            });
            return;
        }
    };
    for (i, spec) in specs.into_iter().enumerate() {
        let body = bodies.get(i);
        let content_range = body.and_then(|b| b.content.clone());
        let terminator_range = body.and_then(|b| b.terminator.clone());
        let marker = relative(&logical.source_range(spec.range.clone()), base);
        if terminator_range.is_none() {
            data.problems.push(RelProblem {
                range: marker.clone(),
                code: "unterminated-heredoc",
                severity: Severity::Error,
                message: format!(
                    "unterminated heredoc: end its body with a line that is exactly `{}`",
                    spec.name
                ),
            });
        }
        data.heredocs.push(Heredoc {
            content: content_range
                .as_ref()
                .and_then(|r| text.get(r.clone()))
                .unwrap_or("")
                .to_string(),
            name: spec.name,
            expand: spec.expand,
            chomp: spec.chomp,
            fd: spec.fd,
            marker_range: marker,
            content_range: content_range.map(|r| relative(&r, base)),
            terminator_range: terminator_range.map(|r| relative(&r, base)),
        });
    }
}
