//! Large answers written to stdout as bytes we serialized, not as tower-lsp-server's value.
//!
//! tower-lsp-server turns every answer into a `serde_json::Value` (`IntoResponse` calls
//! `serde_json::to_value`) and then serializes that value into the frame. For a large answer
//! (the outline of a 9,000-line file is about a megabyte) building the value tree costs
//! several times what serializing the typed answer does, and its standard methods cannot be
//! replaced with our own (`custom_method` registrations come after the standard ones, and
//! the first registration wins).
//!
//! So a handler with a large answer serializes it itself, straight to bytes, and parks them
//! here under a ticket; what it returns to tower-lsp-server is a stand-in of the same type
//! whose one string is a marker naming the ticket. The stdout thread (see
//! `super::transport`) looks for markers in the frames it writes, and writes the parked bytes
//! as the result in place of each stand-in frame. This is the mirror of `super::arrivals`,
//! which does the same for large `didOpen` notifications on the way in.
//!
//! What keeps it safe:
//! - The marker carries a number drawn at random when the process starts, so no text from a
//!   document or a client can imitate one, and frames without it pass untouched.
//! - A stand-in never reaches the client: a frame whose ticket is no longer parked becomes a
//!   JSON-RPC error for the same request id.
//! - Parked answers cannot pile up: a request cancelled between the handler and the frame
//!   (or a server stopping with answers in flight) leaves bytes nobody claims, so the shelf
//!   holds a bounded number of answers and bytes, and evicts the oldest (and anything older
//!   than [`MAX_AGE`]) when a new one is parked.
//! - Nothing is parked unless a stdout thread that swaps has been started
//!   ([`Departures::activate`]); without one, handlers return their answers unchanged.

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::{
    self, DocumentSymbol, DocumentSymbolResponse, FoldingRange, SemanticTokens,
    SemanticTokensFullDeltaResult, SemanticTokensResult, SymbolKind,
};

/// Answers shorter than this go through tower-lsp-server: its detour costs little for them.
const PARK_FROM: usize = 16 * 1024;
/// At most this many answers wait at once…
const SHELF: usize = 16;
/// …holding at most this many bytes (beyond it, the oldest go, but never the newest).
const SHELF_BYTES: usize = 256 << 20;
/// An answer is written within milliseconds of being parked; one older than this was lost.
const MAX_AGE: Duration = Duration::from_secs(60);
/// Stand-in frames are small: a frame larger than this is written without a look inside.
const STAND_IN_FRAME_MAX: usize = 4096;

/// The parked answers of the process. There is one stdout, so there is one shelf; it is
/// process-wide so that the handlers reach it without the session having to carry it.
pub(crate) static DEPARTURES: LazyLock<Departures> = LazyLock::new(Departures::new);

/// Answers serialized by their handlers, waiting for the stdout thread.
#[derive(Debug)]
pub(crate) struct Departures {
    /// Whether a stdout thread swaps stand-ins; until then nothing is parked.
    active: AtomicBool,
    /// `dockerfile-ls:departure:<random>:`, followed by the ticket.
    marker: String,
    shelf: Mutex<Shelf>,
}

#[derive(Debug, Default)]
struct Shelf {
    next_ticket: u64,
    parked: VecDeque<Parked>,
    bytes: usize,
}

#[derive(Debug)]
struct Parked {
    ticket: u64,
    at: Instant,
    /// The answer's JSON: what goes after `"result":`.
    json: Vec<u8>,
}

/// An answer type that can stand in for a parked answer of its own type: a value whose
/// JSON holds `marker` as a string.
pub(crate) trait StandIn: Serialize + Sized {
    fn stand_in(marker: String) -> Self;
}

impl Departures {
    pub fn new() -> Departures {
        // A random number without a dependency: the standard library seeds its hashers from
        // the operating system's randomness.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        let salt = hasher.finish();
        Departures {
            active: AtomicBool::new(false),
            marker: format!("dockerfile-ls:departure:{salt:016x}:"),
            shelf: Mutex::default(),
        }
    }

