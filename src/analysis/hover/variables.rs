//! Hovers on variables: a `$NAME` shows where it is declared and its value in scope; an ARG
//! or ENV name shows what it declares.

use std::fmt::Write as _;

use super::markdown::{code, line_number};
use crate::analysis::Snapshot;
use crate::analysis::cursor::At;
use crate::catalog;
use crate::model::{DeclKind, Declaration, Resolution, declarations_of};

/// A `$NAME` / `${NAME...}` reference used in instruction `at`.
pub(super) fn reference(
    snapshot: &Snapshot,
    at: At<'_>,
    name: &str,
    modifier: Option<&str>,
    offset: usize,
) -> String {
    let model = &snapshot.model;
    let mut out = match model.resolve(at.index, name) {
        Resolution::Declared {
            declaration,
            inherits,
        } => {
            let mut out = format!(
                "**${name}** · {}\n\n",
                kind_label(snapshot, &declaration, at.index)
            );
            let _ = writeln!(
                out,
                "Declared on line {}: {}\n",
                line_number(snapshot, declaration.name_range.start),
                code(&declaration_text(&declaration))
            );
            out.push_str(&value_in_scope(snapshot, &declaration, inherits.as_ref()));
            out
        }
        Resolution::Predefined(doc) => {
            let mut out = catalog::markdown_for_arg(doc);
            let _ = writeln!(out, "\n**Value here:** set at build time.");
            out
        }
        Resolution::Undefined => undefined(snapshot, at, name, offset),
    };
    let exec_form = at.command.is_json()
        && catalog::instruction(at.command.kind.keyword().unwrap_or(""))
            .is_some_and(|doc| !doc.expands_variables);
    if exec_form && offset <= at.instruction.line_range().end {
        let _ = write!(
            out,
            "\n*In the exec form nothing expands variables: the program receives the literal text {}.*\n",
            code(&format!("${name}"))
        );
    }
    if let Some(m) = modifier {
        let _ = write!(out, "\n{}\n", modifier_text(name, m));
    }
    if at.in_trigger {
        out.push_str(
            "\n*In an ONBUILD trigger the value comes from the build that uses this image.*\n",
        );
    }
    out
}

/// The name of an `ARG` or an `ENV` key, declared by instruction `at`.
pub(super) fn declaration(
    snapshot: &Snapshot,
    at: At<'_>,
    name: &str,
    name_start: usize,
) -> Option<String> {
    let decls = declarations_of(at.instruction, at.index);
    let decl = decls
        .iter()
        .find(|d| d.name_range.start == name_start)
        .or_else(|| decls.iter().find(|d| d.name == name))?;
    let model = &snapshot.model;
    let first_from = model.stages.first().map(|s| s.instruction);
    let global = first_from.is_none_or(|f| at.index < f);
    let inherits = (decl.kind == DeclKind::Arg && decl.value.is_none() && !global)
        .then(|| {
            model
                .global_args(usize::MAX)
                .into_iter()
                .rev()
                .find(|g| g.name == decl.name)
        })
        .flatten();
    let mut out = String::new();
    let predefined = catalog::predefined_arg(&decl.name).filter(|_| decl.kind == DeclKind::Arg);
    if let Some(doc) = predefined {
        out.push_str(&catalog::markdown_for_arg(doc));
        out.push_str("\n---\n\n");
    }
    let _ = writeln!(
        out,
        "**{}** · {}\n",
        decl.name,
        kind_label(snapshot, decl, at.index)
    );
    match (decl.kind, global, predefined) {
        (DeclKind::Arg, true, _) => out.push_str(
            "A global ARG: `FROM` lines can use it; a stage reads it only after declaring `ARG` with the same name.\n\n",
        ),
        (DeclKind::Arg, false, _) => out.push_str(
            "A build argument of this stage: later instructions of the stage can use it, and `--build-arg` sets it.\n\n",
        ),
        (DeclKind::Env, ..) => out.push_str(
            "An environment variable: later instructions of this stage and of stages built on it can use it, and containers started from the image see it.\n\n",
        ),
    }
    if predefined.is_some() && decl.value.is_none() && inherits.is_none() {
        out.push_str("**Value here:** set at build time.\n");
    } else {
        out.push_str(&value_in_scope(snapshot, decl, inherits.as_ref()));
    }
    Some(out)
}

