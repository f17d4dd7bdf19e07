//! `dockerfile-ls fmt` end to end: in-place rewrite, `--check` and `--diff` exit codes and
//! output, standard input, directories, `.editorconfig`, and I/O errors.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const MESSY: &str = "from a\nrun  x &&\\\n\t\ty\n";
const TIDY: &str = "FROM a\nRUN x \\\n    && y\n";

fn fmt(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockerfile-ls"));
    cmd.arg("fmt")
        .args(args)
        .current_dir(dir)
        .env("DOCKERFILE_LS_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run dockerfile-ls fmt");
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn rewrites_in_place_then_checks_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("Dockerfile");
    std::fs::write(&file, MESSY).expect("write");
    let out = fmt(dir.path(), &["Dockerfile"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), TIDY);
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["Dockerfile"]);
    let out = fmt(dir.path(), &["--check", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn check_and_diff_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("app/sub")).expect("mkdir");
    std::fs::write(dir.path().join("app/Dockerfile"), MESSY).expect("write");
    std::fs::write(dir.path().join("app/sub/web.Dockerfile"), TIDY).expect("write");
    std::fs::write(dir.path().join("app/README.md"), "run  x\n").expect("write");
    let out = fmt(dir.path(), &["--check", "app"], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("would reformat app/Dockerfile"), "{stdout}");
    let out = fmt(dir.path(), &["--diff", "app/Dockerfile"], None);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("--- a/app/Dockerfile"), "{stdout}");
    assert!(stdout.contains("-run  x &&\\\n"), "{stdout}");
    assert!(stdout.contains("+RUN x \\\n"), "{stdout}");
    let out = fmt(dir.path(), &["--check", "--diff", "app"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/Dockerfile")).expect("read"),
        MESSY
    );
}

#[test]
fn standard_input_and_editorconfig() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = fmt(dir.path(), &["-"], Some(MESSY));
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), TIDY);
    std::fs::write(
        dir.path().join(".editorconfig"),
        "root = true\n[Dockerfile]\nindent_style = tab\n",
    )
    .expect("write");
    let out = fmt(
        dir.path(),
        &["--stdin-filename", "Dockerfile", "-"],
        Some(MESSY),
    );
    assert_eq!(text(&out.stdout), "FROM a\nRUN x \\\n\t&& y\n");
    let out = fmt(dir.path(), &["--check", "-"], Some(MESSY));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn errors_exit_2_and_kept_instructions_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = fmt(dir.path(), &["missing"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing: cannot read"));
    std::fs::write(dir.path().join("bad"), [0xff, 0xfe]).expect("write");
    assert_eq!(fmt(dir.path(), &["bad"], None).status.code(), Some(2));
    // `-` with other paths is a usage error.
    assert_eq!(fmt(dir.path(), &["-", "bad"], None).status.code(), Some(2));
    let out = fmt(dir.path(), &["-"], Some("FROM a\nCMD [\"a\"] x\n"));
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("-:2:1: warning: left as written: text follows its JSON array"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_project_file_sets_the_options() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("dockerfile-ls.toml"),
        "[format]\nkeywordCase = \"lower\"\nindentWidth = 2\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("Dockerfile"), MESSY).expect("write");
    let out = fmt(dir.path(), &[], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).expect("read"),
        "from a\nrun x \\\n  && y\n"
    );
}
