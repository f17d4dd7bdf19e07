//! BuildKit's own parser test data: our model must print exactly BuildKit's AST dump, reject
//! what BuildKit rejects, agree on line spans and heredocs, and accept every real Dockerfile.

mod common;

use std::path::Path;

use dockerfile_ls::model::{Model, Severity};
use dockerfile_ls::syntax::Document;

fn model_of(text: &str) -> (Document, Model) {
    let doc = Document::new(text);
    let model = Model::build(&doc);
    (doc, model)
}

fn errors(model: &Model) -> Vec<String> {
    model
        .all_problems()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{} ({})", p.message, p.code))
        .collect()
}

fn cases(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn every_positive_case_dumps_exactly_as_buildkit() {
    let dir = common::shared_dir().join("conformance/buildkit/testfiles");
    let cases = cases(&dir);
    assert_eq!(cases.len(), 33, "expected BuildKit's 33 test files");
    let mut failures = Vec::new();
    for case in &cases {
        let input = common::read(&case.join("Dockerfile"));
        let expected = common::read(&case.join("result"));
        let (doc, model) = model_of(&input);
        let name = case.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if doc.tree().source_file().has_error() {
            failures.push(format!("{name}: tree has ERROR/MISSING nodes"));
        }
        let errs = errors(&model);
        if !errs.is_empty() {
            failures.push(format!("{name}: unexpected errors {errs:?}"));
        }
        let got = model.buildkit_dump();
        if got.trim_end() != expected.trim_end() {
            failures.push(format!(
                "{name}: dump differs\n--- expected\n{}\n--- got\n{}",
                expected.trim_end(),
                got.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_negative_case_is_rejected_with_a_message() {
    let dir = common::shared_dir().join("conformance/buildkit/testfiles-negative");
    let cases = cases(&dir);
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let input = common::read(&case.join("Dockerfile"));
        let (_, model) = model_of(&input);
        let errs = errors(&model);
        assert!(
            !errs.is_empty(),
            "{}: BuildKit rejects this file, we accepted it",
            case.display()
        );
        assert!(errs.iter().all(|e| e.len() > 10), "{errs:?}");
    }
}

#[test]
fn instruction_line_spans_match_buildkit() {
    let path = common::shared_dir().join("conformance/buildkit/testfile-line/Dockerfile");
    let (doc, model) = model_of(&common::read(&path));
    let spans: Vec<(usize, usize)> = model
        .instructions
        .iter()
        .map(|inst| {
            let r = inst.line_range();
            let index = doc.line_index();
            (index.line_of(r.start) + 1, index.line_of(r.end) + 1)
        })
        .collect();
    assert_eq!(spans, [(5, 5), (11, 12), (17, 31)]);
}

#[test]
fn heredoc_facts_hold() {
    let dir = common::shared_dir().join("conformance/buildkit/heredocs");
    let (_, model) = model_of(&common::read(&dir.join("Dockerfile")));
    let expected: serde_json::Value =
        serde_json::from_str(&common::read(&dir.join("expected.json"))).expect("valid JSON");
    let expected = expected["instructions"]
        .as_array()
        .expect("instructions array");
    assert_eq!(
        model.instructions.len(),
        expected.len(),
        "instruction count"
    );
    for (i, (inst, want)) in model.instructions.iter().zip(expected).enumerate() {
        let got: Vec<serde_json::Value> = inst
            .data()
            .heredocs
            .iter()
            .map(|h| {
                serde_json::json!({
                    "name": h.name,
                    "content": h.content,
                    "expand": h.expand,
                    "chomp": h.chomp,
                    "fd": h.fd,
                })
            })
            .collect();
        let want = match want {
            serde_json::Value::Null => Vec::new(),
            v => v.as_array().cloned().unwrap_or_default(),
        };
        assert_eq!(got, want, "instruction {i} ({})", inst.command().keyword);
    }
}

#[test]
fn every_corpus_file_parses_cleanly() {
    let mut failures = Vec::new();
    for path in common::corpus_files() {
        let (doc, model) = model_of(&common::read(&path));
        if doc.tree().source_file().has_error() {
            failures.push(format!("{}: ERROR node in tree", path.display()));
        }
        let errs = errors(&model);
        if !errs.is_empty() {
            failures.push(format!("{}: {errs:?}", path.display()));
        }
        if model.instructions.is_empty() {
            failures.push(format!("{}: no instructions", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dump_of_onbuild_and_flags_is_printed() {
    let (_, model) =
        model_of("FROM a\nONBUILD RUN --mount=type=cache,target=/x echo hi\nCOPY --from=b x y\n");
    assert_eq!(
        model.buildkit_dump(),
        "(from \"a\")\n(onbuild (run [\"--mount=type=cache,target=/x\"] \"echo hi\"))\n(copy [\"--from=b\"] \"x\" \"y\")\n"
    );
}
