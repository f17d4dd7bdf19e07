//! hadolint's configuration file (`.hadolint.yaml`) as the server reads it, over stdio: found
//! once for a folder, kept while the file changes unannounced, and read again when the
//! client reports the change through the watchers the server registered.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use support::{Client, did_open, is_diagnostics_for};

/// DL3003 (`cd` in RUN) is a warning unless a configuration says otherwise; no image to
/// look up in a registry.
const DOCKERFILE: &str = "FROM scratch\nRUN cd /tmp && make\n";

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The severity of DL3003 in a `publishDiagnostics`, if it is there.
fn dl3003(n: &Value) -> Option<i64> {
    n["params"]["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == "DL3003")
        .map(|d| d["severity"].as_i64().unwrap_or_default())
}

#[test]
fn a_changed_hadolint_file_is_read_again_when_the_client_says_so_and_not_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    let project = dir.path().join("project");
    std::fs::create_dir_all(&home).expect("create home");
    std::fs::create_dir_all(project.join("app")).expect("create folder");
    let config = project.join(".hadolint.yaml");
    std::fs::write(&config, "ignored: [DL3003]\n").expect("write config");
    let doc = file_uri(&project.join("app/Dockerfile"));

    // The user's own hadolint files must not count: home is an empty folder.
    let env = [
        ("HOME", home.display().to_string()),
        (
            "XDG_CONFIG_HOME",
            home.join(".config").display().to_string(),
        ),
    ];
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut client, _) = Client::start_env(caps, Value::Null, &env);
    let registration = client
        .wait_notification(support::TIMEOUT, |n| {
            n["method"] == "client/registerCapability"
        })
        .expect("the server registers file watchers");
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    for glob in ["**/.hadolint.yaml", "**/.hadolint.yml", "**/hadolint.yaml"] {
        assert!(
            watchers
                .as_array()
                .is_some_and(|w| w.iter().any(|w| w["globPattern"] == glob)),
            "{glob} watched: {watchers}"
        );
    }

    did_open(&mut client, &doc, 1, DOCKERFILE);
    let published = client.wait_diagnostics(&doc, 1);
    assert_eq!(dl3003(&published), None, "ignored by the file: {published}");

    // Changed on disk, not announced: the folder's answer is kept.
    std::fs::write(&config, "override:\n  error: [DL3003]\n").expect("rewrite config");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 2},
               "contentChanges": [{"text": DOCKERFILE}]}),
    );
    let published = client.wait_diagnostics(&doc, 2);
    assert_eq!(dl3003(&published), None, "read once: {published}");

    // Announced: read again, and the open document republished.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let republished = client
        .wait_notification(support::TIMEOUT, |n| {
            is_diagnostics_for(n, &doc) && dl3003(n).is_some()
        })
        .unwrap_or_else(|| panic!("republished with DL3003\n{}", client.stderr()));
    assert_eq!(dl3003(&republished), Some(1), "an error now: {republished}");

    // Deleted: hadolint's own severity again.
    std::fs::remove_file(&config).expect("delete config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 3}]}),
    );
    let republished = client
        .wait_notification(support::TIMEOUT, |n| {
            is_diagnostics_for(n, &doc) && dl3003(n) == Some(2)
        })
        .unwrap_or_else(|| panic!("republished as a warning\n{}", client.stderr()));
    assert_eq!(republished["params"]["version"], 2);
    assert!(client.shutdown_and_exit().success());
}
