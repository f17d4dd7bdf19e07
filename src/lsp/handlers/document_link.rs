//! `textDocument/documentLink`: registry pages of images and of the `# syntax=` frontend,
//! and local `COPY`/`ADD` sources, whose file URI waits for `documentLink/resolve`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentLink, DocumentLinkParams, Uri};

use crate::analysis::links::{LinkTarget, document_links};
use crate::lsp::session::Session;
use crate::lsp::to_proto;

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/documentLink",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    let uri = params.text_document.uri;
    let Some(doc) = session.document(&uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let context = session.build_context(&uri);
    let links = catch_panic("document links", || {
        document_links(snapshot, context.as_deref())
    })?;
    Ok(Some(
        links
            .into_iter()
            .map(|l| {
                let (target, data) = match l.target {
                    LinkTarget::Url(url) => (url.parse::<Uri>().ok(), None),
                    // Resolved later: turning paths into URIs is the part worth deferring.
                    LinkTarget::File(path) => (None, Some(serde_json::json!({ "path": path }))),
                };
                DocumentLink {
                    range: to_proto::range(snapshot, l.range, enc),
                    target,
                    tooltip: Some(l.tooltip),
                    data,
                }
            })
            .collect(),
    ))
}

/// `documentLink/resolve`: the file URI of a local source.
pub(crate) fn resolve(mut link: DocumentLink) -> Result<DocumentLink> {
    if link.target.is_none()
        && let Some(path) = link
            .data
            .as_ref()
            .and_then(|d| d.get("path"))
            .and_then(|p| p.as_str())
    {
        link.target = Uri::from_file_path(path);
    }
    Ok(link)
}
