//! Publishing diagnostics (`textDocument/publishDiagnostics`), pushed after every change.

use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::analysis;
use crate::analysis::rules::Found;
use crate::config::Settings;
use crate::lsp::answer_json;
use crate::lsp::documents::Document;
use crate::lsp::inputs;
use crate::lsp::registry;
use crate::lsp::session::Session;
use crate::lsp::shellcheck;
use crate::lsp::typing;
use crate::model::PARALLEL_FROM;

use super::catch_panic;

/// Publishes the diagnostics of `doc` (the version just stored), if the user wants them.
pub(crate) async fn publish(session: &Session, uri: Uri, doc: &Document) {
    let settings = session.settings_for(&uri);
    if !settings.diagnostics.enable {
        return;
    }
    let diagnostics = compute(session, &uri, doc, &settings);
    send_if_current(session, uri, doc, diagnostics).await;
}

/// Publishes the diagnostics of `uri` again (registry data arrived), if it is still open
/// and the user wants them.
pub(crate) async fn republish(session: &Session, uri: Uri) {
    let settings = session.settings_for(&uri);
    if !settings.diagnostics.enable {
        return;
    }
    let Some(doc) = session.documents.get(&uri) else {
        return;
    };
    let diagnostics = compute(session, &uri, &doc, &settings);
    send_if_current(session, uri, &doc, diagnostics).await;
}

/// Sends diagnostics computed for `doc` unless a change (or a close) came after it: that
/// one publishes its own, and an older set must never arrive after a newer one. Handlers
/// run concurrently, so the check and the send happen under one lock that every publication
/// takes: a publication that finds its text still current is on its way to the client
/// before any later one can be sent.
async fn send_if_current(session: &Session, uri: Uri, doc: &Document, diagnostics: Vec<u8>) {
    let _order = session.publishing.lock().await;
    if !session.documents.is_current(&uri, doc) {
        return;
    }
    session
        .outbox
        .publish_diagnostics(uri, diagnostics, Some(doc.version));
}

/// The diagnostics of `doc`, as the JSON the outbox publishes (see
/// [`answer_json::diagnostics`]).
fn compute(session: &Session, uri: &Uri, doc: &Document, settings: &Settings) -> Vec<u8> {
    let enc = session.encoding();
    let snapshot = &doc.snapshot;
    let registry = session.registry();
    let inputs = inputs::for_document(settings, uri, registry.as_ref(), doc);
    let context = session.build_context(uri);
    // A panicking analysis publishes nothing for this version rather than stale results.
    let found = catch_panic("diagnostics", || {
        let engine: Arc<[Found]> = match &registry {
            // The registry's checks need the image sites: on a large file, find them beside
            // the other diagnostics, which take about as long.
            Some(_) if snapshot.model.instructions.len() >= PARALLEL_FROM => {
                rayon::join(
                    || analysis::rules::run(snapshot, &inputs),
                    || snapshot.image_sites().len(),
                )
                .0
            }
            _ => analysis::rules::run(snapshot, &inputs),
        }
        .into();
        snapshot.remember_findings(Arc::clone(&engine));
        let mut found = Vec::new();
        if let Some(r) = &registry {
            let typing = typing::typing_at(doc);
            let extra = registry::diagnostics(r, snapshot, &settings.diagnostics, typing);
            found.extend(analysis::rules::configure_found_elsewhere(
                snapshot, &inputs, extra,
            ));
        }
        let scripts = shellcheck::diagnostics(session, uri, doc, &settings.shellcheck, &inputs);
        found.extend(analysis::rules::configure_found_elsewhere(
            snapshot, &inputs, scripts,
        ));
        if let Some(ctx) = &context {
            let missing = analysis::build_context::missing_sources(snapshot, ctx);
            found.extend(analysis::rules::configure_found_elsewhere(
                snapshot, &inputs, missing,
            ));
        }
        (engine, found)
    });
    let Ok((engine, elsewhere)) = found else {
        return Vec::new();
    };
    let all: Vec<&analysis::Diagnostic> = engine
        .iter()
        .map(|f| &f.diagnostic)
        .chain(&elsewhere)
        .collect();
    let write = |part: &[&analysis::Diagnostic]| answer_json::diagnostics(snapshot, enc, uri, part);
    // Hundreds of diagnostics on a large file: both cores write them, half each.
    if all.len() >= PARALLEL_FROM {
        let (first, second) = all.split_at(all.len() / 2);
        let (mut json, rest) = rayon::join(|| write(first), || write(second));
        json.push(b',');
        json.extend_from_slice(&rest);
        json
    } else {
        write(&all)
    }
}

/// Removes everything we published for `uri`.
pub(crate) async fn clear(session: &Session, uri: Uri) {
    let _order = session.publishing.lock().await;
    session.outbox.publish_diagnostics(uri, Vec::new(), None);
}

/// After a settings change: publish for every open document, or clear those whose
/// diagnostics were turned off.
pub(crate) async fn refresh_all(session: &Session) {
    for uri in session.documents.uris() {
        if !session.settings_for(&uri).diagnostics.enable {
            clear(session, uri).await;
        } else if let Some(doc) = session.documents.get(&uri) {
            publish(session, uri, &doc).await;
        }
    }
}
