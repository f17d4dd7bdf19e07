//! `initialize`: negotiate the position encoding, read the client's capabilities and
//! `initializationOptions`, announce ours.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InitializeParams, InitializeResult, ServerInfo};

use crate::lsp::capabilities::{self, ClientCaps};
use crate::lsp::configuration::section_of;
use crate::lsp::session::Session;

#[tracing::instrument(name = "initialize", level = "debug", skip_all)]
pub(crate) fn handle(session: &Session, params: InitializeParams) -> Result<InitializeResult> {
    let encoding = capabilities::position_encoding(&params.capabilities);
    let caps = ClientCaps::from_proto(&params.capabilities);
    session.negotiate(encoding, caps);
    session.build_contexts.set_roots(workspace_roots(&params));
    if let Some(options) = params.initialization_options {
        // Some clients wrap the options in our section name, as in their settings files.
        session.set_init_options(section_of(&options).clone());
    }
    let client = params.client_info.map(|c| c.name);
    tracing::info!(?client, encoding = encoding.lsp_name(), "initialize");
    Ok(InitializeResult {
        capabilities: capabilities::server_capabilities(encoding, caps),
        server_info: Some(ServerInfo {
            name: "dockerfile-ls".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        ..InitializeResult::default()
    })
}

/// The workspace folders as paths (the deprecated `rootUri` when the client sends no
/// folders), where compose and bake files are looked for.
fn workspace_roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let folders = params.workspace_folders.iter().flatten().map(|f| &f.uri);
    #[allow(deprecated)] // Older clients send only `rootUri`.
    let root = params.root_uri.iter();
    let mut roots: Vec<std::path::PathBuf> = folders
        .chain(root)
        .filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
        .collect();
    roots.dedup();
    roots
}
