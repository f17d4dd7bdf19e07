//! Typed views of the syntax tree: the source file, its directives, comments and instructions.
//!
//! Views are thin `Copy` wrappers over tree-sitter nodes. They answer questions in byte ranges
//! of the document text and never allocate unless they return a collection.

use std::ops::Range;

use tree_sitter::{Node, TreeCursor};

use super::SyntaxTree;
use super::kinds::kinds;

/// The instruction an instruction node stands for, decided by its keyword (case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InstructionKind {
    From,
    Run,
    Cmd,
    Label,
    Maintainer,
    Expose,
    Env,
    Add,
    Copy,
    Entrypoint,
    Volume,
    User,
    Workdir,
    Arg,
    Onbuild,
    Stopsignal,
    Healthcheck,
    Shell,
    /// A keyword BuildKit does not know; it parses, and is rejected when the build starts.
    Unknown,
}

impl InstructionKind {
    pub const ALL: [InstructionKind; 19] = [
        Self::From,
        Self::Run,
        Self::Cmd,
        Self::Label,
        Self::Maintainer,
        Self::Expose,
        Self::Env,
        Self::Add,
        Self::Copy,
        Self::Entrypoint,
        Self::Volume,
        Self::User,
        Self::Workdir,
        Self::Arg,
        Self::Onbuild,
        Self::Stopsignal,
        Self::Healthcheck,
        Self::Shell,
        Self::Unknown,
    ];

    /// The keyword in upper case, as the Dockerfile reference writes it (`None` for unknown).
    pub fn keyword(self) -> Option<&'static str> {
        Some(match self {
            Self::From => "FROM",
            Self::Run => "RUN",
            Self::Cmd => "CMD",
            Self::Label => "LABEL",
            Self::Maintainer => "MAINTAINER",
            Self::Expose => "EXPOSE",
            Self::Env => "ENV",
            Self::Add => "ADD",
            Self::Copy => "COPY",
            Self::Entrypoint => "ENTRYPOINT",
            Self::Volume => "VOLUME",
            Self::User => "USER",
            Self::Workdir => "WORKDIR",
            Self::Arg => "ARG",
            Self::Onbuild => "ONBUILD",
            Self::Stopsignal => "STOPSIGNAL",
            Self::Healthcheck => "HEALTHCHECK",
            Self::Shell => "SHELL",
            Self::Unknown => return None,
        })
    }

    /// The instruction for a keyword, ignoring case; `Unknown` for anything else.
    pub fn from_keyword(word: &str) -> InstructionKind {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.keyword().is_some_and(|kw| kw.eq_ignore_ascii_case(word)))
            .unwrap_or(Self::Unknown)
    }

    /// Whether BuildKit reads heredocs on this instruction (RUN, COPY, ADD).
    pub fn allows_heredocs(self) -> bool {
        matches!(self, Self::Run | Self::Copy | Self::Add)
    }

    pub(crate) fn node_kind(self) -> &'static str {
        match self {
            Self::From => "from_instruction",
            Self::Run => "run_instruction",
            Self::Cmd => "cmd_instruction",
            Self::Label => "label_instruction",
            Self::Maintainer => "maintainer_instruction",
            Self::Expose => "expose_instruction",
            Self::Env => "env_instruction",
            Self::Add => "add_instruction",
            Self::Copy => "copy_instruction",
            Self::Entrypoint => "entrypoint_instruction",
            Self::Volume => "volume_instruction",
            Self::User => "user_instruction",
            Self::Workdir => "workdir_instruction",
            Self::Arg => "arg_instruction",
            Self::Onbuild => "onbuild_instruction",
            Self::Stopsignal => "stopsignal_instruction",
            Self::Healthcheck => "healthcheck_instruction",
            Self::Shell => "shell_instruction",
            Self::Unknown => "unknown_instruction",
        }
    }
}

/// The root of a Dockerfile's tree (of all its pieces, when it was parsed in pieces).
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'t> {
    tree: &'t SyntaxTree,
}

impl<'t> SourceFile<'t> {
    pub(crate) fn new(tree: &'t SyntaxTree) -> Self {
        SourceFile { tree }
    }

