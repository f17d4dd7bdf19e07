//! `textDocument/formatting`, and the options every formatting request shares: the
//! editor's `FormattingOptions` under the `format` settings.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentFormattingParams, FormattingOptions, TextEdit, Uri};

use crate::analysis::format::{self, Because, FormatOptions, Formatted};
use crate::analysis::{Edit, Snapshot};
use crate::config::FormatSettings;
use crate::lsp::session::Session;
use crate::lsp::to_proto;
use crate::text::PositionEncoding;

use super::catch_panic;

#[tracing::instrument(
    name = "textDocument/formatting",
    level = "debug",
    skip_all,
    fields(uri = params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let uri = &params.text_document.uri;
    answer(
        session,
        uri,
        &params.options,
        "formatting",
        |snapshot, _, opts| {
            let (edits, formatted) = format::edits(snapshot, opts);
            (edits, Some(formatted))
        },
    )
}

/// What every formatting request does around its own call `run`: nothing when formatting is
/// off or the document is not open; else `run` with the options for the document (a panic is
/// an error answer), the instructions it left as written logged, its edits in the client's
/// encoding.
pub(crate) fn answer(
    session: &Session,
    uri: &Uri,
    editor: &FormattingOptions,
    what: &str,
    run: impl FnOnce(&Snapshot, PositionEncoding, &FormatOptions) -> (Vec<Edit>, Option<Formatted>),
) -> Result<Option<Vec<TextEdit>>> {
    let settings = session.settings_for(uri);
    if !settings.format.enable {
        return Ok(None);
    }
    let Some(doc) = session.document(uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let opts = options(&settings.format, editor);
    let (edits, formatted) = catch_panic(what, || run(snapshot, enc, &opts))?;
    if let Some(formatted) = &formatted {
        log_kept(uri.as_str(), snapshot.text(), formatted);
    }
    Ok(Some(
        edits
            .into_iter()
            .map(|e| to_proto::text_edit(snapshot, enc, e))
            .collect(),
    ))
}

/// The formatter's options: the `format` settings, with the indent from the editor unless
/// the settings fix it. Absent booleans of the editor keep the formatter's defaults.
fn options(settings: &FormatSettings, editor: &FormattingOptions) -> FormatOptions {
    let d = FormatOptions::default();
    settings.options(FormatOptions {
        indent_width: editor.tab_size as usize,
        use_tabs: !editor.insert_spaces,
        trim_trailing_whitespace: editor
            .trim_trailing_whitespace
            .unwrap_or(d.trim_trailing_whitespace),
        insert_final_newline: editor
            .insert_final_newline
            .unwrap_or(d.insert_final_newline),
        ..d
    })
}

/// Says in the log why instructions were left as written (`fmt off` regions excepted).
fn log_kept(uri: &str, text: &str, formatted: &Formatted) {
    for kept in &formatted.kept {
        let line = crate::text::point_of(text, kept.range.start).0 + 1;
        match &kept.because {
            Because::Suppressed => {}
            Because::MeaningWouldChange(_) => {
                tracing::warn!("{uri}:{line}: {}", kept.because);
            }
            Because::Unformattable(_) => tracing::info!("{uri}:{line}: {}", kept.because),
        }
    }
}
