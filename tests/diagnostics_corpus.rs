//! Diagnostics on the corpus of real, buildable Dockerfiles: none may be an error, and the
//! other diagnostics are summarised by code (`cargo test --test diagnostics_corpus --
//! --nocapture`) so that noisy rules stand out.

mod common;

use std::collections::BTreeMap;

use dockerfile_ls::analysis::{Snapshot, diagnostics};
use dockerfile_ls::model::Severity;

/// Files BuildKit really rejects, kept out of the "no errors" rule: the devcontainers build
/// templates say `FROM REPLACE-ME`, which their build script replaces before building (an
/// upper-case repository name is no valid image reference).
const REJECTED_BY_BUILDKIT: [&str; 3] = [
    "devcontainers+images/build__assets__alpine.Dockerfile",
    "devcontainers+images/build__assets__debian.Dockerfile",
    "devcontainers+images/build__assets__redhat.Dockerfile",
];

#[test]
fn no_errors_on_real_dockerfiles() {
    let files = common::corpus_files();
    let mut errors = Vec::new();
    let mut by_code: BTreeMap<(String, String), (usize, Vec<String>)> = BTreeMap::new();
    for path in &files {
        let text = common::read(path);
        let snapshot = Snapshot::new(text.as_str());
        let name = path
            .strip_prefix(common::shared_dir().join("corpus"))
            .unwrap_or(path)
            .display()
            .to_string();
        for d in diagnostics(&snapshot) {
            let line = text[..d.range.start.min(text.len())].matches('\n').count() + 1;
            let snippet = text.get(d.range.clone()).unwrap_or("").chars().take(60);
            let at = format!(
                "{name}:{line}: {:?} {}",
                snippet.collect::<String>(),
                d.message
            );
            if d.severity == Severity::Error && !REJECTED_BY_BUILDKIT.contains(&name.as_str()) {
                errors.push(format!("{} [{}]", at, d.code));
            }
            let entry = by_code
                .entry((d.code.to_string(), format!("{:?}", d.severity)))
                .or_default();
            entry.0 += 1;
            if entry.1.len() < 3 {
                entry.1.push(at);
            }
        }
    }
    // The summary goes to the test's output, shown with --nocapture.
    println!("diagnostics on {} corpus files, by code:", files.len());
    for ((code, severity), (count, examples)) in &by_code {
        println!("{count:6}  {code} ({severity})");
        for example in examples {
            println!("          {example}");
        }
    }
    assert!(
        files.len() >= 325,
        "expected the whole corpus, found {}",
        files.len()
    );
    assert!(
        errors.is_empty(),
        "{} error diagnostics on valid Dockerfiles:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// BuildKit's own parser rejects these files, so each must get at least one error.
#[test]
fn buildkit_negative_cases_have_errors() {
    let dir = common::shared_dir().join("conformance/buildkit/testfiles-negative");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no negative cases in {}", dir.display());
    for case in cases {
        let text = common::read(&case.join("Dockerfile"));
        let snapshot = Snapshot::new(text.as_str());
        assert!(
            diagnostics(&snapshot)
                .iter()
                .any(|d| d.severity == Severity::Error),
            "no error for {}",
            case.display()
        );
    }
}
