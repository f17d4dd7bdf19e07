//! Rename: every occurrence of a stage, variable or heredoc name, refused with a message
//! where the result would not mean the same to BuildKit.
//!
//! Only the name is replaced, so `${X:-d}` stays a `${…:-d}` and quotes around a heredoc
//! name stay. `--from=0` names a stage by its index and is never rewritten. Refused: names
//! BuildKit would reject (a stage name must match `[a-z][a-z0-9-_.]*` once lower-cased; a
//! variable name must be one the shell lexer reads after `$`), predefined ARGs (BuildKit sets
//! them by name), names nothing in the file declares, a name already taken in the same
//! scope, and a heredoc name that a line of the body would match.

use std::ops::Range;

use super::index::{Occurrence, Scope, SymbolId, SymbolIndex, SymbolKind};
use super::{Edit, Snapshot};
use crate::model::{is_valid_stage_name, is_variable_name};

/// Why a rename is refused, in a sentence for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameError(pub String);

/// What a rename at a place would change: the name's range and its current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTarget {
    pub range: Range<usize>,
    pub placeholder: String,
}

/// Whether the name at `offset` can be renamed: `Ok(None)` when the cursor is on no name,
/// an error when it is on one that cannot be renamed.
pub fn prepare_rename(
    snapshot: &Snapshot,
    offset: usize,
) -> Result<Option<RenameTarget>, RenameError> {
    let index = snapshot.index();
    let Some((_, at)) = index.at(offset) else {
        return Ok(None);
    };
    renamable(index, at)?;
    Ok(Some(RenameTarget {
        range: at.range.clone(),
        placeholder: snapshot.text()[at.range.clone()].to_string(),
    }))
}

/// The edits that rename the name at `offset` to `new_name`, in source order.
pub fn rename(
    snapshot: &Snapshot,
    offset: usize,
    new_name: &str,
) -> Result<Vec<Edit>, RenameError> {
    let index = snapshot.index();
    let Some((_, at)) = index.at(offset) else {
        return Err(RenameError(
            "there is no stage, variable or heredoc name here".into(),
        ));
    };
    renamable(index, at)?;
    let symbol = index.symbol(at.symbol);
    match symbol.kind {
        SymbolKind::Stage => stage_name_free(snapshot, index, at.symbol, new_name)?,
        SymbolKind::Arg | SymbolKind::Env => variable_name_free(index, at.symbol, new_name)?,
        SymbolKind::Heredoc => heredoc_name_fits(snapshot, at, new_name)?,
        SymbolKind::Predefined | SymbolKind::Undeclared => {}
    }
    Ok(index
        .occurrences_of(at.symbol)
        .filter(|o| !o.by_index)
        .map(|o| Edit {
            range: o.range.clone(),
            new_text: new_name.to_string(),
        })
        .collect())
}

fn renamable(index: &SymbolIndex, at: &Occurrence) -> Result<(), RenameError> {
    let symbol = index.symbol(at.symbol);
    if at.by_index {
        let stage = symbol.stage.unwrap_or_default();
        return Err(RenameError(if symbol.name.is_empty() {
            format!("stage {stage} has no name to rename: give it one with `AS <name>`")
        } else {
            format!(
                "this names stage {stage} by its index, which a rename keeps: rename `{}` at its `AS` instead",
                symbol.name
            )
        }));
    }
    if symbol.predefined {
        return Err(RenameError(format!(
            "`{}` is a predefined ARG: BuildKit sets it by this name, so it cannot be renamed",
            symbol.name
        )));
    }
    if symbol.kind == SymbolKind::Undeclared {
        return Err(RenameError(format!(
            "nothing in this Dockerfile declares `{}` here (it comes from the shell or the environment), so there is nothing to rename",
            symbol.name
        )));
    }
    Ok(())
}

fn stage_name_free(
    snapshot: &Snapshot,
    index: &SymbolIndex,
    id: SymbolId,
    new_name: &str,
) -> Result<(), RenameError> {
    if !is_valid_stage_name(new_name) {
        return Err(RenameError(format!(
            "`{new_name}` is not a valid stage name: it must start with a letter and contain only letters, digits, `-`, `_` and `.`"
        )));
    }
    let taken = snapshot
        .model
        .stages_named(new_name)
        .iter()
        .find(|&&s| Some(s) != index.symbol(id).stage);
    if let Some(&other) = taken {
        return Err(RenameError(format!(
            "stage {other} is already named `{new_name}` (stage names ignore case)"
        )));
    }
    Ok(())
}

fn variable_name_free(
    index: &SymbolIndex,
    id: SymbolId,
    new_name: &str,
) -> Result<(), RenameError> {
    if !is_variable_name(new_name) {
        return Err(RenameError(format!(
            "`{new_name}` is not a valid variable name: use letters, digits and `_`, not starting with a digit"
        )));
    }
    if crate::catalog::predefined_arg(new_name).is_some() {
        return Err(RenameError(format!(
            "`{new_name}` is a predefined ARG: BuildKit would set it"
        )));
    }
    let symbol = index.symbol(id);
    // Another variable of that name where this one lives would capture its uses, or be
    // captured by them.
    let clash = index.symbols.iter().enumerate().find(|(other, s)| {
        *other != id
            && s.name == new_name
            && matches!(
                s.kind,
                SymbolKind::Arg | SymbolKind::Env | SymbolKind::Undeclared
            )
            && (s.scope == symbol.scope
                || s.scope == Scope::Global
                || symbol.scope == Scope::Global)
            && !s.occurrences.is_empty()
    });
    if let Some((other, s)) = clash {
        let what = match s.kind {
            SymbolKind::Undeclared => "is already used",
            _ => "is already declared",
        };
        let at = index
            .occurrences_of(other)
            .next()
            .map(|o| o.instruction + 1)
            .unwrap_or_default();
        return Err(RenameError(format!(
            "`{new_name}` {what} in the same scope (instruction {at})"
        )));
    }
    Ok(())
}

