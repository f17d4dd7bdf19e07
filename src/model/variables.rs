//! ARG and ENV: declarations, `$VAR` / `${VAR...}` references, and BuildKit's scoping rules.
//!
//! Scoping, as BuildKit applies it:
//! - an ARG before the first FROM is global: usable in FROM lines only, unless a stage
//!   declares it again (`ARG NAME` without a default inherits the global default);
//! - inside a stage, ARG and ENV are visible from the next instruction to the end of the
//!   stage; within one instruction every variable keeps the value it had before it
//!   (`ENV a=1 b=$a` reads the old `a`);
//! - a stage built `FROM` an earlier stage inherits that stage's ENV, not its ARGs;
//! - proxy ARGs are always available; platform ARGs only in FROM lines unless re-declared.

use std::ops::Range;

use compact_str::CompactString;

use super::Model;
use super::instruction::{Instruction, Rel};
use super::split::{Arguments, Spanned};
use crate::catalog::{self, ArgKind};
use crate::syntax::InstructionKind;

/// Whether a declaration is an ARG or an ENV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclKind {
    Arg,
    Env,
}

/// One variable declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub kind: DeclKind,
    pub name: String,
    /// The default or value as written (quotes kept), if any.
    pub value: Option<String>,
    /// Index of the declaring instruction in `Model::instructions`.
    pub instruction: usize,
    pub name_range: Range<usize>,
    pub value_range: Option<Range<usize>>,
}

impl Declaration {
    /// The value with one level of quotes removed, as the builder would store it.
    pub fn unquoted_value(&self) -> Option<String> {
        self.value.as_deref().map(unquote)
    }
}

/// A `$NAME` or `${NAME...}` in an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    /// The whole reference, `$` to the closing brace.
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    /// The operator and word of `${NAME:-word}` and friends, as written.
    pub modifier: Option<String>,
    /// Index of the instruction it is in.
    pub instruction: usize,
}

/// What a variable name means at one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Declared by an ARG or ENV (possibly in the global scope, or an ancestor stage's ENV).
    Declared {
        declaration: Declaration,
        /// For `ARG NAME` without a default inside a stage: the global ARG it inherits from.
        inherits: Option<Declaration>,
    },
    /// A predefined ARG (proxy, platform, BuildKit), set at build time.
    Predefined(&'static catalog::ArgDoc),
    /// Nothing declares it here.
    Undefined,
}

/// The `$VAR` references of a text, as BuildKit's lexer finds them: not inside single
/// quotes, not after the escape character. Ranges are in `text`.
pub fn scan_references(
    text: &str,
    escape: char,
) -> Vec<(Range<usize>, Range<usize>, Option<String>)> {
    let mut out = Vec::new();
    each_reference(text, escape, |whole, name, modifier| {
        out.push((whole, name, modifier.map(|m| text[m].to_string())));
    });
    out
}