    /// Parser directives (`# syntax=...`, `# escape=...`, `# check=...`) at the top, in order.
    /// Each range covers the directive's line without its line break.
    pub fn directives(self) -> impl Iterator<Item = Range<usize>> + 't {
        directives_among(top_level(self.tree))
    }

    /// Top-level instructions, in order.
    pub fn instructions(self) -> impl Iterator<Item = InstructionNode<'t>> + 't {
        instructions_among(top_level(self.tree))
    }

    /// Top-level instructions from the one that contains byte `offset`, in order: the way
    /// into the middle of a large file without walking its start. Pass an offset inside an
    /// instruction: tree-sitter's child search descends into the hidden chunk that holds the
    /// offset and does not step on to the next chunk, so an offset in the blank lines or
    /// comments after a chunk's last instruction finds nothing.
    pub fn instructions_from(
        self,
        offset: usize,
    ) -> impl Iterator<Item = InstructionNode<'t>> + 't {
        instructions_among(top_level_from(self.tree, offset))
    }

    /// Every comment in the file, including those inside continued instructions.
    pub fn comments(self) -> Vec<Range<usize>> {
        let k = kinds();
        let mut out = Vec::new();
        for (root, owned) in self.tree.roots() {
            for_each_node(root, |cursor, _| {
                let node = cursor.node();
                if node.kind_id() == k.comment && owned.contains(&node.start_byte()) {
                    out.push(node.byte_range());
                }
            });
        }
        out
    }

    /// Whether the tree has ERROR or MISSING nodes (the grammar is meant to accept any text).
    pub fn has_error(self) -> bool {
        if self.tree.piece_count() == 1 {
            return self.tree.roots().any(|(root, _)| root.has_error());
        }
        // A piece's tree also holds text other pieces speak for; only its own part counts.
        top_level(self.tree).any(|n| n.has_error())
    }
}

/// One piece of a tree parsed in pieces, seen on its own while the other pieces may still be
/// parsing (see [`SyntaxTree::parse_and_read_in_pieces`]): the header, which every piece parses, and
/// the instructions of the text this piece speaks for.
#[derive(Clone, Copy, Debug)]
pub struct PieceFile<'t> {
    root: Node<'t>,
    owned: (usize, usize),
}

impl<'t> PieceFile<'t> {
    pub(crate) fn new(root: Node<'t>, owned: Range<usize>) -> Self {
        PieceFile {
            root,
            owned: (owned.start, owned.end),
        }
    }

    /// The directives of the whole file: every piece parses the header first.
    pub fn directives(self) -> impl Iterator<Item = Range<usize>> + 't {
        directives_among(children(self.root))
    }

    /// This piece's top-level instructions, in order.
    pub fn instructions(self) -> impl Iterator<Item = InstructionNode<'t>> + 't {
        let (start, end) = self.owned;
        let nodes = children(self.root)
            .skip_while(move |n| n.start_byte() < start)
            .take_while(move |n| n.start_byte() < end);
        instructions_among(nodes)
    }
}

fn directives_among<'t>(
    nodes: impl Iterator<Item = Node<'t>> + 't,
) -> impl Iterator<Item = Range<usize>> + 't {
    let k = kinds();
    // Directives only ever come first: stop at the first other node rather than walk a
    // large file's every instruction.
    nodes
        .skip_while(move |n| n.kind_id() != k.directive && n.kind_id() == k.comment)
        .take_while(move |n| n.kind_id() == k.directive)
        .map(|n| n.byte_range())
}

fn instructions_among<'t>(
    nodes: impl Iterator<Item = Node<'t>> + 't,
) -> impl Iterator<Item = InstructionNode<'t>> + 't {
    let k = kinds();
    nodes.filter_map(move |n| {
        k.instruction_kind(n.kind_id())
            .map(|kind| InstructionNode { node: n, kind })
    })
}

/// The visible top-level nodes of a tree, in order, across its pieces.
pub(crate) fn top_level(tree: &SyntaxTree) -> impl Iterator<Item = Node<'_>> + '_ {
    top_level_from(tree, 0)
}

