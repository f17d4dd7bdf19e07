//! `textDocument/signatureHelp`: the forms of the instruction or flag at the cursor.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self, Documentation, ParameterInformation, ParameterLabel, SignatureHelpParams,
    SignatureInformation,
};

use crate::analysis::signature_help::signature_help;
use crate::lsp::session::Session;

use super::{catch_panic, document_at};

#[tracing::instrument(
    name = "textDocument/signatureHelp",
    level = "debug",
    skip_all,
    fields(uri = params.text_document_position_params.text_document.uri.as_str())
)]
pub(crate) fn handle(
    session: &Session,
    params: SignatureHelpParams,
) -> Result<Option<ls_types::SignatureHelp>> {
    let Some((doc, offset)) = document_at(session, &params.text_document_position_params) else {
        return Ok(None);
    };
    let help = catch_panic("signature help", || signature_help(&doc.snapshot, offset))?;
    Ok(help.map(|h| ls_types::SignatureHelp {
        signatures: h
            .signatures
            .into_iter()
            .map(|s| SignatureInformation {
                parameters: Some(
                    s.parameters
                        .iter()
                        .map(|r| ParameterInformation {
                            // Offsets in UTF-16 code units of the label, as LSP counts them.
                            label: ParameterLabel::LabelOffsets([
                                utf16_len(&s.label[..r.start]),
                                utf16_len(&s.label[..r.end]),
                            ]),
                            documentation: None,
                        })
                        .collect(),
                ),
                documentation: s.documentation.map(Documentation::String),
                active_parameter: None,
                label: s.label,
            })
            .collect(),
        active_signature: u32::try_from(h.active_signature).ok(),
        active_parameter: h.active_parameter.and_then(|p| u32::try_from(p).ok()),
    }))
}

fn utf16_len(s: &str) -> u32 {
    u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX)
}
