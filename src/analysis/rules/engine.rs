//! One run of every rule over a snapshot: checks, then suppressions and severities.

use rayon::prelude::*;

use super::{Cx, Emit, Found, Group, Inputs, Level, Scope, Suppressions, registry};
use crate::analysis::Snapshot;
use crate::analysis::types::Severity;
use crate::model::PARALLEL_FROM;

/// Every finding of every enabled rule, suppressions and configured severities applied, in
/// source order.
pub fn run(snapshot: &Snapshot, inputs: &Inputs) -> Vec<Found> {
    let cx = Cx::new(snapshot, inputs);
    let mut emit = Emit::default();
    let families = |emit: &mut Emit| {
        for family in registry::FAMILIES {
            (family.check)(&cx, emit);
        }
    };
    let large = snapshot.model.instructions.len() >= PARALLEL_FROM;
    let suppressions = if large {
        // On a large file, the conversion (which most BuildKit checks read) and the
        // configuration run beside the families' passes, which take about as long.
        let (suppressions, ()) = rayon::join(
            || {
                cx.converted();
                Suppressions::resolve(&cx)
            },
            || families(&mut emit),
        );
        suppressions
    } else {
        families(&mut emit);
        Suppressions::resolve(&cx)
    };
    let checks = registry::RULES.iter().filter_map(|rule| {
        let check = rule.check?;
        if rule.info().experimental && !suppressions.may_run(rule.id) {
            return None;
        }
        let level = inputs
            .severities
            .level(rule.id, super::aliases(rule.id), rule.group);
        (level != Some(Level::Off)).then_some(check)
    });
    if large {
        // Each rule is a pass over the file: on a large one, the two cores share them.
        let checks: Vec<_> = checks.collect();
        let found: Vec<Vec<Found>> = checks
            .par_iter()
            .map(|check| {
                let mut mine = Emit::default();
                check(&cx, &mut mine);
                mine.items
            })
            .collect();
        emit.extend(found.into_iter().flatten());
    } else {
        for check in checks {
            check(&cx, &mut emit);
        }
    }
    let error = suppressions.buildkit().error;
    let mut items: Vec<Found> = emit
        .items
        .into_iter()
        .filter_map(|found| configure(&cx, &suppressions, error, found))
        .collect();
    items.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code))
    });
    items.dedup_by(|a, b| a.diagnostic == b.diagnostic);
    items
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
    diagnostics
        .into_iter()
        .filter_map(|diagnostic| {
            let found = Found {
                diagnostic,
                fix: None,
                scope: Scope::Here,
            };
            configure(&cx, &suppressions, error, found).map(|f| f.diagnostic)
        })
        .collect()
}

/// Applies the file's configuration to one finding: `None` when it is suppressed or off.
fn configure(cx: &Cx, suppressions: &Suppressions, error: bool, mut found: Found) -> Option<Found> {
    let Some(info) = super::info(&found.diagnostic.code) else {
        return Some(found);
    };
    let index = match found.scope {
        Scope::Instruction(i) => Some(i),
        Scope::Here => cx
            .model
            .instruction_at(found.diagnostic.range.start)
            .map(|(i, _)| i),
    };
    if suppressions.suppressed(&info, index) {
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
