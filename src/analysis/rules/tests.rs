//! The engine: metadata of every rule, suppressions, severities.

use super::*;
use crate::analysis::Snapshot;

fn codes(text: &str, inputs: &Inputs) -> Vec<(String, String, Severity)> {
    let snapshot = Snapshot::new(text);
    run(&snapshot, inputs)
        .into_iter()
        // The hadolint and advice groups have tests of their own.
        .filter(|f| {
            matches!(
                super::group_of(&f.diagnostic.code),
                Group::Buildkit | Group::DockerfileLs
            )
        })
        .map(|f| {
            let d = f.diagnostic;
            (d.code.to_string(), text[d.range].to_string(), d.severity)
        })
        .collect()
}

#[test]
fn every_rule_has_its_metadata() {
    let mut seen = std::collections::HashSet::new();
    for rule in rules() {
        assert!(seen.insert(rule.id), "{} registered twice", rule.id);
        let info = rule.info();
        assert!(!info.summary.is_empty(), "{} has no summary", rule.id);
        assert!(
            !info.explanation.is_empty() || rule.group == Group::DockerfileLs,
            "{} has no explanation",
            rule.id
        );
        match rule.group {
            Group::Hadolint | Group::ShellCheck | Group::Advice => {}
            Group::Buildkit => assert!(
                crate::catalog::check(rule.id).is_some(),
                "{} is not a BuildKit rule",
                rule.id
            ),
            Group::DockerfileLs => {
                assert!(
                    !rule.explanation.is_empty(),
                    "{} has no explanation",
                    rule.id
                );
                assert!(
                    rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                    "{} is not kebab-case",
                    rule.id
                );
            }
        }
        assert_eq!(
            info.url.is_some(),
            rule.id != "InvalidBaseImagePlatform",
            "{}",
            rule.id
        );
    }
}

#[test]
fn file_and_local_check_comments() {
    let text = "# check=skip=FromAsCasing\nFROM a as b\n# check=skip=MaintainerDeprecated\nMAINTAINER me\nMAINTAINER you\n";
    let got = codes(text, &Inputs::default());
    let ids: Vec<&str> = got.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(ids, ["MaintainerDeprecated"], "{got:?}");
    assert_eq!(got[0].1, "MAINTAINER you");
}

#[test]
fn error_true_makes_findings_errors_and_settings_replace_the_directive() {
    let text = "# check=error=true\nFROM a as b\n";
    let got = codes(text, &Inputs::default());
    assert_eq!(got[0].0, "FromAsCasing");
    assert_eq!(got[0].2, Severity::Error);
    let inputs = Inputs {
        check: Some(CheckOptions::parse("skip=FromAsCasing").unwrap()),
        ..Inputs::default()
    };
    assert!(codes(text, &inputs).is_empty());
}

#[test]
fn configured_severities() {
    let text = "FROM a as b\nMAINTAINER me\n";
    let (severities, problems) =
        Severities::from_map([("buildkit", "info"), ("MaintainerDeprecated", "off")]);
    assert!(problems.is_empty());
    let inputs = Inputs {
        severities,
        ..Inputs::default()
    };
    let got = codes(text, &inputs);
    assert_eq!(
        got,
        [(
            "FromAsCasing".to_string(),
            "as".to_string(),
            Severity::Information
        )]
    );
}

#[test]
fn experimental_rules_only_when_enabled() {
    let text = "# check=experimental=InvalidDefinitionDescription\n# nope\nARG a\n";
    let got = codes(text, &Inputs::default());
    assert_eq!(got[0].0, "InvalidDefinitionDescription");
    assert_eq!(got[0].1, "# nope");
    assert!(codes("# nope\nARG a\nFROM x\n", &Inputs::default()).is_empty());
}

