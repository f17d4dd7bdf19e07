//! Stdio for the server: our own message framing in front of tower-lsp-server's.
//!
//! tower-lsp-server stops serving after the first frame it cannot decode (its codec reports
//! the error, and the `FramedRead` underneath then ends the stream), so one malformed
//! message from a client would kill every open document's language features. We therefore
//! frame stdin ourselves on a plain thread, answer malformed frames with the JSON-RPC error
//! tower-lsp would have sent (`-32700`/`-32600`, id `null`), and pass only well-formed
//! messages on. Stdout is written by a second thread that receives whole frames, so those
//! error answers can never land in the middle of one of tower-lsp's frames.
//!
//! The stdin thread also decodes `didOpen` notifications itself and passes tower-lsp-server
//! a stand-in (see `super::arrivals`): opening a large file no longer waits for the text to
//! be piped to tower-lsp-server and decoded there.
//!
//! The stdout thread writes large answers from bytes their handlers serialized, in place of
//! the stand-ins tower-lsp-server frames for them (see `super::departures`).
//!
//! Plain threads have a second benefit: a thread blocked reading stdin does not keep the
//! process alive after `exit` (tokio's stdin would hold up runtime shutdown until the next
//! byte arrives).

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read, Write};
use std::pin::Pin;
use std::sync::{Arc, mpsc};
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use tokio::io::{AsyncWrite, AsyncWriteExt, DuplexStream};
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::DidOpenTextDocumentParams;
use tower_lsp_server::ls_types::notification::{DidOpenTextDocument, Notification as _};

use super::arrivals::{Arrivals, ArrivedOpen};
use super::departures::DEPARTURES;

/// Frames waiting for the stdout thread; a slow client makes the server wait, not buffer.
const OUTPUT_QUEUE: usize = 64;
/// Bytes buffered between the stdin thread and tower-lsp-server.
const INPUT_BUFFER: usize = 1 << 16;
/// The largest message body whose buffer is reserved before its bytes arrive.
const PRESIZED_BODY: usize = 16 << 20;

/// What the stdout thread receives: a whole frame, or the order to stop.
type OutputMessage = Option<Vec<u8>>;

/// The two ends to hand to `tower_lsp_server::Server::new`, and the threads behind them.
pub(crate) struct Stdio {
    input: DuplexStream,
    output: FrameWriter,
    threads: StdioThreads,
}

/// What remains to wind down once the server has stopped.
pub(crate) struct StdioThreads {
    writer: JoinHandle<()>,
    stop_writer: mpsc::SyncSender<OutputMessage>,
}

impl Stdio {
    /// Starts the stdin and stdout threads. The stdin thread feeds tower-lsp-server through
    /// tokio I/O types, hence the runtime handle.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        arrivals: Arc<Arrivals>,
    ) -> std::io::Result<Stdio> {
        let (out_tx, out_rx) = mpsc::sync_channel::<OutputMessage>(OUTPUT_QUEUE);
        // The stdout thread swaps stand-ins for parked answers (see `super::departures`).
        DEPARTURES.activate();
        let writer = std::thread::Builder::new()
            .name("lsp-stdout".into())
            .spawn(move || write_frames(std::io::stdout().lock(), out_rx))?;

        let (input, mut feed) = tokio::io::duplex(INPUT_BUFFER);
        let errors = out_tx.clone();
        let handle = runtime.clone();
        // Detached on purpose: it sits in a blocking read of stdin, and process exit ends it.
        std::thread::Builder::new()
            .name("lsp-stdin".into())
            .spawn(move || {
                let stdin = std::io::stdin().lock();
                read_frames(BufReader::new(stdin), &arrivals, |frame| match frame {
                    Frame::Message(bytes) => {
                        // An error means tower-lsp-server has stopped reading: we are done.
                        handle.block_on(feed.write_all(&bytes)).is_ok()
                    }
                    Frame::Reject(answer) => errors.send(Some(answer)).is_ok(),
                    Frame::Ignored => true,
                });
                // Dropping `feed` tells tower-lsp-server that the client has gone away.
            })?;

        Ok(Stdio {
            input,
            output: FrameWriter { tx: out_tx.clone() },
            threads: StdioThreads {
                writer,
                stop_writer: out_tx,
            },
        })
    }

    pub fn into_parts(self) -> (DuplexStream, FrameWriter, StdioThreads) {
        (self.input, self.output, self.threads)
    }

    /// A way to the stdout thread for messages that do not go through tower-lsp-server.
    pub fn queue(&self) -> FrameQueue {
        FrameQueue {
            tx: self.output.tx.clone(),
        }
    }
}

