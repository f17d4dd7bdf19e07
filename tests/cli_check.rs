//! `dockerfile-ls check`, run as a user or CI runs it: the real binary, files on disk.

use std::path::Path;
use std::process::{Command, Output};

fn check(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockerfile-ls"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dockerfile-ls check")
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const WITH_ERROR: &str = "FROM alpine:3.19\nRUNN echo hi\n";

#[test]
fn a_malformed_project_file_exits_2_with_its_line_and_other_projects_are_checked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(
        &root.join("bad/dockerfile-ls.toml"),
        "[diagnostics]\nenable = \n",
    );
    write(&root.join("bad/Dockerfile"), WITH_ERROR);
    write(&root.join("good/Dockerfile"), WITH_ERROR);
    let out = check(root, &["bad/Dockerfile", "good/Dockerfile"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("dockerfile-ls.toml:2:") && stderr.contains("invalid TOML"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("good/Dockerfile"), "{stdout}");
    assert!(!stdout.contains("bad/Dockerfile"), "{stdout}");
}

#[test]
fn the_project_file_applies_to_the_files_below_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(
        &root.join(".dockerfile-ls.toml"),
        "[diagnostics]\nenable = false\nenabel = true\n",
    );
    write(&root.join("sub/Dockerfile"), WITH_ERROR);
    let out = check(root, &["sub/Dockerfile"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(text(&out.stdout).is_empty());
    // The typo is reported with its line, once.
    assert_eq!(
        stderr
            .matches("unknown setting `diagnostics.enabel`")
            .count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains(".dockerfile-ls.toml:3:1:"), "{stderr}");
}