/// The incremental engine against a full run: after random edits of real Dockerfiles (most
/// inside RUN, COPY and ADD, where the next run reuses the previous one), the findings, the
/// conversion and the image references equal those found on the same text from scratch.
#[test]
fn incremental_runs_equal_full_runs_after_random_edits() {
    use crate::syntax::InstructionKind;
    use crate::text::{ContentChange, PositionEncoding};

    let corpus = crate::shared_data::dir_with("corpus").join("corpus");
    let mut files = Vec::new();
    let mut stack = vec![corpus];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()));
            stack.extend(entries.flatten().map(|e| e.path()));
        } else {
            files.push(path);
        }
    }
    files.sort();
    assert!(files.len() > 300, "the corpus has {} files", files.len());
    // A small deterministic generator, so that a failure can be reproduced.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    const INSERTS: &[&str] = &[
        "x",
        " ",
        "\\\n",
        "\n",
        "$HOME",
        "${A:-b}",
        " && apt-get install -y curl",
        "\nRUN echo hi\n",
        "'",
        "\"",
        "#",
        "--mount=type=cache,target=/root/.cache ",
        " | grep x",
        "\nFROM alpine AS extra\n",
        "\nENV X=1\n",
        "<<EOF\nbody\nEOF\n",
        // Comments configure the checks and the shell, and describe stages: the text between
        // instructions changes without any instruction changing.
        "# hadolint ignore=DL3008,DL3059,SC2086\n",
        "# check=skip=all\n",
        "# hadolint shell=pwsh\n",
        "# builder a description\n",
        "#\n",
    ];
    let inputs = Inputs {
        check: Some(CheckOptions::parse("experimental=all").expect("valid check options")),
        context: Some(std::sync::Arc::new(BuildContext::with_dockerignore(
            "*.md\nnode_modules\n.git\n",
        ))),
        ..Inputs::default()
    };
    let (mut edits, mut reused) = (0, 0);
    for path in files.iter().step_by(3) {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut snapshot = Snapshot::new(text);
        run(&snapshot, &inputs);
        let mut last = usize::MAX;
        for _ in 0..6 {
            let text = snapshot.text();
            let model = &snapshot.model;
            // Mostly inside a RUN, COPY or ADD; sometimes anywhere.
            let targets: Vec<_> = model
                .instructions
                .iter()
                .filter(|i| {
                    matches!(
                        i.kind(),
                        InstructionKind::Run | InstructionKind::Copy | InstructionKind::Add
                    )
                })
                .collect();
            let mut at = match targets.len() {
                // Often where the last edit was, as when typing (a script edited twice in a
                // row is parsed again from its previous tree).
                _ if next(2) == 0 && last <= text.len() => last,
                0 => next(text.len() + 1),
                n if next(10) < 8 => {
                    let inst = targets[next(n)];
                    inst.start() + next(inst.range().len() + 1)
                }
                // At the start of an instruction's line: a new comment above it.
                _ if next(2) == 0 && !model.instructions.is_empty() => {
                    let inst = &model.instructions[next(model.instructions.len())];
                    text[..inst.start()].rfind('\n').map_or(0, |i| i + 1)
                }
                _ => next(text.len() + 1),
            };
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let (end, insert) = if next(3) == 0 {
                let mut end = (at + 1 + next(5)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                (end, "")
            } else {
                (at, INSERTS[next(INSERTS.len())])
            };
            last = at + insert.len();
            let index = snapshot.doc.line_index();
            let change = ContentChange {
                range: Some((
                    index.position(text, at, PositionEncoding::Utf8),
                    index.position(text, end, PositionEncoding::Utf8),
                )),
                text: insert.to_string(),
            };
            // The image references are found from the previous version's too.
            snapshot.image_sites();
            let edited = snapshot.apply(&[change], PositionEncoding::Utf8);
            let memo = edited.previous_run().expect("the previous run is kept");
            let key = incremental::Key::new(&Cx::new(&edited, &inputs));
            let planned = memo
                .edited(&edited)
                .and_then(|stage| incremental::plan(&memo, &edited, &key, stage));
            reused += usize::from(planned.is_some());
            edits += 1;
            let incremental = run(&edited, &inputs);
            let fresh = Snapshot::new(edited.text());
            let full = run(&fresh, &inputs);
            let what = format!(
                "{} after replacing {at}..{end} with {insert:?}",
                path.display()
            );
            if incremental != full {
                let only = |a: &[Found], b: &[Found]| -> Vec<String> {
                    a.iter()
                        .filter(|f| !b.contains(f))
                        .map(|f| format!("{:?}", f))
                        .collect()
                };
                panic!(
                    "{what}\nonly incremental: {:#?}\nonly full: {:#?}",
                    only(&incremental, &full),
                    only(&full, &incremental)
                );
            }
            let kept = |s: &Snapshot| {
                s.previous_run()
                    .expect("a run was kept")
                    .conversion
                    .converted
                    .clone()
            };
            assert_eq!(kept(&edited), kept(&fresh), "conversion: {what}");
            assert_eq!(
                edited.shell_states(),
                fresh.shell_states(),
                "shell states: {what}"
            );
            assert_eq!(
                edited.image_sites(),
                fresh.image_sites(),
                "image references: {what}"
            );
            snapshot = edited;
        }
    }
    // The test means something only if many edits took the incremental path (not all can:
    // one in four writes a comment line, and one in ten edits anywhere).
    assert!(
        reused * 5 > edits * 2,
        "only {reused} of {edits} edits reused the previous run"
    );
}