/// Whole frames for the stdout thread, from the server's side of tower-lsp-server (see
/// `super::outbox`).
#[derive(Clone, Debug)]
pub(crate) struct FrameQueue {
    tx: mpsc::SyncSender<OutputMessage>,
}

impl FrameQueue {
    /// Frames `body` and queues it, waiting while the queue is full (a client that does not
    /// read holds up the server, as it does for tower-lsp-server's frames). False when the
    /// stdout thread has stopped.
    pub fn send(&self, body: &[u8]) -> bool {
        self.tx.send(Some(frame(body))).is_ok()
    }
}

impl StdioThreads {
    /// Waits until every frame handed to the stdout thread so far has been written.
    pub fn finish(self) {
        if self.stop_writer.send(None).is_ok() && self.writer.join().is_err() {
            tracing::error!("the stdout thread panicked");
        }
    }
}

/// The stdout thread: writes frames in arrival order until told to stop.
fn write_frames(mut out: impl Write, rx: mpsc::Receiver<OutputMessage>) {
    while let Ok(Some(frame)) = rx.recv() {
        // Flushing per frame: a client waits for each answer, so latency beats batching.
        let written = DEPARTURES.write_frames(&mut out, &frame);
        if written.and_then(|()| out.flush()).is_err() {
            // The client closed our stdout; nothing we write can arrive any more.
            break;
        }
    }
}

/// tower-lsp-server's output: every write is accepted whole and queued for the stdout thread.
///
/// Accepting whole buffers matters: the codec fills its buffer with complete frames only, so
/// each write is a sequence of complete frames and the rejection answers sent by the stdin
/// thread cannot split one.
pub(crate) struct FrameWriter {
    tx: mpsc::SyncSender<OutputMessage>,
}

