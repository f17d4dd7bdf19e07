//! What we tell the client we can do, and what we learned the client can do (as booleans).

use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CompletionOptions, DocumentOnTypeFormattingOptions, HoverProviderCapability, OneOf,
    PositionEncodingKind, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions,
};
use tower_lsp_server::ls_types::{
    DeclarationCapability, DocumentLinkOptions, FoldingRangeProviderCapability, RenameOptions,
    SelectionRangeProviderCapability, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, SignatureHelpOptions, WorkDoneProgressOptions,
};

use crate::text::PositionEncoding;

/// Characters after which the editor should ask for completions unprompted: a space after an
/// instruction keyword, `-` starting a flag, `=` after a flag name, `$`/`{` starting a
/// variable, `:` before an image tag, `/` inside image names and paths, `,` between mount
/// options.
pub(crate) const COMPLETION_TRIGGERS: [&str; 8] = [" ", "-", "=", "$", "{", ":", "/", ","];

/// Characters after which signature help is worth showing: a space between arguments, `-`
/// and `=` in flags, `,` between mount keys, `[` opening an exec form.
pub(crate) const SIGNATURE_TRIGGERS: [&str; 5] = [" ", "-", "=", ",", "["];

/// The client capabilities we act on, flattened once at `initialize` so that handlers test a
/// boolean instead of walking nested options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ClientCaps {
    /// We may ask for `workspace/configuration`.
    pub pull_configuration: bool,
    /// `workspace/didChangeConfiguration` needs registering before the client sends it.
    pub register_configuration_changes: bool,
    /// Completion items may carry snippets.
    pub snippets: bool,
    /// Workspace edits may be versioned `documentChanges`.
    pub document_changes: bool,
    /// We may create work-done progress (`window.workDoneProgress`).
    pub work_done_progress: bool,
    /// We may ask the client to watch files (project configuration files).
    pub register_file_watchers: bool,
    /// Navigation, folding, semantic tokens and hints: see [`NavCaps`].
    pub nav: NavCaps,
}

/// What the client says about the navigation requests (outline, rename, folding, semantic
/// tokens, inlay hints).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct NavCaps {
    /// `textDocument/prepareRename` is sent before a rename.
    pub prepare_rename: bool,
    /// The client asks for semantic tokens: only then do we announce them.
    pub semantic_tokens: bool,
    /// Document symbols may be a tree (`DocumentSymbol` rather than `SymbolInformation`).
    pub hierarchical_symbols: bool,
    /// Folding ranges are whole lines (no start or end character).
    pub line_folding_only: bool,
    /// At most this many folding ranges.
    pub folding_range_limit: Option<u32>,
    /// `workspace/inlayHint/refresh` may be sent.
    pub inlay_hint_refresh: bool,
}

impl NavCaps {
    fn from_proto(caps: &ClientCapabilities) -> NavCaps {
        let text = caps.text_document.as_ref();
        let folding = text.and_then(|t| t.folding_range.as_ref());
        let tokens = text.and_then(|t| t.semantic_tokens.as_ref());
        NavCaps {
            prepare_rename: text
                .and_then(|t| t.rename.as_ref())
                .and_then(|r| r.prepare_support)
                == Some(true),
            semantic_tokens: tokens.is_some(),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                == Some(true),
            line_folding_only: folding.and_then(|f| f.line_folding_only) == Some(true),
            folding_range_limit: folding.and_then(|f| f.range_limit),
            inlay_hint_refresh: caps
                .workspace
                .as_ref()
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|i| i.refresh_support)
                == Some(true),
        }
    }
}

impl ClientCaps {
    pub fn from_proto(caps: &ClientCapabilities) -> ClientCaps {
        let workspace = caps.workspace.as_ref();
        ClientCaps {
            pull_configuration: workspace.and_then(|w| w.configuration) == Some(true),
            register_configuration_changes: workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                == Some(true),
            snippets: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                == Some(true),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                == Some(true),
            work_done_progress: caps.window.as_ref().and_then(|w| w.work_done_progress)
                == Some(true),
            register_file_watchers: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                == Some(true),
            nav: NavCaps::from_proto(caps),
        }
    }
}

/// The encoding to use, from `general.positionEncodings` (UTF-16 when absent).
pub(crate) fn position_encoding(caps: &ClientCapabilities) -> PositionEncoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref())
        .unwrap_or_default();
    PositionEncoding::negotiate(offered.iter().map(PositionEncodingKind::as_str))
}

/// Everything we announce in the `initialize` result.
pub(crate) fn server_capabilities(
    encoding: PositionEncoding,
    caps: ClientCaps,
) -> ServerCapabilities {
    let nav = caps.nav;
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::from(encoding.lsp_name())),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            resolve_provider: Some(true),
            trigger_characters: Some(COMPLETION_TRIGGERS.iter().map(|&c| c.into()).collect()),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        document_on_type_formatting_provider: Some(DocumentOnTypeFormattingOptions {
            first_trigger_character: "\n".into(),
            more_trigger_character: None,
        }),
        definition_provider: Some(OneOf::Left(true)),
        declaration_provider: Some(DeclarationCapability::Simple(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(if nav.prepare_rename {
            OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        } else {
            OneOf::Left(true)
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(SIGNATURE_TRIGGERS.iter().map(|&c| c.into()).collect()),
            retrigger_characters: None,
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: nav.semantic_tokens.then(|| {
            SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                legend: super::semantic_tokens::legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        ..ServerCapabilities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn caps(v: serde_json::Value) -> ClientCapabilities {
        serde_json::from_value(v).unwrap_or_default()
    }

    #[test]
    fn flattens_what_we_use() {
        let c = caps(json!({
            "workspace": {
                "configuration": true,
                "didChangeConfiguration": {"dynamicRegistration": true},
                "workspaceEdit": {"documentChanges": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true}
            },
            "window": {"workDoneProgress": true},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}},
            "general": {"positionEncodings": ["utf-16", "utf-32"]}
        }));
        let flat = ClientCaps::from_proto(&c);
        assert_eq!(
            flat,
            ClientCaps {
                pull_configuration: true,
                register_configuration_changes: true,
                snippets: true,
                document_changes: true,
                work_done_progress: true,
                register_file_watchers: true,
                nav: NavCaps::default(),
            }
        );
        assert_eq!(position_encoding(&c), PositionEncoding::Utf32);
        assert_eq!(
            ClientCaps::from_proto(&caps(json!({}))),
            ClientCaps::default()
        );
        assert_eq!(position_encoding(&caps(json!({}))), PositionEncoding::Utf16);
    }
}
