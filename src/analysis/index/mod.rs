//! The symbol index: one pass over the model resolves every stage reference, variable use and
//! heredoc delimiter to its symbol, and every navigation feature (definition, references,
//! highlight, rename, semantic tokens, inlay hints, outline) reads it instead of resolving
//! names again.
//!
//! A symbol is what a rename changes as one: a stage; a variable in one scope (the global
//! ARGs, or the ARGs or the ENVs of one stage); a heredoc. Scoping follows BuildKit, as the
//! model does ([`crate::model::Model::resolve`]):
//! - a global ARG, the FROM lines that use it and `ARG NAME` without a value inside a stage
//!   are one symbol; a stage ARG with a default, or one that shadows nothing, is its own;
//! - a stage built `FROM` an earlier stage sees that stage's ENVs (and its ancestors');
//! - within one instruction a use sees the declarations made before the instruction;
//! - uses that nothing in the file declares still form symbols (predefined ARGs, shared by
//!   the whole file; undeclared names, per scope) so that highlight works on them, but
//!   they have no declaration and cannot be renamed.

mod build;
mod heredocs;

use std::ops::Range;

use crate::model::Model;

pub use heredocs::heredoc_name_ranges;

/// Index of a symbol in [`SymbolIndex::symbols`].
pub type SymbolId = usize;

/// What kind of name a symbol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A build stage (named or not: `--from=0` names any stage).
    Stage,
    /// An ARG (global, or of one stage).
    Arg,
    /// An ENV of one stage (seen by the stages built on it).
    Env,
    /// A heredoc: its `<<NAME` marker and its terminator line.
    Heredoc,
    /// A predefined ARG used without a declaration (`$BUILDPLATFORM`, `$http_proxy`).
    Predefined,
    /// A name nothing declares here: a shell variable, a typo, an ONBUILD trigger's
    /// variable (set by the build that uses the image).
    Undeclared,
}

/// Where a variable symbol lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Before the first FROM, and the FROM lines themselves.
    Global,
    /// One stage, by index.
    Stage(usize),
    /// ONBUILD triggers and the whole file (predefined ARGs, heredocs, stages).
    File,
}

/// One symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub kind: SymbolKind,
    /// As first written (stage names too: BuildKit compares them ignoring case).
    pub name: String,
    pub scope: Scope,
    /// For a stage, its index in `Model::stages`.
    pub stage: Option<usize>,
    /// Where "go to definition" lands when no occurrence declares the symbol (an unnamed
    /// stage: its FROM line up to the base image).
    pub home: Option<Range<usize>>,
    /// A predefined ARG (declared or not): BuildKit sets it, a rename must not change it.
    pub predefined: bool,
    /// Its occurrences, as indices into [`SymbolIndex::occurrences`], in source order.
    pub occurrences: Vec<usize>,
}

/// Whether an occurrence declares (writes) or uses (reads) its symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `ARG NAME`, an ENV key, `AS name`, a `<<NAME` marker.
    Declaration,
    /// `$NAME`, `FROM name`, `--from=name`, a heredoc terminator.
    Use,
}

/// One place a symbol is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The name itself (without `$`, braces or quotes): what a rename replaces.
    pub range: Range<usize>,
    pub symbol: SymbolId,
    pub role: Role,
    /// For a use, the declaration it resolves to here (the nearest one in scope); for an
    /// `ARG NAME` that brings a global ARG into a stage, the global declaration.
    pub target: Option<usize>,
    /// `--from=0`: the stage by its index, which a rename leaves alone.
    pub by_index: bool,
    /// For a variable use, the whole `$NAME` / `${NAME...}`.
    pub reference: Option<Range<usize>>,
    /// Index of the instruction it is in.
    pub instruction: usize,
}

/// Every symbol of a document and every place it is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SymbolIndex {
    pub symbols: Vec<Symbol>,
    /// Sorted by start; ranges do not overlap.
    pub occurrences: Vec<Occurrence>,
}

impl SymbolIndex {
    /// Builds the index of a model (`text` is the document it was read from).
    pub fn build(model: &Model, text: &str) -> SymbolIndex {
        build::build(model, text)
    }

    /// The occurrence under `offset`, counting both ends of a name (a cursor just after a
    /// name is still on it).
    pub fn at(&self, offset: usize) -> Option<(usize, &Occurrence)> {
        let i = self
            .occurrences
            .partition_point(|o| o.range.start <= offset)
            .checked_sub(1)?;
        let o = &self.occurrences[i];
        (offset <= o.range.end).then_some((i, o))
    }

    pub fn symbol(&self, id: SymbolId) -> &Symbol {
        &self.symbols[id]
    }

    /// The occurrences of a symbol, in source order.
    pub fn occurrences_of(&self, id: SymbolId) -> impl Iterator<Item = &Occurrence> + '_ {
        self.symbols[id]
            .occurrences
            .iter()
            .map(|&i| &self.occurrences[i])
    }

    /// The occurrences whose names start in `range`, in source order.
    pub fn occurrences_in(&self, range: Range<usize>) -> &[Occurrence] {
        let from = self
            .occurrences
            .partition_point(|o| o.range.start < range.start);
        let to = self
            .occurrences
            .partition_point(|o| o.range.start < range.end);
        &self.occurrences[from..to.max(from)]
    }

    /// Where the occurrence `i` is defined: the declaration it resolves to, or itself when
    /// it declares the symbol; for a stage without a name, its FROM line.
    pub fn definition(&self, i: usize) -> Option<Range<usize>> {
        let o = self.occurrences.get(i)?;
        if let Some(t) = o.target {
            return Some(self.occurrences[t].range.clone());
        }
        match o.role {
            Role::Declaration => Some(o.range.clone()),
            Role::Use => self.symbols[o.symbol].home.clone(),
        }
    }

    /// Where a symbol is first declared (a global ARG before its redeclarations in stages),
    /// or its home.
    pub fn declaration(&self, id: SymbolId) -> Option<Range<usize>> {
        self.occurrences_of(id)
            .find(|o| o.role == Role::Declaration)
            .map(|o| o.range.clone())
            .or_else(|| self.symbols[id].home.clone())
    }
}

#[cfg(test)]
mod tests;
