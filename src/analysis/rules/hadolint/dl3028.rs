//! DL3028: Pin versions in gem install.

use super::pinning::*;
use super::{Cx, Finding};
use crate::shell::packages::Manager;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`gem install name` installs the newest release at build time. Pin each gem as \
        `name:1.2.3` so rebuilds are reproducible.";

/// DL3028: `gem install gem` without `:version` (unless `-v`/`--version` is given).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    report(
        cx,
        out,
        "DL3028",
        Manager::Gem,
        "Pin versions in gem install. Instead of `gem install <gem>` use `gem install \
         <gem>:<version>`",
        gems,
        |p| !p.contains(':'),
    );
}
