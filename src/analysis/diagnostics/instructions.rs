//! Instruction-level checks: unknown keywords, keyword casing, FROM placement, and the
//! argument counts and shapes BuildKit's `instructions.Parse` enforces.

use super::{CommandCx, Cx, Out, match_keyword_case};
use crate::catalog::{did_you_mean, instructions::instruction_names};
use crate::model::{Arguments, heredoc::heredocs_from_line};
use crate::syntax::InstructionKind;

/// File-wide: every stage starts with FROM; only ARG may come before the first one.
pub(super) fn check_file(cx: &Cx, out: &mut Out) {
    let instructions = &cx.model.instructions;
    let first_from = instructions
        .iter()
        .position(|i| i.kind() == InstructionKind::From);
    // BuildKit stops at the first one, and one FROM above it fixes all of them.
    let misplaced = instructions[..first_from.unwrap_or(instructions.len())]
        .iter()
        .find(|i| !matches!(i.kind(), InstructionKind::Arg | InstructionKind::Unknown));
    if let Some(inst) = misplaced {
        let keyword = inst.kind().keyword().unwrap_or_default();
        out.error(
            inst.keyword_range(),
            "instruction-before-from",
            format!(
                "{keyword} comes before the first FROM: only ARG may precede it, so add a FROM line above (e.g. `FROM alpine`)"
            ),
        );
    }
    // With only ARGs (and unknown keywords, reported on their own) BuildKit finds no stage.
    if first_from.is_none()
        && instructions
            .iter()
            .all(|i| matches!(i.kind(), InstructionKind::Arg | InstructionKind::Unknown))
        && let Some(first) = instructions
            .iter()
            .find(|i| i.kind() == InstructionKind::Arg)
    {
        out.error(
            first.keyword_range(),
            "missing-from",
            "the Dockerfile has no FROM, so there is no stage to build: add one (e.g. `FROM alpine`)",
        );
    }
}

pub(super) fn check_command(cx: &Cx, c: &CommandCx, out: &mut Out) {
    if c.cmd.kind == InstructionKind::Unknown {
        unknown_instruction(cx, c, out);
        return;
    }
    // When the line parser failed (reported by the model), the arguments are not known.
    if !c.inst.has_errors() {
        arguments(c, out);
    }
}

fn unknown_instruction(cx: &Cx, c: &CommandCx, out: &mut Out) {
    let written = c.cmd.keyword.as_str();
    let range = c.keyword_range();
    let suggestion = did_you_mean(written, instruction_names());
    let message = match suggestion {
        Some(s) => format!("unknown instruction: {written} (did you mean {s}?)"),
        None if c.index > 0 && !c.trigger => format!(
            "unknown instruction: {written}; if this line continues the previous instruction, end that line with `{}`",
            cx.model.escape
        ),
        None => format!("unknown instruction: {written}"),
    };
    let found = out.error(range.clone(), "unknown-instruction", message);
    if let Some(s) = suggestion {
        let replacement = match_keyword_case(written, s);
        found.fix(format!("Change to {replacement}"), range, replacement);
    }
}

fn arguments(c: &CommandCx, out: &mut Out) {
    let keyword = c.keyword();
    let range = c.keyword_range();
    let args = &c.cmd.args;
    let count = match args {
        Arguments::None => 0,
        Arguments::Ignored => 1,
        Arguments::List(items) | Arguments::Json(items) => items.len(),
        Arguments::Text(_) | Arguments::Health { .. } | Arguments::SubCommand(_) => 1,
        Arguments::Pairs(pairs) => pairs.len(),
    };
    let usage = match c.cmd.kind {
        InstructionKind::Env | InstructionKind::Label if count == 0 => Some("<key>=<value> ..."),
        InstructionKind::Maintainer if count == 0 => Some("<name>"),
        InstructionKind::Add | InstructionKind::Copy if count < 2 => Some("<src>... <dest>"),
        InstructionKind::Onbuild if count == 0 && c.inst.data().trigger.is_none() => {
            Some("<INSTRUCTION>")
        }
        InstructionKind::Workdir if count == 0 => Some("<path>"),
        InstructionKind::Healthcheck if count == 0 => Some("CMD <command> | NONE"),
        InstructionKind::Expose if count == 0 => Some("<port>[/<protocol>] ..."),
        InstructionKind::User if count == 0 => Some("<user>[:<group>]"),
        InstructionKind::Volume if count == 0 => Some("<path> ..."),
        InstructionKind::Stopsignal if count == 0 => Some("<signal>"),
        InstructionKind::Arg if count == 0 => Some("<name>[=<default>] ..."),
        InstructionKind::Shell if count == 0 => Some("[\"<executable>\", \"<param>\", ...]"),
        _ => None,
    };
    if let Some(usage) = usage {
        let what = if matches!(c.cmd.kind, InstructionKind::Add | InstructionKind::Copy) {
            "a source and a destination"
        } else {
            "an argument"
        };
        out.error(
            range,
            "missing-arguments",
            format!("{keyword} needs {what}: {keyword} {usage}"),
        );
        return;
    }
    match (c.cmd.kind, args) {
        (InstructionKind::Arg, Arguments::List(words)) => {
            for w in words {
                if w.value.starts_with('=') {
                    out.error(
                        c.abs(&w.range),
                        "blank-name",
                        "ARG needs a name before `=`: ARG <name>=<default>",
                    );
                }
            }
        }
        (InstructionKind::Env | InstructionKind::Label, Arguments::Pairs(pairs)) => {
            for p in pairs {
                if p.key.value.is_empty() {
                    out.error(
                        c.abs(&(p.key.range.start..p.value.range.end)),
                        "blank-name",
                        format!("{keyword} needs a name before `=`: {keyword} <key>=<value>"),
                    );
                }
            }
        }
        (InstructionKind::Volume, Arguments::Json(items)) => {
            for item in items {
                if item.value.trim().is_empty() {
                    out.error(
                        c.abs(&item.range),
                        "empty-volume",
                        "a VOLUME path cannot be empty: remove it or write a path",
                    );
                }
            }
        }
        (InstructionKind::Add | InstructionKind::Copy, Arguments::List(words)) => {
            copy_sources(c, words, out);
        }
        _ => {}
    }
}

