//! DL3022: COPY --from should reference a previously defined FROM alias.

use super::stages::*;
use super::{Cx, Finding};
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "`COPY --from=name` takes files from an earlier stage called `name`; when no earlier stage \
        has that name, BuildKit pulls an image of that name instead, which is usually a typo. \
        Reference a stage defined above, or a full image reference.";

/// DL3022: `COPY --from=` naming neither an earlier stage nor an image.
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut aliases: Vec<String> = Vec::new();
    let mut count = 0usize;
    // Only the window is checked; what comes after it tells nothing about it.
    for (index, inst) in cx.through_window(&[InstructionKind::From, InstructionKind::Copy]) {
        match inst.kind() {
            InstructionKind::From => {
                count += 1;
                if let Some((alias, image)) = stage_key(inst)
                    && alias != image
                {
                    aliases.push(alias);
                }
            }
            InstructionKind::Copy if cx.visits(index) => {
                let Some(flag) = inst.command().flag("from") else {
                    continue;
                };
                let v = flag.value.as_deref().unwrap_or("");
                let ok = v.trim_matches(['"', '\'']).contains(':')
                    || aliases.iter().any(|a| a == v)
                    || v.parse::<usize>().is_ok_and(|n| n < count);
                if !ok {
                    out.push(Finding::new(
                        "DL3022",
                        inst.abs(flag.value_range.as_ref().unwrap_or(&flag.range)),
                        "`COPY --from` should reference a previously defined `FROM` alias",
                    ));
                }
            }
            _ => {}
        }
    }
}
