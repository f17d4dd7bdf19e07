//! `textDocument/codeAction`: quick fixes for the diagnostics the client sent back.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{self, CodeActionParams, CodeActionResponse};

use crate::analysis;
use crate::lsp::inputs;
use crate::lsp::registry;
use crate::lsp::session::Session;
use crate::lsp::typing;
use crate::lsp::{from_proto, to_proto};

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/codeAction",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let Some(doc) = session.document(&uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let range = from_proto::range(snapshot, params.range, enc);
    let theirs = &params.context.diagnostics;
    let registry = session.registry();
    let inputs = inputs::for_document(&session.settings_for(&uri), &uri, registry.as_ref(), &doc);
    // Our diagnostics are only needed to recognise the client's; skip them when it sent none.
    let ours = if theirs.is_empty() {
        Vec::new()
    } else {
        catch_panic("diagnostics", || {
            analysis::findings(snapshot, &inputs)
                .iter()
                .map(|f| f.diagnostic.clone())
                .collect()
        })?
    };
    let echoed = from_proto::diagnostics(snapshot, enc, ours, theirs);

    let actions = catch_panic("code actions", || {
        let mut actions = analysis::code_actions_with(snapshot, &inputs, range.clone(), &echoed);
        if let Some(r) = &registry {
            let typing = typing::typing_at(&doc);
            actions.extend(registry::code_actions(r, snapshot, range, typing));
        }
        actions
    })?;
    let only = params.context.only.unwrap_or_default();
    let actions = actions
        .into_iter()
        .filter(|a| wanted(&only, &to_proto::code_action_kind(a.kind)))
        .map(|a| to_proto::code_action(snapshot, enc, session.caps(), &uri, doc.version, a, theirs))
        .collect();
    Ok(Some(actions))
}

/// Whether `kind` passes the client's `only` filter: kinds are hierarchical, so asking for
/// `refactor` includes `refactor.rewrite`.
fn wanted(only: &[ls_types::CodeActionKind], kind: &ls_types::CodeActionKind) -> bool {
    only.is_empty()
        || only.iter().any(|o| {
            let (o, k) = (o.as_str(), kind.as_str());
            k == o || k.strip_prefix(o).is_some_and(|rest| rest.starts_with('.'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ls_types::CodeActionKind as K;

    #[test]
    fn only_filter_is_hierarchical() {
        assert!(wanted(&[], &K::QUICKFIX));
        assert!(wanted(&[K::QUICKFIX], &K::QUICKFIX));
        assert!(wanted(&[K::REFACTOR], &K::REFACTOR_REWRITE));
        assert!(!wanted(&[K::REFACTOR_REWRITE], &K::REFACTOR));
        assert!(!wanted(&[K::SOURCE], &K::QUICKFIX));
        assert!(!wanted(&[K::new("quick")], &K::QUICKFIX));
    }
}
