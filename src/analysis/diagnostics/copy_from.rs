//! `COPY --from=` and `RUN --mount=from=`: an earlier stage, a stage index (COPY only), or an
//! image reference.
//!
//! For COPY, a number is a stage index; otherwise BuildKit looks the value up among all
//! stage names, ignoring case (the last stage of a repeated name wins), and anything else is
//! an image (or a named build context). Stage names cannot start with a digit, so checking
//! names first, as this file does, gives the same answers. A stage that is not yet built when
//! the instruction runs, because it comes later or is the current one, fails the build.

use std::ops::Range;

use super::{CommandCx, Cx, Out};
use crate::model::{Flag, Stage, image_ref};

/// Where the value comes from, which changes how BuildKit reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SourceKind {
    CopyFrom,
    MountFrom,
}

pub(super) fn check_command(cx: &Cx, c: &CommandCx, out: &mut Out) {
    let Some(flag) = c.cmd.flag("from") else {
        return;
    };
    let Some(value) = flag.value.as_deref() else {
        return;
    };
    check_source(
        cx,
        c,
        flag,
        value,
        0..value.len(),
        SourceKind::CopyFrom,
        out,
    );
}

/// Checks one `--from` / `from=` value: bytes `sub` of `flag`'s value.
pub(super) fn check_source(
    cx: &Cx,
    c: &CommandCx,
    flag: &Flag,
    value: &str,
    sub: Range<usize>,
    kind: SourceKind,
    out: &mut Out,
) {
    // Where the value is written, and whether a fix may replace it there. Mapping back to
    // the source costs more than checking a good value, so only a diagnostic pays for it.
    let range = || c.flag_value_sub_range(flag, sub.clone());
    let verbatim = || c.flag_value_sub_exact(flag, sub.clone()).is_some();
    let what = match kind {
        SourceKind::CopyFrom => "--from",
        SourceKind::MountFrom => "from",
    };
    if value.is_empty() {
        let fallback = match kind {
            SourceKind::CopyFrom => "BuildKit copies from the build context",
            SourceKind::MountFrom => "BuildKit mounts the build context",
        };
        out.warning(
            range(),
            "empty-from",
            format!("{what} is empty, so {fallback}: name a stage or an image, or remove it"),
        );
        return;
    }
    let variable = match kind {
        SourceKind::CopyFrom => cx.has_variable(value),
        // The mount parser rejects any `$` that is not the last character.
        SourceKind::MountFrom => value.find('$').is_some_and(|i| i + 1 != value.len()),
    };
    if variable {
        out.error(
            range(),
            "from-variable",
            format!(
                "{what} does not expand variables: add a stage `FROM ${{VAR}} AS <name>` (with VAR a global ARG) and use its name here"
            ),
        );
        return;
    }
    if c.trigger {
        // The stages are those of the build that runs the trigger, unknown here.
        if kind == SourceKind::CopyFrom && parse_go_int(value).is_some() {
            return;
        }
        if let Err(err) = image_ref::parse(value) {
            out.error(
                range(),
                "invalid-image-reference",
                format!("{what}={value} is not a valid stage name or image reference: {err}"),
            );
        }
        return;
    }
    let Some(current) = cx.model.stage_of(c.index) else {
        return;
    };
    let stages = &cx.model.stages;
    let named = cx.last_stage_named(value).and_then(|i| stages.get(i));
    if let Some(stage) = named {
        if stage.index >= current.index {
            forward(cx, stage, current, value, range(), out);
        }
        return;
    }
    if kind == SourceKind::CopyFrom
        && let Some(index) = parse_go_int(value)
    {
        match usize::try_from(index).ok().and_then(|i| stages.get(i)) {
            None => {
                out.error(
                    range(),
                    "invalid-stage-index",
                    format!(
                        "there is no stage {index}: stages are numbered from 0, and this file has {}",
                        stages.len()
                    ),
                );
            }
            Some(stage) if stage.index >= current.index => {
                forward(cx, stage, current, value, range(), out);
            }
            Some(_) => {}
        }
        return;
    }
    let typo = super::stage_typo(value, || cx.earlier_stage_names(current.index));
    match image_ref::parse(value) {
        Err(err) => {
            let mut message = format!(
                "`{value}` is neither a stage of this file nor a valid image reference: {err}"
            );
            if let Some(stage) = typo {
                message.push_str(&format!(" (did you mean the stage `{stage}`?)"));
            }
            let range = range();
            let found = out.error(range.clone(), "invalid-image-reference", message);
            if let Some(stage) = typo
                && verbatim()
            {
                found.fix(format!("Change to `{stage}`"), range, stage);
            }
        }
        Ok(image) => {
            if let Some(stage) = typo {
                let range = range();
                let found = out.hint(
                    range.clone(),
                    "stage-name-typo",
                    format!(
                        "no stage is named `{value}`, so BuildKit uses the image {}; did you mean the stage `{stage}`?",
                        image.normalized()
                    ),
                );
                if verbatim() {
                    found.fix(format!("Change to `{stage}`"), range, stage);
                }
            }
        }
    }
}

