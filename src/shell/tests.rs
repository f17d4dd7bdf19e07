//! Tests of the shell model on whole Dockerfiles: which scripts are read, where every script
//! byte comes from, which shell runs them, and what an edit re-reads.

use std::sync::Arc;

use super::*;
use crate::model::Model;
use crate::syntax::Document;

fn model(text: &str) -> Model {
    Model::build(&Document::new(text))
}

/// Checks the byte map of every script of every instruction: each script byte comes from a
/// Dockerfile byte of the same value inside its instruction, in increasing order, and the
/// map leads back from that byte to the script byte.
pub(crate) fn check_maps(text: &str, model: &Model) -> Result<usize, String> {
    let mut scripts = 0;
    for inst in &model.instructions {
        let shell = InstructionShell::read(inst, text);
        for script in &shell.scripts {
            scripts += 1;
            let mut last = None;
            for (i, byte) in script.text.bytes().enumerate() {
                let rel = script.map.source(i);
                let doc = inst.start() + rel;
                if !inst.range().contains(&doc) {
                    return Err(format!(
                        "script byte {i} maps to {doc}, outside {:?}",
                        inst.range()
                    ));
                }
                if text.as_bytes().get(doc) != Some(&byte) {
                    return Err(format!(
                        "script byte {i} {:?} maps to {doc} {:?} in {:?}",
                        byte as char,
                        text.as_bytes().get(doc).map(|b| *b as char),
                        script.text
                    ));
                }
                if last.is_some_and(|l| l >= rel) {
                    return Err(format!("script byte {i} maps backwards"));
                }
                last = Some(rel);
                if script.map.script(rel) != Some(i) {
                    return Err(format!("source {rel} does not map back to script byte {i}"));
                }
            }
            for c in &script.commands {
                let r = script.doc(inst, c.range.clone());
                if r.start > r.end || r.end > inst.range().end {
                    return Err(format!("command range {r:?} outside {:?}", inst.range()));
                }
            }
        }
    }
    Ok(scripts)
}

fn scripts(text: &str) -> Vec<(Origin, String)> {
    let m = model(text);
    check_maps(text, &m).unwrap();
    m.instructions
        .iter()
        .flat_map(|i| InstructionShell::read(i, text).scripts)
        .map(|s| (s.origin, s.text))
        .collect()
}

#[test]
fn continuation_lines_and_comments_are_joined_as_buildkit_does() {
    let text = "FROM a\nRUN apt-get update \\\n# a comment\n  && apt-get install -y curl\n";
    assert_eq!(
        scripts(text),
        [(
            Origin::Line,
            "apt-get update   && apt-get install -y curl".to_string()
        )]
    );
}

#[test]
fn a_finding_on_a_continuation_line_lands_there() {
    let text = "FROM a\nRUN apt-get update \\\n  && apt-get install -y curl\n";
    let m = model(text);
    let inst = &m.instructions[1];
    let shell = InstructionShell::read(inst, text);
    let script = shell.main().unwrap();
    let install = script
        .commands
        .iter()
        .find(|c| c.has_arg("install"))
        .unwrap();
    let curl = install.args.iter().find(|w| w.value == "curl").unwrap();
    let doc = script.doc(inst, curl.range.clone());
    assert_eq!(&text[doc.clone()], "curl");
    assert_eq!(text[..doc.start].matches('\n').count(), 2);
}

#[test]
fn backtick_escape_files() {
    let text = "# escape=`\nFROM a\nRUN echo C:\\dir `\n  && dir\n";
    assert_eq!(
        scripts(text),
        [(Origin::Line, "echo C:\\dir   && dir".to_string())]
    );
}

#[test]
fn heredoc_scripts() {
    // The body alone is the script.
    let text = "FROM a\nRUN <<EOF\nset -e\napt-get update\nEOF\n";
    assert_eq!(
        scripts(text),
        [(Origin::Heredoc(0), "set -e\napt-get update\n".to_string())]
    );
    // The line and the bodies, as BuildKit hands them to the shell.
    let text = "FROM a\nRUN cat <<A > /x && bash -e <<'B'\nhi\nA\necho $x\nB\n";
    let got = scripts(text);
    assert_eq!(got[0].1, "cat <<A > /x && bash -e <<'B'\nhi\nA\necho $x\nB");
    assert_eq!(got[1], (Origin::HeredocInput(1), "echo $x\n".to_string()));
    assert_eq!(got.len(), 2);
    // Python reads its heredoc: only the line is shell.
    let text = "FROM a\nRUN python3 <<EOF\nimport os\nEOF\n";
    assert_eq!(scripts(text).len(), 1);
    // A shebang names the interpreter of a bare heredoc.
    let text = "FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n";
    let m = model(text);
    let shell = InstructionShell::read(&m.instructions[1], text);
    assert_eq!(shell.scripts[0].interpreter, Some(Dialect::Other));
}

