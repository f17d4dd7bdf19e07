//! DL3010: Use ADD for extracting archives into an image.

use super::files::*;
use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "ADD extracts a local tar archive into the image in one step, while COPY followed by `tar \
        x` in a RUN keeps the archive in an extra layer. Use `ADD archive.tar.gz /dest/` for \
        local archives.";

/// DL3010: an archive COPY'd in and then extracted by a RUN of the same stage (ADD
/// extracts local archives itself, in one layer).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let basename = |p: &str| {
        let p = drop_quotes(p);
        p.rsplit(['/', '\\']).next().unwrap_or(p).to_string()
    };
    // The archives copied so far in the stage: (COPY instruction, archive file name).
    let mut archives: Vec<(usize, String)> = Vec::new();
    let mut reported: Vec<usize> = Vec::new();
    for (index, inst) in cx.indexed() {
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
