//! The `dockerfile-ls` binary: a language server on stdio, and subcommands for people and CI.

#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Where the log filter comes from, e.g. `DOCKERFILE_LS_LOG=dockerfile_ls=debug`.
const LOG_ENV: &str = "DOCKERFILE_LS_LOG";

/// A fast, BuildKit-faithful language server for Dockerfiles.
///
/// Without a subcommand, serves the Language Server Protocol on stdin/stdout.
#[derive(Debug, Parser)]
#[command(
    name = "dockerfile-ls",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Serve LSP over stdin/stdout (the default; accepted because editors pass it).
    #[arg(long)]
    stdio: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print what the server understands of a Dockerfile: its semantic model, or its tree.
    Dump {
        /// Print the syntax tree instead of the model.
        #[arg(long)]
        tree: bool,
        /// The Dockerfile to read.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (filter, bad_filter) = log_filter();
    match cli.command {
        Some(Command::Dump { tree, file }) => {
            init_stderr_logging(filter);
            warn_bad_filter(bad_filter);
            dockerfile_ls::cli::dump::run(&file, tree)
        }
        None => {
            // `--stdio` is the only transport, so the flag changes nothing.
            let _ = cli.stdio;
            let (layer, client_log) = dockerfile_ls::lsp::client_log_layer();
            dockerfile_ls::lsp::init_with_client_layer(filter, layer);
            warn_bad_filter(bad_filter);
            install_panic_hook();
            dockerfile_ls::lsp::run_stdio(client_log)
        }
    }
}

/// The stderr log filter from `DOCKERFILE_LS_LOG`, `info` by default, and the complaint to
/// log (once logging works) if the variable could not be parsed.
fn log_filter() -> (EnvFilter, Option<String>) {
    match std::env::var(LOG_ENV) {
        Err(_) => (EnvFilter::new("info"), None),
        Ok(spec) => match EnvFilter::try_new(&spec) {
            Ok(filter) => (filter, None),
            Err(err) => (
                EnvFilter::new("info"),
                Some(format!("ignoring {LOG_ENV}={spec:?}: {err}")),
            ),
        },
    }
}

fn warn_bad_filter(bad: Option<String>) {
    if let Some(message) = bad {
        tracing::warn!("{message}");
    }
}

/// Logs for the subcommands: stderr only.
fn init_stderr_logging(filter: EnvFilter) {
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false);
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .try_init();
}

/// Routes panic reports through tracing, so they reach stderr and the client's log. Panics in
/// analyses are caught and answered as errors; this is about the ones that are not.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let backtrace = std::backtrace::Backtrace::capture();
        tracing::error!("panic: {info}\n{backtrace}");
    }));
}
