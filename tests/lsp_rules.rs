//! The rule engine over the protocol: codes, links, sources and tags of published
//! diagnostics, the hover that explains a rule, quick fixes and "ignore" actions, the
//! severity and check settings, and `.dockerignore` read beside the Dockerfile.

mod support;

use serde_json::{Value, json};
use support::{Client, did_open};

fn diagnostics(published: &Value) -> Vec<Value> {
    published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn by_code<'a>(all: &'a [Value], code: &str) -> &'a Value {
    all.iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {all:#?}"))
}

const TEXT: &str = "FROM alpine AS Build\nMAINTAINER me\nCOPY secret.txt /s\n";

#[test]
fn buildkit_checks_are_published_with_their_rule() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join(".dockerignore"), "secret.txt\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("Dockerfile");
    let doc = format!("file://{}", file.display());
    let (mut client, _) = Client::start(json!({}));
    did_open(&mut client, &doc, 1, TEXT);
    let published = client.wait_diagnostics(&doc, 1);
    let all = diagnostics(&published);
    let casing = by_code(&all, "StageNameCasing");
    assert_eq!(casing["source"], "buildkit");
    assert_eq!(casing["severity"], 2);
    assert_eq!(
        casing["codeDescription"]["href"],
        "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"
    );
    assert_eq!(
        casing["range"]["start"],
        json!({"line": 0, "character": 15})
    );
    let maintainer = by_code(&all, "MaintainerDeprecated");
    assert_eq!(maintainer["tags"], json!([2]), "Deprecated");
    // The build context's .dockerignore is read from disk.
    let ignored = by_code(&all, "CopyIgnoredFile");
    assert_eq!(
        ignored["range"]["start"],
        json!({"line": 2, "character": 5})
    );

    // The hover over a diagnostic explains its rule.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": 17}}),
        )
        .unwrap_or_else(|e| panic!("hover failed: {e}"));
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        markdown.contains("**StageNameCasing** · buildkit"),
        "{markdown}"
    );

    // Its quick fix, and the actions that ignore it.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": doc},
                "range": casing["range"],
                "context": {"diagnostics": [casing]},
            }),
        )
        .unwrap_or_else(|e| panic!("codeAction failed: {e}"));
    let titles: Vec<&str> = actions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"Rename the stage to `build`"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Ignore StageNameCasing in this file"),
        "{titles:?}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn severities_and_check_settings() {
    let init = json!({
        "diagnostics": {"rules": {"buildkit": "hint", "MaintainerDeprecated": "off"}},
        "checks": {"skip": ["CopyIgnoredFile"]}
    });
    let (mut client, _) = Client::start_with(json!({}), init);
    let doc = support::uri("severities.Dockerfile");
    did_open(&mut client, &doc, 1, TEXT);
    let all = diagnostics(&client.wait_diagnostics(&doc, 1));
    assert_eq!(by_code(&all, "StageNameCasing")["severity"], 4);
    assert!(all.iter().all(|d| d["code"] != "MaintainerDeprecated"));
    // `checks.error` makes findings errors, as `# check=error=true` fails the build.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile-ls": {"diagnostics": {"rules": {}}, "checks": {"error": true}}}}),
    );
    let errors = client.wait_notification(support::TIMEOUT, |n| {
        support::is_diagnostics_for(n, &doc)
            && n["params"]["diagnostics"].as_array().is_some_and(|d| {
                d.iter()
                    .any(|d| d["code"] == "StageNameCasing" && d["severity"] == 1)
            })
    });
    assert!(errors.is_some(), "error=true makes the finding an error");
    assert!(client.shutdown_and_exit().success());
}
