//! Static knowledge about the Dockerfile language: instructions, flags, directives, ARGs.
//!
//! Everything here is plain `static` data, written in our own words from Docker's reference
//! and BuildKit's behaviour, plus small lookups and the markdown renderers hover uses. Where
//! BuildKit and Docker's documentation disagree, the data follows BuildKit.

pub mod args;
pub mod checks;
pub mod directives;
pub mod flags;
pub mod instructions;
pub mod mounts;
pub mod platforms;
pub mod suggest;

pub use args::{ArgDoc, ArgKind, predefined_arg};
pub use checks::{CheckDoc, CheckNeeds, check};
pub use directives::{CheckOptionDoc, DirectiveDoc, check_option, directive};
pub use flags::{FlagDoc, FlagValue, flag, flags_for};
pub use instructions::{InstructionDoc, instruction, instructions};
pub use mounts::{MountKeyDoc, MountTypeDoc, MountValue, canonical_key, mount_key, mount_type};
pub use suggest::did_you_mean;

use std::fmt::Write as _;

/// Hover markdown for an instruction keyword.
pub fn markdown_for_instruction(doc: &InstructionDoc) -> String {
    let mut title = format!("**{}**", doc.name);
    if doc.deprecated {
        title.push_str(" · *deprecated*");
    }
    render(
        &title,
        doc.summary,
        doc.syntax,
        doc.details,
        doc.example,
        Some(doc.url),
    )
}

/// Hover markdown for a flag. The usage lines show the flag on each instruction accepting it.
pub fn markdown_for_flag(doc: &FlagDoc) -> String {
    let mut title = format!("**--{}** · {}", doc.name, doc.instructions.join(", "));
    if let Some(version) = doc.min_version {
        let _ = write!(title, " · Dockerfile {version}+");
    }
    if doc.labs_only {
        title.push_str(" (labs)");
    }
    if doc.repeatable {
        title.push_str(" · repeatable");
    }
    if let Some(default) = doc.default {
        let _ = write!(title, " · default `{default}`");
    }
    let placeholder = doc.value.placeholder();
    let syntax: Vec<String> = doc
        .instructions
        .iter()
        .map(|instruction| format!("{instruction} --{}{placeholder}", doc.name))
        .collect();
    let syntax: Vec<&str> = syntax.iter().map(String::as_str).collect();
    render(
        &title,
        doc.summary,
        &syntax,
        doc.details,
        doc.example,
        Some(doc.url),
    )
}

/// Hover markdown for a parser directive.
pub fn markdown_for_directive(doc: &DirectiveDoc) -> String {
    let mut title = format!("**# {}** · parser directive", doc.name);
    if let Some(version) = doc.min_version {
        let _ = write!(title, " · Dockerfile {version}+");
    }
    render(
        &title,
        doc.summary,
        doc.syntax,
        doc.details,
        doc.example,
        Some(doc.url),
    )
}

/// Hover markdown for a predefined build argument.
pub fn markdown_for_arg(doc: &ArgDoc) -> String {
    let kind = match doc.kind {
        ArgKind::Proxy => "predefined proxy ARG",
        ArgKind::Platform => "automatic platform ARG",
        ArgKind::BuildKit => "BuildKit build argument",
    };
    let mut title = format!("**{}** · {kind}", doc.name);
    if let Some(version) = doc.min_version {
        let _ = write!(title, " · Dockerfile {version}+");
    }
    let syntax = if doc.global_until_redeclared {
        format!("ARG {}", doc.name)
    } else {
        format!("--build-arg {}=<value>", doc.name)
    };
    let mut out = String::new();
    push_header(&mut out, &title, doc.summary);
    push_fence(&mut out, "dockerfile", &syntax);
    out.push_str(doc.details);
    out.push('\n');
    if !doc.example.is_empty() {
        let _ = write!(out, "\nExample value: `{}`\n", doc.example);
    }
    push_link(&mut out, doc.url);
    out
}

/// Hover markdown for a `RUN --mount` type (the value of `type=`).
pub fn markdown_for_mount_type(doc: &MountTypeDoc) -> String {
    let title = format!("**type={}** · `RUN --mount` type", doc.name);
    let keys = doc
        .keys
        .iter()
        .filter(|key| **key != "type")
        .map(|key| format!("{key}=…"))
        .collect::<Vec<_>>()
        .join(",");
    let syntax = format!("RUN --mount=type={},{keys}", doc.name);
    render(
        &title,
        doc.summary,
        &[&syntax],
        doc.details,
        doc.example,
        Some(doc.url),
    )
}

