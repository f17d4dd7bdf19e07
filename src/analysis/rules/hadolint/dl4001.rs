//! DL4001: Either use wget or curl but not both.

use super::{Cx, Finding};

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "Installing or calling both wget and curl in one image adds a tool for no reason. Pick one \
        of them for every download.";

/// DL4001: both wget and curl in one stage.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut stage = usize::MAX;
    let (mut curl, mut wget) = (false, false);
    for run in cx.runs(true) {
        let current = cx.model.stage_of(run.index).map_or(usize::MAX, |s| s.index);
        if current != stage {
            stage = current;
            (curl, wget) = (false, false);
        }
        let mut uses = false;
        for (_, cmd) in run.commands() {
            curl |= cmd.is("curl");
            wget |= cmd.is("wget");
            uses |= cmd.is_any(&["curl", "wget"]);
        }
        if uses && curl && wget {
            out.push(Finding::new(
                "DL4001",
                run.inst.keyword_range(),
                "Either use Wget or Curl but not both",
            ));
        }
    }
}
