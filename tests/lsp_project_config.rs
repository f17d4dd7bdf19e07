//! The project configuration file (`dockerfile-ls.toml`) as the server reads it, over stdio:
//! which of it and the editor's settings wins, a malformed file, and a file changed while the
//! server runs.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use support::{Client, did_open, is_diagnostics_for};

const DOCKERFILE: &str = "FROM alpine:3.19\nRUNN echo hi\n";

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A project folder with `config` as its `dockerfile-ls.toml`, and the URI of a Dockerfile
/// in a folder below it.
fn project(config: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("dockerfile-ls.toml"), config).expect("write config");
    std::fs::create_dir_all(dir.path().join("app")).expect("create folder");
    let doc = file_uri(&dir.path().join("app/Dockerfile"));
    (dir, doc)
}

/// Opens `doc` and a control document outside any project, and says whether `doc` got
/// diagnostics: the control's arrive first, then `doc` gets a moment more.
fn opens_with_diagnostics(client: &mut Client, doc: &str) -> bool {
    let outside = tempfile::tempdir().expect("temp dir");
    let control = file_uri(&outside.path().join("Dockerfile"));
    did_open(client, doc, 1, DOCKERFILE);
    did_open(client, &control, 1, DOCKERFILE);
    client.wait_diagnostics(&control, 1);
    client
        .wait_notification(Duration::from_millis(300), |n| is_diagnostics_for(n, doc))
        .is_some()
}

#[test]
fn the_project_file_overrides_the_editor_by_default() {
    let (_dir, doc) = project("[diagnostics]\nenable = false\n");
    // As VS Code does: every setting is sent, defaults included.
    let init = json!({"diagnostics": {"enable": true}, "trace": {"server": "off"}});
    let (mut client, _) = Client::start_with(json!({}), init);
    assert!(
        !opens_with_diagnostics(&mut client, &doc),
        "the project turned diagnostics off"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn editor_first_lets_the_editor_win_and_editor_only_ignores_the_file() {
    for preference in ["editorFirst", "editorOnly"] {
        let (_dir, doc) = project("[diagnostics]\nenable = false\n");
        let init = json!({"configurationPreference": preference, "diagnostics": {"enable": true}});
        let (mut client, _) = Client::start_with(json!({}), init);
        assert!(opens_with_diagnostics(&mut client, &doc), "{preference}");
        assert!(client.shutdown_and_exit().success());
    }
    // With editorFirst, what the editor leaves unset still comes from the file.
    let (_dir, doc) = project("[diagnostics]\nenable = false\n");
    let init = json!({"configurationPreference": "editorFirst"});
    let (mut client, _) = Client::start_with(json!({}), init);
    assert!(!opens_with_diagnostics(&mut client, &doc));
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_malformed_project_file_is_shown_and_the_editor_settings_apply() {
    let (_dir, doc) = project("[diagnostics\nenable = false\n");
    let (mut client, _) = Client::start_with(json!({}), Value::Null);
    assert!(
        opens_with_diagnostics(&mut client, &doc),
        "editor settings kept"
    );
    let shown = client.wait_notification(support::TIMEOUT, |n| {
        n["method"] == "window/showMessage"
            && n["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("dockerfile-ls.toml:1:") && m.contains("invalid TOML"))
    });
    assert!(shown.is_some(), "{}", client.stderr());
    // Said once, not on every change.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 2},
               "contentChanges": [{"text": "FROM alpine\nRUNN x\n"}]}),
    );
    client.wait_diagnostics(&doc, 2);
    assert!(
        client
            .wait_notification(Duration::from_millis(200), |n| n["method"]
                == "window/showMessage")
            .is_none()
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_changed_project_file_is_read_again_when_the_client_says_so() {
    let (dir, doc) = project("[diagnostics]\nenable = false\n");
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut client, _) = Client::start_with(caps, Value::Null);
    let registration = client
        .wait_notification(support::TIMEOUT, |n| {
            n["method"] == "client/registerCapability"
        })
        .expect("the server registers file watchers");
    let watchers = &registration["params"]["registrations"][0];
    assert_eq!(watchers["method"], "workspace/didChangeWatchedFiles");
    // Ours first; hadolint's follow (see tests/lsp_hadolint_config.rs).
    let globs = &watchers["registerOptions"]["watchers"];
    assert_eq!(
        globs.as_array().and_then(|g| g.get(..2)),
        Some(
            &[
                json!({"globPattern": "**/.dockerfile-ls.toml"}),
                json!({"globPattern": "**/dockerfile-ls.toml"})
            ][..]
        ),
        "{globs}"
    );
    assert!(!opens_with_diagnostics(&mut client, &doc));

    let config = dir.path().join("dockerfile-ls.toml");
    std::fs::write(&config, "[diagnostics]\nenable = true\n").expect("rewrite config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    client.wait_diagnostics(&doc, 1);

    std::fs::remove_file(&config).expect("delete config");
    std::fs::write(
        dir.path().join("app/.dockerfile-ls.toml"),
        "diagnostics.enable = false\n",
    )
    .expect("write nearer config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 3}]}),
    );
    let cleared = client.wait_notification(support::TIMEOUT, |n| {
        is_diagnostics_for(n, &doc) && n["params"]["version"].is_null()
    });
    assert!(cleared.is_some(), "the nearer file turned them off");
    assert!(client.shutdown_and_exit().success());
}
