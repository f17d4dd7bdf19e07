//! Incremental parsing and model updates must be invisible: after any sequence of edits, the
//! tree (structure and every node's byte range) and the model must be exactly what a fresh
//! parse of the final text gives.
//!
//! The property test starts from real Dockerfiles (BuildKit's conformance inputs and a few
//! corpus files) and applies random LSP content changes built from a Dockerfile-ish alphabet
//! (continuations, heredoc markers, quotes, brackets, directives, non-ASCII), placed where the
//! grammar is most stateful: line starts and ends, escape characters, quotes, heredoc bodies.
//! The regression tests below replay edits that are known to be hard for an external scanner.
//!
//! `Document` keeps its tree private, so each check also drives a mirror `tree_sitter::Tree`
//! through the very `TextEdit`s the document reported (`Tree::edit` + one reparse per batch,
//! as `Document::apply_changes` does) and compares that mirror node by node, with ranges,
//! against a fresh parse; the mirror's S-expression must equal the document's.

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use dockerfile_ls::model::Model;
use dockerfile_ls::syntax::tree::{input_edit, node_lines};
use dockerfile_ls::syntax::{Document, InstructionNode, SourceFile};
use dockerfile_ls::text::{ContentChange, Position, PositionEncoding, TextEdit};
use proptest::prelude::*;
use tree_sitter::{Parser, Tree};

// ---------------------------------------------------------------------------------------------
// The checker
// ---------------------------------------------------------------------------------------------

/// One change as the client sends it, plus the byte range of the current text it must
/// replace (computed here independently of the text layer).
#[derive(Clone, Debug)]
struct Change {
    change: ContentChange,
    start: usize,
    end: usize,
}

/// A document edited incrementally, next to everything needed to check it after each batch.
struct Harness {
    enc: PositionEncoding,
    doc: Document,
    model: Model,
    /// Our own copy of the text, edited by byte ranges; the document must agree with it.
    shadow: String,
    parser: Parser,
    /// A tree kept in step with the document's edits, whose nodes we can inspect.
    mirror: Tree,
    /// Every batch so far, replayable, for failure messages.
    log: Vec<Vec<ContentChange>>,
    initial: String,
    pieces: usize,
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_dockerfile_ls::LANGUAGE.into())
        .expect("grammar matches the tree-sitter ABI");
    parser
}

impl Harness {
    /// `pieces` above 1 parses the document in pieces (see `SyntaxTree::parse_in_pieces`),
    /// which then go through the same edits.
    fn new(text: &str, enc: PositionEncoding, pieces: usize) -> Harness {
        let doc = Document::new_in_pieces(text, pieces);
        let model = Model::build(&doc);
        let mut parser = new_parser();
        let mirror = parser.parse(text, None).expect("no timeout is set");
        Harness {
            enc,
            doc,
            model,
            shadow: text.to_owned(),
            parser,
            mirror,
            log: Vec::new(),
            initial: text.to_owned(),
            pieces,
        }
    }

    /// Builds the change replacing `start..end` of the current shadow text (both char
    /// boundaries), applies it to the shadow, and returns it for a batch.
    fn ranged(&mut self, start: usize, end: usize, insert: &str) -> Change {
        let a = position_of(&self.shadow, start, self.enc);
        let b = position_of(&self.shadow, end, self.enc);
        self.shadow.replace_range(start..end, insert);
        Change {
            change: ContentChange::ranged(a, b, insert),
            start,
            end,
        }
    }

    /// A change given as raw positions (possibly past line ends, past the last line, inside
    /// a char, or reversed): resolves them by the documented clamping rules.
    fn raw(&mut self, a: Position, b: Position, insert: &str) -> Change {
        let x = clamp_offset(&self.shadow, a, self.enc);
        let y = clamp_offset(&self.shadow, b, self.enc);
        let (start, end) = (x.min(y), x.max(y));
        self.shadow.replace_range(start..end, insert);
        Change {
            change: ContentChange::ranged(a, b, insert),
            start,
            end,
        }
    }

    /// A whole-document replacement by the current shadow text with `start..end` replaced.
    fn full(&mut self, start: usize, end: usize, insert: &str) -> Change {
        let old_len = self.shadow.len();
        self.shadow.replace_range(start..end, insert);
        Change {
            change: ContentChange::full(self.shadow.clone()),
            start: 0,
            end: old_len,
        }
    }

