//! DL3018: Pin versions in apk add.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::packages::Manager;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`apk add pkg` installs whatever version the Alpine mirror has at build time. Pin each \
        package as `pkg=1.2.3-r0` (or with `~`, `>` or `<`) so rebuilds are reproducible; an \
        `.apk` file counts as pinned.";

/// DL3018: `apk add pkg` without `=version` (or `~`, `>`, `<`; an `.apk` file is pinned).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3018",
        Manager::Apk,
        "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
        |c| operands(c, "apk", &["add"], &["t", "virtual", "repository", "X"]),
        |p| !(p.contains(['=', '~', '>', '<']) || p.ends_with(".apk")),
    );
}
