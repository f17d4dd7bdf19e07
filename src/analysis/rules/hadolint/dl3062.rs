//! DL3062: Pin versions in go install.

use super::{Cx, Finding};
use crate::shell::packages::Manager;
use crate::shell::{Script, Word};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`go install`, `go get` or `go run` of a module without a fixed version fetches whatever \
        is newest at build time. Name a version (`pkg@v1.2.3`).";

/// DL3062: `go install`/`go get`/`go run` of a package without `@version` (or with
/// `@latest`/`@none`).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    if !cx.options.pins(Manager::Go) {
        return;
    }
    for run in cx.runs(true) {
        let mut found: Vec<(&Script, &Word)> = Vec::new();
        for (script, cmd) in run.commands() {
            if cmd.has_args("go", &["run"]) {
                let words = cmd.operands(&[]);
                found.extend(
                    words
                        .into_iter()
                        .take(2)
                        .filter(|w| w.value != "run")
                        .map(|w| (script, w)),
                );
            }
        }
        if found.is_empty() {
            for (script, cmd) in run.commands() {
                if cmd.has_args("go", &["install", "get"]) {
                    found.extend(
                        cmd.operands(&[])
                            .into_iter()
                            .filter(|w| !["install", "get", "tool"].contains(&w.value.as_str()))
                            .map(|w| (script, w)),
                    );
                }
            }
        }
        for (script, word) in found {
            let p = word.value.as_str();
            let local = p == "." || p.starts_with('/') || p.starts_with('.');
            let pinned = p.contains('@') && !p.ends_with("@latest") && !p.ends_with("@none");
            if !local && !pinned {
                out.push(Finding::new(
                    "DL3062",
                    run.word(script, word),
                    "Pin versions in go. Instead of `go install <package>` use `go install \
                     <package>@<version>`",
                ));
            }
        }
    }
}