    /// Sends one batch (built with [`Harness::ranged`] etc. in order) and checks everything.
    fn send(&mut self, batch: Vec<Change>) -> Result<(), String> {
        let changes: Vec<ContentChange> = batch.iter().map(|c| c.change.clone()).collect();
        self.log.push(changes.clone());
        let old_text = self.doc.text().to_owned();
        let edits = self.doc.apply_changes(&changes, self.enc);
        self.check_edits(&old_text, &batch, &edits)
            .map_err(|e| self.failure(&e))?;
        for e in &edits {
            self.mirror.edit(&input_edit(e));
        }
        if !edits.is_empty() {
            self.mirror = self
                .parser
                .parse(self.doc.text(), Some(&self.mirror))
                .expect("no timeout is set");
        }
        self.model = Model::update(&self.model, &self.doc, &edits);
        self.check_state().map_err(|e| self.failure(&e))
    }

    /// The reported byte edits are the ones we meant, with points that fit the texts.
    fn check_edits(
        &self,
        old_text: &str,
        batch: &[Change],
        edits: &[TextEdit],
    ) -> Result<(), String> {
        if self.doc.text() != self.shadow {
            return Err(format!(
                "document text differs from the expected text\n  got:      {:?}\n  expected: {:?}",
                self.doc.text(),
                self.shadow
            ));
        }
        if edits.len() != batch.len() {
            return Err(format!(
                "{} changes gave {} edits",
                batch.len(),
                edits.len()
            ));
        }
        // Replay the batch on the old text to know the text each edit saw.
        let mut text = old_text.to_owned();
        for (c, e) in batch.iter().zip(edits) {
            let want = (c.start, c.end, c.start + c.change.text.len());
            if (e.start, e.old_end, e.new_end) != want {
                return Err(format!(
                    "edit {e:?} for {:?}, expected bytes {want:?}",
                    c.change
                ));
            }
            let start_point = point(&text, e.start);
            let old_end_point = point(&text, e.old_end);
            match &c.change.range {
                Some(_) => text.replace_range(c.start..c.end, &c.change.text),
                None => text.clone_from(&c.change.text),
            }
            let new_end_point = point(&text, e.new_end);
            let want = (start_point, old_end_point, new_end_point);
            if (e.start_point, e.old_end_point, e.new_end_point) != want {
                return Err(format!("edit {e:?} has wrong points, expected {want:?}"));
            }
        }
        Ok(())
    }

    /// Tree and model equal a fresh parse and build of the current text.
    fn check_state(&self) -> Result<(), String> {
        let text = self.doc.text();
        let fresh_doc = Document::new(text);
        let fresh_tree = new_parser().parse(text, None).expect("no timeout is set");

        let mirror_sexp = self.mirror.root_node().to_sexp();
        let doc_sexp = self.doc.tree().to_sexp();
        if mirror_sexp != doc_sexp {
            return Err(format!(
                "mirror tree diverged from the document's tree (harness bug?)\n  mirror:   {mirror_sexp}\n  document: {doc_sexp}"
            ));
        }
        compare_lines(
            "tree nodes (incremental vs fresh)",
            &node_lines(&self.mirror),
            &node_lines(&fresh_tree),
        )?;
        compare_lines(
            "syntax views (incremental vs fresh)",
            &view_dump(self.doc.tree().source_file(), text),
            &view_dump(fresh_doc.tree().source_file(), text),
        )?;

        let fresh_model = Model::build(&fresh_doc);
        let rebuilt = Model::build(&self.doc);
        if rebuilt != fresh_model {
            compare_lines(
                "Model::build on the incremental tree vs a fresh build (Debug)",
                &lines(&format!("{rebuilt:#?}")),
                &lines(&format!("{fresh_model:#?}")),
            )?;
            return Err("Model::build differs from a fresh build, with equal Debug output".into());
        }
        compare_lines(
            "BuildKit dump (Model::update chain vs fresh Model::build)",
            &lines(&self.model.buildkit_dump()),
            &lines(&fresh_model.buildkit_dump()),
        )?;
        if self.model != fresh_model {
            compare_lines(
                "Model::update chain vs a fresh Model::build (Debug)",
                &lines(&format!("{:#?}", self.model)),
                &lines(&format!("{fresh_model:#?}")),
            )?;
            return Err(
                "Model::update chain differs from a fresh build, with equal Debug output".into(),
            );
        }
        Ok(())
    }

