//! One run of every rule over a snapshot: checks, then suppressions and severities.

use std::sync::Arc;

use rayon::prelude::*;

use super::emit::in_source_order;
use super::incremental::{self, Kept, Key, Memo};
use super::{CheckFn, Cx, Emit, Found, Group, Inputs, Level, Scope, Suppressions, registry};
use crate::analysis::Snapshot;
use crate::analysis::types::Severity;
use crate::model::PARALLEL_FROM;

/// Every finding of every enabled rule, suppressions and configured severities applied, in
/// source order.
///
/// A run keeps what the next one may reuse on the snapshot ([`Snapshot::remember_run`]);
/// after an edit inside RUN, COPY or ADD instructions of one stage, the next run analyses
/// that stage again and reuses the rest (see [`super::incremental`]).
pub fn run(snapshot: &Snapshot, inputs: &Inputs) -> Vec<Found> {
    let cx = Cx::new(snapshot, inputs);
    let previous = snapshot.previous_run();
    let edited = previous
        .as_ref()
        .and_then(|memo| Some((memo, memo.edited(snapshot)?)));
    if inputs.platform.is_none()
        && let Some(platform) = edited
            .as_ref()
            .and_then(|(memo, _)| memo.guessed_platform())
    {
        cx.set_platform(platform.to_string());
    }
    let key = Key::new(&cx);
    let plan = edited
        .and_then(|(memo, stage)| Some((memo, incremental::plan(memo, snapshot, &key, stage)?)));
    let large = snapshot.model.instructions.len() >= PARALLEL_FROM;
    if let Some((memo, plan)) = &plan {
        let restage = || {
            memo.conversion
                .restage(cx.model, cx.text, inputs, plan.stage, &plan.shift)
        };
        // The edited stage's scripts are read beside its conversion: together they are most
        // of what is left before the passes.
        let conversion = if large {
            rayon::join(|| snapshot.shell(), restage).1
        } else {
            restage()
        };
        cx.set_conversion(Arc::new(conversion));
    }
    // What the passes read: the configuration, the conversion and the shell model. On a
    // large file that is read from scratch, they are found side by side.
    let suppressions = match &plan {
        Some((memo, _)) => Arc::clone(&memo.suppressions),
        None if large => Arc::new(
            rayon::join(
                || Suppressions::resolve(&cx),
                || {
                    cx.converted();
                    snapshot.shell();
                },
            )
            .0,
        ),
        None => Arc::new(Suppressions::resolve(&cx)),
    };
    // Made now, so that the window's context shares it.
    cx.conversion();
    let windowed = cx.windowed(plan.as_ref().map(|(_, p)| p.instructions.clone()));
    let (fresh, file) = if large {
        rayon::join(
            || local_passes(&windowed, &suppressions),
            || file_passes(&cx, &suppressions),
        )
    } else {
        (
            local_passes(&windowed, &suppressions),
            file_passes(&cx, &suppressions),
        )
    };
    let local = match &plan {
        Some((memo, plan)) => {
            let mut fresh = fresh;
            fresh.retain(|f| plan.bytes.contains(&f.diagnostic.range.start));
            plan.merge(memo.local(), fresh)
        }
        None => fresh,
    };
    snapshot.remember_run(Arc::new(Memo::new(
        key,
        snapshot,
        Kept {
            local: local.clone(),
            conversion: Arc::clone(cx.conversion()),
            suppressions: Arc::clone(&suppressions),
        },
    )));
    let error = suppressions.buildkit().error;
    let mut infos = Infos::default();
    let items: Vec<Found> = local
        .into_iter()
        .chain(file)
        .filter_map(|found| configure(&cx, &suppressions, error, &mut infos, found))
        .collect();
    in_source_order(items)
}

/// The stage-local passes (families' and rules') over `cx`'s window, sorted by start.
fn local_passes(cx: &Cx, suppressions: &Suppressions) -> Vec<Found> {
    let mut items = passes(cx, suppressions, true);
    items.sort_by_key(|f| f.diagnostic.range.start);
    items
}

/// The passes over the whole file: the families' and the rules' that are not stage-local.
fn file_passes(cx: &Cx, suppressions: &Suppressions) -> Vec<Found> {
    passes(cx, suppressions, false)
}