#[test]
fn a_finding_inside_a_heredoc_lands_there() {
    let text = "FROM a\nRUN <<EOF\nset -e\n  apt-get install curl\nEOF\n";
    let m = model(text);
    let inst = &m.instructions[1];
    let shell = InstructionShell::read(inst, text);
    let script = shell.main().unwrap();
    let cmd = script.commands_named("apt-get").next().unwrap();
    let doc = script.doc(inst, cmd.range.clone());
    assert_eq!(&text[doc], "apt-get install curl");
}

#[test]
fn other_instructions_and_forms() {
    let text = "FROM a\nCMD echo hi | cat\nENTRYPOINT [\"/x\"]\nHEALTHCHECK CMD curl -f http://x || exit 1\nONBUILD RUN make\nRUN [\"apt-get\", \"install\", \"vim\"]\nCOPY <<EOF /x\nnot a script\nEOF\n";
    let got = scripts(text);
    let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        [
            "echo hi | cat",
            "curl -f http://x || exit 1",
            "make",
            "[\"apt-get\", \"install\", \"vim\"]"
        ]
    );
    let m = model(text);
    let inst = &m.instructions[5];
    let shell = InstructionShell::read(inst, text);
    let exec = shell.main().unwrap();
    assert_eq!(exec.origin, Origin::Exec);
    let cmd = &exec.commands[0];
    assert_eq!(cmd.name.as_deref(), Some("apt-get"));
    assert_eq!(&text[exec.doc(inst, cmd.args[1].range.clone())], "\"vim\"");
}

#[test]
fn shells_in_effect() {
    let text = "FROM a AS base\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN x\nFROM base\nRUN y\nFROM b\nRUN z\n# hadolint shell=powershell\nRUN w\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN v\n";
    let m = model(text);
    let index = ShellIndex::build(&m, text, None);
    let at = |i: usize| index.state(i);
    assert_eq!(at(2).dialect, Dialect::Bash);
    assert!(at(2).pipefail);
    // A stage built from another keeps its SHELL.
    assert_eq!(at(4).dialect, Dialect::Bash);
    assert_eq!(at(6), ShellState::default());
    assert_eq!(at(7).dialect, Dialect::PowerShell);
    assert_eq!(at(9).dialect, Dialect::Cmd);
}

#[test]
fn formatter_facts_are_mapped_to_the_dockerfile() {
    let text = "FROM a\nRUN a && \\\n    b \"x && y\" | c; d\n";
    let m = model(text);
    let inst = &m.instructions[1];
    let shell = InstructionShell::read(inst, text);
    let s = shell.main().unwrap();
    let ops: Vec<(OperatorKind, &str)> = s
        .operators
        .iter()
        .map(|o| (o.kind, &text[s.doc(inst, o.range.clone())]))
        .collect();
    assert_eq!(
        ops,
        [
            (OperatorKind::And, "&&"),
            (OperatorKind::Pipe, "|"),
            (OperatorKind::Semicolon, ";")
        ]
    );
    let protected: Vec<&str> = s
        .protected
        .iter()
        .map(|r| &text[s.doc(inst, r.clone())])
        .collect();
    assert_eq!(protected, ["\"x && y\""]);
}

#[test]
fn set_pipefail_and_cd() {
    let text = "FROM a\nRUN set -euxo pipefail && cd /x && curl u | sh\n";
    let m = model(text);
    let shell = InstructionShell::read(&m.instructions[1], text);
    let s = shell.main().unwrap();
    assert!(s.sets_pipefail());
    assert_eq!(s.cds().count(), 1);
}