    /// A failure message with everything needed to replay the case.
    fn failure(&self, what: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{what}");
        let _ = writeln!(out, "encoding: {:?}", self.enc);
        let _ = writeln!(out, "parsed first in {} pieces", self.pieces);
        let _ = writeln!(out, "initial text: {:?}", self.initial);
        for (i, batch) in self.log.iter().enumerate() {
            let _ = writeln!(out, "batch {i}:");
            for c in batch {
                match c.range {
                    Some((a, b)) => {
                        let _ = writeln!(
                            out,
                            "  ({},{})..({},{}) <- {:?}",
                            a.line, a.character, b.line, b.character, c.text
                        );
                    }
                    None => {
                        let _ = writeln!(out, "  full <- {:?}", c.text);
                    }
                }
            }
        }
        let _ = writeln!(out, "final text: {:?}", self.doc.text());
        out
    }
}

/// Row and byte column of a byte offset.
fn point(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let row = before.matches('\n').count();
    let col = offset - before.rfind('\n').map_or(0, |i| i + 1);
    (row, col)
}

fn units(s: &str, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => s.len(),
        PositionEncoding::Utf16 => s.encode_utf16().count(),
        PositionEncoding::Utf32 => s.chars().count(),
    }
}

/// The LSP position of a char-boundary byte offset (lines end at `\n` only).
fn position_of(text: &str, offset: usize, enc: PositionEncoding) -> Position {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count();
    let character = units(&text[line_start..offset], enc);
    Position::new(
        u32::try_from(line).expect("small test texts"),
        u32::try_from(character).expect("small test texts"),
    )
}

/// Where a possibly out-of-range position lands: past the last line → end of text; past the
/// line's end → before its `\n`; inside a char → that char's start.
fn clamp_offset(text: &str, pos: Position, enc: PositionEncoding) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut counted = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        counted += units(c.encode_utf8(&mut [0; 4]), enc);
        if counted > pos.character as usize {
            return line_start + i;
        }
    }
    line_end
}

/// What the typed syntax views report: the ranges the model is built from.
fn view_dump(file: SourceFile<'_>, text: &str) -> Vec<String> {
    let mut out = vec![
        format!("directives {:?}", file.directives().collect::<Vec<_>>()),
        format!("comments {:?}", file.comments()),
        format!("has_error {}", file.has_error()),
    ];
    fn inst(out: &mut Vec<String>, node: InstructionNode<'_>, text: &str, depth: usize) {
        out.push(format!(
            "{:indent$}{:?} {:?} keyword {:?} line {:?} json {} heredocs {:?} markers {:?} comments {:?} continuations {:?}",
            "",
            node.kind(),
            node.range(),
            node.keyword(),
            node.line_range(text),
            node.is_json_form(),
            node.heredocs(),
            node.heredoc_markers(),
            node.comments().collect::<Vec<_>>(),
            node.continuations().collect::<Vec<_>>(),
            indent = depth * 2
        ));
        if let Some(trigger) = node.trigger() {
            inst(out, trigger, text, depth + 1);
        }
    }
    for node in file.instructions() {
        inst(&mut out, node, text, 0);
    }
    out
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_owned).collect()
}

/// Equal line lists, or a message pointing at the first difference.
fn compare_lines(what: &str, got: &[String], want: &[String]) -> Result<(), String> {
    if got == want {
        return Ok(());
    }
    let i = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let around =
        |v: &[String]| -> String { v[i.saturating_sub(8)..(i + 4).min(v.len())].join("\n") };
    Err(format!(
        "{what} differ at line {i} ({} vs {} lines)\n--- incremental:\n{}\n--- fresh:\n{}",
        got.len(),
        want.len(),
        around(got),
        around(want)
    ))
}

// ---------------------------------------------------------------------------------------------
// Seeds and random edits
// ---------------------------------------------------------------------------------------------

/// A few real files from the corpus, chosen for heredocs, long continued RUNs and many stages.
const CORPUS_SEEDS: &[&str] = &[
    "docker-library+python/3.12__trixie__Dockerfile",
    "docker-library+python/3.12__alpine3.24__Dockerfile",
    "moby+buildkit/hack__dockerfiles__docs.Dockerfile",
    "moby+buildkit/examples__create-certs__Dockerfile",
];

