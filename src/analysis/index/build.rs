//! The pass that builds the [`SymbolIndex`]: instructions in order, with the scopes BuildKit
//! keeps (global ARGs; each stage's ARGs and ENVs; the ENVs of the stages it builds on).

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::heredocs::heredoc_name_ranges;
use super::{Occurrence, Role, Scope, Symbol, SymbolId, SymbolIndex, SymbolKind};
use crate::catalog;
use crate::model::{
    DeclKind, Instruction, InstructionKind, Model, Resolution, declarations_of, predefined,
    scan_references,
};

/// A name in scope: its symbol and the occurrence of its latest declaration.
type Binding = (SymbolId, usize);

pub(super) fn build(model: &Model, text: &str) -> SymbolIndex {
    let mut b = Builder {
        model,
        index: SymbolIndex::default(),
        globals: FxHashMap::default(),
        stage_symbols: FxHashMap::default(),
        visible: FxHashMap::default(),
        stage_env: vec![FxHashMap::default(); model.stages.len()],
        shared: FxHashMap::default(),
        stage: None,
    };
    b.stages(text);
    let first_from = model.first_from();
    for (i, inst) in model.instructions.iter().enumerate() {
        if inst.kind() == InstructionKind::From {
            b.stage = model.stage_starting_at(i).map(|s| s.index);
            b.stage_symbols.clear();
            b.visible.clear();
        }
        let global = i < first_from || inst.kind() == InstructionKind::From;
        b.uses(i, inst, global, text);
        b.declarations(i, inst, global, text);
        b.heredocs(i, inst, text);
    }
    b.finish()
}

struct Builder<'m> {
    model: &'m Model,
    index: SymbolIndex,
    /// Global ARGs declared so far.
    globals: FxHashMap<String, Binding>,
    /// The symbol of each (kind, name) declared in the current stage.
    stage_symbols: FxHashMap<(DeclKind, String), SymbolId>,
    /// Names the current stage declared so far: their latest declaration.
    visible: FxHashMap<String, Binding>,
    /// Each stage's ENVs at its end, for the stages built on it.
    stage_env: Vec<FxHashMap<String, Binding>>,
    /// Symbols without declarations, by kind, scope and name.
    shared: FxHashMap<(SymbolKind, Scope, String), SymbolId>,
    /// The stage being read (`None` before the first FROM).
    stage: Option<usize>,
}

