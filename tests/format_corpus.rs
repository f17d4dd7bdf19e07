//! The formatter over every corpus file and BuildKit test file: idempotent, the same BuildKit
//! reading before and after (the formatter's own comparison refused nothing, and, checked
//! here on its own from BuildKit's dump, every instruction dumps the same up to whitespace in
//! a shell-form command and ENV/LABEL's separator), and no heredoc body line lost.

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

/// Why two dump lines of one instruction differ in more than the formatter may change, if
/// they do: a shell-form command may differ only in whitespace (go-quoted: spaces, `\t`,
/// `\r`, `\n`), ENV and LABEL only in the separator BuildKit records (`""` for the legacy
/// `k v` form, `"="` for `k=v`) and in quotes around a whole value, FROM only in the case of
/// `AS`; everything else must be byte for byte the same.
fn dump_difference(before: &str, after: &str) -> Option<String> {
    if before == after {
        return None;
    }
    let keyword = |l: &str| {
        l.trim_start_matches('(')
            .split([' ', ')'])
            .next()
            .unwrap_or("")
            .to_string()
    };
    let k = keyword(before);
    let same = match k.as_str() {
        // The dump shows a value before quote removal: the legacy `k a b` may come back as
        // `k="a b"`, which BuildKit reads as the same value.
        "env" | "label" => {
            let plain = |l: &str| {
                l.replace(" \"=\"", " \"\"")
                    .replace("\"\\\"", "\"")
                    .replace("\\\"\"", "\"")
            };
            plain(before) == plain(after)
        }
        // `AS` in the keyword's case: BuildKit reads it in any case.
        "from" => {
            let upper = |l: &str| {
                [" \"as\" ", " \"As\" ", " \"aS\" "]
                    .iter()
                    .fold(l.to_string(), |l, a| l.replace(a, " \"AS\" "))
            };
            upper(before) == upper(after)
        }
        "run" | "cmd" | "entrypoint" | "healthcheck" | "onbuild" => {
            let squeeze = |l: &str| {
                l.replace("\\t", "")
                    .replace("\\r", "")
                    .replace("\\n", "")
                    .replace(' ', "")
            };
            squeeze(before) == squeeze(after)
        }
        _ => false,
    };
    (!same).then(|| format!("dump {before} became {after}"))
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
        let (dump_before, dump_after) = (before.buildkit_dump(), after.buildkit_dump());
        for (b, a) in dump_before.lines().zip(dump_after.lines()) {
            if let Some(why) = dump_difference(b, a) {
                failures.push(format!("{name}: {why}"));
            }
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

#[test]
fn the_dump_comparison_lets_only_whitespace_and_the_separator_through() {
    assert_eq!(dump_difference(r#"(run "a  b")"#, r#"(run "a b")"#), None);
    assert_eq!(dump_difference(r#"(run "a\tb")"#, r#"(run "a b")"#), None);
    assert_eq!(
        dump_difference(r#"(env "A" "b" "")"#, r#"(env "A" "b" "=")"#),
        None
    );
    assert!(dump_difference(r#"(run "a b")"#, r#"(run "a c")"#).is_some());
    assert!(dump_difference(r#"(copy "a  b" "c")"#, r#"(copy "a b" "c")"#).is_some());
    assert_eq!(
        dump_difference(r#"(env "A" "b c" "")"#, r#"(env "A" "\"b c\"" "=")"#),
        None
    );
    assert_eq!(
        dump_difference(r#"(from "a" "as" "b")"#, r#"(from "a" "AS" "b")"#),
        None
    );
    assert!(dump_difference(r#"(env "A" "b" "")"#, r#"(env "A" "c" "")"#).is_some());
    assert!(dump_difference(r#"(from "a" "as" "b")"#, r#"(from "a" "AS" "c")"#).is_some());
}
