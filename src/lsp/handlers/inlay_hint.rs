//! `textDocument/inlayHint`: image tags as they resolve today (registry cache only; a
//! missing answer starts a background fetch, and `workspace/inlayHint/refresh` follows it),
//! and the values of variables in FROM lines.

use std::time::{SystemTime, UNIX_EPOCH};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self, InlayHintKind, InlayHintLabel, InlayHintParams, InlayHintTooltip,
};

use crate::analysis::inlay_hints::{HintKind, HintKinds, ImageResolver, inlay_hints};
use crate::lsp::registry::CachedImages;
use crate::lsp::session::Session;
use crate::lsp::{from_proto, to_proto};

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/inlayHint",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: InlayHintParams,
) -> Result<Option<Vec<ls_types::InlayHint>>> {
    let uri = params.text_document.uri;
    let Some(doc) = session.document(&uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let settings = session.settings_for(&uri).inlay_hints;
    let kinds = HintKinds {
        images: settings.images,
        variables: settings.variables,
    };
    let range = from_proto::range(snapshot, params.range, enc);
    let registry = kinds.images.then(|| session.registry()).flatten();
    let today = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .map(|d| (d.as_secs() / 86_400) as i64);
    let hints = catch_panic("inlay hints", || {
        let cached = registry.as_ref().map(|registry| CachedImages { registry });
        let images = cached.as_ref().map(|c| c as &dyn ImageResolver);
        inlay_hints(snapshot, range, kinds, images, today)
    })?;
    Ok(Some(
        hints
            .into_iter()
            .map(|h| ls_types::InlayHint {
                position: to_proto::position(snapshot, h.offset, enc),
                label: InlayHintLabel::String(h.label),
                kind: Some(match h.kind {
                    HintKind::Image => InlayHintKind::TYPE,
                    HintKind::Variable => InlayHintKind::PARAMETER,
                }),
                text_edits: None,
                tooltip: h.tooltip.map(InlayHintTooltip::String),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    ))
}
