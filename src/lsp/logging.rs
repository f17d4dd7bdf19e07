//! A tracing layer that copies our own log events to the client (`window/logMessage`).
//!
//! Stderr gets what the `DOCKERFILE_LS_LOG` (or `RUST_LOG`) filter lets through, warnings and
//! errors when neither is set: editors file a server's stderr under errors (Helix) or beside
//! its client log. The client gets warnings and errors always, and info/debug lines when the
//! user turns `trace.server` up.
//! Only events from this crate are forwarded: the libraries below us log about transport
//! internals, and forwarding their complaints about a closed client would loop.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::MessageType;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{Filtered, LevelFilter, Targets};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

use crate::config::Trace;

/// One line for the client's log.
#[derive(Debug)]
pub(crate) struct LogLine {
    level: Level,
    text: String,
}

/// The layer: formats forwarded events and queues them until the server can send them.
#[derive(Debug)]
pub struct ClientLogLayer {
    tx: mpsc::UnboundedSender<LogLine>,
    level: Arc<AtomicU8>,
}

/// The server's side: the queued lines, and the knob that `trace.server` turns.
#[derive(Debug)]
pub struct ClientLog {
    rx: mpsc::UnboundedReceiver<LogLine>,
    level: Arc<AtomicU8>,
}

/// Builds the layer for a subscriber, and the receiving end to hand to [`super::run_stdio`].
pub fn client_log_layer<S>() -> (Filtered<ClientLogLayer, Targets, S>, ClientLog)
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let level = Arc::new(AtomicU8::new(level_code(Level::WARN)));
    // The static filter keeps other crates' callsites disabled for this layer; the atomic
    // below narrows further at run time without rebuilding the subscriber.
    let targets = Targets::new().with_target(env!("CARGO_CRATE_NAME"), LevelFilter::DEBUG);
    let layer = ClientLogLayer {
        tx,
        level: Arc::clone(&level),
    }
    .with_filter(targets);
    (layer, ClientLog { rx, level })
}

impl<S: Subscriber> Layer<S> for ClientLogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        if level_code(level) > self.level.load(Ordering::Relaxed) {
            return;
        }
        let mut visitor = Fields::default();
        event.record(&mut visitor);
        // The queue only fails once the server is gone, when nobody could read the line.
        let _ = self.tx.send(LogLine {
            level,
            text: visitor.text,
        });
    }
}

impl ClientLog {
    /// A handle that changes how much is forwarded, for when settings change.
    pub(crate) fn level_handle(&self) -> LogLevel {
        LogLevel(Arc::clone(&self.level))
    }

    /// Sends queued and future lines to the client until the server stops.
    ///
    /// Started once the client has said `initialized`: notifications sent earlier would be
    /// dropped by tower-lsp-server, and the warnings about `initializationOptions` are
    /// produced before that.
    pub(crate) async fn forward(mut self, client: Client) {
        while let Some(line) = self.rx.recv().await {
            let typ = match line.level {
                Level::ERROR => MessageType::ERROR,
                Level::WARN => MessageType::WARNING,
                Level::INFO => MessageType::INFO,
                _ => MessageType::LOG,
            };
            client.log_message(typ, line.text).await;
        }
    }
}

/// How much of the log the client gets; shared with the layer.
#[derive(Clone, Debug)]
pub(crate) struct LogLevel(Arc<AtomicU8>);

impl LogLevel {
    pub fn set(&self, trace: Trace) {
        let level = match trace {
            Trace::Off => Level::WARN,
            Trace::Messages => Level::INFO,
            Trace::Verbose => Level::DEBUG,
        };
        self.0.store(level_code(level), Ordering::Relaxed);
    }
}

/// Orders levels by verbosity as small integers, so the threshold fits in an atomic.
fn level_code(level: Level) -> u8 {
    match level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Collects an event's message and fields into one line: `message key=value ...`.
#[derive(Default)]
struct Fields {
    text: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.push_message(format_args!("{value}"));
        } else {
            self.push_field(field, format_args!("{value:?}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.push_message(format_args!("{value:?}"));
        } else {
            self.push_field(field, format_args!("{value:?}"));
        }
    }
}

impl Fields {
    fn push_message(&mut self, message: std::fmt::Arguments<'_>) {
        // The message goes first even though fields may be recorded before it.
        let rest = std::mem::take(&mut self.text);
        let _ = write!(self.text, "{message}");
        self.text.push_str(&rest);
    }

    fn push_field(&mut self, field: &Field, value: std::fmt::Arguments<'_>) {
        let _ = write!(self.text, " {}={value}", field.name());
    }
}

/// Installs the global subscriber for the server: formatted lines on stderr filtered by
/// `filter`, plus `layer` for the client. Kept here so that `main` need not name the types.
pub fn init_with_client_layer(
    stderr_filter: tracing_subscriber::EnvFilter,
    layer: Filtered<ClientLogLayer, Targets, tracing_subscriber::Registry>,
) {
    // Closing a handler's span logs how long it was busy: with `DOCKERFILE_LS_LOG=debug`
    // every request and notification reports its own latency.
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_filter(stderr_filter);
    let subscriber = tracing_subscriber::registry().with(layer).with(stderr);
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        tracing::warn!("a tracing subscriber was already installed; keeping it");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwards_by_level_and_formats_fields() {
        let (layer, mut log) = client_log_layer::<tracing_subscriber::Registry>();
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("not by default");
            tracing::warn!(field = 3, "bad {}", "thing");
            log.level_handle().set(Trace::Verbose);
            tracing::debug!(uri = "file:///x", "now visible");
        });
        let mut lines = Vec::new();
        while let Ok(line) = log.rx.try_recv() {
            lines.push((line.level, line.text));
        }
        assert_eq!(
            lines,
            vec![
                (Level::WARN, "bad thing field=3".to_string()),
                (Level::DEBUG, "now visible uri=\"file:///x\"".to_string()),
            ]
        );
    }
}
