//! Parsing with tree-sitter, and keeping a tree in step with edits (`Tree::edit` + reparse).

use std::cell::RefCell;

use tree_sitter::{InputEdit, Parser, Point, Tree};

use super::ast::SourceFile;
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
        let point = |(row, column): (usize, usize)| Point { row, column };
        self.tree.edit(&InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.old_end,
            new_end_byte: edit.new_end,
            start_position: point(edit.start_point),
            old_end_position: point(edit.old_end_point),
            new_end_position: point(edit.new_end_point),
        });
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

    /// Byte ranges whose syntax differs between `old` and this tree.
    pub fn changed_ranges(&self, old: &SyntaxTree) -> Vec<std::ops::Range<usize>> {
        old.tree
            .changed_ranges(&self.tree)
            .map(|r| r.start_byte..r.end_byte)
            .collect()
    }
}