#[test]
fn package_installs() {
    let text = "FROM a\nRUN apt-get install -t bookworm -y --no-install-recommends curl=1 vim && pip install -r r.txt flask && python3 -m pip install --index-url u x\n";
    let m = model(text);
    let shell = InstructionShell::read(&m.instructions[1], text);
    let installs: Vec<(packages::Manager, Vec<&str>)> = shell
        .commands()
        .filter_map(|(_, c)| packages::install(c))
        .map(|i| {
            (
                i.manager,
                i.packages.iter().map(|w| w.value.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        installs,
        [
            (packages::Manager::AptGet, vec!["curl=1", "vim"]),
            (packages::Manager::Pip, vec!["r.txt", "flask"]),
            (packages::Manager::Pip, vec!["x"]),
        ]
    );
}

#[test]
fn an_edit_re_reads_only_the_instructions_it_touched() {
    use crate::analysis::Snapshot;
    use crate::text::{ContentChange, Position, PositionEncoding};
    let text = "FROM a\nRUN apt-get update\nRUN echo one\nRUN echo two\n";
    let before = Snapshot::new(text);
    let old = ShellIndex::build(&before.model, before.text(), None);
    // Replace "one" with "three" on line 2.
    let change = ContentChange {
        range: Some((
            Position {
                line: 2,
                character: 9,
            },
            Position {
                line: 2,
                character: 12,
            },
        )),
        text: "three".into(),
    };
    let after = before.apply(&[change], PositionEncoding::Utf8);
    let new = ShellIndex::build(&after.model, after.text(), Some(&old));
    let same = |i: usize| std::ptr::eq(old.shell(i).unwrap(), new.shell(i).unwrap());
    assert!(same(1) && same(3));
    assert!(!same(2));
    assert_eq!(new.shell(2).unwrap().main().unwrap().text, "echo three");
    let fresh = ShellIndex::build(&after.model, after.text(), None);
    for i in 0..after.model.instructions.len() {
        assert_eq!(fresh.shell(i), new.shell(i));
    }
    let _ = Arc::strong_count(&after.model);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]
    /// Every script byte maps into its instruction, onto the same byte, and back; whatever
    /// the text (continuations, comments, blank lines, escapes, heredocs, CRLF, non-ASCII).
    #[test]
    fn every_script_byte_maps_into_its_instruction_and_back(
        pieces in proptest::collection::vec(proptest::sample::select(&[
            "RUN ", "CMD ", "HEALTHCHECK CMD ", "ONBUILD RUN ", "\n", "\r\n", "\\\n", "`\n",
            " \\ \n", "# c\n", "  # c\n", "\n\n", "echo", " a", "&&", "|", ";", "'", "\"", "$x",
            "$(y)", "<<EOF", "<<-EOF", "EOF\n", "\tEOF\n", "bash <<EOF\n", "é", "\\\\", "[\"a\", \"b\"]",
        ][..]), 0..30),
        backtick in proptest::bool::ANY,
    ) {
        let header = if backtick { "# escape=`\nFROM a\n" } else { "FROM a\n" };
        let text = format!("{header}{}", pieces.concat());
        let m = model(&text);
        if let Err(e) = check_maps(&text, &m) {
            panic!("{text:?}: {e}");
        }
    }
}

/// Every corpus and conformance Dockerfile: every script's bytes map back exactly, and the
/// shell model is read for a good share of real RUN lines.
#[test]
fn corpus_scripts_map_exactly() {
    let conformance = crate::model::split::harness::conformance_dir();
    let shared = conformance
        .parent()
        .and_then(|p| p.parent())
        .map(std::path::Path::to_path_buf)
        .expect("shared dir");
    let mut files = Vec::new();
    let mut stack = vec![shared.join("corpus"), conformance];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 300, "found only {} files", files.len());
    let (mut scripts, mut commands, mut failures) = (0, 0, Vec::new());
    for path in files {
        let bytes = std::fs::read(&path).expect("readable file");
        let text = String::from_utf8_lossy(&bytes);
        let m = model(&text);
        match check_maps(&text, &m) {
            Ok(n) => scripts += n,
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
        let index = ShellIndex::build(&m, &text, None);
        for i in 0..m.instructions.len() {
            commands += index.shell(i).map_or(0, |s| s.commands().count());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        scripts > 1400 && commands > 12000,
        "{scripts} scripts, {commands} commands"
    );
}
