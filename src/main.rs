//! The `dockerfile-ls` binary: a language server on stdio, and subcommands for people and CI.

#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dockerfile_ls::cli::check::{FailLevel, Options};
use dockerfile_ls::cli::report::Format;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Where the log filter comes from, e.g. `DOCKERFILE_LS_LOG=dockerfile_ls=debug`; the
/// conventional `RUST_LOG` is read when it is not set.
const LOG_ENVS: [&str; 2] = ["DOCKERFILE_LS_LOG", "RUST_LOG"];

/// The server's stderr level when no variable says otherwise. Editors show a server's stderr
/// as errors (Helix) or next to its `window/logMessage` lines; informational lines reach the
/// client through the latter when `trace.server` asks for them.
const SERVER_LOG_DEFAULT: &str = "warn";

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
    /// Print BuildKit's AST dump of a Dockerfile, as BuildKit's own parser prints it.
    ///
    /// What BuildKit would reject goes to stderr as `check` prints it, with exit code 1.
    Dump {
        /// Print the tree-sitter syntax tree instead, one node per line.
        #[arg(long)]
        tree: bool,
        /// The Dockerfile to read.
        file: PathBuf,
    },
    /// Report the problems an editor would show, for people and CI. Folders are searched for
    /// Dockerfiles (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`,
    /// `Containerfile`, `Containerfile.*`), honouring `.gitignore`. Exit code 0 when nothing
    /// reaches the fail level, 1 when something does, 2 on usage or I/O errors.
    Check {
        /// How to write the findings.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// The lowest severity that makes the command fail.
        #[arg(long, value_enum, default_value = "error")]
        fail_level: FailLevel,
        /// Same as `--fail-level warning` (kept for earlier scripts).
        #[arg(long, hide = true, conflicts_with = "fail_level")]
        strict: bool,
        /// Apply every safe fix (casing, forms BuildKit refuses) to the files, then report
        /// what is left. With `-`, print the fixed text and report on stderr.
        #[arg(long)]
        fix: bool,
        /// Do not run ShellCheck on RUN scripts (it runs when `shellcheck` is on PATH).
        #[arg(long)]
        no_shellcheck: bool,
        /// The name of the Dockerfile read from standard input (for messages and to find its
        /// project configuration).
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<PathBuf>,
        /// Files and folders to check (default: the current folder), or `-` for standard
        /// input.
        paths: Vec<PathBuf>,
    },
    /// List the rules behind the diagnostics, or explain one.
    Rules {
        /// Print the reference page of every rule as markdown (`docs/rules.md`).
        #[arg(long)]
        markdown: bool,
        /// The rule to explain, e.g. `StageNameCasing` or `unknown-flag`.
        rule: Option<String>,
    },
    /// Format Dockerfiles: in place by default (atomically), `--check` to list files that
    /// would change (exit 1), `--diff` to print a unified diff; `-` formats standard input
    /// to standard output. Directories are searched for Dockerfiles.
    Fmt {
        /// Write nothing; list the files that would change and exit with 1 if there are any.
        #[arg(long)]
        check: bool,
        /// Write nothing; print a unified diff of the changes.
        #[arg(long)]
        diff: bool,
        /// The name to use for standard input (`-`): for messages and to find its settings.
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<PathBuf>,
        /// Files, directories (searched for Dockerfiles, `.gitignore` honoured; the current
        /// one when none is named), or `-` for standard input.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Pin floating image tags (`python:3-alpine` → `python:3.14.7-alpine3.24`) in FROM,
    /// `COPY --from` and `RUN --mount=from=`; prints a diff unless told otherwise.
    Pin {
        /// Pin digests too (`python:3.14.7-alpine3.24@sha256:…`), and refresh stale ones.
        #[arg(long)]
        digest: bool,
        /// Rewrite the files instead of printing a diff.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// List unpinned references and exit with 1 if there are any (for CI).
        #[arg(long)]
        check: bool,
        /// Ask no registry: pin from the disk cache alone (exit 2 for what it does not know).
        #[arg(long)]
        offline: bool,
        /// The Dockerfiles to pin.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_level = match cli.command {
        None => SERVER_LOG_DEFAULT,
        Some(_) => "info",
    };
    let (filter, bad_filter) = log_filter(default_level);
    match cli.command {
        Some(Command::Dump { tree, file }) => {
            init_stderr_logging(filter);
            warn_bad_filter(bad_filter);
            dockerfile_ls::cli::dump::run(&file, tree)
        }
        Some(Command::Check {
            format,
            fail_level,
            strict,
            fix,
            no_shellcheck,
            stdin_filename,
            paths,
        }) => {
            init_stderr_logging(filter);
            warn_bad_filter(bad_filter);
            dockerfile_ls::cli::check::run(&Options {
                paths,
                format,
                fail_level: if strict {
                    FailLevel::Warning
                } else {
                    fail_level
                },
                stdin_filename,
                fix,
                shellcheck: !no_shellcheck,
            })
        }
        Some(Command::Rules { markdown, rule }) => {
            init_stderr_logging(filter);
            warn_bad_filter(bad_filter);
            dockerfile_ls::cli::rules::run(rule.as_deref(), markdown)
        }
        Some(Command::Fmt {
            check,
            diff,
            stdin_filename,
            paths,
        }) => {
            init_stderr_logging(filter);
            warn_bad_filter(bad_filter);
            dockerfile_ls::cli::fmt::run(&dockerfile_ls::cli::fmt::Args {
                check,
                diff,
                stdin_filename,
                paths,
            })
        }
        Some(Command::Pin {
            digest,
            write,
            check,
            offline,
            files,
        }) => {
            init_stderr_logging(filter);
            warn_bad_filter(bad_filter);
            use dockerfile_ls::cli::pin::{Mode, run};
            let mode = match (write, check) {
                (true, _) => Mode::Write,
                (_, true) => Mode::Check,
                _ => Mode::Diff,
            };
            run(&files, digest, mode, offline)
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

/// The stderr log filter from the first of [`LOG_ENVS`] that is set, `default` otherwise, and
/// the complaint to log (once logging works) if the variable could not be parsed.
fn log_filter(default: &str) -> (EnvFilter, Option<String>) {
    let set = LOG_ENVS
        .into_iter()
        .find_map(|name| Some((name, std::env::var(name).ok()?)));
    match set {
        None => (EnvFilter::new(default), None),
        Some((name, spec)) => match EnvFilter::try_new(&spec) {
            Ok(filter) => (filter, None),
            Err(err) => (
                EnvFilter::new(default),
                Some(format!("ignoring {name}={spec:?}: {err}")),
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
