//! `didOpen` notifications decoded by the stdin thread, analysed while they wait their turn.
//!
//! tower-lsp-server decodes every message twice over (into an untagged enum, then into a
//! JSON value, then into the params), and receives it through a 64 KiB pipe: for a
//! 300 KB document that is most of a millisecond between the last byte arriving and our
//! handler starting. The stdin thread already reads each message whole, so it decodes a
//! `didOpen` itself, once, parks it here under a ticket, and hands tower-lsp-server a small
//! notification that carries only the ticket. That notification travels the same queue as
//! every other message, so the document is still opened in arrival order. Meanwhile its
//! snapshot is built on the analysis threads: a snapshot depends on the text alone, so
//! building it early changes nothing but when it is ready.
//!
//! A parked document nobody claims (tower-lsp-server drops notifications before
//! `initialize` and after `shutdown`) is evicted when a later ticket is claimed: handlers
//! start in arrival order, so by then its turn has passed. A full shelf sends the message
//! the ordinary way instead, which keeps memory bounded when the client writes faster than
//! the server opens.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError, mpsc};

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::{DidOpenTextDocumentParams, Uri};

use super::handlers::catch_panic;
use crate::analysis::Snapshot;

/// The notification tower-lsp-server receives in place of a parked `didOpen`.
#[derive(Debug)]
pub enum ArrivedOpen {}

impl Notification for ArrivedOpen {
    type Params = ArrivedOpenParams;
    const METHOD: &'static str = "dockerfile-ls/internal/arrivedOpen";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivedOpenParams {
    pub ticket: u64,
}

/// How many parked documents may wait at once.
const SHELF: usize = 8;

/// The parked documents, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Arrivals {
    shelf: Mutex<Shelf>,
}

#[derive(Debug, Default)]
struct Shelf {
    next_ticket: u64,
    parked: VecDeque<(u64, Arrived)>,
}

/// Texts shorter than this are analysed when their turn comes: handing a small text to
/// another thread costs more than its analysis.
const EARLY_FROM: usize = 16 * 1024;

/// A parked `didOpen`: the document's identity, and its snapshot on the way.
#[derive(Debug)]
pub(crate) struct Arrived {
    pub uri: Uri,
    pub version: i32,
    /// Bytes of text.
    pub len: usize,
    snapshot: Pending,
}

#[derive(Debug)]
enum Pending {
    /// A small text, analysed when claimed.
    Text(String),
    /// A large one, being analysed on the analysis threads.
    Building(mpsc::Receiver<Option<Snapshot>>),
}

impl Arrived {
    /// Starts building the snapshot of `params`' text on the analysis threads, if it is
    /// large enough for that to pay.
    fn start(params: DidOpenTextDocumentParams) -> Arrived {
        let item = params.text_document;
        let len = item.text.len();
        let snapshot = if len < EARLY_FROM {
            Pending::Text(item.text)
        } else {
            let (sender, receiver) = mpsc::sync_channel(1);
            rayon::spawn(move || {
                // A send fails only when nobody claimed the document; the snapshot goes
                // with it.
                let _ = sender.send(build(item.text));
            });
            Pending::Building(receiver)
        };
        Arrived {
            uri: item.uri,
            version: item.version,
            len,
            snapshot,
        }
    }

    /// The snapshot, waiting for it if it is still being built; `None` if building it
    /// panicked (logged where it happened).
    pub fn snapshot(self) -> Option<Snapshot> {
        match self.snapshot {
            Pending::Text(text) => build(text),
            Pending::Building(receiver) => receiver.recv().ok().flatten(),
        }
    }
}

/// A panic is logged and becomes `None`; on the analysis threads it must not reach rayon,
/// which would abort.
fn build(text: String) -> Option<Snapshot> {
    catch_panic("opening the document", || Snapshot::new(text)).ok()
}

impl Arrivals {
    /// Parks `params` and starts analysing its text; its ticket, or `None` when the shelf is
    /// full (the caller still has the message to send the ordinary way).
    pub fn park(&self, params: DidOpenTextDocumentParams) -> Option<u64> {
        let mut shelf = self.shelf.lock().unwrap_or_else(PoisonError::into_inner);
        if shelf.parked.len() >= SHELF {
            return None;
        }
        let ticket = shelf.next_ticket;
        shelf.next_ticket += 1;
        shelf.parked.push_back((ticket, Arrived::start(params)));
        Some(ticket)
    }

    /// Takes the document parked under `ticket`, evicting those parked before it.
    pub fn claim(&self, ticket: u64) -> Option<Arrived> {
        let mut shelf = self.shelf.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some((first, _)) = shelf.parked.front() {
            if *first > ticket {
                return None;
            }
            let (first, arrived) = shelf.parked.pop_front()?;
            if first == ticket {
                return Some(arrived);
            }
            tracing::debug!(ticket = first, "evicting a didOpen that was never handled");
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{TextDocumentItem, Uri};

    fn open(text: &str) -> DidOpenTextDocumentParams {
        let uri = "file:///w/Dockerfile".parse::<Uri>();
        DidOpenTextDocumentParams {
            text_document: TextDocumentItem {
                uri: uri.unwrap_or_else(|e| panic!("{e:?}")),
                language_id: "dockerfile".into(),
                version: 1,
                text: text.into(),
            },
        }
    }

    fn text(arrived: Option<Arrived>) -> Option<String> {
        arrived
            .and_then(Arrived::snapshot)
            .map(|s| s.text().to_string())
    }

    #[test]
    fn claims_in_order_and_evicts_what_was_passed_over() {
        let arrivals = Arrivals::default();
        let tickets: Vec<u64> = ["a", "b", "c", "d"]
            .iter()
            .filter_map(|t| arrivals.park(open(t)))
            .collect();
        assert_eq!(tickets.len(), 4);
        assert_eq!(text(arrivals.claim(tickets[0])).as_deref(), Some("a"));
        // "b" was dropped on the way (tower-lsp-server before initialize, say).
        assert_eq!(text(arrivals.claim(tickets[2])).as_deref(), Some("c"));
        assert!(arrivals.claim(tickets[1]).is_none());
        assert!(arrivals.claim(tickets[0]).is_none(), "claimed once only");
        assert_eq!(text(arrivals.claim(tickets[3])).as_deref(), Some("d"));
        assert!(arrivals.claim(99).is_none());
    }

    #[test]
    fn small_and_large_texts_alike_come_back_analysed() {
        let arrivals = Arrivals::default();
        let large = "RUN echo 0123456789abcdef\n".repeat(EARLY_FROM / 16);
        let tickets: Vec<u64> = ["FROM small\n", large.as_str()]
            .iter()
            .filter_map(|t| arrivals.park(open(t)))
            .collect();
        for (ticket, text) in tickets.iter().zip(["FROM small\n", large.as_str()]) {
            let snapshot = arrivals.claim(*ticket).and_then(Arrived::snapshot);
            assert_eq!(snapshot.as_ref().map(|s| s.text()), Some(text));
            let instructions = snapshot.map(|s| s.model.instructions.len());
            assert_eq!(instructions, Some(text.lines().count()));
        }
    }

    #[test]
    fn a_full_shelf_refuses_until_one_is_claimed() {
        let arrivals = Arrivals::default();
        let first = arrivals.park(open("0"));
        for i in 1..SHELF {
            assert!(arrivals.park(open(&i.to_string())).is_some());
        }
        assert_eq!(arrivals.park(open("late")), None);
        let first = first.and_then(|t| arrivals.claim(t));
        assert_eq!(text(first).as_deref(), Some("0"));
        assert!(arrivals.park(open("room again")).is_some());
    }
}