/// The families' and the enabled rules' passes that are (or are not) stage-local.
fn passes(cx: &Cx, suppressions: &Suppressions, stage_local: bool) -> Vec<Found> {
    let mut emit = Emit::default();
    for family in registry::FAMILIES {
        let pass = if stage_local {
            family.local
        } else {
            family.check
        };
        if let Some(pass) = pass {
            pass(cx, &mut emit);
        }
    }
    let checks = enabled(cx, suppressions, stage_local);
    // Sized by the file, even for one stage: the checks read the whole conversion.
    run_checks(cx, &checks, cx.model.instructions.len(), &mut emit);
    emit.items
}

/// The checks of the enabled rules that are (or are not) stage-local.
fn enabled(cx: &Cx, suppressions: &Suppressions, stage_local: bool) -> Vec<CheckFn> {
    registry::RULES
        .iter()
        .filter(|rule| rule.stage_local == stage_local)
        .filter_map(|rule| {
            let check = rule.check?;
            // Experimental rules run only when the file (or a setting) enables them.
            if rule.info().experimental && !suppressions.may_run(rule.id) {
                return None;
            }
            let level = cx
                .inputs
                .severities
                .level(rule.id, super::aliases(rule.id), rule.group);
            (level != Some(Level::Off)).then_some(check)
        })
        .collect()
}

/// Runs `checks`, side by side when they visit many (`size`) instructions.
fn run_checks(cx: &Cx, checks: &[CheckFn], size: usize, emit: &mut Emit) {
    if size >= PARALLEL_FROM {
        // Each rule is a pass over the file: on a large one, the two cores share them.
        let found: Vec<Vec<Found>> = checks
            .par_iter()
            .map(|check| {
                let mut mine = Emit::default();
                check(cx, &mut mine);
                mine.items
            })
            .collect();
        emit.extend(found.into_iter().flatten());
    } else {
        for check in checks {
            check(cx, emit);
        }
    }
}

/// Applies the file's configuration (suppressions, severities) to diagnostics found outside
/// the engine, such as the registry's checks or a tool run in the background, before they
/// are published with the others.
pub fn configure_found_elsewhere(
    snapshot: &Snapshot,
    inputs: &Inputs,
    diagnostics: Vec<crate::analysis::types::Diagnostic>,
) -> Vec<crate::analysis::types::Diagnostic> {
    if diagnostics.is_empty() {
        return diagnostics;
    }
    let cx = Cx::new(snapshot, inputs);
    let suppressions = Suppressions::resolve(&cx);
    let error = suppressions.buildkit().error;
    let mut infos = Infos::default();
    diagnostics
        .into_iter()
        .filter_map(|diagnostic| {
            let found = Found {
                diagnostic,
                fix: None,
                scope: Scope::Here,
            };
            configure(&cx, &suppressions, error, &mut infos, found).map(|f| f.diagnostic)
        })
        .collect()
}

/// Applies the file's configuration to one finding: `None` when it is suppressed or off.
/// What is known about each code met in one run (a run has hundreds of findings of a few
/// dozen codes).
type Infos = rustc_hash::FxHashMap<crate::analysis::types::Code, Option<super::RuleInfo>>;

fn configure(
    cx: &Cx,
    suppressions: &Suppressions,
    error: bool,
    infos: &mut Infos,
    mut found: Found,
) -> Option<Found> {
    let info = infos
        .entry(found.diagnostic.code.clone())
        .or_insert_with_key(|code| super::info(code));
    let Some(info) = info.as_ref() else {
        return Some(found);
    };
    let index = match found.scope {
        Scope::Instruction(i) => Some(i),
        Scope::Here => cx
            .model
            .instruction_at(found.diagnostic.range.start)
            .map(|(i, _)| i),
    };
    if suppressions.suppressed(info, index) {
        return None;
    }
    let level = cx
        .inputs
        .severities
        .level(&info.id, super::aliases(&info.id), info.group);
    match level {
        Some(Level::Off) => return None,
        Some(Level::On(severity)) => found.diagnostic.severity = severity,
        // `error=true`: BuildKit fails the build on any finding of its checks.
        None if error && info.group == Group::Buildkit => {
            found.diagnostic.severity = Severity::Error;
        }
        None => {}
    }
    Some(found)
}
