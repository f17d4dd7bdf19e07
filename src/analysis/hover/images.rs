//! Hovers on what a FROM, `COPY --from` or `--mount=from=` names: a build stage (its FROM
//! line), `scratch`, or an image reference in its normalized form.

use std::fmt::Write as _;

use super::markdown::{code, line_number, stage_markdown};
use crate::analysis::Snapshot;
use crate::analysis::cursor::At;
use crate::analysis::registry::image_link;
use crate::catalog;
use crate::model::image_ref::{self, ImageRef, contains_variable_with_escape};
use crate::model::{BaseImage, scan_references};

/// The base of stage `stage_index`, hovered on its FROM line.
pub(super) fn base(snapshot: &Snapshot, stage_index: usize) -> Option<String> {
    let model = &snapshot.model;
    let stage = model.stages.get(stage_index)?;
    let (written, _) = stage.base.as_ref()?;
    let substituted = contains_variable_with_escape(written, model.escape);
    Some(match model.base_image(stage_index) {
        BaseImage::Scratch => scratch(),
        BaseImage::Stage(i) => {
            let parent = model.stages.get(i)?;
            format!(
                "Builds on an earlier stage: it starts from that stage's result.\n\n{}",
                stage_markdown(snapshot, parent)
            )
        }
        BaseImage::Image(image) => {
            let note = substituted.then(|| {
                format!(
                    "Resolved from ARG defaults: {} → {}",
                    code(written),
                    code(&image.source)
                )
            });
            image_markdown(&image, note.as_deref())
        }
        BaseImage::Invalid(err) => {
            let expanded = model
                .expand_global(stage.instruction, written)
                .unwrap_or_else(|| written.to_string());
            let mut out = format!("**Invalid image reference** {}\n\n{err}\n", code(&expanded));
            if substituted {
                let _ = writeln!(out, "\n(resolved from ARG defaults: {})", code(written));
            }
            out
        }
        BaseImage::Unresolved => unresolved(snapshot, stage.instruction, written),
        BaseImage::Missing => return None,
    })
}

/// The stage a FROM defines, hovered on its `AS` or its name.
pub(super) fn stage_definition(snapshot: &Snapshot, stage_index: usize) -> Option<String> {
    let stage = snapshot.model.stages.get(stage_index)?;
    Some(stage_markdown(snapshot, stage))
}

/// A `COPY --from=` or `--mount=from=` value: an earlier stage, or else an image.
pub(super) fn stage_or_image(snapshot: &Snapshot, at: At<'_>, value: &str) -> String {
    let model = &snapshot.model;
    let value = value.trim();
    if let Some(stage) = model.stage_named(value, at.index) {
        return stage_markdown(snapshot, stage);
    }
    if value.parse::<usize>().is_ok() {
        return format!(
            "**Stage #{value}** · not defined before this line\n\nA number names a stage by its position, counting from 0; only earlier stages can be used.\n"
        );
    }
    if contains_variable_with_escape(value, model.escape) {
        return format!(
            "**{}** uses variables, so the stage or image it names is known only at build time.\n",
            code(value)
        );
    }
    let lead = "No stage of that name is defined before this line, so BuildKit reads it as a named build context or an image.";
    match image_ref::parse(value) {
        Ok(image) => image_markdown(&image, Some(lead)),
        Err(err) => format!(
            "**Invalid image reference** {}\n\n{lead}\n\n{err}\n",
            code(value)
        ),
    }
}

/// The parts of a normalized image reference, a note on where it came from, and where to
/// read about it.
pub(crate) fn image_markdown(image: &ImageRef, note: Option<&str>) -> String {
    let mut out = format!(
        "**Image** {} — {}\n\n",
        code(&image.familiar()),
        summary(image)
    );
    let registry_note = if image.is_docker_hub() {
        " (Docker Hub)"
    } else {
        ""
    };
    let _ = writeln!(out, "- Registry: {}{registry_note}", code(&image.registry));
    let official = if image.is_official() {
        " (Docker Official Image)"
    } else {
        ""
    };
    let _ = writeln!(out, "- Repository: {}{official}", code(&image.repository));
    match (&image.tag, &image.digest) {
        (Some(tag), _) => {
            let _ = writeln!(out, "- Tag: {}", code(tag));
        }
        (None, None) => {
            let _ = writeln!(
                out,
                "- Tag: {} (the default: no tag is written)",
                code(image_ref::DEFAULT_TAG)
            );
        }
        (None, Some(_)) => out.push_str("- Tag: none, pulled by digest\n"),
    }
    if let Some(digest) = &image.digest {
        let _ = writeln!(out, "- Digest: {}", code(digest));
    }
    let _ = writeln!(out, "- Full reference: {}", code(&image.normalized()));
    if let Some(note) = note {
        let _ = writeln!(out, "\n{note}");
    }
    if let Some(url) = image_link(image) {
        let page = if image.is_docker_hub() {
            "Docker Hub page"
        } else {
            "Registry page"
        };
        let _ = writeln!(out, "\n[{page}]({url})");
    }
    out
}

/// What a reference names, in a few words: where it comes from and which version.
fn summary(image: &ImageRef) -> String {
    let place = if image.is_official() {
        "a Docker Official Image on Docker Hub".to_string()
    } else if image.is_docker_hub() {
        "on Docker Hub".to_string()
    } else {
        format!("from {}", code(&image.registry))
    };
    let version = match (&image.tag, &image.digest) {
        (Some(tag), None) => format!("tag {}", code(tag)),
        (Some(tag), Some(_)) => format!("tag {} pinned to a digest", code(tag)),
        (None, Some(_)) => "pinned to a digest".to_string(),
        (None, None) => format!("no tag, so {}", code(image_ref::DEFAULT_TAG)),
    };
    format!("{place}, {version}")
}

fn scratch() -> String {
    "**scratch** · empty base image\n\nThe stage starts with no files at all, which suits static binaries and images assembled with `COPY`. It is not pulled from any registry.\n\n[Reference](https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch)\n".to_string()
}

/// A base that needs a value only the build knows: which variables, and why.
fn unresolved(snapshot: &Snapshot, from: usize, written: &str) -> String {
    let model = &snapshot.model;
    let mut out = format!(
        "**Image** {}\n\nKnown only at build time: it uses variables without a default here.\n\n",
        code(written)
    );
    let globals = model.global_args(from);
    let mut seen: Vec<String> = Vec::new();
    for (_, name, _) in scan_references(written, model.escape) {
        let name = written[name].to_string();
        if seen.contains(&name) {
            continue;
        }
        let line = match globals.iter().rev().find(|d| d.name == name) {
            Some(d) => match d.unquoted_value() {
                Some(v) => format!("{} = {}", code(&format!("${name}")), code(&v)),
                None => format!(
                    "{}: the global ARG on line {} has no default; set it with `--build-arg {name}=…`",
                    code(&format!("${name}")),
                    line_number(snapshot, d.name_range.start)
                ),
            },
            None if catalog::predefined_arg(&name).is_some() => format!(
                "{}: predefined, set at build time",
                code(&format!("${name}"))
            ),
            None => format!(
                "{}: unknown variable (no global ARG before this FROM declares it)",
                code(&format!("${name}"))
            ),
        };
        let _ = writeln!(out, "- {line}");
        seen.push(name);
    }
    out
}
