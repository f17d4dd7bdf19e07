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
    session.negotiate(encoding, ClientCaps::from_proto(&params.capabilities));
    if let Some(options) = params.initialization_options {
        // Some clients wrap the options in our section name, as in their settings files.
        session.set_init_options(section_of(&options).clone());
    }
    let client = params.client_info.map(|c| c.name);
    tracing::info!(?client, encoding = encoding.lsp_name(), "initialize");
    Ok(InitializeResult {
        capabilities: capabilities::server_capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "dockerfile-ls".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        ..InitializeResult::default()
    })
}
