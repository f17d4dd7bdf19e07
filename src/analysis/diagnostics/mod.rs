//! Diagnostics: everything BuildKit would reject before running a step, with fixes in mind.
//!
//! Severity `Error` is reserved for what BuildKit itself rejects (at parse time, or while it
//! converts the Dockerfile, before any step runs). Inside an `ONBUILD` trigger the same
//! problems are `Warning`s: BuildKit only stores the trigger, and rejects it when another
//! build uses this image as its base.
//!
//! Every diagnostic has one of these stable codes:
//!
//! | code | severity | what |
//! |---|---|---|
//! | `no-instructions` | error | empty file (from the model) |
//! | `duplicate-directive`, `invalid-escape` | error | parser directive header (from the model) |
//! | `json-not-string-array`, `name-val-missing-equals`, `name-val-two-arguments`, `onbuild-too-deep`, `unterminated-heredoc`, `heredoc-syntax` | error | line parser (from the model) |
//! | `directive-casing` | hint | `# Syntax=` instead of `# syntax=` |
//! | `ignored-directive` | warning | a directive after the header, which BuildKit reads as a comment |
//! | `unknown-directive` | hint | `# sytnax=`: close to a directive name |
//! | `invalid-check-directive` | error | `# check=` options BuildKit cannot parse |
//! | `unknown-check-rule` | warning | a rule name in `# check=skip=` that does not exist |
//! | `invalid-syntax-directive` | error | `# syntax=` that is no image reference |
//! | `unknown-instruction` | error | unknown keyword, with "did you mean" |
//! | `instruction-before-from` | error | an instruction other than ARG before the first FROM |
//! | `missing-from` | error | no FROM at all |
//! | `missing-arguments` | error | too few arguments for the instruction |
//! | `blank-name` | error | `ARG =x`, `ENV =x`, `LABEL =x` |
//! | `empty-volume` | error | `VOLUME [""]` |
//! | `heredoc-destination` | error | `COPY <<EOF <<DEST` |
//! | `copy-url-source` | error | `COPY https://…` (only ADD downloads) |
//! | `unknown-flag` | error | a flag the instruction does not accept |
//! | `labs-only-flag` | error | `RUN --device` without the labs frontend |
//! | `flag-needs-newer-syntax` | warning | a flag newer than the `# syntax=docker/dockerfile:1.N` pin |
//! | `duplicate-flag` | error | a non-repeatable flag given twice |
//! | `flag-missing-value` | error | `--from` without `=value`, `--link=` |
//! | `flag-ignored` | warning | flags on ARG, STOPSIGNAL, `HEALTHCHECK NONE` (BuildKit ignores them) |
//! | `invalid-boolean-flag` | error | `--link=yes` |
//! | `invalid-network`, `invalid-security` | error | `RUN --network` / `--security` values |
//! | `invalid-platform` | error | `FROM --platform` that is no platform (warning when it comes from ARG defaults) |
//! | `unknown-platform` | warning | a platform that parses but names no known OS or architecture |
//! | `invalid-chmod` | error | `--chmod` neither octal ≤ 7777 nor symbolic |
//! | `invalid-chown` | warning | `--chown` that cannot name a user and group |
//! | `invalid-checksum` | error | `ADD --checksum` value or sources |
//! | `invalid-duration`, `duration-missing-unit` | error | HEALTHCHECK durations |
//! | `invalid-retries` | error | `HEALTHCHECK --retries` |
//! | `invalid-mount` | error | `--mount` that is not CSV, or is empty |
//! | `unknown-mount-key`, `unknown-mount-type` | error | with "did you mean" |
//! | `mount-missing-value` | error | `--mount=type=cache,target` |
//! | `invalid-mount-value` | error | `sharing`, `mode`, `uid`, `gid`, `ro`, `rw`, `required`, `size` values |
//! | `mount-key-not-allowed` | error | a key BuildKit rejects on this type (`mode` on bind, `required` before `type=secret`) |
//! | `mount-key-ignored` | warning | a key that means nothing on this type (`env` on a cache mount) |
//! | `mount-missing-key` | error | a secret mount without id, source or target |
//! | `mount-conflicting-keys` | error | a secret mount with both source and id |
//! | `mount-invalid-target` | error | `target=/` |
//! | `mount-missing-target` | warning | no target and no WORKDIR: the mount would land on `/` |
//! | `from-variable` | error | `$VAR` in `COPY --from` or `--mount=from=` |
//! | `empty-from` | warning | `COPY --from=` (BuildKit copies from the context) |
//! | `invalid-stage-index` | error | `COPY --from=7` with fewer stages |
//! | `forward-stage-reference` | error | copy/mount from this or a later stage (warning for FROM, which then pulls an image) |
//! | `stage-name-typo` | hint | a name that is no stage but looks like one |
//! | `invalid-image-reference` | error | FROM, `--from`, `from=` values that are no image reference |
//! | `from-arguments` | error | FROM without an image, or with words other than `AS <name>` |
//! | `invalid-stage-name` | error | stage name not matching `[a-z][a-z0-9-_.]*` |
//! | `healthcheck-none-arguments` | error | `HEALTHCHECK NONE x` |
//! | `healthcheck-unknown-type` | error | neither CMD nor NONE |
//! | `healthcheck-missing-command` | error | `HEALTHCHECK CMD` alone |
//! | `onbuild-invalid-trigger` | error | `ONBUILD ONBUILD`, `ONBUILD FROM`, `ONBUILD MAINTAINER` |
//! | `invalid-port`, `invalid-expose-protocol` | error | EXPOSE values |
//! | `invalid-stop-signal` | error | STOPSIGNAL values |
//! | `unusual-stop-signal` | warning | a number that is no Linux signal |
//! | `shell-not-json` | error | `SHELL` in shell form |

