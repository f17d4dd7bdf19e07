//! ADD and COPY: what they copy and where.

use super::{Cx, Finding};
use crate::analysis::Edit;
use crate::model::{Arguments, Instruction, SpannedStr};
use crate::syntax::InstructionKind;

const ARCHIVES: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

fn drop_quotes(s: &str) -> &str {
    s.trim_matches(['"', '\''])
}

fn is_archive(path: &str) -> bool {
    ARCHIVES.iter().any(|e| drop_quotes(path).ends_with(e))
}

/// The sources and destination of ADD or COPY (shell or JSON form).
fn paths(inst: &Instruction) -> Option<(&[SpannedStr], &SpannedStr)> {
    let words = match &inst.command().args {
        Arguments::List(w) | Arguments::Json(w) => w.as_slice(),
        _ => return None,
    };
    let (dest, sources) = words.split_last()?;
    (!sources.is_empty()).then_some((sources, dest))
}

/// DL3020: ADD of local files or folders, which COPY does without ADD's surprises (it
/// would unpack a local archive, or fetch a URL).
pub fn dl3020(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Add) {
        let Some((sources, _)) = paths(inst) else {
            continue;
        };
        let plain = |s: &SpannedStr| {
            let v = drop_quotes(&s.value);
            !is_archive(v) && !v.starts_with("https://") && !v.starts_with("http://")
        };
        if !sources.iter().any(plain) {
            continue;
        }
        let mut finding = Finding::new(
            "DL3020",
            inst.keyword_range(),
            "Use COPY instead of ADD for files and folders",
        );
        // Flags only ADD has would be refused by COPY.
        let add_only = inst
            .command()
            .flags
            .iter()
            .any(|f| matches!(f.name.as_str(), "checksum" | "keep-git-dir" | "unpack"));
        if !add_only && sources.iter().all(plain) {
            let keyword = &inst.command().keyword;
            let copy = if keyword.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            finding = finding.with_fix(
                "Use COPY",
                vec![Edit {
                    range: inst.keyword_range(),
                    new_text: copy.into(),
                }],
            );
        }
        out.push(finding);
    }
}

/// DL3021: COPY of several sources to a destination that does not end with `/`.
pub fn dl3021(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Copy) {
        let Some((sources, dest)) = paths(inst) else {
            continue;
        };
        if sources.len() > 1 && !drop_quotes(&dest.value).ends_with('/') {
            out.push(
                Finding::new(
                    "DL3021",
                    inst.abs(&dest.range),
                    "COPY with more than 2 arguments requires the last argument to end with /",
                )
                .with_fix(
                    "Add a trailing `/`",
                    vec![Edit {
                        range: inst.abs(&(dest.range.end..dest.range.end)),
                        new_text: "/".into(),
                    }]
                    .into_iter()
                    .filter(|_| dest.value.len() == dest.range.len())
                    .collect(),
                ),
            );
        }
    }
}

/// DL3067: `COPY --from=stage / /` copies a whole filesystem.
pub fn dl3067(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Copy) {
        if inst.command().flag("from").is_none() {
            continue;
        }
        let Some((sources, dest)) = paths(inst) else {
            continue;
        };
        if drop_quotes(&dest.value) == "/" && sources.iter().any(|s| drop_quotes(&s.value) == "/") {
            out.push(Finding::new(
                "DL3067",
                inst.keyword_range(),
                "Do not copy an entire filesystem from another stage",
            ));
        }
    }
}

/// DL3010: an archive COPY'd in and then extracted by a RUN of the same stage (ADD
/// extracts local archives itself, in one layer).
pub fn dl3010(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let basename = |p: &str| {
        let p = drop_quotes(p);
        p.rsplit(['/', '\\']).next().unwrap_or(p).to_string()
    };
    // The archives copied so far in the stage: (COPY instruction, archive file name).
    let mut archives: Vec<(usize, String)> = Vec::new();
    let mut reported: Vec<usize> = Vec::new();
    for (index, inst) in cx.model.instructions.iter().enumerate() {
        match inst.kind() {
            InstructionKind::From => archives.clear(),
            InstructionKind::Copy if inst.command().flag("from").is_none() => {
                let Some((sources, dest)) = paths(inst) else {
                    continue;
                };
                if is_archive(&dest.value) {
                    archives.push((index, basename(&dest.value)));
                } else {
                    archives.extend(
                        sources
                            .iter()
                            .filter(|s| is_archive(&s.value))
                            .map(|s| (index, basename(&s.value))),
                    );
                }
            }
            InstructionKind::Run => {
                let Some(shell) = cx.shell.shell(index) else {
                    continue;
                };
                for (_, cmd) in shell.commands() {
                    let extracts = cmd.is("tar")
                        && cmd.arg_values().any(|a| {
                            a == "--extract"
                                || a == "--get"
                                || a.starts_with('-') && a.contains('x')
                        })
                        || cmd.is_any(&[
                            "unzip",
                            "gunzip",
                            "bunzip2",
                            "unlzma",
                            "unxz",
                            "zgz",
                            "uncompress",
                            "zcat",
                            "gzcat",
                        ]);
                    if !extracts {
                        continue;
                    }
                    let names: Vec<String> = cmd
                        .operands(&[])
                        .iter()
                        .map(|w| basename(&w.value))
                        .collect();
                    for (copy, name) in &archives {
                        if names.contains(name) && !reported.contains(copy) {
                            reported.push(*copy);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    reported.sort_unstable();
    for copy in reported {
        let inst = &cx.model.instructions[copy];
        out.push(Finding::new(
            "DL3010",
            inst.keyword_range(),
            "Use `ADD` for extracting archives into an image",
        ));
    }
}
