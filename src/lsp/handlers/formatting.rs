//! `textDocument/formatting`, and the options every formatting request shares: the
//! editor's `FormattingOptions` under the `format` settings.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentFormattingParams, FormattingOptions, TextEdit};

use crate::analysis::format::{self, Because, FormatOptions, Formatted};
use crate::config::FormatSettings;
use crate::lsp::session::Session;
use crate::lsp::to_proto;

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
    let settings = session.settings_for(&params.text_document.uri);
    if !settings.format.enable {
        return Ok(None);
    }
    let Some(doc) = session.document(&params.text_document.uri) else {
        return Ok(None);
    };
    let (snapshot, enc) = (&doc.snapshot, session.encoding());
    let opts = options(&settings.format, &params.options);
    let (edits, formatted) = catch_panic("formatting", || format::edits(snapshot, &opts))?;
    log_kept(
        params.text_document.uri.as_str(),
        snapshot.text(),
        &formatted,
    );
    Ok(Some(
        edits
            .into_iter()
            .map(|e| to_proto::text_edit(snapshot, enc, e))
            .collect(),
    ))
}

/// The formatter's options: the `format` settings, with the indent from the editor unless
/// the settings fix it. Absent booleans of the editor keep the formatter's defaults.
pub(crate) fn options(settings: &FormatSettings, editor: &FormattingOptions) -> FormatOptions {
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
pub(crate) fn log_kept(uri: &str, text: &str, formatted: &Formatted) {
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
