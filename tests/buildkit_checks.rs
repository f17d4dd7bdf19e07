//! Agreement with BuildKit's build checks: BuildKit's own lint test cases and its findings on
//! every corpus file (`shared/conformance/buildkit-checks`, see its README). For each file
//! the multiset of (rule, line) of our BuildKit findings must equal BuildKit's, and we must
//! refuse the file exactly when BuildKit does (at the line it names).
//!
//! The README's caveats, as it says to handle them: every base image exists for the platform
//! asked for with an empty configuration (a Windows image's holding only `PATH`), except
//! where a case's `images.json` says otherwise; the platform is the one the data was made
//! for; build arguments, `.dockerignore` and the target platform of each case are honoured;
//! experimental findings are compared in a second run with `experimental=all` added to the
//! file's own settings.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use dockerfile_ls::analysis::Snapshot;
use dockerfile_ls::analysis::rules::{
    self, BaseImages, BuildContext, CheckOptions, Group, ImageConfig, Inputs,
};
use dockerfile_ls::model::Severity;
use serde_json::Value;

/// The images of the data: all exist, with an empty configuration, for the platform asked.
struct Images {
    /// Platforms from `images.json`, by normalized reference.
    platforms: BTreeMap<String, String>,
}

impl BaseImages for Images {
    fn config(&self, reference: &str, platform: &str) -> Option<Arc<ImageConfig>> {
        let env = if platform.starts_with("windows") {
            vec!["PATH=C:\\Windows\\system32;C:\\Windows".to_string()]
        } else {
            Vec::new()
        };
        Some(Arc::new(ImageConfig {
            env,
            shell: Vec::new(),
            platform: Some(
                self.platforms
                    .get(reference)
                    .cloned()
                    .unwrap_or_else(|| platform.to_string()),
            ),
        }))
    }
}

/// One input of the data: the Dockerfile and what the build was given.
struct Case {
    name: String,
    text: String,
    build_args: BTreeMap<String, String>,
    dockerignore: Option<String>,
    target_platform: Option<String>,
    images: BTreeMap<String, String>,
    expected: Value,
}

fn normalized(reference: &str) -> String {
    dockerfile_ls::model::image_ref::parse(reference)
        .map(|r| r.normalized())
        .unwrap_or_else(|_| reference.to_string())
}