/// Hover markdown for a `RUN --mount` key. `mount_type` (the type of the mount being
/// hovered, if known) selects which default to show.
pub fn markdown_for_mount_key(doc: &MountKeyDoc, mount_type: Option<&str>) -> String {
    let mut title = format!("**{}**", doc.name);
    if !doc.aliases.is_empty() {
        let _ = write!(title, " (also `{}`)", doc.aliases.join("`, `"));
    }
    let _ = write!(title, " · `--mount` key for {}", doc.types.join(", "));
    if let Some(version) = doc.min_version {
        let _ = write!(title, " · Dockerfile {version}+");
    }
    let default = match mount_type {
        Some(ty) => doc.default_for(ty),
        None if doc.defaults.len() == 1 => Some(doc.defaults[0].1),
        None => None,
    };
    if let Some(default) = default {
        let _ = write!(title, " · default `{default}`");
    }
    let url = mount_type
        .and_then(mounts::mount_type)
        .or_else(|| doc.types.first().and_then(|ty| mounts::mount_type(ty)))
        .map(|ty| ty.url);
    let value = match doc.value {
        MountValue::Enum(words) => format!("<{}>", words.join("|")),
        MountValue::Bool => "<bool>".to_owned(),
        MountValue::Path => "<path>".to_owned(),
        MountValue::Id => "<id>".to_owned(),
        MountValue::StageOrImage => "<stage|context|image>".to_owned(),
        MountValue::Octal => "<octal mode>".to_owned(),
        MountValue::Integer => "<n>".to_owned(),
        MountValue::Size => "<size>".to_owned(),
        MountValue::EnvName => "<VARIABLE>".to_owned(),
    };
    let syntax = if doc.may_be_bare {
        format!("{}[={value}]", doc.name)
    } else {
        format!("{}={value}", doc.name)
    };
    render(
        &title,
        doc.summary,
        &[&syntax],
        doc.details,
        doc.example,
        url,
    )
}

/// Hover markdown for a build-check rule (e.g. in `# check=skip=...`).
pub fn markdown_for_check(doc: &CheckDoc) -> String {
    let mut title = format!("**{}** · build check", doc.name);
    if doc.experimental {
        title.push_str(" · *experimental*");
    }
    let mut out = String::new();
    push_header(&mut out, &title, doc.description);
    if let Some(url) = doc.url {
        push_link(&mut out, url);
    }
    out
}

/// The common layout: title, summary, syntax block, details, example block, link.
fn render(
    title: &str,
    summary: &str,
    syntax: &[&str],
    details: &str,
    example: &str,
    url: Option<&str>,
) -> String {
    let mut out = String::new();
    push_header(&mut out, title, summary);
    if !syntax.is_empty() {
        push_fence(&mut out, "dockerfile", &syntax.join("\n"));
    }
    if !details.is_empty() {
        out.push_str(details);
        out.push('\n');
    }
    if !example.is_empty() {
        push_fence(&mut out, "dockerfile", example);
    }
    if let Some(url) = url {
        push_link(&mut out, url);
    }
    out
}

/// The first line answers on its own (name and what it does); the details follow.
fn push_header(out: &mut String, title: &str, summary: &str) {
    let _ = write!(out, "{title} — {summary}\n\n");
}

fn push_fence(out: &mut String, language: &str, body: &str) {
    let _ = write!(out, "```{language}\n{body}\n```\n");
}