/// The visible top-level nodes from the first that ends after `offset` (see
/// [`SourceFile::instructions_from`] for the catch).
fn top_level_from(tree: &SyntaxTree, offset: usize) -> impl Iterator<Item = Node<'_>> + '_ {
    tree.roots()
        .filter(move |(_, owned)| owned.end > offset)
        .flat_map(move |(root, owned)| {
            let from = offset.max(owned.start);
            let nodes = if from == 0 {
                children(root)
            } else {
                children_from(root, from)
            };
            nodes.take_while(move |n| n.start_byte() < owned.end)
        })
}

/// One instruction, top-level or nested in ONBUILD.
#[derive(Clone, Copy, Debug)]
pub struct InstructionNode<'t> {
    node: Node<'t>,
    kind: InstructionKind,
}

/// The body of one heredoc after its instruction: content lines, then the terminator line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeredocNode {
    /// The body lines, each with its line break; `None` when the body is empty.
    pub content: Option<Range<usize>>,
    /// The terminator line (with its line break); `None` when the file ended first.
    pub terminator: Option<Range<usize>>,
}

/// What the model needs from an instruction node, gathered in one walk over its children
/// (cursor moves are the expensive part of reading a tree).
#[derive(Clone, Debug)]
pub struct InstructionParts<'t> {
    /// See [`InstructionNode::line_range`].
    pub line_range: Range<usize>,
    pub heredocs: Vec<HeredocNode>,
    /// ONBUILD's trigger instruction.
    pub trigger: Option<InstructionNode<'t>>,
}

impl<'t> InstructionNode<'t> {
    /// Everything [`InstructionParts`] holds, in one pass over the children.
    pub fn parts(self, text: &str) -> InstructionParts<'t> {
        let k = kinds();
        let mut parts = InstructionParts {
            line_range: 0..0,
            heredocs: Vec::new(),
            trigger: None,
        };
        let mut first_body = None;
        for child in children(self.node) {
            let id = child.kind_id();
            if id == k.heredoc {
                first_body.get_or_insert(child.start_byte());
                parts.heredocs.push(heredoc_parts(child));
            } else if let Some(kind) = k.instruction_kind(id) {
                parts.trigger = Some(InstructionNode { node: child, kind });
            }
        }
        parts.line_range = self.trimmed_line_range(text, first_body);
        parts
    }

    pub fn kind(self) -> InstructionKind {
        self.kind
    }

    /// The whole instruction: its lines, and the heredoc bodies after them.
    pub fn range(self) -> Range<usize> {
        self.node.byte_range()
    }

    /// The keyword as written.
    pub fn keyword(self) -> Option<Range<usize>> {
        let k = kinds();
        children(self.node)
            .find(|n| n.kind_id() == k.keyword)
            .map(|n| n.byte_range())
    }

    /// From the keyword to the end of the instruction's last line (its line break and any
    /// heredoc bodies excluded): the text BuildKit joins into one logical line.
    pub fn line_range(self, text: &str) -> Range<usize> {
        let k = kinds();
        let first_body = children(self.node)
            .find(|n| n.kind_id() == k.heredoc)
            .map(|n| n.start_byte());
        self.trimmed_line_range(text, first_body)
    }

    /// [`InstructionNode::line_range`] for an instruction known to have no heredoc body
    /// (no `<<` in its text), found without walking its children.
    pub fn line_range_without_heredocs(self, text: &str) -> Range<usize> {
        self.trimmed_line_range(text, None)
    }

    fn trimmed_line_range(self, text: &str, first_body: Option<usize>) -> Range<usize> {
        let start = self.node.start_byte();
        let end = first_body.unwrap_or(self.node.end_byte());
        let bytes = text.as_bytes();
        let end = end.min(bytes.len());
        let mut trimmed = end;
        while trimmed > start && matches!(bytes[trimmed - 1], b'\n' | b'\r') {
            trimmed -= 1;
        }
        start..trimmed
    }

    /// The heredoc bodies that follow the instruction's lines, in order.
    pub fn heredocs(self) -> Vec<HeredocNode> {
        let k = kinds();
        children(self.node)
            .filter(|n| n.kind_id() == k.heredoc)
            .map(heredoc_parts)
            .collect()
    }

    /// Byte ranges of the `<<NAME` markers on the instruction's lines.
    pub fn heredoc_markers(self) -> Vec<Range<usize>> {
        let k = kinds();
        let mut out = Vec::new();
        for child in children(self.node) {
            if child.kind_id() == k.heredoc_marker {
                out.push(child.byte_range());
            } else if child.child_count() > 0 && k.instruction_kind(child.kind_id()).is_none() {
                out.extend(
                    children(child)
                        .filter(|n| n.kind_id() == k.heredoc_marker)
                        .map(|n| n.byte_range()),
                );
            }
        }
        out
    }

    /// Whether the arguments are in exec (JSON) form.
    pub fn is_json_form(self) -> bool {
        let k = kinds();
        children(self.node).any(|n| n.kind_id() == k.json_array)
    }

    /// ONBUILD's trigger instruction.
    pub fn trigger(self) -> Option<InstructionNode<'t>> {
        let k = kinds();
        children(self.node).find_map(|n| {
            k.instruction_kind(n.kind_id())
                .map(|kind| InstructionNode { node: n, kind })
        })
    }

    /// Comments inside the instruction (lines dropped from a continuation).
    pub fn comments(self) -> impl Iterator<Item = Range<usize>> + 't {
        let k = kinds();
        children(self.node)
            .filter(move |n| n.kind_id() == k.comment)
            .map(|n| n.byte_range())
    }

    /// Line continuations inside the instruction.
    pub fn continuations(self) -> impl Iterator<Item = Range<usize>> + 't {
        let k = kinds();
        children(self.node)
            .filter(move |n| n.kind_id() == k.line_continuation)
            .map(|n| n.byte_range())
    }
}