mod copy_from;
mod directives;
mod expose;
mod flags;
mod from;
mod healthcheck;
mod instructions;
pub(crate) mod mounts;
mod onbuild;
mod parse;
mod shell;
mod stopsignal;

use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::{Diagnostic, Snapshot};
use crate::model::{Command, Flag, Instruction, Model, PARALLEL_FROM, Rel, Severity};
use crate::syntax::InstructionKind;

/// The diagnostics of this family alone (without BuildKit's checks or configuration), in
/// source order.
pub fn diagnostics(snapshot: &Snapshot) -> Vec<Diagnostic> {
    found(snapshot).into_iter().map(|f| f.diagnostic).collect()
}

pub(crate) use super::rules::{Fix, Found};

/// Every diagnostic with its fix, in source order.
pub(crate) fn found(snapshot: &Snapshot) -> Vec<Found> {
    let instructions = 0..snapshot.model.instructions.len();
    let (mut items, each) = if instructions.len() >= PARALLEL_FROM {
        rayon::join(
            || found_in_file(snapshot),
            || found_in_instructions(snapshot, instructions),
        )
    } else {
        (
            found_in_file(snapshot),
            found_in_instructions(snapshot, instructions),
        )
    };
    items.extend(each);
    super::rules::in_source_order(items)
}

fn cx(snapshot: &Snapshot) -> Cx<'_> {
    Cx {
        model: &snapshot.model,
        text: snapshot.text(),
        pinned_version: OnceLock::new(),
    }
}

/// The checks of the file as a whole (the parser's problems, the directives, the
/// instructions' order, the FROM lines), in source order.
pub(crate) fn found_in_file(snapshot: &Snapshot) -> Vec<Found> {
    let cx = cx(snapshot);
    let mut out = Out::default();
    parse::check(&cx, &mut out);
    directives::check(&cx, &mut out);
    instructions::check_file(&cx, &mut out);
    from::check(&cx, &mut out);
    super::rules::in_source_order(out.items)
}

/// The checks of the instructions `window` (indices), each on its own, in source order.
pub(crate) fn found_in_instructions(snapshot: &Snapshot, window: Range<usize>) -> Vec<Found> {
    let cx = cx(snapshot);
    let (start, instructions) = snapshot.model.instructions_within(window);
    let items = if instructions.len() >= PARALLEL_FROM {
        // Instructions are checked independently of each other; the pieces are joined in
        // the order one pass would find them, so the stable sort below gives the same list.
        instructions
            .par_chunks(PARALLEL_CHUNK)
            .enumerate()
            .map(|(chunk, insts)| {
                let mut piece = Out::default();
                for (i, inst) in insts.iter().enumerate() {
                    check_instruction(&cx, start + chunk * PARALLEL_CHUNK + i, inst, &mut piece);
                }
                piece.items
            })
            .flatten_iter()
            .collect()
    } else {
        let mut out = Out::default();
        for (i, inst) in instructions.iter().enumerate() {
            check_instruction(&cx, start + i, inst, &mut out);
        }
        out.items
    };
    super::rules::in_source_order(items)
}