impl Builder<'_> {
    fn symbol(&mut self, symbol: Symbol) -> SymbolId {
        self.index.symbols.push(symbol);
        self.index.symbols.len() - 1
    }

    fn occurrence(&mut self, o: Occurrence) -> usize {
        self.index.occurrences.push(o);
        self.index.occurrences.len() - 1
    }

    /// One symbol per stage, declared by its name; then every place that names a stage.
    fn stages(&mut self, text: &str) {
        let model = self.model;
        let mut declared = vec![None; model.stages.len()];
        for stage in &model.stages {
            let home = model.instructions.get(stage.instruction).map(|inst| {
                let end = stage
                    .base
                    .as_ref()
                    .map_or(inst.line_range().end, |b| b.1.end);
                inst.start()..end
            });
            let id = self.symbol(Symbol {
                kind: SymbolKind::Stage,
                name: stage
                    .name
                    .as_ref()
                    .and_then(|(_, r)| text.get(r.clone()))
                    .unwrap_or_default()
                    .to_string(),
                scope: Scope::File,
                stage: Some(stage.index),
                home,
                predefined: false,
                occurrences: Vec::new(),
            });
            debug_assert_eq!(id, stage.index);
            if let Some((_, range)) = &stage.name {
                declared[stage.index] = Some(self.occurrence(Occurrence {
                    range: range.clone(),
                    symbol: id,
                    role: Role::Declaration,
                    target: None,
                    by_index: false,
                    reference: None,
                    instruction: stage.instruction,
                }));
            }
        }
        for u in model.stage_uses() {
            let Some(stage) = u.stage else { continue };
            self.occurrence(Occurrence {
                range: u.range,
                symbol: stage,
                role: Role::Use,
                target: declared.get(stage).copied().flatten(),
                by_index: u.by_index,
                reference: None,
                instruction: u.instruction,
            });
        }
    }

    /// The `$NAME` uses of an instruction (and of its heredoc bodies that are expanded),
    /// resolved with the declarations made before it.
    fn uses(&mut self, i: usize, inst: &Instruction, global: bool, text: &str) {
        let trigger = inst.kind() == InstructionKind::Onbuild;
        for r in &inst.data().references {
            let name_range = inst.abs(&r.name_range);
            self.variable_use(i, &r.name, name_range, inst.abs(&r.range), global, trigger);
        }
        let escape = inst.data().escape;
        for h in inst.data().heredocs.iter().filter(|h| h.expand) {
            let Some(body) = h.content_range.as_ref().map(|r| inst.abs(r)) else {
                continue;
            };
            let Some(content) = text.get(body.clone()) else {
                continue;
            };
            if !content.contains('$') {
                continue;
            }
            // Line by line, as the hover reads them: a quote does not carry over a line
            // break in a heredoc body the way it does in a shell word.
            let mut start = body.start;
            for line in content.split_inclusive('\n') {
                for (whole, name, _) in scan_references(line, escape) {
                    let shift = |r: Range<usize>| start + r.start..start + r.end;
                    let name_text = &line[name.clone()];
                    self.variable_use(i, name_text, shift(name), shift(whole), global, trigger);
                }
                start += line.len();
            }
        }
    }

    fn variable_use(
        &mut self,
        i: usize,
        name: &str,
        range: Range<usize>,
        reference: Range<usize>,
        global: bool,
        trigger: bool,
    ) {
        let (symbol, target) = if trigger {
            (self.shared(SymbolKind::Undeclared, Scope::File, name), None)
        } else {
            self.resolve(name, global)
        };
        self.occurrence(Occurrence {
            range,
            symbol,
            role: Role::Use,
            target,
            by_index: false,
            reference: Some(reference),
            instruction: i,
        });
    }

    /// What `name` means here: the latest declaration in scope, else a predefined ARG, else
    /// nothing declared in this scope.
    fn resolve(&mut self, name: &str, global: bool) -> (SymbolId, Option<usize>) {
        if global {
            if let Some(&(symbol, decl)) = self.globals.get(name) {
                return (symbol, Some(decl));
            }
        } else {
            if let Some(&(symbol, decl)) = self.visible.get(name) {
                return (symbol, Some(decl));
            }
            let mut parent = self.stage.and_then(|s| self.model.parent_stage(s));
            // Each step goes to an earlier stage, so this ends.
            while let Some(p) = parent {
                if let Some(&(symbol, decl)) = self.stage_env.get(p).and_then(|env| env.get(name)) {
                    return (symbol, Some(decl));
                }
                parent = self.model.parent_stage(p);
            }
        }
        if let Resolution::Predefined(_) = predefined(name, global) {
            return (self.shared(SymbolKind::Predefined, Scope::File, name), None);
        }
        let scope = match (global, self.stage) {
            (false, Some(s)) => Scope::Stage(s),
            _ => Scope::Global,
        };
        (self.shared(SymbolKind::Undeclared, scope, name), None)
    }

    fn shared(&mut self, kind: SymbolKind, scope: Scope, name: &str) -> SymbolId {
        if let Some(&id) = self.shared.get(&(kind, scope, name.to_string())) {
            return id;
        }
        let id = self.symbol(Symbol {
            kind,
            name: name.to_string(),
            scope,
            stage: None,
            home: None,
            predefined: kind == SymbolKind::Predefined,
            occurrences: Vec::new(),
        });
        self.shared.insert((kind, scope, name.to_string()), id);
        id
    }

    /// The ARG names and ENV keys an instruction declares, visible from the next one.
    fn declarations(&mut self, i: usize, inst: &Instruction, global: bool, text: &str) {
        if !matches!(inst.kind(), InstructionKind::Arg | InstructionKind::Env) {
            return;
        }
        let in_global = global && inst.kind() != InstructionKind::From;
        let mut made = Vec::new();
        for d in declarations_of(inst, i) {
            // An ENV before the first FROM is an error BuildKit reports; it declares nothing.
            // A quoted or escaped name is not where its range says; it is left out rather
            // than renamed in the wrong place.
            if d.name.is_empty()
                || (in_global && d.kind == DeclKind::Env)
                || text.get(d.name_range.clone()) != Some(d.name.as_str())
            {
                continue;
            }
            let predefined = d.kind == DeclKind::Arg && catalog::predefined_arg(&d.name).is_some();
            let (symbol, target, scope) = if in_global {
                let symbol = match self.globals.get(&d.name) {
                    Some(&(symbol, _)) => symbol,
                    None => self.new_variable(&d.name, SymbolKind::Arg, Scope::Global, predefined),
                };
                (symbol, None, Scope::Global)
            } else {
                let scope = self.stage.map_or(Scope::Global, Scope::Stage);
                let key = (d.kind, d.name.clone());
                let inherited = (d.kind == DeclKind::Arg && d.value.is_none())
                    .then(|| self.globals.get(&d.name).copied())
                    .flatten();
                match (self.stage_symbols.get(&key), inherited) {
                    (Some(&symbol), inherited) => (symbol, inherited.map(|g| g.1), scope),
                    (None, Some((symbol, decl))) => {
                        self.stage_symbols.insert(key, symbol);
                        (symbol, Some(decl), scope)
                    }
                    (None, None) => {
                        let kind = match d.kind {
                            DeclKind::Arg => SymbolKind::Arg,
                            DeclKind::Env => SymbolKind::Env,
                        };
                        let symbol = self.new_variable(&d.name, kind, scope, predefined);
                        self.stage_symbols.insert(key, symbol);
                        (symbol, None, scope)
                    }
                }
            };
            let o = self.occurrence(Occurrence {
                range: d.name_range.clone(),
                symbol,
                role: Role::Declaration,
                target,
                by_index: false,
                reference: None,
                instruction: i,
            });
            made.push((d.name, d.kind, scope, (symbol, o)));
        }
        // Declarations take effect after the instruction: `ENV a=1 b=$a` reads the old `a`.
        for (name, kind, scope, binding) in made {
            match scope {
                Scope::Global | Scope::File => {
                    self.globals.insert(name, binding);
                }
                Scope::Stage(s) => {
                    if kind == DeclKind::Env
                        && let Some(env) = self.stage_env.get_mut(s)
                    {
                        env.insert(name.clone(), binding);
                    }
                    self.visible.insert(name, binding);
                }
            }
        }
    }

    fn new_variable(
        &mut self,
        name: &str,
        kind: SymbolKind,
        scope: Scope,
        predefined: bool,
    ) -> SymbolId {
        self.symbol(Symbol {
            kind,
            name: name.to_string(),
            scope,
            stage: None,
            home: None,
            predefined,
            occurrences: Vec::new(),
        })
    }

    /// Each heredoc: its marker declares it, its terminator uses it.
    fn heredocs(&mut self, i: usize, inst: &Instruction, text: &str) {
        for h in &inst.data().heredocs {
            let (marker, terminator) = heredoc_name_ranges(text, inst, h);
            let home = marker.clone().or_else(|| Some(inst.abs(&h.marker_range)));
            let symbol = self.symbol(Symbol {
                kind: SymbolKind::Heredoc,
                name: h.name.clone(),
                scope: Scope::File,
                stage: None,
                home,
                predefined: false,
                occurrences: Vec::new(),
            });
            let declared = marker.map(|range| {
                self.occurrence(Occurrence {
                    range,
                    symbol,
                    role: Role::Declaration,
                    target: None,
                    by_index: false,
                    reference: None,
                    instruction: i,
                })
            });
            if let Some(range) = terminator {
                self.occurrence(Occurrence {
                    range,
                    symbol,
                    role: Role::Use,
                    target: declared,
                    by_index: false,
                    reference: None,
                    instruction: i,
                });
            }
        }
    }

    /// Sorts the occurrences by position and fills in the symbols' lists.
    fn finish(mut self) -> SymbolIndex {
        let n = self.index.occurrences.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| {
            let r = &self.index.occurrences[i].range;
            (r.start, r.end)
        });
        let mut new_position = vec![0; n];
        for (new, &old) in order.iter().enumerate() {
            new_position[old] = new;
        }
        let mut old = std::mem::take(&mut self.index.occurrences);
        for o in &mut old {
            o.target = o.target.map(|t| new_position[t]);
        }
        let mut slots: Vec<Option<Occurrence>> = old.into_iter().map(Some).collect();
        let sorted: Vec<Occurrence> = order.iter().filter_map(|&i| slots[i].take()).collect();
        for (i, o) in sorted.iter().enumerate() {
            self.index.symbols[o.symbol].occurrences.push(i);
        }
        self.index.occurrences = sorted;
        self.index
    }
}