/// "ARG", "global ARG", "ENV", or "ENV of stage `base`" when inherited from another stage.
fn kind_label(snapshot: &Snapshot, decl: &Declaration, used_in: usize) -> String {
    let model = &snapshot.model;
    let first_from = model.stages.first().map(|s| s.instruction);
    match decl.kind {
        DeclKind::Arg if first_from.is_none_or(|f| decl.instruction < f) => "global ARG".into(),
        DeclKind::Arg => "ARG".into(),
        DeclKind::Env => {
            let declared_in = model.stage_of(decl.instruction).map(|s| s.index);
            let used_stage = model.stage_of(used_in).map(|s| s.index);
            match declared_in.and_then(|i| model.stages.get(i)) {
                Some(stage) if declared_in != used_stage => match &stage.name {
                    Some((name, _)) => format!("ENV inherited from stage {}", code(name)),
                    None => format!("ENV inherited from stage #{}", stage.index),
                },
                _ => "ENV".into(),
            }
        }
    }
}

/// `ARG NAME=value` or `ENV NAME=value`, as the declaration reads.
fn declaration_text(decl: &Declaration) -> String {
    let keyword = match decl.kind {
        DeclKind::Arg => "ARG",
        DeclKind::Env => "ENV",
    };
    match &decl.value {
        Some(v) => format!("{keyword} {}={v}", decl.name),
        None => format!("{keyword} {}", decl.name),
    }
}

/// The value a declaration gives, in words: its default, an inherited global default, or
/// "set at build time".
fn value_in_scope(
    snapshot: &Snapshot,
    decl: &Declaration,
    inherits: Option<&Declaration>,
) -> String {
    let name = &decl.name;
    match (decl.kind, decl.unquoted_value(), inherits) {
        (DeclKind::Env, Some(v), _) => {
            let mut out = format!("**Value here:** {}", code(&v));
            if v.contains('$') {
                out.push_str(" (as written; the builder expands its variables when the ENV runs)");
            }
            out.push('\n');
            out
        }
        (_, Some(v), _) => format!(
            "**Value here:** {} by default; `--build-arg {name}=…` overrides it.\n",
            code(&v)
        ),
        (_, None, Some(global)) => match global.unquoted_value() {
            Some(v) => format!(
                "**Value here:** {}, the default of the global {} on line {}; `--build-arg {name}=…` overrides it.\n",
                code(&v),
                code(&declaration_text(global)),
                line_number(snapshot, global.name_range.start)
            ),
            None => format!(
                "**Value here:** set at build time with `--build-arg {name}=…` (no default, here or in the global {} on line {}); empty otherwise.\n",
                code(&declaration_text(global)),
                line_number(snapshot, global.name_range.start)
            ),
        },
        (_, None, None) => format!(
            "**Value here:** set at build time with `--build-arg {name}=…` (no default); empty otherwise.\n"
        ),
    }
}

/// A name nothing declares: what the builder does, and the usual reasons.
fn undefined(snapshot: &Snapshot, at: At<'_>, name: &str, offset: usize) -> String {
    let model = &snapshot.model;
    let mut out = format!(
        "**${name}** · not declared\n\nNo `ARG` or `ENV` declares {} for this line, so the builder substitutes an empty string.\n",
        code(name)
    );
    // In a shell command (or a RUN heredoc) the shell does the expanding, and it also sees
    // the base image's environment.
    let in_body = offset > at.instruction.line_range().end;
    let shell = catalog::instruction(at.command.kind.keyword().unwrap_or(""))
        .is_some_and(|doc| !doc.expands_variables && !at.command.is_json());
    if shell || in_body {
        out.push_str(
            "\nHere the shell expands it, so it may still come from the environment (for example the base image's `ENV`).\n",
        );
    }
    if let Some(global) = model
        .global_args(usize::MAX)
        .into_iter()
        .rev()
        .find(|g| g.name == name)
    {
        let _ = writeln!(
            out,
            "\nThe global {} on line {} is visible only in `FROM` lines: add `ARG {name}` in this stage to use it here.",
            code(&declaration_text(&global)),
            line_number(snapshot, global.name_range.start)
        );
    } else if let Some(doc) = catalog::predefined_arg(name).filter(|d| d.global_until_redeclared) {
        let _ = writeln!(
            out,
            "\n{} is an automatic platform ARG: add `ARG {name}` in this stage to use it here.",
            code(doc.name)
        );
    }
    out
}

/// What a `${NAME<modifier>}` form does.
fn modifier_text(name: &str, modifier: &str) -> String {
    let (word, meaning) = if let Some(w) = modifier.strip_prefix(":-") {
        (w, "when it is unset or empty")
    } else if let Some(w) = modifier.strip_prefix(":+") {
        (
            w,
            "instead of its value when it is set and not empty (else empty)",
        )
    } else if let Some(w) = modifier.strip_prefix('-') {
        (w, "when it is unset")
    } else if let Some(w) = modifier.strip_prefix('+') {
        (w, "instead of its value when it is set (else empty)")
    } else {
        return format!(
            "**Modifier** {}: a pattern operation on the value of `{name}`.",
            code(modifier)
        );
    };
    format!(
        "**Modifier** {}: gives {} {meaning}.",
        code(modifier),
        code(word)
    )
}
