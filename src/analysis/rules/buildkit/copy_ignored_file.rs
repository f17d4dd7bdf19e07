//! CopyIgnoredFile: COPY or ADD of a path that `.dockerignore` excludes from the context.

use crate::analysis::build_context::go_clean;
use crate::analysis::rules::{Cx, Emit, Rule};
use crate::model::Arguments;
use crate::model::heredoc::heredocs_from_line;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule::buildkit("CopyIgnoredFile", EXPLANATION, check);

const EXPLANATION: &str = "Files that `.dockerignore` (or `<Dockerfile>.dockerignore` beside \
the Dockerfile) excludes are not sent to the builder, so copying them fails or copies less \
than it seems to. BuildKit checks each local source of COPY and ADD (not `COPY --from`, URLs \
or Git sources) against the patterns, unless the ignore file re-includes files with `!`, \
which makes the answer depend on the files present. Without the build context (the \
Dockerfile's folder unless `checks.buildContext` says otherwise) there is nothing to check.";

fn check(cx: &Cx, out: &mut Emit) {
    let Some(ignore) = cx
        .inputs
        .context
        .as_ref()
        .and_then(|c| c.dockerignore.as_ref())
    else {
        return;
    };
    if ignore.has_exclusions() {
        return;
    }
    let converted = cx.converted();
    for (index, inst) in cx.in_window() {
        let command = inst.command();
        // A refused instruction never gets as far as copying.
        if converted.words_of(index).iter().any(|w| w.failed) {
            continue;
        }
        let what = match command.kind {
            InstructionKind::Copy if command.flag("from").is_none() => "Copy",
            InstructionKind::Add => "Add",
            _ => continue,
        };
        let words = match &command.args {
            Arguments::List(words) | Arguments::Json(words) => words.as_slice(),
            _ => continue,
        };
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        for word in sources {
            if !command.is_json() && !heredocs_from_line(&word.value).is_empty() {
                continue;
            }
            let range = inst.abs(&word.range);
            // A variable a base image might set leaves the path unknown.
            if converted
                .expanded(index, &range)
                .is_some_and(|e| !e.env_known && !e.undefined.is_empty())
            {
                continue;
            }
            let src = converted.value(index, &range, &word.value);
            if src.contains("://") || src.starts_with("git@") {
                continue;
            }
            let cleaned = go_clean(src);
            if (cleaned == "." || cleaned == "/") && !ignore.ignores_root() {
                continue;
            }
            if ignore.matches_or_parent(&cleaned) {
                out.report(
                    &RULE,
                    range,
                    format!(
                        "Attempting to {what} file {} that is excluded by .dockerignore",
                        crate::model::go_quote::go_quote(&cleaned)
                    ),
                );
            }
        }
    }
}
