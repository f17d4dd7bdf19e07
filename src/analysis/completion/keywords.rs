//! Instruction keywords: on an empty line, over a keyword being typed, and after `ONBUILD`.
//!
//! Before the first FROM only FROM and ARG are valid (BuildKit rejects anything else there);
//! an ONBUILD trigger cannot be ONBUILD, FROM or MAINTAINER. Keywords follow the casing of
//! the instructions around the cursor, and snippets leave placeholders for the arguments.

use std::ops::Range;

use super::{CompletionList, Ctx, cased, item, lowercase_file, order, snippet, snippet_text};
use crate::analysis::CompletionKind;
use crate::analysis::cursor::At;
use crate::catalog;

/// Where a keyword is being completed.
struct Spot<'a> {
    /// The text the keyword replaces.
    range: Range<usize>,
    /// Index the instruction has (or would have) in the model.
    position: usize,
    /// The ONBUILD keyword as written, when completing its trigger.
    onbuild: Option<&'a str>,
    /// The instruction already has arguments: insert the bare keyword, not a snippet.
    bare: bool,
    /// The instruction being retyped, left out when judging the file's casing.
    skip: Option<usize>,
}

/// An empty line (or the end of the file); in the header, directives too.
pub(super) fn at_blank(ctx: &Ctx<'_>, header: bool, out: &mut CompletionList) {
    let position = ctx
        .model
        .instructions
        .partition_point(|i| i.start() <= ctx.offset);
    let spot = Spot {
        range: ctx.offset..ctx.offset,
        position,
        onbuild: None,
        bare: false,
        skip: None,
    };
    keywords(ctx, &spot, out);
    if header {
        directive_lines(ctx, ctx.offset..ctx.offset, out);
    }
}

/// Over a keyword (a whole one, or the start of one being typed).
pub(super) fn at_keyword(ctx: &Ctx<'_>, at: At<'_>, range: Range<usize>, out: &mut CompletionList) {
    let data = at.instruction.data();
    let command = at.command;
    let mut bare = !command.flags.is_empty() || !command.rest.is_empty();
    let onbuild = if at.in_trigger {
        Some(data.command.keyword.as_str())
    } else {
        bare |= data.trigger.is_some();
        None
    };
    let spot = Spot {
        range,
        position: at.index,
        onbuild,
        bare,
        skip: Some(at.index),
    };
    keywords(ctx, &spot, out);
}

/// Right after `ONBUILD `, where the trigger's keyword goes.
pub(super) fn after_onbuild(
    ctx: &Ctx<'_>,
    at: At<'_>,
    range: Range<usize>,
    out: &mut CompletionList,
) {
    let spot = Spot {
        range,
        position: at.index,
        onbuild: Some(at.instruction.command().keyword.as_str()),
        bare: false,
        skip: None,
    };
    keywords(ctx, &spot, out);
}

fn keywords(ctx: &Ctx<'_>, spot: &Spot<'_>, out: &mut CompletionList) {
    let prefix = ctx.before(spot.range.start.min(ctx.offset));
    let lowercase = match spot.onbuild {
        // A trigger follows its ONBUILD keyword.
        Some(onbuild) => onbuild.chars().all(|c| !c.is_uppercase()),
        None => lowercase_file(ctx.model, spot.position, spot.skip)
            .unwrap_or_else(|| !prefix.is_empty() && prefix.chars().all(|c| !c.is_uppercase())),
    };
    let before_first_from = ctx
        .model
        .stages
        .first()
        .is_none_or(|s| s.instruction >= spot.position);
    for (i, doc) in catalog::instructions().iter().enumerate() {
        let allowed = match spot.onbuild {
            Some(_) => !matches!(doc.name, "ONBUILD" | "FROM" | "MAINTAINER"),
            None => !before_first_from || matches!(doc.name, "FROM" | "ARG"),
        };
        if !allowed {
            continue;
        }
        let keyword = cased(doc.name, lowercase);
        let mut it = if spot.bare {
            item(&keyword, CompletionKind::Keyword, spot.range.clone())
        } else {
            let body = format!("{keyword} {}", tail(doc.name, lowercase));
            snippet(&keyword, CompletionKind::Keyword, spot.range.clone(), body)
        };
        it.detail = doc.syntax.first().map(|s| s.to_string());
        // The deprecated MAINTAINER goes last.
        it.sort_text = order(if doc.deprecated { 9 } else { 1 }, i);
        out.items.push(it);
    }
}

/// The snippet after a keyword: placeholders for its usual arguments.
fn tail(keyword: &str, lowercase: bool) -> String {
    match keyword {
        "FROM" => "${1:image}".into(),
        "RUN" => "${1:command}".into(),
        "CMD" | "ENTRYPOINT" => "[\"${1:executable}\"]".into(),
        "LABEL" => "${1:key}=\"${2:value}\"".into(),
        "MAINTAINER" => "${1:name}".into(),
        "EXPOSE" => "${1:80}".into(),
        "ENV" => "${1:NAME}=${2:value}".into(),
        "ADD" | "COPY" => "${1:source} ${2:destination}".into(),
        "VOLUME" => "${1:/data}".into(),
        "USER" => "${1:user}".into(),
        "WORKDIR" => "${1:/path}".into(),
        "ARG" => "${1:NAME}".into(),
        "STOPSIGNAL" => "${1:SIGTERM}".into(),
        "HEALTHCHECK" => format!("{} ${{1:command}}", cased("CMD", lowercase)),
        "SHELL" => "[\"${1:/bin/sh}\", \"${2:-c}\"]".into(),
        // ONBUILD: the cursor waits for the trigger's keyword.
        _ => "$0".into(),
    }
}

/// Directive lines for an empty line of the header, except directives already there.
fn directive_lines(ctx: &Ctx<'_>, range: Range<usize>, out: &mut CompletionList) {
    for (i, doc) in catalog::directives::directives().iter().enumerate() {
        if ctx.model.directives.iter().any(|d| d.name == doc.name) {
            continue;
        }
        let (label, body) = match doc.name {
            "escape" => (
                "# escape=`".to_string(),
                "# escape=${1|`,\\\\|}".to_string(),
            ),
            "check" => (
                "# check=skip=…".to_string(),
                "# check=skip=${1:all}".to_string(),
            ),
            name => {
                let value = doc.values.first().copied().unwrap_or("");
                (
                    format!("# {name}={value}"),
                    format!("# {name}=${{1:{}}}", snippet_text(value)),
                )
            }
        };
        let mut it = snippet(label, CompletionKind::Directive, range.clone(), body);
        it.detail = Some(doc.summary.to_string());
        it.sort_text = order(5, i);
        out.items.push(it);
    }
}