    /// Called by the stdout thread's owner: from now on, large answers are parked.
    pub fn activate(&self) {
        self.active.store(true, Ordering::SeqCst);
    }

    /// `answer`, or (when it is large and a stdout thread swaps) a stand-in for it, its
    /// bytes parked for the stdout thread.
    pub fn send<T: StandIn>(&self, answer: T) -> T {
        if !self.active.load(Ordering::SeqCst) {
            return answer;
        }
        let json = match serde_json::to_vec(&answer) {
            Ok(json) if json.len() >= PARK_FROM => json,
            // Small answers, and (should there ever be one) an answer that cannot be
            // serialized, take tower-lsp-server's way: it reports the error to the client.
            _ => return answer,
        };
        let ticket = self.park(json);
        T::stand_in(format!("{}{ticket}", self.marker))
    }

    /// For a handler that writes its answer's JSON itself (see `super::answer_json`): a
    /// stand-in for the JSON `json` gives, parked; or `None` when the caller should answer
    /// the usual way (no stdout thread swaps, or the answer is small). `json` is only called
    /// when its bytes could be parked.
    pub fn send_json<T: StandIn>(&self, json: impl FnOnce() -> Vec<u8>) -> Option<T> {
        if !self.active.load(Ordering::SeqCst) {
            return None;
        }
        let json = json();
        if json.len() < PARK_FROM {
            return None;
        }
        let ticket = self.park(json);
        Some(T::stand_in(format!("{}{ticket}", self.marker)))
    }

    fn park(&self, json: Vec<u8>) -> u64 {
        let mut shelf = self.shelf.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        while let Some(oldest) = shelf.parked.front() {
            let too_many = shelf.parked.len() >= SHELF;
            let too_big = shelf.bytes + json.len() > SHELF_BYTES;
            let too_old = now.duration_since(oldest.at) > MAX_AGE;
            if !(too_many || too_big || too_old) {
                break;
            }
            if let Some(gone) = shelf.parked.pop_front() {
                tracing::debug!(
                    ticket = gone.ticket,
                    "evicting an answer that was never sent"
                );
                shelf.bytes -= gone.json.len();
            }
        }
        let ticket = shelf.next_ticket;
        shelf.next_ticket += 1;
        shelf.bytes += json.len();
        shelf.parked.push_back(Parked {
            ticket,
            at: now,
            json,
        });
        ticket
    }

    fn claim(&self, ticket: u64) -> Option<Vec<u8>> {
        let mut shelf = self.shelf.lock().unwrap_or_else(PoisonError::into_inner);
        let at = shelf.parked.iter().position(|p| p.ticket == ticket)?;
        let parked = shelf.parked.remove(at)?;
        shelf.bytes -= parked.json.len();
        Some(parked.json)
    }

