//! DL3020: Use COPY instead of ADD for files and folders.

use super::files::*;
use super::{Cx, Finding};
use crate::analysis::Edit;
use crate::model::SpannedStr;
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "ADD also fetches URLs and unpacks archives, so using it to copy plain files hides intent \
        and can surprise. Use COPY for files and folders and keep ADD for remote sources and \
        archive extraction; the quick fix replaces ADD by COPY.";

/// DL3020: ADD of local files or folders, which COPY does without ADD's surprises (it
/// would unpack a local archive, or fetch a URL).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Add) {
        let Some((sources, _)) = paths(inst) else {
            continue;
        };
        let plain = |s: &SpannedStr| {
            let v = drop_quotes(&s.value);
            !is_archive(v) && !v.starts_with("https://") && !v.starts_with("http://")
        };
        if !sources.iter().any(plain) {
            continue;
        }
        let mut finding = Finding::new(
            "DL3020",
            inst.keyword_range(),
            "Use COPY instead of ADD for files and folders",
        );
        // Flags only ADD has would be refused by COPY.
        let add_only = inst
            .command()
            .flags
            .iter()
            .any(|f| matches!(f.name.as_str(), "checksum" | "keep-git-dir" | "unpack"));
        if !add_only && sources.iter().all(plain) {
            let keyword = &inst.command().keyword;
            let copy = if keyword.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            finding = finding.with_fix(
                "Use COPY",
                vec![Edit {
                    range: inst.keyword_range(),
                    new_text: copy.into(),
                }],
            );
        }
        out.push(finding);
    }
}