fn forward(
    cx: &Cx,
    stage: &Stage,
    current: &Stage,
    value: &str,
    range: Range<usize>,
    out: &mut Out,
) {
    let message = if stage.index == current.index {
        format!("`{value}` is the current stage: a stage can only use stages defined before it")
    } else {
        format!(
            "stage `{value}` is defined after this one: move it above, since a stage can only use stages defined before it"
        )
    };
    let found = out.error(range, "forward-stage-reference", message);
    let at = stage.name.as_ref().map(|(_, r)| r.clone()).or_else(|| {
        cx.model
            .instructions
            .get(stage.instruction)
            .map(|i| i.keyword_range())
    });
    if let Some(at) = at {
        found
            .diagnostic
            .related
            .push((at, "the stage is defined here".to_string()));
    }
}

/// Go's `strconv.Atoi`: optional sign and ASCII digits.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, message_of, severity_of};
    use crate::model::Severity;

    #[test]
    fn stages_and_indexes() {
        check(
            "FROM a AS build\nFROM b\nCOPY --from=build /x /y\nCOPY --from=BUILD /x /y\nCOPY --from=0 /x /y\nCOPY --from=nginx:1 /x /y\n",
            &[],
        );
        check(
            "FROM a AS one\nCOPY --from=one /x /y\nCOPY --from=two /x /y\nCOPY --from=1 /x /y\nCOPY --from=5 /x /y\nFROM b AS two\n",
            &[
                ("forward-stage-reference", "one"),
                ("forward-stage-reference", "two"),
                ("forward-stage-reference", "1"),
                ("invalid-stage-index", "5"),
            ],
        );
    }

    #[test]
    fn images_variables_and_typos() {
        check(
            "FROM a AS builder\nFROM b\nCOPY --from=Bad/Name /x /y\nCOPY --from=$X /x /y\nCOPY --from= /x /y\n",
            &[
                ("invalid-image-reference", "Bad/Name"),
                ("from-variable", "$X"),
                ("empty-from", ""),
            ],
        );
        let typo = "FROM a AS builder\nFROM b\nCOPY --from=buidler /x /y\n";
        check(typo, &[("stage-name-typo", "buidler")]);
        assert_eq!(severity_of(typo, "stage-name-typo"), Severity::Hint);
        assert!(message_of(typo, "stage-name-typo").contains("docker.io/library/buidler"));
        check(
            "FROM a AS base\nFROM b\nCOPY --from=bas /x /y\n",
            &[("stage-name-typo", "bas")],
        );
    }

    #[test]
    fn triggers_only_check_the_shape() {
        check("FROM a\nONBUILD COPY --from=later /x /y\n", &[]);
        check(
            "FROM a\nONBUILD COPY --from=$X /x /y\n",
            &[("from-variable", "$X")],
        );
    }
}
