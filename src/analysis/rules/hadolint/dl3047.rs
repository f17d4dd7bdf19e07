//! DL3047: Avoid use of wget without progress bar.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "wget prints a progress line per chunk when it is not on a terminal, which floods the \
        build log. Pass `--progress=dot:giga` to keep the log readable; the quick fix adds it.";

/// DL3047: `wget` without a progress setting prints a bar per kilobyte into the build log.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (run, script, cmd) in cx.run_commands(true) {
        if !cmd.is("wget")
            || cmd.has_flag("progress")
            || cmd.has_any_flag(&["q", "quiet", "o", "output-file", "a", "append-output"])
            || cmd.has_flag("no-verbose")
            || cmd.has_arg("-nv")
        {
            continue;
        }
        let mut finding = Finding::new(
            "DL3047",
            run.doc(script, cmd.range.clone()),
            "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or \
             consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
        );
        if let Some(first) = &cmd.first {
            finding = finding.with_fix(
                "Add `--progress=dot:giga`",
                vec![run.insert_after(script, first, " --progress=dot:giga")],
            );
        }
        out.push(finding);
    }
}