/// Instructions per piece of work when a large file is checked in parallel.
const PARALLEL_CHUNK: usize = 64;

/// The checks of one top-level instruction and of its ONBUILD trigger, if any.
fn check_instruction(cx: &Cx, index: usize, inst: &Instruction, out: &mut Out) {
    let top = CommandCx {
        index,
        inst,
        cmd: inst.command(),
        trigger: false,
        text: cx.text,
        escape: cx.model.escape,
    };
    check_command(cx, &top, out);
    if let Some(trigger) = inst.data().trigger.as_deref() {
        let start = out.items.len();
        let nested = CommandCx {
            index,
            inst,
            cmd: trigger,
            trigger: true,
            text: cx.text,
            escape: cx.model.escape,
        };
        check_command(cx, &nested, out);
        out.downgrade_since(start);
    }
}

/// The checks that look at one command: a top-level instruction or an ONBUILD trigger.
fn check_command(cx: &Cx, c: &CommandCx, out: &mut Out) {
    instructions::check_command(cx, c, out);
    flags::check_command(cx, c, out);
    match c.cmd.kind {
        InstructionKind::Run => mounts::check_command(cx, c, out),
        InstructionKind::Copy => copy_from::check_command(cx, c, out),
        InstructionKind::Healthcheck => healthcheck::check_command(c, out),
        InstructionKind::Expose => expose::check_command(cx, c, out),
        InstructionKind::Stopsignal => stopsignal::check_command(cx, c, out),
        InstructionKind::Shell => shell::check_command(c, out),
        InstructionKind::Onbuild if !c.trigger => onbuild::check_command(c, out),
        _ => {}
    }
}

/// What every check reads.
pub(super) struct Cx<'a> {
    pub model: &'a Model,
    pub text: &'a str,
    /// The frontend version the syntax directive pins; computed on first use.
    pinned_version: OnceLock<Option<(u32, u32)>>,
}

impl<'a> Cx<'a> {
    /// The last stage named `name` (ignoring ASCII case), which is the one BuildKit uses
    /// for `--from` when a name is repeated.
    pub fn last_stage_named(&self, name: &str) -> Option<usize> {
        self.model.stages_named(name).last().copied()
    }

    /// The first stage whose name, as stored (in ASCII lower case), is exactly `name`.
    pub fn first_stage_named_exactly(&self, name: &str) -> Option<usize> {
        self.model.stages_named_exactly(name).first().copied()
    }

    /// The distinct names of the stages before stage `before`, in order.
    pub fn earlier_stage_names(&self, before: usize) -> Vec<&'a str> {
        let mut names: Vec<&'a str> = Vec::new();
        let model: &'a Model = self.model;
        for s in model.stages.iter().take(before) {
            if let Some((name, _)) = &s.name
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        }
        names
    }

    /// The value of the `# syntax=` directive, if any.
    pub fn syntax(&self) -> Option<&str> {
        self.model
            .directives
            .iter()
            .find(|d| d.name == "syntax")
            .map(|d| d.value.as_str())
    }

    /// Whether `text` has a `$VAR` the builder would expand (so its final value is unknown).
    pub fn has_variable(&self, text: &str) -> bool {
        crate::model::image_ref::contains_variable_with_escape(text, self.model.escape)
    }
}

/// One command being checked: a top-level instruction, or the trigger of an ONBUILD.
pub(super) struct CommandCx<'a> {
    /// Index of the instruction in `Model::instructions`.
    pub index: usize,
    pub inst: &'a Instruction,
    pub cmd: &'a Command,
    /// Whether `cmd` is an ONBUILD trigger (checked when another build uses the image).
    pub trigger: bool,
    /// The document text and escape character, for mapping flags back to the source.
    text: &'a str,
    escape: char,
}

