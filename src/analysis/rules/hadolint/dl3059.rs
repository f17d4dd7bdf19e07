//! DL3059: Multiple consecutive RUN instructions.

use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Each RUN makes a layer; consecutive RUNs with no other instruction between them can \
        usually be joined with `&&`, which gives fewer layers and lets a cleanup in the same RUN \
        really shrink the image.";

/// DL3059: consecutive RUNs with the same flags that each run one command could be one
/// layer; a RUN that chains several commands was split on purpose. (hadolint's threshold
/// of two counts every command twice, as ShellCheck's tree wraps each in a redirection
/// node.) Comments between RUNs do not separate them; any other instruction does.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    // The flags and command count of the RUN just before, if the previous instruction was one.
    let mut previous: Option<(Vec<String>, usize)> = None;
    for (index, inst) in cx.indexed() {
        if inst.kind() != InstructionKind::Run {
            previous = None;
            continue;
        }
        let mut flags: Vec<String> = inst
            .command()
            .flags
            .iter()
            .map(|f| f.text.to_string())
            .collect();
        flags.sort();
        // A RUN another shell runs is one command line to the rule.
        let count = if cx.shell.state(index).dialect.is_shell() {
            cx.shell.shell(index).map_or(0, |s| {
                s.commands().filter(|(_, c)| c.name.is_some()).count()
            })
        } else {
            1
        };
        if let Some((prev_flags, prev_count)) = &previous
            && *prev_flags == flags
            && count <= 1
            && *prev_count <= 1
        {
            out.push(Finding::new(
                "DL3059",
                inst.keyword_range(),
                "Multiple consecutive `RUN` instructions. Consider consolidation.",
            ));
            continue;
        }
        previous = Some((flags, count));
    }
}