/// [`scan_references`] without collecting: `found` gets the whole reference, its name and
/// its modifier's range (all in `text`) as they are met.
pub(crate) fn each_reference(
    text: &str,
    escape: char,
    mut found: impl FnMut(Range<usize>, Range<usize>, Option<Range<usize>>),
) {
    let bytes = text.as_bytes();
    let mut in_single = false;
    let mut in_double = false;
    // Quotes and escapes after the last `$` can hide no reference: the scan stops there.
    let end = memchr::memrchr(b'$', bytes).map_or(0, |last| last + 1);
    let mut i = 0;
    while i < end {
        let c = bytes[i];
        if (c as char) == escape && !in_single {
            // Skip the escaped character (whole UTF-8 sequence).
            i += 1;
            while i < bytes.len() && (bytes[i] & 0xC0) == 0x80 {
                i += 1;
            }
            if i < bytes.len() {
                i += utf8_len(bytes[i]);
            }
            continue;
        }
        match c {
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'$' if !in_single => {
                if let Some((whole, name, modifier)) = reference_at(text, i) {
                    i = whole.end;
                    found(whole, name, modifier);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Whether `name` can be referenced as `$name`: `[A-Za-z_][A-Za-z0-9_]*`, the names the
/// shell lexer reads after a `$`.
pub fn is_variable_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.first().is_some_and(|&b| is_name_start(b)) && bytes.iter().all(|&b| is_name_char(b))
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where a reference is: all of it, its name, and its modifier (`:-word` in
/// `${NAME:-word}`), if any.
type RefRanges = (Range<usize>, Range<usize>, Option<Range<usize>>);

/// A reference starting at the `$` at `at`.
fn reference_at(text: &str, at: usize) -> Option<RefRanges> {
    let bytes = text.as_bytes();
    let next = *bytes.get(at + 1)?;
    if next == b'{' {
        let name_start = at + 2;
        let mut j = name_start;
        while j < bytes.len() && is_name_char(bytes[j]) {
            j += 1;
        }
        if j == name_start {
            return None;
        }
        let name_end = j;
        // Find the closing brace, allowing nested `${...}` in the modifier word.
        let mut depth = 1;
        while j < bytes.len() {
            match bytes[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= bytes.len() {
            return None;
        }
        let modifier = (name_end < j).then_some(name_end..j);
        Some((at..j + 1, name_start..name_end, modifier))
    } else if is_name_start(next) {
        let mut j = at + 1;
        while j < bytes.len() && is_name_char(bytes[j]) {
            j += 1;
        }
        Some((at..j, at + 1..j, None))
    } else {
        None
    }
}

/// Removes one level of shell quoting (`"a b"` → `a b`, `'x'` → `x`, `a\ b` → `a b`).
pub fn unquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

/// The declarations an instruction makes (ARG names, ENV keys), in order.
pub fn declarations_of(inst: &Instruction, index: usize) -> Vec<Declaration> {
    let command = inst.command();
    let abs = |r: &Rel| inst.abs(r);
    match (command.kind, &command.args) {
        (InstructionKind::Arg, Arguments::List(words)) => words
            .iter()
            .map(|w| arg_declaration(inst, index, w))
            .collect(),
        (InstructionKind::Env, Arguments::Pairs(pairs)) => pairs
            .iter()
            .map(|p| Declaration {
                kind: DeclKind::Env,
                name: p.key.value.to_string(),
                value: Some(p.value.value.to_string()),
                instruction: index,
                name_range: abs(&p.key.range),
                value_range: Some(abs(&p.value.range)),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// An ARG word's name and default: `name=value` or `name`.
fn arg_word(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (word, None),
    }
}

/// Whether the ARG word `word` (`NAME` or `NAME=value`) declares `name`: the same as
/// comparing [`arg_word`]'s name, without searching the whole word for `=`.
fn declares(word: &str, name: &str) -> bool {
    word.strip_prefix(name)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        && !name.contains('=')
}

/// The declaration made by one word of ARG instruction `index`.
fn arg_declaration(inst: &Instruction, index: usize, w: &Spanned<CompactString>) -> Declaration {
    let (name, value) = arg_word(&w.value);
    let name_range = w.range.start..w.range.start + name.len().min(w.range.len());
    let value_range = value.map(|v| w.range.end.saturating_sub(v.len())..w.range.end);
    Declaration {
        kind: DeclKind::Arg,
        name: name.to_string(),
        value: value.map(str::to_string),
        instruction: index,
        name_range: inst.abs(&name_range),
        value_range: value_range.map(|r| inst.abs(&r)),
    }
}

impl Model {
    /// Index of the first FROM; instructions before it are the global scope.
    pub fn first_from(&self) -> usize {
        self.stages
            .first()
            .map_or(self.instructions.len(), |s| s.instruction)
    }

    /// Every `$VAR` reference of an instruction, in order (flags and arguments; not heredoc
    /// bodies, which the shell expands).
    pub fn references(&self, index: usize) -> Vec<Reference> {
        let Some(inst) = self.instructions.get(index) else {
            return Vec::new();
        };
        inst.data()
            .references
            .iter()
            .map(|r| Reference {
                name: r.name.to_string(),
                range: inst.abs(&r.range),
                name_range: inst.abs(&r.name_range),
                modifier: r.modifier.clone(),
                instruction: index,
            })
            .collect()
    }

    /// Global ARGs (before the first FROM) declared before instruction `before`.
    pub fn global_args(&self, before: usize) -> Vec<Declaration> {
        let end = self.first_from().min(before);
        (0..end)
            .flat_map(|i| declarations_of(&self.instructions[i], i))
            .filter(|d| d.kind == DeclKind::Arg)
            .collect()
    }

    /// The last global ARG named `name` declared before instruction `before`: the last
    /// match in [`Model::global_args`], found without building the others.
    pub fn global_arg(&self, before: usize, name: &str) -> Option<Declaration> {
        self.last_global_arg_word(before, name)
            .map(|(i, word)| arg_declaration(&self.instructions[i], i, word))
    }

    /// The ARG word behind [`Model::global_arg`], with its instruction's index: searched from
    /// the end without allocating (FROM lines of a large file ask this a lot).
    fn last_global_arg_word(
        &self,
        before: usize,
        name: &str,
    ) -> Option<(usize, &Spanned<CompactString>)> {
        let end = self.first_from().min(before);
        let globals = self.instructions.get(..end)?;
        globals.iter().enumerate().rev().find_map(|(i, inst)| {
            let command = inst.command();
            // Only ARG instructions declare ARGs (an ENV before FROM declares an ENV).
            let (InstructionKind::Arg, Arguments::List(words)) = (command.kind, &command.args)
            else {
                return None;
            };
            let word = words.iter().rev().find(|w| declares(&w.value, name))?;
            Some((i, word))
        })
    }

    /// What `name` means when used in instruction `index`.
    pub fn resolve(&self, index: usize, name: &str) -> Resolution {
        let first_from = self.first_from();
        let is_from = self
            .instructions
            .get(index)
            .is_some_and(|i| i.kind() == InstructionKind::From);
        if index < first_from || is_from {
            // Global scope: the FROM lines and the global ARGs themselves.
            if let Some(d) = self.global_arg(index, name) {
                return Resolution::Declared {
                    declaration: d,
                    inherits: None,
                };
            }
            return predefined(name, true);
        }
        let Some(stage) = self.stage_of(index) else {
            return predefined(name, false);
        };
        if let Some(found) = self.find_in_stage(stage.index, index, name, true) {
            return found;
        }
        predefined(name, false)
    }

    /// Looks back from `before` to the start of stage `stage_index` (ENV of ancestor stages
    /// too); ARGs only when `args` is set (they do not cross stages).
    fn find_in_stage(
        &self,
        stage_index: usize,
        before: usize,
        name: &str,
        args: bool,
    ) -> Option<Resolution> {
        let stage = self.stages.get(stage_index)?;
        let end = before.min(stage.end_instruction);
        for i in (stage.instruction + 1..end).rev() {
            let found = declarations_of(&self.instructions[i], i)
                .into_iter()
                .rev()
                .find(|d| d.name == name && (args || d.kind == DeclKind::Env));
            if let Some(d) = found {
                let inherits = (d.kind == DeclKind::Arg && d.value.is_none())
                    .then(|| {
                        self.global_args(self.first_from())
                            .into_iter()
                            .rev()
                            .find(|g| g.name == name)
                    })
                    .flatten();
                return Some(Resolution::Declared {
                    declaration: d,
                    inherits,
                });
            }
        }
        // A stage built on an earlier stage inherits its environment.
        let parent = self.parent_stage(stage_index)?;
        self.find_in_stage(parent, usize::MAX, name, false)
    }

    /// Variables visible in instruction `index`, nearest declaration first, for completion.
    pub fn visible_variables(&self, index: usize) -> Vec<Declaration> {
        let mut out: Vec<Declaration> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut push = |d: Declaration| {
            if seen.insert(d.name.clone()) {
                out.push(d);
            }
        };
        let first_from = self.first_from();
        let is_from = self
            .instructions
            .get(index)
            .is_some_and(|i| i.kind() == InstructionKind::From);
        if index < first_from || is_from {
            self.global_args(index)
                .into_iter()
                .rev()
                .for_each(&mut push);
            return out;
        }
        let mut stage = self.stage_of(index).map(|s| s.index);
        let mut before = index;
        let mut args = true;
        while let Some(si) = stage {
            let Some(s) = self.stages.get(si) else { break };
            for i in (s.instruction + 1..before.min(s.end_instruction)).rev() {
                declarations_of(&self.instructions[i], i)
                    .into_iter()
                    .rev()
                    .filter(|d| args || d.kind == DeclKind::Env)
                    .for_each(&mut push);
            }
            stage = self.parent_stage(si);
            before = usize::MAX;
            args = false;
        }
        out
    }

    /// Expands `$VAR`s in a FROM argument with the global ARG defaults visible at
    /// instruction `index`. `None` when a variable has no known value.
    pub fn expand_global(&self, index: usize, text: &str) -> Option<String> {
        let lookup = |name: &str| -> Option<Option<String>> {
            self.last_global_arg_word(index, name)
                .map(|(_, word)| arg_word(&word.value).1.map(unquote))
        };
        expand(text, self.escape, &lookup)
    }
}

/// A predefined ARG, if `name` is one usable here: proxy ARGs anywhere, platform ARGs only in
/// the global scope (FROM lines) unless a stage declares them.
pub fn predefined(name: &str, global_scope: bool) -> Resolution {
    match catalog::predefined_arg(name) {
        Some(doc) if doc.kind == ArgKind::Proxy => Resolution::Predefined(doc),
        Some(doc) if global_scope || !doc.global_until_redeclared => Resolution::Predefined(doc),
        _ => Resolution::Undefined,
    }
}

/// Expands `$VAR`, `${VAR}`, `${VAR:-w}`, `${VAR-w}`, `${VAR:+w}`, `${VAR+w}` with `lookup`
/// (`Some(Some(v))` set, `Some(None)` declared without value, `None` undeclared).
/// Returns `None` when the result depends on a value that is not known.
pub fn expand(
    text: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<Option<String>>,
) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (whole, name, modifier) in scan_references(text, escape) {
        out.push_str(&text[last..whole.start]);
        last = whole.end;
        let value = lookup(&text[name])?;
        let set = value.as_deref().is_some_and(|v| !v.is_empty());
        let declared = value.is_some();
        match modifier.as_deref() {
            None => out.push_str(value.as_deref()?),
            Some(m) => {
                let (op, word) = if let Some(w) = m.strip_prefix(":-") {
                    ("default-if-empty", w)
                } else if let Some(w) = m.strip_prefix('-') {
                    ("default-if-unset", w)
                } else if let Some(w) = m.strip_prefix(":+") {
                    ("alt-if-set", w)
                } else if let Some(w) = m.strip_prefix('+') {
                    ("alt-if-declared", w)
                } else {
                    return None;
                };
                let word = expand(word, escape, lookup)?;
                match op {
                    "default-if-empty" if set => out.push_str(value.as_deref().unwrap_or("")),
                    "default-if-empty" => out.push_str(&word),
                    "default-if-unset" if declared => out.push_str(value.as_deref().unwrap_or("")),
                    "default-if-unset" => out.push_str(&word),
                    "alt-if-set" if set => out.push_str(&word),
                    "alt-if-declared" if declared => out.push_str(&word),
                    _ => {}
                }
            }
        }
    }
    out.push_str(&text[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    fn model(text: &str) -> Model {
        Model::build(&Document::new(text))
    }

    #[test]
    fn finds_references_like_buildkit() {
        let refs = scan_references(r#"a $X ${Y:-z} '$NO' "$YES" \$ESC ${} $1"#, '\\');
        let names: Vec<_> = refs
            .iter()
            .map(|(_, n, _)| &r#"a $X ${Y:-z} '$NO' "$YES" \$ESC ${} $1"#[n.clone()])
            .collect();
        assert_eq!(names, ["X", "Y", "YES"]);
        assert_eq!(refs[1].2.as_deref(), Some(":-z"));
    }

    #[test]
    fn an_arg_word_declares_the_name_before_its_first_equals_sign() {
        for (word, name, expected) in [
            ("A", "A", true),
            ("A=1", "A", true),
            ("A=x=y", "A", true),
            ("AB=1", "A", false),
            ("A", "AB", false),
            ("=1", "", true),
            ("A=x=y", "A=x", false),
            ("", "A", false),
        ] {
            assert_eq!(declares(word, name), expected, "{word} declares {name}");
            assert_eq!(arg_word(word).0 == name, expected, "{word} by arg_word");
        }
    }

    #[test]
    fn global_args_only_reach_from_lines_unless_redeclared() {
        let m = model("ARG V=1\nARG W=2\nFROM img:$V\nRUN echo $V\nARG W\nRUN echo $W\n");
        assert!(matches!(m.resolve(2, "V"), Resolution::Declared { .. }));
        assert_eq!(m.resolve(3, "V"), Resolution::Undefined);
        match m.resolve(5, "W") {
            Resolution::Declared {
                declaration,
                inherits: Some(global),
            } => {
                assert_eq!(declaration.instruction, 4);
                assert_eq!(global.value.as_deref(), Some("2"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(m.expand_global(2, "img:$V").as_deref(), Some("img:1"));
        assert_eq!(m.expand_global(2, "img:${NOPE:-x}"), None);
    }

    #[test]
    fn env_is_visible_after_its_instruction_and_in_child_stages() {
        let m = model("FROM a AS base\nENV A=1 B=$A\nFROM base\nRUN echo $A\nFROM a\nRUN $A\n");
        // Within the ENV instruction itself, A is not yet set.
        assert_eq!(m.resolve(1, "A"), Resolution::Undefined);
        assert!(matches!(m.resolve(3, "A"), Resolution::Declared { .. }));
        assert_eq!(m.resolve(5, "A"), Resolution::Undefined);
        let names: Vec<_> = m.visible_variables(3).into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["B", "A"]);
    }

    #[test]
    fn platform_args_need_redeclaring_but_proxies_do_not() {
        let m = model("FROM --platform=$BUILDPLATFORM a\nRUN echo $TARGETOS $http_proxy\n");
        assert!(matches!(
            m.resolve(0, "BUILDPLATFORM"),
            Resolution::Predefined(_)
        ));
        assert_eq!(m.resolve(1, "TARGETOS"), Resolution::Undefined);
        assert!(matches!(
            m.resolve(1, "http_proxy"),
            Resolution::Predefined(_)
        ));
    }

    #[test]
    fn expansion_modifiers() {
        let lookup = |n: &str| match n {
            "SET" => Some(Some("v".to_string())),
            "EMPTY" => Some(Some(String::new())),
            "DECL" => Some(None),
            _ => None,
        };
        let e = |t: &str| expand(t, '\\', &lookup);
        assert_eq!(e("${SET:-d}").as_deref(), Some("v"));
        assert_eq!(e("${EMPTY:-d}").as_deref(), Some("d"));
        assert_eq!(e("${EMPTY-d}").as_deref(), Some(""));
        assert_eq!(e("${SET:+alt}").as_deref(), Some("alt"));
        assert_eq!(e("${EMPTY:+alt}").as_deref(), Some(""));
        assert_eq!(e("$UNKNOWN"), None);
    }
}