impl CommandCx<'_> {
    pub fn abs(&self, rel: &Rel) -> Range<usize> {
        self.inst.abs(rel)
    }

    pub fn keyword_range(&self) -> Range<usize> {
        self.abs(&self.cmd.keyword_range)
    }

    /// The keyword in upper case, for messages (`RUN`, or the unknown word as written).
    pub fn keyword(&self) -> &str {
        self.cmd.kind.keyword().unwrap_or(&self.cmd.keyword)
    }

    /// Where bytes `r` of `flag.text` (`--name=value` as BuildKit reads it) are written,
    /// and whether the source there reads exactly like that text (see [`source_span`]).
    fn flag_span(&self, flag: &Flag, r: Range<usize>) -> (Range<usize>, bool) {
        source_span(self.text, self.escape, self.abs(&flag.range), &flag.text, r)
    }

    /// Where a flag's name is written (the whole flag when quotes hide it).
    pub fn flag_name_range(&self, flag: &Flag) -> Range<usize> {
        self.flag_span(flag, 2..2 + flag.name.len()).0
    }

    /// Where a flag's name is written, if the source spells it exactly.
    pub fn flag_name_exact(&self, flag: &Flag) -> Option<Range<usize>> {
        let (span, exact) = self.flag_span(flag, 2..2 + flag.name.len());
        exact.then_some(span)
    }

    /// Where a flag's value is written, or the whole flag when quotes hide it.
    pub fn flag_value_range(&self, flag: &Flag) -> Range<usize> {
        let len = flag.value.as_ref().map_or(0, |v| v.len());
        self.flag_value_sub_range(flag, 0..len)
    }

    /// Where a flag's value is written, if the source spells it exactly.
    pub fn flag_value_exact(&self, flag: &Flag) -> Option<Range<usize>> {
        let len = flag.value.as_ref().map_or(0, |v| v.len());
        self.flag_value_sub_exact(flag, 0..len)
    }

    /// Where bytes `sub` of a flag's value are written (the whole flag when unknown).
    pub fn flag_value_sub_range(&self, flag: &Flag, sub: Range<usize>) -> Range<usize> {
        match value_offset(flag) {
            Some(at) => self.flag_span(flag, at + sub.start..at + sub.end).0,
            None => self.abs(&flag.range),
        }
    }

    /// Where bytes `sub` of a flag's value are written, if the source spells them exactly.
    pub fn flag_value_sub_exact(&self, flag: &Flag, sub: Range<usize>) -> Option<Range<usize>> {
        let at = value_offset(flag)?;
        let (span, exact) = self.flag_span(flag, at + sub.start..at + sub.end);
        exact.then_some(span)
    }
}

/// Where the value starts in `flag.text` (after `--name=`).
fn value_offset(flag: &Flag) -> Option<usize> {
    flag.value.as_ref()?;
    Some(2 + flag.name.len() + 1)
}

/// Past a line continuation at `i` (the escape character, blanks, a line break, then any
/// blank or comment lines, which BuildKit drops inside a continued instruction).
/// Where bytes `r` of `read` (a word or flag as BuildKit reads it, written at `whole` of
/// `text`) are written, and whether the source there reads exactly like `read[r]` (so a fix
/// may replace it). Line continuations inside the word are skipped; when the source differs
/// by more (quotes, escapes), the answer is all of `whole`.
pub(super) fn source_span(
    text: &str,
    escape: char,
    whole: Range<usize>,
    read: &str,
    r: Range<usize>,
) -> (Range<usize>, bool) {
    // Usually the word is written exactly as BuildKit reads it.
    if text.get(whole.clone()) == Some(read) && r.end <= whole.len() {
        return (whole.start + r.start..whole.start + r.end, true);
    }
    let Some(map) = source_offsets(text, escape, whole.clone(), read) else {
        return (whole, false);
    };
    let (Some(&start), end) = (
        map.get(r.start).or(map.last()),
        r.end
            .checked_sub(1)
            .filter(|_| r.end > r.start)
            .and_then(|last| map.get(last))
            .map(|last| last + 1),
    ) else {
        return (whole, false);
    };
    let end = end.unwrap_or(start);
    let span = start..end.max(start);
    let exact = text.get(span.clone()) == read.get(r);
    (span, exact)
}

/// For each byte of `read`, where it is in `text` (within `whole`), plus the end; `None` when
/// the source differs by more than line continuations.
fn source_offsets(text: &str, escape: char, whole: Range<usize>, read: &str) -> Option<Vec<usize>> {
    let source = text.get(whole.clone())?.as_bytes();
    let mut map = Vec::with_capacity(read.len() + 1);
    let mut i = 0;
    for &b in read.as_bytes() {
        while source.get(i) != Some(&b) {
            i = skip_continuation(source, i, escape)?;
        }
        map.push(whole.start + i);
        i += 1;
    }
    map.push(whole.start + i);
    Some(map)
}