fn heredoc_parts(body: Node<'_>) -> HeredocNode {
    let k = kinds();
    let mut doc = HeredocNode {
        content: None,
        terminator: None,
    };
    for part in children(body) {
        if part.kind_id() == k.heredoc_content {
            doc.content = Some(part.byte_range());
        } else if part.kind_id() == k.heredoc_end {
            doc.terminator = Some(part.byte_range());
        }
    }
    doc
}

/// Visits `node` and everything below it, depth-first, with the cursor on each node (for its
/// field name) and the node's depth below `node`.
pub(crate) fn for_each_node(node: Node<'_>, mut visit: impl FnMut(&TreeCursor<'_>, usize)) {
    let mut cursor = node.walk();
    let mut depth = 0;
    loop {
        visit(&cursor, depth);
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            depth -= 1;
        }
    }
}

fn children<'t>(node: Node<'t>) -> Children<'t> {
    Children {
        cursor: node.walk(),
        state: ChildState::Start,
    }
}

/// Children of `node` from the first one that ends after `offset` (see
/// [`SourceFile::instructions_from`] for the catch).
fn children_from<'t>(node: Node<'t>, offset: usize) -> Children<'t> {
    Children {
        cursor: node.walk(),
        state: ChildState::StartAt(offset),
    }
}

enum ChildState {
    Start,
    StartAt(usize),
    Walking,
    Done,
}

/// Children of a node through a cursor: `Node::child(i)` is linear in `i`, and a source file
/// may have thousands of instructions.
struct Children<'t> {
    cursor: tree_sitter::TreeCursor<'t>,
    state: ChildState,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        let moved = match self.state {
            ChildState::Start => self.cursor.goto_first_child(),
            ChildState::StartAt(offset) => self.cursor.goto_first_child_for_byte(offset).is_some(),
            ChildState::Walking => self.cursor.goto_next_sibling(),
            ChildState::Done => false,
        };
        if moved {
            self.state = ChildState::Walking;
            Some(self.cursor.node())
        } else {
            self.state = ChildState::Done;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::Document;

    #[test]
    fn comments_are_found_at_the_top_level_and_inside_continuations() {
        let text = "# top\nFROM a\nRUN a \\\n# inside\n  b\n# after\n";
        let doc = Document::new(text);
        let found: Vec<&str> = doc
            .tree()
            .source_file()
            .comments()
            .into_iter()
            .map(|r| text[r].trim_end())
            .collect();
        assert_eq!(found, ["# top", "# inside", "# after"]);
    }
}