    /// How many answers wait; for tests.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.shelf
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .parked
            .len()
    }

    /// Writes `frames` (whole `Content-Length` frames, as tower-lsp-server writes them) to
    /// `out`, each stand-in frame replaced by the answer it stands for.
    pub fn write_frames(&self, out: &mut impl Write, frames: &[u8]) -> std::io::Result<()> {
        let marker = self.marker.as_bytes();
        if memchr::memmem::find(frames, marker).is_none() {
            return out.write_all(frames);
        }
        let mut rest = frames;
        while !rest.is_empty() {
            let Some((header, body, after)) = split_frame(rest) else {
                // Not framed as expected (cannot happen with tower-lsp-server's codec):
                // passed on as it is rather than lost.
                return out.write_all(rest);
            };
            match self.ticket_in(body) {
                Some(ticket) => self.write_departure(out, body, ticket)?,
                None => {
                    out.write_all(header)?;
                    out.write_all(body)?;
                }
            }
            rest = after;
        }
        Ok(())
    }

    /// The ticket of a stand-in body.
    fn ticket_in(&self, body: &[u8]) -> Option<u64> {
        if body.len() > STAND_IN_FRAME_MAX {
            return None;
        }
        let at = memchr::memmem::find(body, self.marker.as_bytes())? + self.marker.len();
        let digits = body[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        std::str::from_utf8(&body[at..at + digits])
            .ok()?
            .parse()
            .ok()
    }

    /// Writes the parked answer for the stand-in `body`, or an error for its request when
    /// the answer is gone; the stand-in itself is never written.
    fn write_departure(
        &self,
        out: &mut impl Write,
        body: &[u8],
        ticket: u64,
    ) -> std::io::Result<()> {
        #[derive(serde::Deserialize)]
        struct Envelope {
            id: jsonrpc::Id,
        }
        let id = serde_json::from_slice::<Envelope>(body).map_or(jsonrpc::Id::Null, |e| e.id);
        let id_json = serde_json::to_string(&id).unwrap_or_else(|_| "null".into());
        let Some(json) = self.claim(ticket) else {
            tracing::error!(ticket, "an answer was evicted before it could be sent");
            let error = jsonrpc::Error {
                code: jsonrpc::ErrorCode::InternalError,
                message: "the answer was lost before it could be sent; please ask again".into(),
                data: None,
            };
            let response = jsonrpc::Response::from_error(id, error);
            let body = serde_json::to_vec(&response).unwrap_or_default();
            return write_frame(out, &[&body]);
        };
        let head = format!(r#"{{"jsonrpc":"2.0","id":{id_json},"result":"#);
        write_frame(out, &[head.as_bytes(), &json, b"}"])
    }
}

/// Writes one frame whose body is `parts`, concatenated.
fn write_frame(out: &mut impl Write, parts: &[&[u8]]) -> std::io::Result<()> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    write!(out, "Content-Length: {len}\r\n\r\n")?;
    for part in parts {
        out.write_all(part)?;
    }
    Ok(())
}

/// The first frame of `bytes`: its header (with the blank line), its body, and what follows.
fn split_frame(bytes: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let header_end = memchr::memmem::find(bytes, b"\r\n\r\n")? + 4;
    let header = std::str::from_utf8(&bytes[..header_end]).ok()?;
    let length = header.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    })?;
    let body_end = header_end.checked_add(length)?;
    let body = bytes.get(header_end..body_end)?;
    Some((&bytes[..header_end], body, &bytes[body_end..]))
}

impl<T: StandIn> StandIn for Option<T> {
    fn stand_in(marker: String) -> Self {
        Some(T::stand_in(marker))
    }
}

impl StandIn for DocumentSymbolResponse {
    fn stand_in(marker: String) -> Self {
        let nowhere = ls_types::Range::default();
        #[allow(deprecated)] // `deprecated` is a required field of the struct, unused here.
        DocumentSymbolResponse::Nested(vec![DocumentSymbol {
            name: marker,
            detail: None,
            kind: SymbolKind::NULL,
            tags: None,
            deprecated: None,
            range: nowhere,
            selection_range: nowhere,
            children: None,
        }])
    }
}

impl StandIn for SemanticTokensResult {
    fn stand_in(marker: String) -> Self {
        SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(marker),
            data: Vec::new(),
        })
    }
}

impl StandIn for SemanticTokensFullDeltaResult {
    fn stand_in(marker: String) -> Self {
        SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
            result_id: Some(marker),
            data: Vec::new(),
        })
    }
}