fn push_link(out: &mut String, url: &str) {
    // After a paragraph, a blank line keeps the link from joining it.
    if !out.ends_with("```\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "[Reference]({url})");
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX_HOVER_LINES: usize = 15;

    fn assert_short(markdown: &str) {
        let lines = markdown.lines().count();
        assert!(lines <= MAX_HOVER_LINES, "{lines} lines:\n{markdown}");
        assert_eq!(
            markdown.matches("```").count() % 2,
            0,
            "unbalanced fences:\n{markdown}"
        );
    }

    #[test]
    fn instruction_hover_has_title_syntax_and_link() {
        let run = instruction("RUN").unwrap();
        let md = markdown_for_instruction(run);
        // The first line answers alone: the name and what it does.
        let first = md.lines().next().unwrap_or_default();
        assert_eq!(first, format!("**RUN** — {}", run.summary));
        assert!(md.contains("```dockerfile\nRUN [OPTIONS] <command> ..."));
        assert!(md.contains("[Reference](https://docs.docker.com/reference/dockerfile/#run)"));
        assert!(
            markdown_for_instruction(instruction("maintainer").unwrap()).contains("deprecated")
        );
        for doc in instructions() {
            assert_short(&markdown_for_instruction(doc));
        }
    }

    #[test]
    fn flag_hover() {
        let md = markdown_for_flag(flag("RUN", "mount").unwrap());
        assert!(
            md.starts_with("**--mount** · RUN · Dockerfile 1.2+ · repeatable"),
            "{md}"
        );
        assert!(md.contains("RUN --mount=[type=<type>]"));
        assert!(
            md.contains("[Reference](https://docs.docker.com/reference/dockerfile/#run---mount)")
        );
        let chmod = markdown_for_flag(flag("COPY", "chmod").unwrap());
        assert!(
            chmod.contains("ADD --chmod=<mode>\nCOPY --chmod=<mode>"),
            "{chmod}"
        );
        let link = markdown_for_flag(flag("COPY", "link").unwrap());
        assert!(link.contains("COPY --link[=<bool>]"), "{link}");
        let network = markdown_for_flag(flag("RUN", "network").unwrap());
        assert!(
            network.contains("RUN --network=<default|none|host>"),
            "{network}"
        );
        assert!(network.contains("default `default`"), "{network}");
        for doc in flags::all_flags() {
            assert_short(&markdown_for_flag(doc));
        }
    }

    #[test]
    fn other_hovers() {
        for doc in directives::directives() {
            let md = markdown_for_directive(doc);
            assert!(md.starts_with(&format!("**# {}**", doc.name)));
            assert!(md.contains(&format!("[Reference]({})", doc.url)));
            assert_short(&md);
        }
        for doc in args::predefined_args() {
            let md = markdown_for_arg(doc);
            assert!(md.starts_with(&format!("**{}**", doc.name)));
            assert!(md.contains("[Reference]("));
            assert_short(&md);
        }
        let platform = markdown_for_arg(predefined_arg("TARGETARCH").unwrap());
        assert!(
            platform.contains("```dockerfile\nARG TARGETARCH\n```"),
            "{platform}"
        );
        for doc in mounts::mount_types() {
            let md = markdown_for_mount_type(doc);
            assert!(md.contains(&format!("RUN --mount=type={}", doc.name)));
            assert_short(&md);
            for key in mounts::keys_for(doc.name) {
                let md = markdown_for_mount_key(key, Some(doc.name));
                assert!(md.contains(&format!("[Reference]({})", doc.url)), "{md}");
                assert_short(&md);
            }
        }
        let mode = markdown_for_mount_key(mount_key("secret", "mode").unwrap(), Some("secret"));
        assert!(mode.contains("default `0400`"), "{mode}");
        let target = markdown_for_mount_key(mount_key("bind", "dst").unwrap(), None);
        assert!(
            target.starts_with("**target** (also `dst`, `destination`)"),
            "{target}"
        );
        for doc in checks::checks() {
            let md = markdown_for_check(doc);
            assert!(md.starts_with(&format!("**{}**", doc.name)));
            assert_eq!(md.contains("[Reference]("), doc.url.is_some());
            assert_short(&md);
        }
    }

    #[test]
    fn did_you_mean_over_catalog_names() {
        assert_eq!(
            did_you_mean("RUNN", instructions::instruction_names()),
            Some("RUN")
        );
        let run_flags = instruction("RUN").unwrap().flags.iter().copied();
        assert_eq!(did_you_mean("mout", run_flags), Some("mount"));
        assert_eq!(
            did_you_mean("banana", instructions::instruction_names()),
            None
        );
        assert_eq!(
            did_you_mean("jsonargsrecommended", checks::check_names()),
            Some("JSONArgsRecommended")
        );
        assert_eq!(
            did_you_mean("tagret", mounts::all_key_spellings()),
            Some("target")
        );
    }
}