impl AsyncWrite for FrameWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let frame = buf.to_vec();
        let sent = match self.tx.try_send(Some(frame)) {
            Ok(()) => Ok(()),
            // The client is not reading. Waiting here is backpressure: the server cannot get
            // anything else out either, and requests keep queueing on the stdin side.
            Err(mpsc::TrySendError::Full(frame)) => self.tx.send(frame).map_err(|_| ()),
            Err(mpsc::TrySendError::Disconnected(_)) => Err(()),
        };
        Poll::Ready(match sent {
            Ok(()) => Ok(buf.len()),
            Err(()) => Err(std::io::ErrorKind::BrokenPipe.into()),
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        // The stdout thread flushes after every frame.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// One unit read from the client.
#[derive(Debug, PartialEq)]
enum Frame {
    /// A well-formed JSON-RPC message, re-framed for tower-lsp-server.
    Message(Vec<u8>),
    /// A malformed one, and the framed error response to send back for it.
    Reject(Vec<u8>),
    /// One to drop without an answer.
    Ignored,
}

/// Reads `Content-Length`-framed messages until end of input or until `emit` returns false.
///
/// A header block without a usable `Content-Length` is reported and skipped; reading then
/// resumes at the next line that contains `Content-Length:` (a body of unknown length may
/// run straight into the next header, so the header is searched for, not expected at the
/// start of a line).
fn read_frames(mut input: impl BufRead, arrivals: &Arrivals, mut emit: impl FnMut(Frame) -> bool) {
    let mut line = Vec::new();
    loop {
        let mut content_length: Option<Result<usize, String>> = None;
        let mut saw_header = false;
        // Header block: lines up to an empty one.
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if saw_header {
                    break;
                }
                // Blank lines between messages are harmless.
                continue;
            }
            saw_header = true;
            let header = match text.find("Content-Length:") {
                Some(at) if at > 0 => &text[at..],
                _ => text,
            };
            if let Some((name, value)) = header.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                content_length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("invalid Content-Length {:?}", value.trim())),
                );
            }
            // Other headers (Content-Type) carry nothing we need: the body is UTF-8 JSON.
        }
        let length = match content_length {
            Some(Ok(length)) => length,
            Some(Err(why)) => {
                if !emit(reject(jsonrpc::ErrorCode::ParseError, &why, None)) {
                    return;
                }
                continue;
            }
            None => {
                let why = "message without a Content-Length header";
                if !emit(reject(jsonrpc::ErrorCode::ParseError, why, None)) {
                    return;
                }
                continue;
            }
        };
        // Sized up front, a large document arrives in a few big reads instead of many small
        // ones and regrowths. Beyond the cap, `take` + `read_to_end` grows the buffer as bytes
        // arrive, so an absurd length costs nothing until the bytes actually come (and the
        // reserved but untouched pages below it cost no memory).
        let mut body = Vec::with_capacity(length.min(PRESIZED_BODY));
        match (&mut input).take(length as u64).read_to_end(&mut body) {
            Ok(n) if n == length => {}
            // End of input in the middle of a body: the client is gone.
            _ => return,
        }
        if !emit(check(body, arrivals)) {
            return;
        }
    }
}

/// Passes a body on if tower-lsp-server will accept it; otherwise builds the error answer.
/// A `didOpen` is decoded here and parked in `arrivals` (see `super::arrivals`).
fn check(body: Vec<u8>, arrivals: &Arrivals) -> Frame {
    if let Some(params) = decode_did_open(&body) {
        match arrivals.park(params) {
            Some(ticket) => return Frame::Message(frame(&arrived_open(ticket))),
            None => tracing::debug!("too many didOpen waiting: passing this one on whole"),
        }
    }
    // The same types tower-lsp-server decodes into, so whatever passes here decodes there;
    // the envelope first, as it accepts a large message without building its params.
    let passed = request_envelope(&body).or_else(|| {
        let request = serde_json::from_slice::<jsonrpc::Request>(&body).ok()?;
        Some((request.method().to_owned().into(), request.id().cloned()))
    });
    if let Some((method, id)) = passed {
        if method == ArrivedOpen::METHOD {
            return reserved(id);
        }
        return Frame::Message(frame(&body));
    }
    if serde_json::from_slice::<jsonrpc::Response>(&body).is_ok() {
        return Frame::Message(frame(&body));
    }
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Err(err) => reject(jsonrpc::ErrorCode::ParseError, &err.to_string(), None),
        // Valid JSON but not a JSON-RPC message: answer the id if there is a usable one.
        Ok(value) => {
            let id = value
                .get("id")
                .and_then(|id| serde_json::from_value::<jsonrpc::Id>(id.clone()).ok());
            reject(
                jsonrpc::ErrorCode::InvalidRequest,
                "not a JSON-RPC 2.0 request, notification or response",
                id,
            )
        }
    }
}

/// The method and id of `body` if it has the shape of tower-lsp-server's `jsonrpc::Request`
/// (version "2.0", a string method if any, a valid id if any), with its params checked only
/// for being JSON.
///
/// A full decode of a large message copies and unescapes its strings into a value that is
/// thrown away at once (0.4 ms for 300 KB). What the envelope lets through that tower then
/// refuses (a number beyond `f64` inside the params, nesting deeper than serde_json's limit)
/// is still answered, by tower, with an error for id `null`.
fn request_envelope(body: &[u8]) -> Option<(Cow<'_, str>, Option<jsonrpc::Id>)> {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        jsonrpc: Cow<'a, str>,
        #[serde(default, borrow)]
        method: Cow<'a, str>,
        /// Checked by being decoded.
        #[allow(dead_code)]
        params: Option<serde::de::IgnoredAny>,
        id: Option<jsonrpc::Id>,
    }
    let envelope = serde_json::from_slice::<Envelope<'_>>(body).ok()?;
    (envelope.jsonrpc == "2.0").then_some((envelope.method, envelope.id))
}