/// (name, text) of every starting text.
fn seeds() -> &'static [(String, String)] {
    static SEEDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let shared = common::shared_dir();
        let mut files: Vec<PathBuf> = Vec::new();
        let mut stack = vec![shared.join("conformance/buildkit")];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| n == "Dockerfile") {
                    files.push(path);
                }
            }
        }
        files.sort();
        assert!(
            files.len() >= 39,
            "expected BuildKit's 39 conformance Dockerfiles under {}, found {}",
            shared.display(),
            files.len()
        );
        files.extend(CORPUS_SEEDS.iter().map(|p| shared.join("corpus").join(p)));
        let mut seeds: Vec<(String, String)> = files
            .iter()
            .map(|p| {
                let name = p.strip_prefix(&shared).unwrap_or(p).display().to_string();
                (name, common::read(p))
            })
            .collect();
        // Long enough for the grammar's hidden instruction chunks (about one instruction in 64
        // starts one), so edits also land next to chunk boundaries.
        let long: String = seeds.iter().map(|(_, text)| text.as_str()).collect();
        seeds.push(("all seeds, concatenated".to_owned(), long));
        seeds
    })
}

/// Fragments that change how a Dockerfile is tokenized.
const FRAGMENTS: &[&str] = &[
    "\\",
    "`",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "#",
    "# escape=`",
    "# escape=\\",
    "# syntax=docker/dockerfile:1",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "<<\"EOF\"",
    "EOF",
    "'",
    "\"",
    "[",
    "]",
    ",",
    "--",
    "--from=",
    "RUN ",
    "FROM ",
    "ONBUILD ",
    "COPY ",
    "CMD ",
    "AS ",
    "=",
    "$",
    "{",
    "}",
    "é",
    "😀",
    "a",
    "0",
    "\\\n",
    "`\n",
    "EOF\n",
];

/// Small Dockerfile pieces, concatenated in random order to make starting texts dense in the
/// constructs that carry scanner state: heredocs (several per line, after continuations, in
/// ONBUILD), escape directives, continued quotes and arrays, comments inside continuations.
const SNIPPETS: &[&str] = &[
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "FROM alpine AS build\n",
    "RUN <<EOF\necho a\nEOF\n",
    "COPY <<-EOT /dst\n\tline\n\tEOT\n",
    "RUN <<A <<B cat\na\nA\nb\nB\n",
    "RUN cat <<'EOF' | sh \\\n  && echo\n$X\nEOF\n",
    "RUN --mount=type=cache,target=/x \\\n  <<EOF\nset -e\nEOF\n",
    "ADD --chmod=755 <<\"EOF\" /x\n#!/bin/sh\nEOF\n",
    "ONBUILD RUN <<EOF\nx\nEOF\n",
    "RUN echo a `\n  b\n",
    "RUN echo a \\\n# comment inside\n\n  b\n",
    "CMD [\"a\", \\\n  \"b\"]\n",
    "ENTRYPOINT [\"x\"]\n",
    "ENV A=\"x \\\n y\" B='z'\n",
    "LABEL é=\"😀\"\r\n",
    "# comment\n",
    "\n",
    "HEALTHCHECK --interval=5s CMD [\"a\"]\n",
    "SHELL [\"powershell\", \"-c\"]\n",
    "ARG X=1\n",
    "COPY --from=build /a /b\n",
    "RUN echo ${X:-a} $Y\n",
];

/// Where a change starts, resolved against the text at that moment.
#[derive(Clone, Debug)]
enum Anchor {
    /// Any char boundary.
    Anywhere(usize),
    LineStart(usize),
    /// Just before the line's `\n` (after a `\r`).
    LineEnd(usize),
    /// A line that follows a `<<` within a few lines: likely a heredoc body or terminator.
    Heredoc(usize, usize),
    /// Right before a `\` or `` ` `` (escape characters, continuations).
    Escape(usize),
    /// Right before a quote, bracket or `<`.
    Delimiter(usize),
}

#[derive(Clone, Debug)]
enum Op {
    Insert,
    /// Replace this many chars from the anchor (0 = insert).
    Replace(usize),
    /// Delete the anchor's line break (join with the next line), then insert.
    JoinLine,
    /// Delete the anchor's whole line, `\n` included, then insert.
    DeleteLine,
}

