//! DL3042: Avoid use of cache directory with pip.

use super::installs::*;
use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "pip keeps a copy of every downloaded wheel in its cache, which ends up in the layer. Pass \
        `--no-cache-dir` (or set `PIP_NO_CACHE_DIR`), or use a `--mount=type=cache` for the cache \
        directory; the quick fix adds `--no-cache-dir`.";

/// DL3042: `pip install` without `--no-cache-dir` keeps pip's cache in the layer, unless
/// `PIP_NO_CACHE_DIR` is set (by ENV in the stage or its parents, or in the script) or a
/// cache mount holds the cache.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let no_cache = stage_env_set(cx, "PIP_NO_CACHE_DIR");
    for run in cx.runs(true) {
        if no_cache.get(run.index).copied().unwrap_or(false)
            || run.has_cache_mount(".cache/pip")
            || run
                .shell
                .scripts
                .iter()
                .any(|s| script_sets_no_cache(&s.text))
        {
            continue;
        }
        for (script, cmd) in run.commands() {
            let wrapper = |w: &str| {
                cmd.name.as_deref().is_some_and(|n| n.contains(w))
                    || cmd.name.as_deref().is_some_and(|n| n.starts_with("python"))
                        && cmd
                            .arg_values()
                            .collect::<Vec<_>>()
                            .windows(2)
                            .any(|p| p == ["-m", w])
            };
            if !crate::shell::packages::is_pip_install(cmd)
                || cmd.has_arg("--no-cache-dir")
                || wrapper("pipx")
                || wrapper("pipenv")
            {
                continue;
            }
            let mut finding = Finding::new(
                "DL3042",
                run.doc(script, cmd.range.clone()),
                "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
            );
            if let Some(word) = subcommand(cmd, &["install"]) {
                finding = finding.with_fix(
                    "Add `--no-cache-dir`",
                    vec![run.insert_after(script, word, " --no-cache-dir")],
                );
            }
            out.push(finding);
        }
    }
}
