//! The semantic model of a Dockerfile, built from the syntax tree the way BuildKit reads it.
//!
//! [`Model::open`] parses a new text and reads it, a large one piece by piece as each piece is
//! parsed; [`Model::build`] reads a whole [`Document`]; [`Model::update`] rebuilds only the
//! instructions an edit touched and shifts the others, which is what keeps a keystroke cheap
//! on a large file. Instruction data is position-independent (ranges relative to the
//! instruction's start), so reusing it is an `Arc` clone.

pub mod go_quote;
pub mod heredoc;
pub mod image_ref;
pub mod lex;
pub mod logical_line;
pub mod split;

mod comments;
mod directive;
mod dump;
mod instruction;
mod problem;
mod stage;
mod variables;

use std::ops::Range;
use std::sync::Arc;

pub use comments::Comment;
pub use directive::{Directive, KNOWN_DIRECTIVES, parse_directive};
pub use instruction::{
    Command, Flag, Heredoc, Instruction, InstructionData, RefData, Rel, RelProblem,
};
pub use problem::{Problem, Severity};
pub use split::{Arguments, NameVal, Spanned, SpannedStr, ascii_lowercase};
use stage::StageNames;
pub use stage::{BaseImage, Stage, StageUse, StageUseKind, is_valid_stage_name, mount_from};
pub use variables::{
    DeclKind, Declaration, Reference, Resolution, declarations_of, expand, is_variable_name,
    predefined, scan_references, unquote,
};

use rayon::prelude::*;

pub use crate::syntax::InstructionKind;
use crate::syntax::{Document, InstructionNode, PieceFile};
use crate::text::TextEdit;

/// Files with at least this many instructions are read in parallel (and analysed in
/// parallel where that pays); below it, handing out the work costs more than it saves.
pub(crate) const PARALLEL_FROM: usize = 256;

/// The instructions of one piece of a document, read while the other pieces were parsing.
#[derive(Debug)]
struct PieceReading {
    escape: char,
    instructions: Vec<Instruction>,
}

/// What BuildKit's parser would make of a Dockerfile, with source ranges for everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// The escape character (`\` unless a valid `# escape=` directive says `` ` ``).
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    stage_names: StageNames,
    /// Each instruction's kind, side by side: the passes that look for a few kinds (FROM,
    /// ENV, ARG) on every keystroke read these instead of every instruction.
    kinds: Vec<InstructionKind>,
    /// Problems of the directive header and of the file as a whole (instructions carry theirs).
    pub problems: Vec<Problem>,
}

impl Model {
    /// Reads a whole document.
    pub fn build(doc: &Document) -> Model {
        let text = doc.text();
        let (directives, escape, problems) = Self::header(doc);
        let nodes: Vec<InstructionNode<'_>> = doc.tree().source_file().instructions().collect();
        let read = |node: &InstructionNode<'_>| read_instruction(*node, text, escape);
        // Instructions read independently of each other, so a large file is read on all
        // cores; below the threshold, handing out the work costs more than it saves.
        let instructions = if nodes.len() >= PARALLEL_FROM {
            nodes.par_iter().map(read).collect()
        } else {
            nodes.iter().map(read).collect()
        };
        Self::finish(text, escape, directives, instructions, problems)
    }

