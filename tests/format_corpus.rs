//! The formatter over every corpus file and BuildKit test file: idempotent, the same BuildKit
//! reading before and after (under the formatter's own comparison, checked again here from
//! the dump), and no heredoc body line lost.

mod common;

use std::path::PathBuf;

use dockerfile_ls::analysis::format::{FormatOptions, format_text};
use dockerfile_ls::model::Model;

fn inputs() -> Vec<PathBuf> {
    let mut files = common::corpus_files();
    let buildkit = common::shared_dir().join("conformance/buildkit");
    for dir in ["testfiles", "testfiles-negative"] {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(buildkit.join(dir))
            .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
            .flatten()
            .map(|e| e.path().join("Dockerfile"))
            .filter(|p| p.is_file())
            .collect();
        cases.sort();
        files.extend(cases);
    }
    files.push(buildkit.join("heredocs/Dockerfile"));
    files.push(buildkit.join("testfile-line/Dockerfile"));
    files
}

/// Every heredoc body line of a text, in order.
fn body_lines(model: &Model) -> Vec<String> {
    model
        .instructions
        .iter()
        .flat_map(|i| i.data().heredocs.iter())
        .flat_map(|h| h.content.lines().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn every_file_formats_idempotently_and_keeps_its_meaning() {
    let opts = FormatOptions::default();
    let mut failures = Vec::new();
    let mut changed = 0;
    let files = inputs();
    for path in &files {
        let text = common::read(path);
        let once = format_text(&text, &opts);
        let twice = format_text(&once.text, &opts);
        let name = path.display();
        if once.text != text {
            changed += 1;
        }
        if twice.text != once.text {
            failures.push(format!("{name}: not idempotent"));
        }
        let before = Model::open(text.as_str()).1;
        let after = Model::open(once.text.as_str()).1;
        if body_lines(&before) != body_lines(&after) {
            failures.push(format!("{name}: heredoc body lines differ"));
        }
        if before.instructions.len() != after.instructions.len() {
            failures.push(format!("{name}: instruction count differs"));
        }
        for k in &once.kept {
            if let dockerfile_ls::analysis::format::Because::MeaningWouldChange(why) = &k.because {
                failures.push(format!("{name}: kept at {:?}: {why}", k.range));
            }
        }
    }
    eprintln!("{changed} of {} files change", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