#[derive(Clone, Debug)]
enum Form {
    /// Positions computed from the anchor, as a well-behaved client sends them.
    Exact { reversed: bool },
    /// Arbitrary positions that need clamping.
    Raw(u32, u32, u32, u32),
    /// The whole document, as `ContentChange::full`.
    Full,
}

#[derive(Clone, Debug)]
struct Spec {
    anchor: Anchor,
    op: Op,
    insert: Vec<usize>,
    form: Form,
}

#[derive(Clone, Debug)]
enum Seed {
    /// One of [`seeds`].
    File(usize),
    /// These [`SNIPPETS`], concatenated, after an escape directive if `backtick`.
    Snippets { backtick: bool, parts: Vec<usize> },
}

#[derive(Clone, Debug)]
struct Case {
    seed: Seed,
    enc: PositionEncoding,
    /// Pieces the document starts in.
    pieces: usize,
    steps: Vec<Vec<Spec>>,
}

fn anchor() -> impl Strategy<Value = Anchor> {
    prop_oneof![
        3 => any::<usize>().prop_map(Anchor::Anywhere),
        2 => any::<usize>().prop_map(Anchor::LineStart),
        2 => any::<usize>().prop_map(Anchor::LineEnd),
        2 => (any::<usize>(), 0usize..12).prop_map(|(l, c)| Anchor::Heredoc(l, c)),
        1 => any::<usize>().prop_map(Anchor::Escape),
        1 => any::<usize>().prop_map(Anchor::Delimiter),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    let op = prop_oneof![
        4 => Just(Op::Insert),
        3 => (1usize..8).prop_map(Op::Replace),
        1 => Just(Op::JoinLine),
        1 => Just(Op::DeleteLine),
    ];
    let form = prop_oneof![
        16 => any::<bool>().prop_map(|reversed| Form::Exact { reversed }),
        1 => (0u32..40, 0u32..90, 0u32..40, 0u32..90)
            .prop_map(|(a, b, c, d)| Form::Raw(a, b, c, d)),
        1 => Just(Form::Full),
    ];
    (
        anchor(),
        op,
        prop::collection::vec(0..FRAGMENTS.len(), 0..=3),
        form,
    )
        .prop_map(|(anchor, op, insert, form)| Spec {
            anchor,
            op,
            insert,
            form,
        })
}

fn case() -> impl Strategy<Value = Case> {
    let batch = prop_oneof![
        3 => prop::collection::vec(spec(), 1..=1),
        1 => prop::collection::vec(spec(), 2..=4),
    ];
    let enc = prop_oneof![
        Just(PositionEncoding::Utf16),
        Just(PositionEncoding::Utf8),
        Just(PositionEncoding::Utf32),
    ];
    let seed = prop_oneof![
        (0..seeds().len()).prop_map(Seed::File),
        (
            any::<bool>(),
            prop::collection::vec(0..SNIPPETS.len(), 1..=6)
        )
            .prop_map(|(backtick, parts)| Seed::Snippets { backtick, parts }),
    ];
    let pieces = prop_oneof![1 => Just(1usize), 1 => 2usize..=6];
    (seed, enc, pieces, prop::collection::vec(batch, 1..=8)).prop_map(
        |(seed, enc, pieces, steps)| Case {
            seed,
            enc,
            pieces,
            steps,
        },
    )
}

fn pick<T: Copy>(items: &[T], n: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[n % items.len()])
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn resolve_anchor(text: &str, anchor: &Anchor) -> usize {
    let starts = line_starts(text);
    let anywhere = |n: usize| {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        bounds[n % bounds.len()]
    };
    match *anchor {
        Anchor::Anywhere(n) => anywhere(n),
        Anchor::LineStart(n) => starts[n % starts.len()],
        Anchor::LineEnd(n) => line_end(text, starts[n % starts.len()]),
        Anchor::Heredoc(n, col) => {
            let after_marker: Vec<usize> = (1..starts.len())
                .filter(|&l| {
                    (l.saturating_sub(4)..l)
                        .any(|p| text[starts[p]..line_end(text, starts[p])].contains("<<"))
                })
                .collect();
            match pick(&after_marker, n) {
                Some(l) => {
                    let s = starts[l];
                    floor_boundary(text, (s + col).min(line_end(text, s)))
                }
                None => anywhere(n),
            }
        }
        Anchor::Escape(n) => {
            let at: Vec<usize> = text.match_indices(['\\', '`']).map(|(i, _)| i).collect();
            pick(&at, n).unwrap_or_else(|| anywhere(n))
        }
        Anchor::Delimiter(n) => {
            let at: Vec<usize> = text
                .match_indices(['"', '\'', '[', ']', '<'])
                .map(|(i, _)| i)
                .collect();
            pick(&at, n).unwrap_or_else(|| anywhere(n))
        }
    }
}

/// Turns a spec into a change against the harness's current text.
fn resolve(h: &mut Harness, spec: &Spec) -> Change {
    let insert: String = spec.insert.iter().map(|&i| FRAGMENTS[i]).collect();
    let text = &h.shadow;
    let at = resolve_anchor(text, &spec.anchor);
    let (start, end) = match spec.op {
        Op::Insert => (at, at),
        Op::Replace(n) => {
            let end = text[at..]
                .char_indices()
                .nth(n)
                .map_or(text.len(), |(i, _)| at + i);
            (at, end)
        }
        Op::JoinLine => {
            let nl = line_end(text, at);
            (nl, (nl + 1).min(text.len()))
        }
        Op::DeleteLine => {
            let s = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let e = line_end(text, at);
            (s, (e + 1).min(text.len()))
        }
    };
    match spec.form {
        Form::Exact { reversed: false } => h.ranged(start, end, &insert),
        Form::Exact { reversed: true } => {
            let mut c = h.ranged(start, end, &insert);
            if let Some((a, b)) = c.change.range {
                c.change.range = Some((b, a));
            }
            c
        }
        Form::Raw(a, b, c, d) => h.raw(Position::new(a, b), Position::new(c, d), &insert),
        Form::Full => h.full(start, end, &insert),
    }
}

fn run_case(case: &Case) -> Result<(), String> {
    let (name, text) = match &case.seed {
        Seed::File(i) => seeds()[*i].clone(),
        Seed::Snippets { backtick, parts } => {
            let head = if *backtick { "# escape=`\n" } else { "" };
            let body: String = parts.iter().map(|&i| SNIPPETS[i]).collect();
            ("snippets".to_owned(), format!("{head}{body}"))
        }
    };
    let mut h = Harness::new(&text, case.enc, case.pieces);
    for step in &case.steps {
        let batch: Vec<Change> = step.iter().map(|s| resolve(&mut h, s)).collect();
        h.send(batch).map_err(|e| format!("seed {name}: {e}"))?;
    }
    Ok(())
}

proptest! {
    // Cases come from PROPTEST_CASES (default 256).
    #![proptest_config(ProptestConfig { max_shrink_iters: 4096, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_match_a_fresh_parse(case in case()) {
        if let Err(e) = run_case(&case) {
            return Err(TestCaseError::fail(e));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: edits known to be hard for an incremental parser with an external scanner
// ---------------------------------------------------------------------------------------------

const ENCODINGS: [PositionEncoding; 3] = [
    PositionEncoding::Utf16,
    PositionEncoding::Utf8,
    PositionEncoding::Utf32,
];

/// Runs `script` on a fresh harness over `text` for every encoding.
fn each_encoding(text: &str, script: impl Fn(&mut Harness) -> Result<(), String>) {
    for enc in ENCODINGS {
        for pieces in [1, 3] {
            let mut h = Harness::new(text, enc, pieces);
            if let Err(e) = script(&mut h) {
                panic!("{pieces} pieces: {e}");
            }
        }
    }
}

fn find(h: &Harness, needle: &str) -> usize {
    h.shadow
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {:?}", h.shadow))
}

/// One change as its own batch.
fn edit(h: &mut Harness, start: usize, end: usize, insert: &str) -> Result<(), String> {
    let c = h.ranged(start, end, insert);
    h.send(vec![c])
}

/// Types `s` at `at` one char per batch, as an editor sends keystrokes.
fn type_at(h: &mut Harness, mut at: usize, s: &str) -> Result<(), String> {
    for c in s.chars() {
        edit(h, at, at, c.encode_utf8(&mut [0; 4]))?;
        at += c.len_utf8();
    }
    Ok(())
}

/// Deletes `start..end` one char per batch from the end, as backspace does.
fn backspace(h: &mut Harness, start: usize, mut end: usize) -> Result<(), String> {
    while end > start {
        let prev = h.shadow[..end]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        edit(h, end - prev, end, "")?;
        end -= prev;
    }
    Ok(())
}

const CONTINUED: &str = "FROM alpine\nRUN echo a \\\n  b `\n  c\nRUN echo `\n  d\nCOPY <<EOF /x\n\\\nEOF\nLABEL a=\"x \\\n y\"\n";

#[test]
fn escape_directive_added_and_removed_at_the_top() {
    each_encoding(CONTINUED, |h| {
        edit(h, 0, 0, "# escape=`\n")?;
        let end = "# escape=`\n".len();
        edit(h, 0, end, "")?;
        type_at(h, 0, "# escape=`\n")?;
        backspace(h, 0, end)
    });
}

#[test]
fn escape_directive_value_toggled_in_place() {
    let text = format!("# escape=\\\n{CONTINUED}");
    each_encoding(&text, |h| {
        let at = find(h, "=") + 1;
        edit(h, at, at + 1, "`")?;
        edit(h, at, at + 1, "\\")?;
        // Breaking the directive (it becomes a comment) and repairing it.
        edit(h, at - 1, at, "")?;
        type_at(h, at - 1, "=")?;
        // A blank line pushed above the directive turns it into a comment too.
        edit(h, 0, 0, "\n")?;
        edit(h, 0, 1, "")
    });
}

#[test]
fn escape_directive_in_a_multi_change_batch() {
    each_encoding(CONTINUED, |h| {
        // The directive and an edit far below it arrive together.
        let a = h.ranged(0, 0, "# escape=`\n");
        let at = find(h, "  d");
        let b = h.ranged(at, at, "x");
        h.send(vec![a, b])?;
        let end = "# escape=`\n".len();
        let a = h.ranged(0, end, "");
        let at = find(h, "x  d");
        let b = h.ranged(at, at + 4, "  d");
        h.send(vec![a, b])
    });
}

#[test]
fn second_escape_directive_changed_in_place() {
    // BuildKit rejects a second `escape` directive, but the tree and the model must still
    // agree on which one sets the escape character, or reused instructions go stale: here
    // the RUN line's `\` is a continuation only under the second directive's value.
    let text = "# escape=`\n# escape=`\nRUN cat <<EOF \\\nx\nEOF\n";
    each_encoding(text, |h| {
        let at = "# escape=`\n# escape=".len();
        edit(h, at, at + 1, "\\")?;
        edit(h, at, at + 1, "`")
    });
}

const HEREDOC_LATER: &str =
    "FROM alpine\nRUN cat\nhello\nRUN echo not a body\nEOF\nRUN echo after\n";

#[test]
fn typing_a_heredoc_marker_turns_following_lines_into_a_body() {
    each_encoding(HEREDOC_LATER, |h| {
        let at = find(h, "RUN cat") + "RUN cat".len();
        type_at(h, at, " <<EOF")?;
        // And back: the body lines become instructions again.
        backspace(h, at, at + " <<EOF".len())?;
        type_at(h, at, " <<-EOF")?;
        // Quoting the marker changes expansion only.
        edit(h, at + 4, at + 4, "'")?;
        let end = at + " <<-'EOF".len();
        edit(h, end, end, "'")
    });
}

#[test]
fn typing_and_removing_a_heredoc_terminator() {
    let text = "FROM alpine\nRUN <<EOF\necho a\necho b\nRUN echo c\nEOF2\n";
    each_encoding(text, |h| {
        let at = find(h, "echo b\n") + "echo b\n".len();
        type_at(h, at, "EOF\n")?;
        backspace(h, at, at + "EOF\n".len())?;
        // Renaming the marker so the old terminator stops matching, then matches again.
        let m = find(h, "<<EOF") + 5;
        type_at(h, m, "2")?;
        backspace(h, m, m + 1)
    });
}

#[test]
fn quote_opened_and_closed_across_a_continuation() {
    let text = "FROM alpine\nENV A=\"x \\\n  y\" B=z\nLABEL l='a \\\n b' \\\n  m=n\nCMD [\"a\", \\\n  \"b c\"]\nRUN echo \"a \\\n b\"\n";
    each_encoding(text, |h| {
        for needle in ["\" B=z", "' \\\n  m", "\"b c", "\"\n"] {
            let at = find(h, needle);
            edit(h, at, at + 1, "")?;
            edit(h, at, at, "\"")?;
            edit(h, at, at + 1, "'")?;
            edit(h, at, at + 1, needle.get(..1).unwrap_or("\""))?;
        }
        // Opening a quote on the first line of the continuation.
        let at = find(h, "A=") + 2;
        edit(h, at, at, "\"")?;
        edit(h, at, at + 1, "")
    });
}

#[test]
fn deleting_a_bracket_turns_exec_form_into_shell_form() {
    let text = "FROM alpine\nCMD [\"a\", \"b\"]\nENTRYPOINT [\"x\", \\\n  \"y\"]\nRUN [\"sh\", \"-c\", \"echo\"]\nONBUILD RUN [\"a\"]\n";
    each_encoding(text, |h| {
        for needle in ["\"]\nENTRY", "\"]\nRUN", "\"]\nONBUILD", "\"]\n"] {
            let at = find(h, needle) + 1;
            edit(h, at, at + 1, "")?;
            edit(h, at, at, "]")?;
        }
        let at = find(h, "[\"x\"");
        edit(h, at, at + 1, "")?;
        edit(h, at, at, "[")?;
        // Ending the line early inside the array.
        let at = find(h, "\"b\"]");
        edit(h, at, at, "\n")?;
        edit(h, at, at + 1, "")
    });
}

#[test]
fn continuation_removed_and_restored() {
    each_encoding(CONTINUED, |h| {
        let at = find(h, "\\\n  b");
        edit(h, at, at + 1, "")?;
        edit(h, at, at, "\\")?;
        // The line break of a continued line joined and split again.
        edit(h, at + 1, at + 2, "")?;
        edit(h, at + 1, at + 1, "\r\n")?;
        edit(h, at + 1, at + 3, "\n")
    });
}

#[test]
fn onbuild_typed_before_an_instruction() {
    each_encoding(HEREDOC_LATER, |h| {
        let at = find(h, "RUN echo after");
        type_at(h, at, "ONBUILD ")?;
        let at = find(h, "RUN cat");
        type_at(h, at, "ONBUILD ")?;
        edit(
            h,
            at + "ONBUILD RUN cat".len(),
            at + "ONBUILD RUN cat".len(),
            " <<EOF",
        )
    });
}

#[test]
fn non_ascii_before_the_edit_point() {
    let text = "FROM alpine\nLABEL é=😀 \\\n  x=\"é\"\nRUN echo 😀 && \\\n  echo é\n";
    each_encoding(text, |h| {
        let at = find(h, "x=");
        type_at(h, at, "😀é")?;
        let at = find(h, "&& \\") + 3;
        edit(h, at, at + 1, "")?;
        edit(h, at, at, "\\")
    });
}

/// A file long enough to be split into many hidden chunks: lines are inserted and removed
/// at the start of every instruction, in the gap after it, and inside it, so edits land on
/// and next to chunk boundaries and `Model::update` enters the tree there.
#[test]
fn edits_at_every_instruction_of_a_long_file() {
    let text: String = (0..240)
        .map(|i| match i % 5 {
            0 => format!("RUN echo {i} \\\n  && true\n"),
            1 => format!("# note {i}\nENV V{i}={i}\n"),
            2 => format!("COPY <<EOF{i} /f{i}\nbody {i}\nEOF{i}\n\n"),
            _ => format!("LABEL n{i}=\"{i}\"\n"),
        })
        .collect();
    // In pieces too, so edits also land on and next to piece boundaries.
    for pieces in [1, 6] {
        let mut h = Harness::new(&text, PositionEncoding::Utf8, pieces);
        let starts: Vec<usize> = h
            .shadow
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < h.shadow.len())
            .collect();
        // Back to front, so earlier offsets stay valid.
        for &at in starts.iter().rev().step_by(7) {
            edit(&mut h, at, at, "\n").unwrap_or_else(|e| panic!("{e}"));
            edit(&mut h, at, at + 1, "").unwrap_or_else(|e| panic!("{e}"));
            edit(&mut h, at, at, "RUN x\n").unwrap_or_else(|e| panic!("{e}"));
            edit(&mut h, at + 1, at + 2, "U").unwrap_or_else(|e| panic!("{e}"));
            edit(&mut h, at, at + "RUN x\n".len(), "").unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