/// A client's message to a method only the stdin thread may send: answered as unknown if it
/// is a request, dropped if it is a notification (which gets no answer).
fn reserved(id: Option<jsonrpc::Id>) -> Frame {
    let why = "this method is reserved for the server's own use";
    match id {
        Some(id) => reject(jsonrpc::ErrorCode::MethodNotFound, why, Some(id)),
        None => {
            tracing::warn!("ignoring a notification from the client: {why}");
            Frame::Ignored
        }
    }
}

/// Frames a body for tower-lsp-server or the client.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// The params of `body` if it is a `didOpen` notification that tower-lsp-server would pass
/// to `did_open` with exactly these params; `None` leaves the message to it.
///
/// A text that does not mention the method is not decoded at all. What the typed decode
/// refuses (a duplicated field, which tower's JSON value would let through, keeping the
/// last) takes tower's way and meets the same end as before.
fn decode_did_open(body: &[u8]) -> Option<DidOpenTextDocumentParams> {
    #[derive(serde::Deserialize)]
    struct DidOpen<'a> {
        #[serde(borrow)]
        jsonrpc: Cow<'a, str>,
        #[serde(borrow)]
        method: Cow<'a, str>,
        params: DidOpenTextDocumentParams,
        /// Whether an `id` is present (even `null`): then it is a request, not ours.
        #[serde(default, deserialize_with = "present")]
        id: bool,
    }
    fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| true)
    }
    use serde::Deserialize as _;
    memchr::memmem::find(body, DidOpenTextDocument::METHOD.as_bytes())?;
    let message = serde_json::from_slice::<DidOpen<'_>>(body).ok()?;
    (message.jsonrpc == "2.0" && message.method == DidOpenTextDocument::METHOD && !message.id)
        .then_some(message.params)
}

/// The body that stands for a parked `didOpen`.
fn arrived_open(ticket: u64) -> Vec<u8> {
    format!(
        r#"{{"jsonrpc":"2.0","method":"{}","params":{{"ticket":{ticket}}}}}"#,
        ArrivedOpen::METHOD
    )
    .into_bytes()
}