fn skip_continuation(source: &[u8], i: usize, escape: char) -> Option<usize> {
    if source.get(i) != Some(&u8::try_from(escape).ok()?) {
        return None;
    }
    let mut j = i + 1;
    while matches!(source.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    match source.get(j) {
        Some(b'\n') => j += 1,
        Some(b'\r') if source.get(j + 1) == Some(&b'\n') => j += 2,
        _ => return None,
    }
    loop {
        let line_end = source[j..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|p| j + p + 1);
        let line = &source[j..line_end.unwrap_or(source.len())];
        let trimmed: Vec<u8> = line
            .iter()
            .copied()
            .skip_while(|b| b.is_ascii_whitespace())
            .collect();
        match line_end {
            Some(end) if trimmed.is_empty() || trimmed.first() == Some(&b'#') => j = end,
            _ => return Some(j),
        }
    }
}

/// The diagnostics collected so far.
#[derive(Default)]
pub(super) struct Out {
    items: Vec<Found>,
}

impl Out {
    pub fn push(
        &mut self,
        severity: Severity,
        range: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Found {
        self.items.push(Found {
            diagnostic: Diagnostic {
                range,
                severity,
                code: code.into(),
                message: message.into(),
                related: Vec::new(),
                tags: Vec::new(),
            },
            fix: None,
            scope: Default::default(),
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    pub fn error(
        &mut self,
        range: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Found {
        self.push(Severity::Error, range, code, message)
    }

    pub fn warning(
        &mut self,
        range: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Found {
        self.push(Severity::Warning, range, code, message)
    }

    pub fn hint(
        &mut self,
        range: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Found {
        self.push(Severity::Hint, range, code, message)
    }

    /// Turns the errors found since `start` into warnings: they are about an ONBUILD
    /// trigger, which BuildKit only checks when a later build runs it.
    fn downgrade_since(&mut self, start: usize) {
        for found in self.items.iter_mut().skip(start) {
            let d = &mut found.diagnostic;
            if d.severity == Severity::Error {
                d.severity = Severity::Warning;
                d.message.push_str(
                    " (in an ONBUILD trigger: builds that use this image as their base will fail)",
                );
            }
        }
    }
}

/// Go's `strconv.ParseUint(s, base, bits)`: ASCII digits of the base only, no sign, no prefix.
pub(super) fn parse_go_uint(s: &str, base: u32, bits: u32) -> Option<u64> {
    if s.is_empty() || !s.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    let value = u64::from_str_radix(s, base).ok()?;
    (bits >= 64 || value < (1u64 << bits)).then_some(value)
}

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `text` with its first letter's case applied to all of `word` (upper unless `text` is all
/// lower case), so that a replacement keeps the user's style.
pub(super) fn match_keyword_case(text: &str, word: &str) -> String {
    if !text.is_empty() && text == text.to_lowercase() {
        word.to_lowercase()
    } else {
        word.to_uppercase()
    }
}

/// The stage a reference that names no stage probably meant: a close stage name (`bas` for
/// `base`). Names of one or two characters and references with a registry, tag or digest
/// are left alone, since most of those are images on purpose.
pub(super) fn stage_typo<'a>(
    value: &str,
    stages: impl FnOnce() -> Vec<&'a str>,
) -> Option<&'a str> {
    if value.chars().count() < 3 || value.contains(['/', ':', '@']) {
        return None;
    }
    crate::catalog::did_you_mean(value, stages())
}

#[cfg(test)]
pub(super) mod test_util {
    //! Data-driven helpers: a Dockerfile, and the diagnostics expected as (code, text).

    use super::*;

    /// All diagnostics of `text` as `(code, covered text)`.
    pub fn codes(text: &str) -> Vec<(String, String)> {
        let snapshot = Snapshot::new(text);
        diagnostics(&snapshot)
            .into_iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    text.get(d.range.clone())
                        .unwrap_or("<bad range>")
                        .to_string(),
                )
            })
            .collect()
    }

    /// Asserts that `text` has exactly the diagnostics `expected`, in source order.
    #[track_caller]
    pub fn check(text: &str, expected: &[(&str, &str)]) {
        let got = codes(text);
        let got: Vec<(&str, &str)> = got.iter().map(|(c, t)| (c.as_str(), t.as_str())).collect();
        assert_eq!(got, expected, "diagnostics of {text:?}");
    }

    /// The severity of the only diagnostic with `code`.
    #[track_caller]
    pub fn severity_of(text: &str, code: &str) -> Severity {
        let snapshot = Snapshot::new(text);
        let all = diagnostics(&snapshot);
        let hits: Vec<_> = all.iter().filter(|d| d.code == code).collect();
        assert_eq!(
            hits.len(),
            1,
            "expected one {code} in {text:?}, got {all:#?}"
        );
        hits[0].severity
    }

    /// The message of the only diagnostic with `code`.
    #[track_caller]
    pub fn message_of(text: &str, code: &str) -> String {
        let snapshot = Snapshot::new(text);
        let all = diagnostics(&snapshot);
        let hits: Vec<_> = all.iter().filter(|d| d.code == code).collect();
        assert_eq!(
            hits.len(),
            1,
            "expected one {code} in {text:?}, got {all:#?}"
        );
        hits[0].message.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;

    #[test]
    fn a_clean_file_has_no_diagnostics() {
        check(
            "# syntax=docker/dockerfile:1\nARG V=3\nFROM alpine:$V AS build\nRUN --mount=type=cache,target=/c echo\nFROM build\nCOPY --from=build /a /b\n",
            &[],
        );
    }

    #[test]
    fn trigger_problems_are_warnings() {
        let text = "FROM a\nONBUILD RUNN x\n";
        check(text, &[("unknown-instruction", "RUNN")]);
        assert_eq!(severity_of(text, "unknown-instruction"), Severity::Warning);
        assert!(message_of(text, "unknown-instruction").contains("ONBUILD"));
    }

    #[test]
    fn ranges_are_exact_byte_ranges() {
        let text = "FROM a\nRUNN x\nRUN --mount=type=cache,\\\n  # note\n\ntagret=/c y\n";
        let all = diagnostics(&Snapshot::new(text));
        let got: Vec<_> = all.iter().map(|d| (&*d.code, d.range.clone())).collect();
        let key = text.find("tagret").unwrap_or(0);
        assert_eq!(
            got,
            [
                ("unknown-instruction", 7..11),
                ("unknown-mount-key", key..key + 6)
            ]
        );
        // After a multi-byte character the offsets are still bytes.
        let text = "FROM a\nLABEL x=\"é\"\nRUNN x\n";
        let all = diagnostics(&Snapshot::new(text));
        let start = text.find("RUNN").unwrap_or(0);
        assert_eq!(all[0].range, start..start + 4);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any text: no panic, ranges inside the text on character boundaries, and every
        /// fix applies cleanly.
        #[test]
        fn any_text_gives_sound_diagnostics(pieces in proptest::collection::vec(proptest::sample::select(&[
            "FROM a", "FROM ", " AS b", "RUN ", "COPY ", "ADD ", "ONBUILD ", "HEALTHCHECK ", "CMD",
            "EXPOSE ", "SHELL ", "STOPSIGNAL ", "ARG ", "ENV ", "--mount=", "type=", "cache", ",",
            "target=", "from=", "--from=", "--chmod=", "--platform=", "--interval=", "=", "$",
            "${X}", "\"", "'", "[", "]", "\\\n", "\n", " ", "é", "<<EOF", "EOF", "# escape=`\n",
            "# check=skip=", "80/TCP", ":", "/", "x", "0", "NONE",
        ][..]), 0..30)) {
            let text: String = pieces.concat();
            let snapshot = Snapshot::new(text.as_str());
            for f in found(&snapshot) {
                let r = &f.diagnostic.range;
                proptest::prop_assert!(r.start <= r.end && r.end <= text.len(), "{:?}", f);
                proptest::prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                for e in f.fix.iter().flat_map(|fix| &fix.edits) {
                    proptest::prop_assert!(e.range.end <= text.len());
                    proptest::prop_assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
                }
            }
        }
    }

    #[test]
    fn go_number_parsing() {
        assert_eq!(parse_go_uint("0755", 8, 32), Some(0o755));
        assert_eq!(parse_go_uint("8", 8, 32), None);
        assert_eq!(parse_go_uint("+1", 10, 32), None);
        assert_eq!(parse_go_uint("4294967296", 10, 32), None);
        assert_eq!(parse_go_uint("4294967295", 10, 32), Some(4_294_967_295));
        assert_eq!(parse_go_bool("True"), Some(true));
        assert_eq!(parse_go_bool("yes"), None);
    }
}
