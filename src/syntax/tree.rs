//! Parsing with tree-sitter, and keeping a tree in step with edits (`Tree::edit` + reparse).

use std::cell::RefCell;

use tree_sitter::{InputEdit, Parser, Point, Tree};

use super::ast::{SourceFile, for_each_node};
use super::kinds::language;
use crate::text::TextEdit;

/// A Dockerfile's syntax tree.
#[derive(Clone, Debug)]
pub struct SyntaxTree {
    tree: Tree,
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("the grammar is generated for this tree-sitter ABI");
    parser
}

fn run_parser(text: &str, old: Option<&Tree>) -> Tree {
    PARSER.with(|cell| {
        let mut parser = cell.borrow_mut();
        // Without a timeout or cancellation flag, tree-sitter always returns a tree.
        parser
            .parse(text, old)
            .expect("parsing without a timeout always yields a tree")
    })
}

impl SyntaxTree {
    /// Parses a whole text.
    pub fn parse(text: &str) -> SyntaxTree {
        SyntaxTree {
            tree: run_parser(text, None),
        }
    }

    /// Records an edit in the tree, before [`SyntaxTree::reparse`].
    pub fn edit(&mut self, edit: &TextEdit) {
        self.tree.edit(&input_edit(edit));
    }

    /// Parses `text` again, reusing the parts of the edited tree that did not change.
    pub fn reparse(&mut self, text: &str) {
        self.tree = run_parser(text, Some(&self.tree));
    }

    pub fn source_file(&self) -> SourceFile<'_> {
        SourceFile::new(self.tree.root_node())
    }

    /// The tree as an S-expression (for tests and `dockerfile-ls dump --tree`).
    pub fn to_sexp(&self) -> String {
        self.tree.root_node().to_sexp()
    }
}

/// The tree-sitter form of a byte edit (also for tests and fuzzers that keep a tree of their
/// own beside a [`SyntaxTree`]).
pub fn input_edit(edit: &TextEdit) -> InputEdit {
    let point = |(row, column): (usize, usize)| Point { row, column };
    InputEdit {
        start_byte: edit.start,
        old_end_byte: edit.old_end,
        new_end_byte: edit.new_end,
        start_position: point(edit.start_point),
        old_end_position: point(edit.old_end_point),
        new_end_position: point(edit.new_end_point),
    }
}

/// Every node of a tree, depth-first, one line each: field, kind, flags (anonymous, MISSING,
/// ERROR) and byte and point ranges. For comparing two trees in tests and fuzzing, where an
/// S-expression would hide the ranges.
pub fn node_lines(tree: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    for_each_node(tree.root_node(), |cursor, depth| {
        let n = cursor.node();
        out.push(format!(
            "{:indent$}{}{}{}{}{} {}..{} ({},{})-({},{})",
            "",
            cursor
                .field_name()
                .map(|f| format!("{f}: "))
                .unwrap_or_default(),
            n.kind(),
            if n.is_named() { "" } else { " (anon)" },
            if n.is_missing() { " MISSING" } else { "" },
            if n.is_error() { " ERROR" } else { "" },
            n.start_byte(),
            n.end_byte(),
            n.start_position().row,
            n.start_position().column,
            n.end_position().row,
            n.end_position().column,
            indent = depth * 2
        ));
    });
    out
}