fn heredoc_name_fits(
    snapshot: &Snapshot,
    at: &Occurrence,
    new_name: &str,
) -> Result<(), RenameError> {
    let plain = !new_name.is_empty()
        && new_name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !plain {
        return Err(RenameError(format!(
            "`{new_name}` is not a plain heredoc name: use letters, digits, `_`, `-` and `.`"
        )));
    }
    let model = &snapshot.model;
    let Some(inst) = model.instructions.get(at.instruction) else {
        return Ok(());
    };
    let text = snapshot.text();
    let name = &text[at.range.clone()];
    for h in inst.data().heredocs.iter().filter(|h| h.name == name) {
        let body = h.content_range.as_ref().map(|r| inst.abs(r));
        let body = body.and_then(|r| text.get(r)).unwrap_or("");
        let ends_early = body.lines().any(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let line = if h.chomp {
                line.trim_start_matches('\t')
            } else {
                line
            };
            line == new_name
        });
        if ends_early {
            return Err(RenameError(format!(
                "a line of the heredoc's body is `{new_name}`: the body would end there"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.range.clone(), &e.new_text);
        }
        out
    }

    /// The text after renaming at the `$0` cursor, or the refusal.
    fn renamed(fixture: &str, new_name: &str) -> Result<String, String> {
        let offset = fixture.find("$0").expect("a $0 cursor");
        let text = fixture.replacen("$0", "", 1);
        let snapshot = Snapshot::new(text.as_str());
        rename(&snapshot, offset, new_name)
            .map(|edits| apply(&text, &edits))
            .map_err(|e| e.0)
    }

    #[test]
    fn renames_keep_forms_and_indices() {
        assert_eq!(
            renamed("ARG V=1\nFROM a:${V:-x} AS b\nARG V$0\nRUN echo $V \"${V}\"\n", "VERSION"),
            Ok("ARG VERSION=1\nFROM a:${VERSION:-x} AS b\nARG VERSION\nRUN echo $VERSION \"${VERSION}\"\n".into())
        );
        assert_eq!(
            renamed("FROM a AS b$0\nFROM b\nCOPY --from=0 /x /y\nRUN --mount=from=B,target=/m x\n", "base"),
            Ok("FROM a AS base\nFROM base\nCOPY --from=0 /x /y\nRUN --mount=from=base,target=/m x\n".into())
        );
        assert_eq!(
            renamed("FROM a\nRUN <<-'EOF' sh\n\techo\n\tE$0OF\n", "SCRIPT"),
            Ok("FROM a\nRUN <<-'SCRIPT' sh\n\techo\n\tSCRIPT\n".into())
        );
        assert_eq!(
            renamed("FROM a AS p\nENV P=1\nFROM p\nRUN echo $P$0\n", "Q"),
            Ok("FROM a AS p\nENV Q=1\nFROM p\nRUN echo $Q\n".into())
        );
    }

    #[test]
    fn refusals() {
        let refused = |fixture: &str, name: &str, needle: &str| {
            let got = renamed(fixture, name);
            assert!(
                matches!(&got, Err(m) if m.contains(needle)),
                "{fixture:?} -> {name}: {got:?}"
            );
        };
        refused("FROM a AS b$0\n", "1st", "not a valid stage name");
        refused("FROM a AS b$0\nFROM c AS D\n", "d", "already named");
        refused("FROM a\nARG V$0=1\n", "2V", "not a valid variable name");
        refused("FROM a\nARG V$0=1\n", "A-B", "not a valid variable name");
        refused("FROM a\nARG V$0=1\nARG W=2\n", "W", "already declared");
        refused("FROM a\nARG V$0=1\n", "TARGETOS", "predefined");
        refused(
            "ARG TARGETPLATFORM\nFROM --platform=$TARGETPLATFORM$0 a\n",
            "P",
            "predefined",
        );
        refused(
            "FROM a\nRUN echo $HO$0ME\n",
            "H",
            "nothing in this Dockerfile declares",
        );
        refused(
            "FROM a AS b\nFROM c\nCOPY --from=0$0 /x /y\n",
            "z",
            "by its index",
        );
        refused(
            "FROM a\nFROM c\nCOPY --from=0$0 /x /y\n",
            "z",
            "has no name",
        );
        refused(
            "FROM a\nRUN <<E$0OF\nEND\nEOF\n",
            "END",
            "the body would end there",
        );
        refused(
            "FROM a\nRUN <<E$0OF\nx\nEOF\n",
            "A B",
            "not a plain heredoc name",
        );
        assert!(renamed("FROM a\nRUN x$0\n", "y").is_err());
    }

    #[test]
    fn prepare() {
        let text = "FROM a AS build\nRUN x\n";
        let snapshot = Snapshot::new(text);
        assert_eq!(
            prepare_rename(&snapshot, 12),
            Ok(Some(RenameTarget {
                range: 10..15,
                placeholder: "build".into()
            }))
        );
        assert_eq!(prepare_rename(&snapshot, 17), Ok(None));
    }
}