/// Logs a malformed message and frames the error response for it.
fn reject(code: jsonrpc::ErrorCode, why: &str, id: Option<jsonrpc::Id>) -> Frame {
    tracing::warn!("malformed message from the client: {why}");
    let error = jsonrpc::Error {
        code,
        message: format!("{}: {why}", code.description()).into(),
        data: None,
    };
    let response = jsonrpc::Response::from_error(id.unwrap_or(jsonrpc::Id::Null), error);
    // Serializing a Response cannot fail (string keys, no maps with odd keys); should it
    // ever, an empty frame body still keeps the stream framed.
    let body = serde_json::to_vec(&response).unwrap_or_default();
    Frame::Reject(frame(&body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        frames_with(input, &Arrivals::default())
    }

    fn frames_with(input: &str, arrivals: &Arrivals) -> Vec<Frame> {
        let mut out = Vec::new();
        read_frames(input.as_bytes(), arrivals, |f| {
            out.push(f);
            true
        });
        out
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn body_of(frame: &Frame) -> serde_json::Value {
        let bytes = match frame {
            Frame::Message(b) | Frame::Reject(b) => b,
            Frame::Ignored => return serde_json::Value::Null,
        };
        let text = String::from_utf8_lossy(bytes);
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

    #[test]
    fn the_envelope_lets_through_only_what_tower_decodes() {
        let bodies = [
            r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"text":"FROM a\nRUN \"b\"\n"}}}"#,
            r#"{"jsonrpc":"2.0","id":7,"method":"m","params":[1,2.5,null,{"a":[true]}]}"#,
            r#"{"jsonrpc":"2.0","id":"x","method":"m\u0041"}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"m"}"#,
            r#"{"jsonrpc":"2.0","id":1,"result":{"ok":true}}"#,
            r#"{"jsonrpc":"2.0","method":"m","params":null,"extra":1}"#,
            r#"{"jsonrpc":"1.0","method":"m"}"#,
            r#"{"method":"m"}"#,
            r#"{"jsonrpc":"2.0","method":3}"#,
            r#"{"jsonrpc":"2.0","method":null}"#,
            r#"{"jsonrpc":"2.0","id":{"a":1},"method":"m"}"#,
            r#"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#,
            r#"{"jsonrpc":"2.0","method":"m","params":[1,}"#,
            r#"{"jsonrpc":"2.0","jsonrpc":"2.0","method":"m"}"#,
            r#"[{"jsonrpc":"2.0","method":"m"}]"#,
            "\"2.0\"",
        ];
        let mut passed = 0;
        for body in bodies {
            let tower = serde_json::from_slice::<jsonrpc::Request>(body.as_bytes()).is_ok();
            let envelope = request_envelope(body.as_bytes()).is_some();
            assert_eq!(envelope, tower, "{body}");
            passed += usize::from(envelope);
        }
        assert_eq!(passed, 6, "the first six bodies are well formed");
    }

    #[test]
    fn passes_well_formed_messages() {
        let note = r#"{"jsonrpc":"2.0","method":"note","params":{"é":"😀"}}"#;
        // A Content-Type header and a blank line between messages are both tolerated.
        let input = format!(
            "{}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}",
            framed(PING),
            framed(note)
        );
        let out = frames(&input);
        assert_eq!(
            out,
            vec![
                Frame::Message(framed(PING).into_bytes()),
                Frame::Message(framed(note).into_bytes())
            ]
        );
    }

    #[test]
    fn rejects_bad_bodies_and_keeps_going() {
        let input = [
            framed("{not json"),
            framed(r#"{"foo":1}"#),
            framed(r#"{"jsonrpc":"1.0","id":7,"method":"ping"}"#),
            framed(""),
            framed(PING),
        ]
        .concat();
        let out = frames(&input);
        assert_eq!(out.len(), 5);
        assert!(matches!(out[0], Frame::Reject(_)));
        assert_eq!(body_of(&out[0])["error"]["code"], -32700);
        assert_eq!(body_of(&out[0])["id"], serde_json::Value::Null);
        assert_eq!(body_of(&out[1])["error"]["code"], -32600);
        assert_eq!(body_of(&out[2])["id"], 7);
        assert!(matches!(out[3], Frame::Reject(_)));
        assert_eq!(out[4], Frame::Message(framed(PING).into_bytes()));
    }

    #[test]
    fn resynchronises_after_a_bad_header() {
        let input = format!(
            "Content-Lenght: 5\r\n\r\nhello{}Content-Length: x\r\n\r\n{}",
            framed(PING),
            framed(PING)
        );
        let out = frames(&input);
        assert_eq!(out.len(), 4, "{out:?}");
        assert!(matches!(out[0], Frame::Reject(_)));
        assert_eq!(out[1], Frame::Message(framed(PING).into_bytes()));
        assert!(matches!(out[2], Frame::Reject(_)));
        assert_eq!(out[3], Frame::Message(framed(PING).into_bytes()));
    }

    #[test]
    fn stops_at_a_truncated_body_and_when_told() {
        assert!(frames("Content-Length: 100\r\n\r\n{}").is_empty());
        let mut n = 0;
        read_frames(
            framed(PING).repeat(3).as_bytes(),
            &Arrivals::default(),
            |_| {
                n += 1;
                false
            },
        );
        assert_eq!(n, 1);
    }

    fn did_open_body(text: &str) -> String {
        serde_json::json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {
                "uri": "file:///w/Dockerfile", "languageId": "dockerfile", "version": 3, "text": text
            }},
        })
        .to_string()
    }

    #[test]
    fn a_did_open_is_parked_and_tower_gets_its_ticket() {
        let arrivals = Arrivals::default();
        let text = "FROM alpine\nRUN echo \"é\" \\\n  && true\n";
        let out = frames_with(&(framed(&did_open_body(text)) + &framed(PING)), &arrivals);
        assert_eq!(out.len(), 2);
        let stand_in = body_of(&out[0]);
        assert_eq!(stand_in["method"], ArrivedOpen::METHOD, "{stand_in}");
        assert!(
            stand_in.get("id").is_none(),
            "a notification stays one: {stand_in}"
        );
        let ticket = stand_in["params"]["ticket"].as_u64();
        let parked = ticket.and_then(|t| arrivals.claim(t));
        assert_eq!(
            parked
                .as_ref()
                .map(|p| (p.uri.to_string(), p.version, p.len)),
            Some(("file:///w/Dockerfile".into(), 3, text.len()))
        );
        let snapshot = parked.and_then(|p| p.snapshot());
        assert_eq!(snapshot.as_ref().map(|s| s.text()), Some(text));
        assert_eq!(out[1], Frame::Message(framed(PING).into_bytes()));
    }

    #[test]
    fn what_the_typed_decode_would_change_is_left_to_tower() {
        let good = did_open_body("FROM a\n");
        let with_id = good.replacen('{', r#"{"id":null,"#, 1);
        let old_version = good.replace(r#""jsonrpc":"2.0""#, r#""jsonrpc":"1.0""#);
        // Tower's JSON value keeps the last of two equal keys; a typed decode refuses them.
        let twice = good.replace(r#""text":"#, r#""text":"FROM b\n","text":"#);
        let other_method = serde_json::json!({
            "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"note": "textDocument/didOpen"},
        })
        .to_string();
        let bad_params = good.replace(r#""version":3"#, r#""version":"3""#);
        for body in [with_id, old_version, twice, other_method, bad_params] {
            assert!(decode_did_open(body.as_bytes()).is_none(), "{body}");
            let arrivals = Arrivals::default();
            let out = frames_with(&framed(&body), &arrivals);
            assert!(arrivals.claim(0).is_none(), "nothing parked for {body}");
            if let [Frame::Message(bytes)] = out.as_slice() {
                assert_eq!(bytes, &framed(&body).into_bytes());
            }
        }
        assert!(decode_did_open(good.as_bytes()).is_some());
    }

    #[test]
    fn a_full_shelf_sends_the_message_the_ordinary_way() {
        let arrivals = Arrivals::default();
        let body = did_open_body("FROM a\n");
        let out = frames_with(&framed(&body).repeat(12), &arrivals);
        let stand_ins = out
            .iter()
            .filter(|f| body_of(f)["method"] == ArrivedOpen::METHOD)
            .count();
        let whole = out
            .iter()
            .filter(|f| **f == Frame::Message(framed(&body).into_bytes()))
            .count();
        assert!(
            stand_ins > 0 && whole > 0,
            "{stand_ins} parked, {whole} passed whole"
        );
        assert_eq!(stand_ins + whole, 12);
    }

    #[test]
    fn the_reserved_method_is_not_taken_from_the_client() {
        let notification = format!(
            r#"{{"jsonrpc":"2.0","method":"{}","params":{{"ticket":0}}}}"#,
            ArrivedOpen::METHOD
        );
        let request = notification.replacen('{', r#"{"id":9,"#, 1);
        let out = frames(&(framed(&notification) + &framed(&request)));
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], Frame::Ignored);
        assert!(matches!(out[1], Frame::Reject(_)));
        assert_eq!(body_of(&out[1])["error"]["code"], -32601);
        assert_eq!(body_of(&out[1])["id"], 9);
    }
}
