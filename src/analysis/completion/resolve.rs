//! `completionItem/resolve`: the rendered catalog page of the item the user selected.
//!
//! Items go out without documentation (a keyword list would otherwise carry 18 rendered
//! pages). Everything needed to find the page again is in fields the client sends back
//! unchanged: the kind and label, and for values the detail (see the `*_DETAIL` constants).

use super::arguments::{HEALTHCHECK_CMD_DETAIL, HEALTHCHECK_NONE_DETAIL};
use super::directives::CHECK_DETAIL;
use super::mounts::{KEY_DETAIL_PREFIX, TYPE_DETAIL};
use crate::analysis::{CompletionItem, CompletionKind};
use crate::catalog;

/// `item` with its documentation filled in when the catalog has a page for it; unchanged
/// otherwise (and when it already has documentation).
pub fn completion_resolve(item: &CompletionItem) -> CompletionItem {
    let mut out = item.clone();
    if out.documentation.is_none() {
        out.documentation = documentation(item);
    }
    out
}

fn documentation(item: &CompletionItem) -> Option<String> {
    let label = item.label.as_str();
    match item.kind {
        CompletionKind::Keyword => {
            let detail = item.detail.as_deref();
            let name = if detail == Some(HEALTHCHECK_CMD_DETAIL)
                || detail == Some(HEALTHCHECK_NONE_DETAIL)
            {
                "HEALTHCHECK"
            } else {
                label
            };
            catalog::instruction(name).map(catalog::markdown_for_instruction)
        }
        CompletionKind::Flag => {
            let name = label.trim_start_matches('-');
            catalog::flags::all_flags()
                .iter()
                .find(|f| f.name == name)
                .map(catalog::markdown_for_flag)
        }
        CompletionKind::Directive => {
            // `syntax`, or a whole line such as `# syntax=docker/dockerfile:1`.
            let name = label.trim_start_matches(['#', ' ']);
            let name = name.split('=').next().unwrap_or(name);
            catalog::directive(name).map(catalog::markdown_for_directive)
        }
        CompletionKind::Variable => {
            let name = label.trim_start_matches(['$', '{']).trim_end_matches('}');
            catalog::predefined_arg(name).map(catalog::markdown_for_arg)
        }
        CompletionKind::Value => {
            let detail = item.detail.as_deref()?;
            if detail == TYPE_DETAIL {
                catalog::mount_type(label).map(catalog::markdown_for_mount_type)
            } else if let Some(ty) = detail.strip_prefix(KEY_DETAIL_PREFIX) {
                catalog::mounts::any_mount_key(label)
                    .map(|doc| catalog::markdown_for_mount_key(doc, Some(ty)))
            } else if detail == CHECK_DETAIL {
                catalog::check(label).map(catalog::markdown_for_check)
            } else {
                None
            }
        }
        CompletionKind::Stage
        | CompletionKind::Image
        | CompletionKind::Tag
        | CompletionKind::Snippet => None,
    }
}