fn cases() -> Vec<Case> {
    let dir = common::shared_dir().join("conformance/buildkit-checks/cases");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let json = |path: &Path| -> Option<Value> {
        path.exists().then(|| {
            serde_json::from_str(&common::read(path))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
    };
    for case in entries {
        let strings = |v: Option<Value>| -> BTreeMap<String, String> {
            v.and_then(|v| v.as_object().cloned())
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
                .collect()
        };
        let images = json(&case.join("images.json"))
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| {
                (
                    normalized(&k),
                    v["platform"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        out.push(Case {
            name: case
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text: common::read(&case.join("Dockerfile")),
            build_args: strings(json(&case.join("build-args.json"))),
            dockerignore: case
                .join(".dockerignore")
                .exists()
                .then(|| common::read(&case.join(".dockerignore"))),
            target_platform: json(&case.join("frontend-attrs.json"))
                .and_then(|v| v["platform"].as_str().map(str::to_string)),
            images,
            expected: json(&case.join("expected.json"))
                .unwrap_or_else(|| panic!("{} has no expected.json", case.display())),
        });
    }
    assert!(
        out.len() >= 103,
        "expected BuildKit's 103 cases, found {}",
        out.len()
    );
    out
}

fn corpus() -> Vec<Case> {
    let shared = common::shared_dir();
    let path = shared.join("conformance/buildkit-checks/corpus-expected.jsonl");
    let mut out = Vec::new();
    for line in common::read(&path).lines().filter(|l| !l.trim().is_empty()) {
        let expected: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = expected["file"].as_str().unwrap_or_default().to_string();
        out.push(Case {
            text: common::read(&shared.join("corpus").join(&file)),
            name: file,
            build_args: BTreeMap::new(),
            dockerignore: None,
            target_platform: None,
            images: BTreeMap::new(),
            expected,
        });
    }
    assert_eq!(
        out.len(),
        common::corpus_files().len(),
        "one line per corpus file"
    );
    out
}

/// The 1-based line BuildKit gives a finding: the first line of its instruction (the one it
/// is in, or for a comment, the one below it); for NoEmptyContinuation the last line of the
/// continued instruction.
fn buildkit_line(snapshot: &Snapshot, code: &str, offset: usize) -> usize {
    let model = &snapshot.model;
    let text = snapshot.text();
    // The instruction whose text holds the offset, else the next one.
    let index = model
        .instructions
        .partition_point(|i| i.range().end <= offset);
    let line_of = |o: usize| text[..o.min(text.len())].matches('\n').count() + 1;
    match model.instructions.get(index) {
        Some(inst) if code == "NoEmptyContinuation" => line_of(inst.line_range().end),
        Some(inst) => line_of(inst.start()),
        None => line_of(offset),
    }
}

struct Outcome {
    /// (rule, line) of our BuildKit findings, sorted.
    findings: Vec<(String, usize)>,
    /// Lines of our refusals (errors of BuildKit's groups).
    errors: Vec<(usize, String)>,
}

fn run(case: &Case, experimental: bool) -> Outcome {
    let snapshot = Snapshot::new(case.text.as_str());
    let mut check = case
        .build_args
        .get("BUILDKIT_DOCKERFILE_CHECK")
        .and_then(|v| CheckOptions::parse(v).ok())
        .or_else(|| CheckOptions::from_directive(&snapshot.model));
    if experimental {
        let mut options = check.unwrap_or_default();
        options.experimental_all = true;
        check = Some(options);
    }
    let inputs = Inputs {
        build_args: case.build_args.clone(),
        check,
        context: case
            .dockerignore
            .as_deref()
            .map(|d| Arc::new(BuildContext::with_dockerignore(d))),
        images: Some(Arc::new(Images {
            platforms: case.images.clone(),
        })),
        platform: case.expected["platform"].as_str().map(str::to_string),
        target_platform: case.target_platform.clone(),
        ..Inputs::default()
    };
    let found = rules::run(&snapshot, &inputs);
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for f in &found {
        let d = &f.diagnostic;
        let line = buildkit_line(&snapshot, &d.code, d.range.start);
        let group = rules::group_of(&d.code);
        if group == Group::Buildkit {
            findings.push((d.code.to_string(), line));
        }
        // Best-practice rules may default to error (hadolint's DL3020) without being a
        // refusal: only our own and BuildKit's groups speak for the builder.
        if d.severity == Severity::Error && matches!(group, Group::Buildkit | Group::DockerfileLs) {
            errors.push((line, format!("{}: {}", d.code, d.message)));
        }
    }
    findings.sort();
    Outcome { findings, errors }
}

fn expected_findings(expected: &Value, experimental: bool) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = expected["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|w| experimental || !w["experimental"].as_bool().unwrap_or(false))
        .map(|w| {
            (
                w["rule"].as_str().unwrap_or_default().to_string(),
                w["line"].as_u64().unwrap_or(0) as usize,
            )
        })
        .collect();
    out.sort();
    out
}

/// Compares one input; `None` when we agree, else what differs.
fn compare(case: &Case, tally: &mut BTreeMap<String, (usize, usize)>) -> Option<String> {
    let mut problems = Vec::new();
    for experimental in [false, true] {
        let ours = run(case, experimental);
        let theirs = expected_findings(&case.expected, experimental);
        // Per rule: files where the rule's findings agree, and files where it appears.
        if !experimental {
            let rules: std::collections::BTreeSet<&String> = ours
                .findings
                .iter()
                .chain(&theirs)
                .map(|(r, _)| r)
                .collect();
            for rule in rules {
                let pick = |v: &[(String, usize)]| -> Vec<usize> {
                    v.iter()
                        .filter(|(r, _)| r == rule)
                        .map(|(_, l)| *l)
                        .collect()
                };
                let entry = tally.entry(rule.clone()).or_default();
                entry.1 += 1;
                if pick(&ours.findings) == pick(&theirs) {
                    entry.0 += 1;
                }
            }
        }
        if ours.findings != theirs {
            problems.push(format!(
                "{} findings differ{}:\n    ours:     {:?}\n    buildkit: {:?}",
                if experimental { "experimental" } else { "" },
                "",
                ours.findings,
                theirs
            ));
        }
        let error = &case.expected["error"];
        match (error.is_null(), ours.errors.is_empty()) {
            (true, false) => {
                problems.push(format!("we refuse, BuildKit does not: {:?}", ours.errors))
            }
            (false, true) => problems.push(format!("BuildKit refuses ({error}), we do not")),
            (false, false) => {
                if let Some(line) = error["line"].as_u64()
                    && !ours.errors.iter().any(|(l, _)| *l == line as usize)
                {
                    problems.push(format!(
                        "BuildKit refuses at line {line} ({}), we at {:?}",
                        error["message"], ours.errors
                    ));
                }
            }
            (true, true) => {}
        }
    }
    problems.dedup();
    (!problems.is_empty()).then(|| format!("{}:\n  {}", case.name, problems.join("\n  ")))
}

fn check_all(label: &str, inputs: Vec<Case>) {
    let mut tally = BTreeMap::new();
    let total = inputs.len();
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|case| compare(case, &mut tally))
        .collect();
    println!(
        "{label}: {} of {total} agree with BuildKit",
        total - failures.len()
    );
    for (rule, (agree, seen)) in &tally {
        println!("  {rule:<34} {agree}/{seen}");
    }
    assert!(
        failures.is_empty(),
        "{} of {total} {label} disagree with BuildKit:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn buildkit_lint_test_cases() {
    check_all("cases", cases());
}

#[test]
fn corpus_files() {
    check_all("corpus files", corpus());
}