fn copy_sources(c: &CommandCx, words: &[crate::model::SpannedStr], out: &mut Out) {
    let Some((dest, sources)) = words.split_last() else {
        return;
    };
    let marker = dest
        .value
        .trim_start_matches(|ch: char| ch.is_ascii_digit());
    if marker.starts_with("<<") && !heredocs_from_line(&dest.value).is_empty() {
        out.error(
            c.abs(&dest.range),
            "heredoc-destination",
            format!(
                "{} cannot take a heredoc as its destination: the last argument must be a path",
                c.keyword()
            ),
        );
    }
    if c.cmd.kind != InstructionKind::Copy {
        return;
    }
    for src in sources {
        // BuildKit's test is case-sensitive, and so is this one.
        if src.value.starts_with("http://") || src.value.starts_with("https://") {
            let keyword = c.keyword_range();
            let replacement = match_keyword_case(&c.cmd.keyword, "ADD");
            out.error(
                c.abs(&src.range),
                "copy-url-source",
                "COPY cannot download URLs: use ADD for remote sources",
            )
            .fix(
                format!("Change COPY to {replacement}"),
                keyword,
                replacement,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, message_of};

    #[test]
    fn unknown_instructions() {
        check("FROM a\nRUNN x\n", &[("unknown-instruction", "RUNN")]);
        assert!(
            message_of("FROM a\nrunn x\n", "unknown-instruction").contains("did you mean RUN?")
        );
        assert!(
            message_of("FROM a\napt-get install\n", "unknown-instruction")
                .contains("end that line with `\\`")
        );
    }

    #[test]
    fn from_placement() {
        check(
            "ARG A\nRUN x\nCMD y\nFROM a\n",
            &[("instruction-before-from", "RUN")],
        );
        check("ARG A\n", &[("missing-from", "ARG")]);
        check("ARG A\nFROM a\n", &[]);
    }

    #[test]
    fn argument_counts() {
        check(
            "FROM a\nCOPY a\nADD b\nENV\nLABEL\nEXPOSE\nUSER\nWORKDIR\nVOLUME\nSTOPSIGNAL\nARG\nSHELL\nHEALTHCHECK\nMAINTAINER\nONBUILD\n",
            &[
                ("missing-arguments", "COPY"),
                ("missing-arguments", "ADD"),
                ("missing-arguments", "ENV"),
                ("missing-arguments", "LABEL"),
                ("missing-arguments", "EXPOSE"),
                ("missing-arguments", "USER"),
                ("missing-arguments", "WORKDIR"),
                ("missing-arguments", "VOLUME"),
                ("missing-arguments", "STOPSIGNAL"),
                ("missing-arguments", "ARG"),
                ("missing-arguments", "SHELL"),
                ("missing-arguments", "HEALTHCHECK"),
                ("missing-arguments", "MAINTAINER"),
                ("missing-arguments", "ONBUILD"),
            ],
        );
        check("FROM a\nRUN\nCMD\nENTRYPOINT\n", &[]);
    }

    #[test]
    fn blank_names_and_volumes() {
        check(
            "FROM a\nARG =x\nENV =y\nVOLUME [\"/a\", \" \"]\n",
            &[
                ("blank-name", "=x"),
                ("blank-name", "=y"),
                ("empty-volume", "\" \""),
            ],
        );
    }

    #[test]
    fn copy_shapes() {
        check(
            "FROM a\nCOPY https://example.com/x /x\nADD https://example.com/x /x\n",
            &[("copy-url-source", "https://example.com/x")],
        );
        check(
            "FROM a\nCOPY <<EOF <<DEST\nx\nEOF\ny\nDEST\n",
            &[("heredoc-destination", "<<DEST")],
        );
        check("FROM a\nCOPY <<EOF /dest\nx\nEOF\n", &[]);
    }
}