    /// Reads a document after `edits` (as returned by [`Document::apply_changes`]), reusing
    /// every instruction of `old` the edits did not reach. Instructions before the first edit
    /// are taken as they are; from there the tree is read until it is back in step with the
    /// old instructions after the last edit, and the rest is shifted. A keystroke therefore
    /// costs the instructions it touched, not the size of the file.
    ///
    /// Why "back in step" may end the walk: at the start of a top-level instruction nothing
    /// carries over from the text before it except the escape character (pending heredocs
    /// are read before the next instruction starts), so from an instruction that starts after
    /// the edits at the place of an old one, the rest of the text parses as it did before.
    pub fn update(old: &Model, doc: &Document, edits: &[TextEdit]) -> Model {
        let Some(dirty) = Dirty::from_edits(edits) else {
            return Self::build(doc);
        };
        let (directives, escape, problems) = Self::header(doc);
        if escape != old.escape {
            return Self::build(doc);
        }
        let text = doc.text();
        let file = doc.tree().source_file();
        let before = old
            .instructions
            .partition_point(|i| i.range().end < dirty.start);
        // Entered through the last kept instruction, which is in the tree unchanged; if the
        // tree says otherwise, trust the tree and read it all.
        let (from, nodes): (usize, Box<dyn Iterator<Item = _>>) = match before.checked_sub(1) {
            Some(last) => {
                let kept = old.instructions[last].range();
                let mut nodes = file.instructions_from(kept.start).peekable();
                if nodes.peek().map(|n| n.range()) != Some(kept.clone()) {
                    return Self::build(doc);
                }
                (kept.end, Box::new(nodes))
            }
            None => (0, Box::new(file.instructions())),
        };

        let mut instructions = Vec::with_capacity(old.instructions.len() + 4);
        instructions.extend_from_slice(&old.instructions[..before]);
        for node in nodes.skip_while(|n| n.range().start < from) {
            let range = node.range();
            let in_step = (range.start > dirty.end)
                .then(|| usize::try_from(range.start as isize - dirty.delta).ok())
                .flatten()
                .and_then(|old_start| {
                    old.instructions
                        .binary_search_by_key(&old_start, Instruction::start)
                        .ok()
                })
                .filter(|&i| old.instructions[i].len() == range.len());
            if let Some(i) = in_step {
                let shifted = old.instructions[i..].iter().map(|inst| {
                    let start = (inst.start() as isize + dirty.delta).max(0) as usize;
                    Instruction::new(start, Arc::clone(inst.data()))
                });
                instructions.extend(shifted);
                break;
            }
            instructions.push(read_instruction(node, text, escape));
        }
        Self::finish(text, escape, directives, instructions, problems)
    }

    /// A new document and its model. A large text's instructions are read piece by piece,
    /// each as soon as its piece is parsed (see [`Document::new_and_read`]), which saves a
    /// second pass over the whole tree.
    pub fn open(text: impl Into<String>) -> (Document, Model) {
        Self::opened(Document::new_and_read(text, Self::read_piece))
    }

    /// [`Model::open`] with the text in up to `pieces` pieces whatever its size, for tests.
    #[doc(hidden)]
    pub fn open_in_pieces(text: impl Into<String>, pieces: usize) -> (Document, Model) {
        Self::opened(Document::new_and_read_in_pieces(
            text,
            pieces,
            Self::read_piece,
        ))
    }

    fn opened((doc, pieces): (Document, Option<Vec<PieceReading>>)) -> (Document, Model) {
        let model = match pieces {
            Some(pieces) => Self::from_pieces(&doc, pieces),
            None => Self::build(&doc),
        };
        (doc, model)
    }

    /// Reads the instructions of one piece of a document that is still being parsed.
    fn read_piece(text: &str, piece: PieceFile<'_>) -> PieceReading {
        let (_, escape, _) = Self::header_of(text, piece.directives());
        let instructions = piece
            .instructions()
            .map(|node| read_instruction(node, text, escape))
            .collect();
        PieceReading {
            escape,
            instructions,
        }
    }

    /// The model of a document from the readings of its pieces, in text order.
    fn from_pieces(doc: &Document, pieces: Vec<PieceReading>) -> Model {
        let (directives, escape, problems) = Self::header(doc);
        // Every piece parses the same header, so this holds; should it not, read again.
        if pieces.iter().any(|p| p.escape != escape) {
            return Self::build(doc);
        }
        let count = pieces.iter().map(|p| p.instructions.len()).sum();
        let mut instructions = Vec::with_capacity(count);
        for piece in pieces {
            instructions.extend(piece.instructions);
        }
        Self::finish(doc.text(), escape, directives, instructions, problems)
    }

