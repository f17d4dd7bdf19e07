//! The language server: the only part of the crate that knows LSP.
//!
//! `server` routes each method to a small handler in `handlers`; handlers read an immutable
//! snapshot from `documents`, call `crate::analysis`, and convert with `from_proto` /
//! `to_proto` (the only places that translate between LSP positions and our byte offsets).
//! `transport` frames stdio in front of tower-lsp-server so that malformed input is answered
//! instead of ending the session; `arrivals` and `departures` carry large `didOpen`s in and
//! large answers out without tower-lsp-server's JSON values.
//!
//! Stdout belongs to the protocol: nothing here prints; logs go to stderr through `tracing`
//! and, for the important ones, to the client through `logging`.

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod answer_json;
mod arrivals;
mod build_context;
mod capabilities;
mod configuration;
mod departures;
mod documents;
pub mod ext;
mod from_proto;
mod handlers;
mod inputs;
mod logging;
mod nav_to_proto;
mod outbox;
mod progress;
mod reclaim;
mod registry;
mod republish;
mod semantic_tokens;
mod server;
mod session;
mod shellcheck;
mod to_proto;
mod transport;
mod typing;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tower_lsp_server::LspService;
use tower_lsp_server::ls_types::notification::Notification as _;
use tower_lsp_server::ls_types::request::Request as _;

pub use logging::{ClientLog, ClientLogLayer, client_log_layer, init_with_client_layer};

use arrivals::{Arrivals, ArrivedOpen};
use ext::DocumentText;
use server::Backend;
use session::Session;

/// Serves LSP on stdin/stdout until the client sends `exit` or closes stdin.
///
/// Exit code 0 after `shutdown` + `exit`; 1 otherwise, as the specification asks.
/// `log` is the receiving end of the client-log layer installed in the global subscriber.
pub fn run_stdio(log: ClientLog) -> ExitCode {
    // One worker is plenty: handlers run inside the serving future on the main thread, and
    // the worker only forwards log lines to the client.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!("cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let arrivals = Arc::new(Arrivals::default());
    let stdio = match transport::Stdio::start(runtime.handle(), Arc::clone(&arrivals)) {
        Ok(stdio) => stdio,
        Err(err) => {
            tracing::error!("cannot start the stdio threads: {err}");
            return ExitCode::FAILURE;
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&shutdown);
    let outbox = outbox::Outbox::new(stdio.queue());
    let (service, socket) = LspService::build(move |client| {
        Backend::new(Session::new(client, outbox, log, flag, arrivals))
    })
    .custom_method(DocumentText::METHOD, Backend::document_text)
    .custom_method(ArrivedOpen::METHOD, Backend::arrived_open)
    .finish();
    let (input, output, threads) = stdio.into_parts();
    runtime.block_on(tower_lsp_server::Server::new(input, output, socket).serve(service));
    threads.finish();
    // Background work (the log forwarder) has nothing left worth waiting for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    if shutdown.load(Ordering::SeqCst) {
        tracing::info!("exiting after shutdown");
        ExitCode::SUCCESS
    } else {
        tracing::warn!("exiting without a shutdown request");
        ExitCode::from(1)
    }
}