impl StandIn for Vec<FoldingRange> {
    fn stand_in(marker: String) -> Self {
        vec![FoldingRange {
            collapsed_text: Some(marker),
            ..FoldingRange::default()
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active() -> Departures {
        let departures = Departures::new();
        departures.activate();
        departures
    }

    fn folds(n: u32) -> Vec<FoldingRange> {
        (0..n)
            .map(|i| FoldingRange {
                start_line: i,
                end_line: i + 1,
                ..FoldingRange::default()
            })
            .collect()
    }

    /// What tower-lsp-server would frame for `answer` as the result of request `id`.
    fn tower_frame(id: i64, answer: &impl Serialize) -> Vec<u8> {
        let value = serde_json::to_value(answer).unwrap_or_default();
        let response = jsonrpc::Response::from_ok(jsonrpc::Id::Number(id), value);
        let body = serde_json::to_vec(&response).unwrap_or_default();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        frame
    }

    /// The bodies of the frames in `bytes`, as JSON.
    fn bodies(mut bytes: &[u8]) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        while let Some((_, body, rest)) = split_frame(bytes) {
            out.push(serde_json::from_slice(body).unwrap_or(serde_json::Value::Null));
            bytes = rest;
        }
        assert!(bytes.is_empty(), "trailing bytes");
        out
    }

    fn written(departures: &Departures, frames: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        assert!(departures.write_frames(&mut out, frames).is_ok());
        out
    }

    #[test]
    fn a_large_answer_arrives_whole_in_place_of_its_stand_in() {
        let departures = active();
        let answer = folds(2000);
        let stand_in = departures.send(answer.clone());
        assert_eq!(stand_in.len(), 1, "a stand-in, not the answer");
        assert_eq!(departures.waiting(), 1);
        // Between two ordinary frames, in one write, as tower-lsp-server's codec may do.
        let frames = [
            tower_frame(1, &"before"),
            tower_frame(2, &stand_in),
            tower_frame(3, &"after"),
        ]
        .concat();
        let out = written(&departures, &frames);
        let expected = [
            tower_frame(1, &"before"),
            tower_frame(2, &answer),
            tower_frame(3, &"after"),
        ]
        .concat();
        assert_eq!(bodies(&out), bodies(&expected));
        assert!(!String::from_utf8_lossy(&out).contains(&departures.marker));
        assert_eq!(departures.waiting(), 0, "claimed");
    }

    #[test]
    fn small_answers_and_an_inactive_shelf_leave_answers_alone() {
        let departures = active();
        assert_eq!(departures.send(folds(3)), folds(3));
        let inactive = Departures::new();
        assert_eq!(inactive.send(folds(2000)), folds(2000));
        assert_eq!(departures.waiting() + inactive.waiting(), 0);
        let frame = tower_frame(4, &folds(3));
        assert_eq!(written(&departures, &frame), frame);
    }

    #[test]
    fn a_lost_answer_becomes_an_error_for_its_request_never_the_stand_in() {
        let departures = active();
        let stand_in = departures.send(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some("7".into()),
            data: vec![ls_types::SemanticToken::default(); 2000],
        })));
        // Written once: a second copy of the frame finds its answer gone.
        let frame = tower_frame(9, &stand_in);
        let first = bodies(&written(&departures, &frame));
        assert_eq!(first[0]["result"]["resultId"], "7");
        let second = bodies(&written(&departures, &frame));
        assert_eq!(second[0]["id"], 9);
        assert_eq!(second[0]["error"]["code"], -32603);
        assert!(second[0].get("result").is_none());
    }

    #[test]
    fn answers_nobody_claims_are_evicted() {
        let departures = active();
        // Cancelled requests: their stand-ins never reach the stdout thread.
        for _ in 0..SHELF * 3 {
            departures.send(folds(2000));
        }
        assert_eq!(departures.waiting(), SHELF);
        // The newest still arrives.
        let stand_in = departures.send(folds(2000));
        let out = bodies(&written(&departures, &tower_frame(1, &stand_in)));
        assert_eq!(out[0]["result"].as_array().map(Vec::len), Some(2000));
        assert_eq!(departures.waiting(), SHELF - 1);
    }

    #[test]
    fn a_marker_from_another_process_is_just_text() {
        let ours = active();
        let theirs = active();
        let stand_in = theirs.send(folds(2000));
        let frame = tower_frame(1, &stand_in);
        assert_eq!(written(&ours, &frame), frame);
        assert_ne!(ours.marker, theirs.marker);
    }

    #[test]
    fn every_stand_in_carries_its_marker() {
        fn check<T: StandIn>() {
            let json = serde_json::to_string(&T::stand_in("MARK:42".into())).unwrap_or_default();
            assert!(json.contains("\"MARK:42\""), "{json}");
        }
        check::<DocumentSymbolResponse>();
        check::<SemanticTokensResult>();
        check::<SemanticTokensFullDeltaResult>();
        check::<Vec<FoldingRange>>();
        check::<Option<Vec<FoldingRange>>>();
    }
}