    /// The directives, the escape character they choose, and their problems.
    fn header(doc: &Document) -> (Vec<Directive>, char, Vec<Problem>) {
        Self::header_of(doc.text(), doc.tree().source_file().directives())
    }

    fn header_of(
        text: &str,
        ranges: impl Iterator<Item = std::ops::Range<usize>>,
    ) -> (Vec<Directive>, char, Vec<Problem>) {
        let mut problems = Vec::new();
        let directives: Vec<Directive> = ranges
            .filter_map(|r| parse_directive(text.get(r.clone()).unwrap_or(""), r.start))
            .collect();
        let escape = directive::check_directives(&directives, &mut problems);
        (directives, escape, problems)
    }

    fn finish(
        text: &str,
        escape: char,
        directives: Vec<Directive>,
        instructions: Vec<Instruction>,
        mut problems: Vec<Problem>,
    ) -> Model {
        if instructions.is_empty() {
            problems.push(Problem::error(
                text.len()..text.len(),
                "no-instructions",
                "the file has no instructions; a Dockerfile needs at least a FROM",
            ));
        }
        let stages = stage::stages(&instructions);
        Model {
            escape,
            directives,
            kinds: instructions.iter().map(Instruction::kind).collect(),
            instructions,
            stage_names: StageNames::new(&stages),
            stages,
            problems,
        }
    }

    /// The indices of the instructions within `range` whose kind is `wanted`, in order.
    pub fn indices_where<'k>(
        &'k self,
        range: Range<usize>,
        wanted: impl Fn(InstructionKind) -> bool + 'k,
    ) -> impl Iterator<Item = usize> + 'k {
        let end = range.end.min(self.kinds.len());
        let start = range.start.min(end);
        self.kinds[start..end]
            .iter()
            .enumerate()
            .filter(move |(_, k)| wanted(**k))
            .map(move |(i, _)| start + i)
    }

    /// Every problem: the file's, then each instruction's, in source order.
    pub fn all_problems(&self) -> Vec<Problem> {
        let mut out = self.problems.clone();
        for inst in &self.instructions {
            out.extend(inst.problems());
        }
        out.sort_by_key(|p| (p.range.start, p.range.end));
        out
    }

    /// Whether BuildKit would reject the file at parse time.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
            || self.instructions.iter().any(|i| i.has_errors())
    }

    /// The instructions of `range` (indices, cut to the model) and the index of the first.
    pub fn instructions_within(&self, range: Range<usize>) -> (usize, &[Instruction]) {
        let start = range.start.min(self.instructions.len());
        let end = range.end.clamp(start, self.instructions.len());
        (start, &self.instructions[start..end])
    }

    /// The instructions of `range` (indices, cut to the model), with their indices.
    pub fn indexed_within(
        &self,
        range: Range<usize>,
    ) -> impl Iterator<Item = (usize, &Instruction)> + '_ {
        let (start, instructions) = self.instructions_within(range);
        instructions
            .iter()
            .enumerate()
            .map(move |(i, inst)| (start + i, inst))
    }

    /// The top-level instruction containing a byte offset.
    pub fn instruction_at(&self, offset: usize) -> Option<(usize, &Instruction)> {
        let i = self
            .instructions
            .partition_point(|inst| inst.start() <= offset)
            .checked_sub(1)?;
        let inst = &self.instructions[i];
        (offset <= inst.range().end).then_some((i, inst))
    }

    /// The stage an instruction index belongs to (`None` before the first FROM).
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        let i = self
            .stages
            .partition_point(|s| s.instruction <= instruction)
            .checked_sub(1)?;
        self.stages.get(i)
    }
}

fn read_instruction(node: InstructionNode<'_>, text: &str, escape: char) -> Instruction {
    let data = InstructionData::build(node, text, escape);
    Instruction::new(node.range().start, Arc::new(data))
}

/// The region that a batch of edits touched, in new-text offsets, and the size change.
struct Dirty {
    start: usize,
    end: usize,
    delta: isize,
}

impl Dirty {
    fn from_edits(edits: &[TextEdit]) -> Option<Dirty> {
        let mut dirty: Option<Dirty> = None;
        for e in edits {
            let delta = e.new_end as isize - e.old_end as isize;
            dirty = Some(match dirty {
                None => Dirty {
                    start: e.start,
                    end: e.new_end,
                    delta,
                },
                Some(d) => {
                    // Move the previous region through this edit, then join them.
                    let shift = |x: usize| {
                        if x < e.start {
                            x
                        } else if x >= e.old_end {
                            (x as isize + delta).max(0) as usize
                        } else {
                            e.new_end
                        }
                    };
                    Dirty {
                        start: shift(d.start).min(e.start),
                        end: shift(d.end).max(e.new_end),
                        delta: d.delta + delta,
                    }
                }
            });
        }
        dirty
    }
}

#[cfg(test)]
mod differential {
    //! The tree-based model against a line-based re-implementation of BuildKit's `Parse`
    //! loop (test-only, in `split::harness`): both must find the same instructions, line
    //! spans, dumps and heredocs on every real Dockerfile and conformance file.

    use super::split::harness;
    use super::*;

    fn files() -> Vec<std::path::PathBuf> {
        let conformance = harness::conformance_dir();
        let shared = conformance
            .parent()
            .and_then(|p| p.parent())
            .map(std::path::Path::to_path_buf)
            .expect("shared dir");
        let mut out = Vec::new();
        let mut stack = vec![shared.join("corpus"), conformance];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| {
                    n == "Dockerfile"
                        || n != "README.md" && !path.to_string_lossy().contains("conformance")
                }) {
                    out.push(path);
                }
            }
        }
        out.sort();
        assert!(
            out.len() > 330,
            "expected corpus and conformance files, found {}",
            out.len()
        );
        out
    }

    #[test]
    fn tree_model_agrees_with_line_based_parser() {
        let mut failures = Vec::new();
        for path in files() {
            let text = harness::read(path.clone());
            if let Err(f) = compare(&text) {
                failures.push(format!("{}: {f}", path.display()));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn tricky_snippets_agree() {
        let snippets = [
            "FROM a\nRUN cat <<EOF > /x\nhi\nEOF\nRUN b\n",
            "FROM a\nCOPY <<A <<B /d\nB\nA\nA\nB\nRUN x\n",
            "FROM a\nRUN python3 <<'PY'\nprint(1)\nPY\n",
            "FROM a\nRUN echo \"<<EOF\"\nRUN x\n",
            "FROM a\nRUN cat <<EOF \"x\nRUN y\nEOF\n",
            "FROM a\nRUN cat <<EOF \"x\" \\\n  y\nbody\nEOF\n",
            "# escape=`\nFROM a\nRUN cat <<EOF `\n  && echo\nbody\nEOF\n",
            "FROM a\nRUN cat\\\n<<EOF\nRUN x\nEOF\n",
            "FROM a\nRUN cat \\\n  <<EOF\nbody\nEOF\n",
            "FROM a\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]\nRUN b\n",
            "FROM a\nRUN [\"a\"] <<EOF\nRUN b\nEOF\n",
            "FROM a\nRUN <<- EOF\nRUN b\n",
            "FROM a\nRUN <<-EOF\n\tbody\n\tEOF\nRUN b\n",
            "FROM a\nONBUILD RUN <<EOF\nbody\nEOF\nRUN b\n",
            "FROM a\nRUN 3<<EOF cat\nx\nEOF\n",
            "FROM a\nRUN x<<EOF\nRUN b\n",
            "FROM a\nUSER <<EOF\nRUN b\n",
            "FROM a\nRUN echo a\\\\\\\nRUN b\n",
            "FROM a\nRUN echo \\\n# comment\n\n  more\nRUN b\n",
            "FROM a\nCMD [\"a\", \\\n  \"b\"]\nRUN <<EOF\nx\nEOF\n",
            "FROM a\r\nRUN cat <<EOF\r\nbody\r\nEOF\r\nRUN b\r\n",
            "\u{feff}# escape=`\nFROM a\nRUN a `\n  b\n",
            // An escaped escape, a blank, then an escape at the line end: a continuation.
            "FROM a\nRUN a\\\\\t\\\nb\nRUN c\n",
            "FROM a\nLABEL a=\\\\ \\\n  b=c\nRUN c\n",
        ];
        let mut failures = Vec::new();
        for (i, s) in snippets.iter().enumerate() {
            if let Err(f) = compare(s) {
                failures.push(format!("snippet {i} {s:?}: {f}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
        ))]
        #[test]
        fn random_dockerfiles_agree(pieces in proptest::collection::vec(proptest::sample::select(&[
            "FROM a", "RUN ", "COPY ", "ONBUILD ", "CMD ", "ENV ", "HEALTHCHECK ", "x", "echo",
            " ", "\t", "\n", "\r\n", "\\", "\\\n", "`", "#", "# escape=`\n", "<<EOF", "<<-EOF",
            "<< EOF", "3<<EOF", "EOF", "\tEOF", "'", "\"", "[", "]", ",", "\"a\"", "--", "--mount=x",
            "=", "$", "é", "AS b",
        ][..]), 0..40)) {
            let text: String = pieces.concat();
            if let Err(f) = compare(&text) {
                panic!("{text:?}: {f}");
            }
        }
    }

    /// Compares the tree-based model with the line-based parser on one text.
    fn compare(text: &str) -> Result<(), String> {
        {
            let mut reference = harness::parse_file(text);
            if reference.iter().any(|p| p.arguments.is_err()) {
                return Ok(()); // BuildKit rejects the file; the conformance test covers those.
            }
            // A lone continuation line at the end of the file gives BuildKit an instruction
            // with an empty keyword (which fails the build); the tree has nothing there.
            reference.retain(|p| !p.command.keyword.value.is_empty());
            let doc = Document::new(text);
            let model = Model::build(&doc);
            let ours: Vec<String> = model.buildkit_dump().lines().map(str::to_string).collect();
            let theirs: Vec<String> = reference
                .iter()
                .filter_map(|p| p.arguments.as_ref().ok().map(|a| (p, a)))
                .map(|(p, a)| format!("({})", harness::dump(&p.command, a)))
                .collect();
            if ours != theirs {
                let first = ours
                    .iter()
                    .zip(&theirs)
                    .position(|(a, b)| a != b)
                    .unwrap_or(ours.len().min(theirs.len()));
                return Err(format!(
                    "{} vs {} instructions; first difference at #{first}:\n  tree: {:?}\n  line: {:?}",
                    ours.len(),
                    theirs.len(),
                    ours.get(first),
                    theirs.get(first)
                ));
            }
            for (i, (inst, p)) in model.instructions.iter().zip(&reference).enumerate() {
                let index = doc.line_index();
                let span = (
                    index.line_of(inst.line_range().start) + 1,
                    index.line_of(inst.range().end.saturating_sub(1)) + 1,
                );
                let names: Vec<&str> = inst
                    .data()
                    .heredocs
                    .iter()
                    .map(|h| h.name.as_str())
                    .collect();
                let want: Vec<&str> = p.heredocs.iter().map(|h| h.name.as_str()).collect();
                // BuildKit starts an instruction at a lone continuation line before its
                // keyword; ours starts at the keyword.
                let lead_ok = span.0 == p.start_line
                    || (p.start_line < span.0
                        && text
                            .lines()
                            .skip(p.start_line - 1)
                            .take(span.0 - p.start_line)
                            .all(|l| {
                                let t = l.trim();
                                t.is_empty() || t.starts_with('#') || t == "\\" || t == "`"
                            }));
                if names != want || span.1 != p.end_line || !lead_ok {
                    return Err(format!(
                        "instruction {i}: lines {span:?} vs {:?}, heredocs {names:?} vs {want:?}",
                        (p.start_line, p.end_line)
                    ));
                }
            }
            Ok(())
        }
    }
}
