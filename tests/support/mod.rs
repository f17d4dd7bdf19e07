//! A small LSP client for end-to-end tests and the latency bench: runs the real binary on stdio.
//!
//! A reader thread decodes the server's `Content-Length` frames into a channel and answers
//! the server's own requests on the spot (`workspace/configuration` with the configured
//! settings, everything else with `null`), so the server never waits on the test. The test
//! thread sends requests and notifications, waits for responses by id with a timeout, and
//! keeps every notification (e.g. `publishDiagnostics`) for later inspection.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long to wait for any one answer. Generous: debug builds under a loaded machine.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A running server and our end of its pipes.
pub struct Client {
    child: Child,
    /// `None` once the test has closed the server's stdin.
    writer: Arc<Mutex<Option<ChildStdin>>>,
    /// Each message with the moment its last byte was read, before it was decoded.
    rx: Receiver<(Value, Instant)>,
    next_id: i64,
    responses: HashMap<i64, Value>,
    /// When each response's last byte arrived, for [`Client::timed_request`].
    arrived: HashMap<i64, Instant>,
    /// Responses with a `null` id: the answers to malformed messages.
    null_responses: VecDeque<Value>,
    /// Notifications from the server, oldest first, not yet taken by `wait_notification`.
    /// Tests read it; only this client removes from it (see `notification_arrivals`).
    pub notifications: VecDeque<Value>,
    /// When the last byte of each of `notifications` arrived, in the same order.
    notification_arrivals: VecDeque<Instant>,
    /// Everything the server wrote to stderr (its log), for failure messages.
    stderr: Arc<Mutex<String>>,
    /// What `workspace/configuration` answers, per requested item.
    configuration: Arc<Mutex<Value>>,
}

/// How a request ended: the `result`, or the `error` object.
pub type Reply = Result<Value, Value>;

impl Client {
    /// Starts `binary --stdio` with `DOCKERFILE_LS_LOG` set to `log` (`warn` keeps stderr
    /// quiet; tests that want more pass more; `""` leaves the server's default).
    pub fn spawn(binary: &Path, log: &str) -> Client {
        Client::spawn_env(binary, log, &[])
    }

    /// [`spawn`](Self::spawn) with extra environment variables. Unless `env` says otherwise,
    /// the registry endpoints point at a closed loopback port and the cache at a private
    /// temporary directory, so that no test reaches the real Docker Hub or the user's cache.
    pub fn spawn_env(binary: &Path, log: &str, env: &[(&str, String)]) -> Client {
        let offline = "http://127.0.0.1:9".to_string();
        let cache = std::env::temp_dir()
            .join(format!("dockerfile-ls-test-cache-{}", std::process::id()))
            .to_string_lossy()
            .into_owned();
        let defaults = [
            ("DOCKERFILE_LS_DOCKERHUB_API", offline.clone()),
            (
                "DOCKERFILE_LS_REGISTRY_ENDPOINTS",
                json!({"docker.io": offline}).to_string(),
            ),
            ("DOCKERFILE_LS_CACHE_DIR", cache),
        ];
        let mut command = Command::new(binary);
        for (k, v) in defaults.iter().chain(env) {
            command.env(k, v);
        }
        // An empty `log` leaves the server's own default, unless `env` sets a log variable.
        if log.is_empty() {
            command
                .env_remove("DOCKERFILE_LS_LOG")
                .env_remove("RUST_LOG");
        } else {
            command.env("DOCKERFILE_LS_LOG", log);
        }
        for (k, v) in env.iter().filter(|(k, _)| k.ends_with("_LOG")) {
            command.env(k, v);
        }
        let mut child = command
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let writer = Arc::new(Mutex::new(Some(stdin)));
        let configuration = Arc::new(Mutex::new(Value::Null));

        let (tx, rx) = mpsc::channel();
        let answer_with = Arc::clone(&writer);
        let config = Arc::clone(&configuration);
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some((body, at)) = read_body(&mut reader) {
                let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                    break;
                };
                if let (Some(id), Some(method)) = (message.get("id"), message.get("method")) {
                    let result = match method.as_str() {
                        Some("workspace/configuration") => {
                            let n = message["params"]["items"].as_array().map_or(1, Vec::len);
                            let value = lock(&config).clone();
                            Value::Array(vec![value; n])
                        }
                        _ => Value::Null,
                    };
                    let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
                    if let Some(w) = lock(&answer_with).as_mut() {
                        let _ = write_message(w, &reply);
                    }
                }
                if tx.send((message, at)).is_err() {
                    break;
                }
            }
        });

        let log_text = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log_text);
        thread::spawn(move || {
            let mut lines = BufReader::new(stderr).lines();
            while let Some(Ok(line)) = lines.next() {
                let mut s = lock(&sink);
                s.push_str(&line);
                s.push('\n');
            }
        });

        Client {
            child,
            writer,
            rx,
            next_id: 1,
            responses: HashMap::new(),
            arrived: HashMap::new(),
            null_responses: VecDeque::new(),
            notifications: VecDeque::new(),
            notification_arrivals: VecDeque::new(),
            stderr: log_text,
            configuration,
        }
    }

    /// The binary under test, as Cargo built it for this test target.
    pub fn binary() -> &'static Path {
        Path::new(env!("CARGO_BIN_EXE_dockerfile-ls"))
    }

    /// Spawns the server and runs `initialize` + `initialized` with these capabilities.
    pub fn start(capabilities: Value) -> (Client, Value) {
        Client::start_with(capabilities, Value::Null)
    }

    pub fn start_with(capabilities: Value, init_options: Value) -> (Client, Value) {
        Client::start_env(capabilities, init_options, &[])
    }

    /// [`start_with`](Self::start_with) with extra environment variables for the server.
    pub fn start_env(
        capabilities: Value,
        init_options: Value,
        env: &[(&str, String)],
    ) -> (Client, Value) {
        let mut client = Client::spawn_env(Client::binary(), "warn", env);
        let result = client.initialize(capabilities, init_options);
        (client, result)
    }

    /// `initialize` then `initialized`; the `initialize` result.
    pub fn initialize(&mut self, capabilities: Value, init_options: Value) -> Value {
        let params = json!({
            "processId": null,
            "rootUri": null,
            "clientInfo": {"name": "dockerfile-ls tests"},
            "capabilities": capabilities,
            "initializationOptions": init_options,
        });
        let result = self
            .request("initialize", params)
            .unwrap_or_else(|e| panic!("initialize failed: {e}"));
        self.notify("initialized", json!({}));
        result
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        lock(&self.stderr).clone()
    }

    /// The server's stderr once it contains `needle` (its log lines reach us through a pipe
    /// and a reader thread, so they may trail an answer written after them), or what there
    /// is after [`TIMEOUT`].
    pub fn stderr_with(&self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let stderr = self.stderr();
            if stderr.contains(needle) || Instant::now() >= deadline {
                return stderr;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sets what the client answers to `workspace/configuration`.
    pub fn set_configuration(&self, value: Value) {
        *lock(&self.configuration) = value;
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; pair with [`Client::wait_response`].
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its answer.
    pub fn request(&mut self, method: &str, params: Value) -> Reply {
        let id = self.send_request(method, params);
        self.wait_response(id)
    }

    /// A request, and the time from sending it to the last byte of its answer: the
    /// server's latency, without the time this client takes to decode the answer (a
    /// megabyte of JSON into a `Value` takes the test client longer than the server takes
    /// to compute it).
    pub fn timed_request(&mut self, method: &str, params: Value) -> (Reply, Duration) {
        let start = Instant::now();
        let id = self.send_request(method, params);
        let reply = self.wait_response(id);
        let end = self.arrived.remove(&id).unwrap_or_else(Instant::now);
        (reply, end.saturating_duration_since(start))
    }

    pub fn wait_response(&mut self, id: i64) -> Reply {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(response) = self.responses.remove(&id) {
                return into_reply(response);
            }
            if !self.pump(deadline) {
                panic!(
                    "no response to request {id} within {TIMEOUT:?}\n--- server stderr ---\n{}",
                    self.stderr()
                );
            }
        }
    }

    /// Waits for the next response with a `null` id (the answer to a malformed message).
    pub fn wait_null_id_response(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(response) = self.null_responses.pop_front() {
                return response;
            }
            if !self.pump(deadline) {
                panic!("no response with a null id\n{}", self.stderr());
            }
        }
    }

    /// Removes and returns the first notification (already received or arriving within
    /// `timeout`) for which `matches` holds.
    pub fn wait_notification(
        &mut self,
        timeout: Duration,
        matches: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        self.wait_notification_arrival(timeout, matches)
            .map(|(n, _)| n)
    }

    /// [`Client::wait_notification`], with the moment the notification's last byte arrived.
    fn wait_notification_arrival(
        &mut self,
        timeout: Duration,
        matches: impl Fn(&Value) -> bool,
    ) -> Option<(Value, Instant)> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(i) = self.notifications.iter().position(&matches) {
                let at = self.notification_arrivals.remove(i);
                let n = self.notifications.remove(i)?;
                return Some((n, at.unwrap_or_else(Instant::now)));
            }
            if !self.pump(deadline) {
                return None;
            }
        }
    }

    /// Waits for `publishDiagnostics` for `uri` with exactly `version`.
    pub fn wait_diagnostics(&mut self, uri: &str, version: i64) -> Value {
        self.wait_diagnostics_arrival(uri, version).0
    }

    /// [`Client::wait_diagnostics`], with the moment the publication's last byte arrived: the
    /// server's latency is measured to there, without the time this client takes to decode
    /// hundreds of diagnostics into a `Value`.
    pub fn wait_diagnostics_arrival(&mut self, uri: &str, version: i64) -> (Value, Instant) {
        let found = self.wait_notification_arrival(TIMEOUT, |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && n["params"]["version"] == version
        });
        found.unwrap_or_else(|| {
            panic!(
                "no diagnostics for {uri} version {version}\n--- server stderr ---\n{}",
                self.stderr()
            )
        })
    }

    /// Drops the notifications received so far.
    pub fn clear_notifications(&mut self) {
        while self.pump(Instant::now()) {}
        self.notifications.clear();
        self.notification_arrivals.clear();
    }

    /// Writes raw bytes, for malformed-input tests.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let mut guard = lock(&self.writer);
        let w = guard.as_mut().expect("stdin is still open");
        w.write_all(bytes)
            .and_then(|()| w.flush())
            .unwrap_or_else(|e| panic!("cannot write to the server: {e}"));
    }

    /// Closes the server's stdin, as a client that goes away without `exit` would.
    pub fn close_stdin(&mut self) {
        lock(&self.writer).take();
    }

    /// Sends a whole JSON-RPC message.
    pub fn send_message(&mut self, message: &Value) {
        self.send(message);
    }

    fn send(&mut self, message: &Value) {
        let written = match lock(&self.writer).as_mut() {
            Some(w) => write_message(w, message),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        if let Err(e) = written {
            panic!("cannot write to the server: {e}\n{}", self.stderr());
        }
    }

    /// Files one message from the server; false if none came before `deadline` (or the
    /// server closed its stdout).
    fn pump(&mut self, deadline: Instant) -> bool {
        let wait = deadline.saturating_duration_since(Instant::now());
        let (message, at) = match self.rx.recv_timeout(wait) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
        };
        if message.get("method").is_some() {
            // Server requests were answered by the reader thread; keep them visible too.
            self.notifications.push_back(message);
            self.notification_arrivals.push_back(at);
        } else if let Some(id) = message["id"].as_i64() {
            self.arrived.insert(id, at);
            self.responses.insert(id, message);
        } else {
            self.null_responses.push_back(message);
        }
        true
    }

    /// `shutdown`, then `exit`; the exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let reply = self.request("shutdown", Value::Null);
        assert_eq!(reply, Ok(Value::Null), "shutdown failed");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Waits (bounded) for the process to end.
    pub fn wait_exit(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status,
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                other => panic!("server did not exit: {other:?}\n{}", self.stderr()),
            }
        }
    }

    /// Whether the process is still running.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn into_reply(response: Value) -> Reply {
    match response.get("error") {
        Some(error) => Err(error.clone()),
        None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn write_message(w: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = message.to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    w.flush()
}

/// One framed message's body and when its last byte was read, or `None` at end of stream
/// or on garbage (the test then times out with the server's stderr in the message, which
/// is the useful part).
fn read_body(r: &mut impl BufRead) -> Option<(Vec<u8>, Instant)> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    Some((body, Instant::now()))
}

/// The server's environment for a mock registry: Docker Hub's API at `hub`, `docker.io`'s
/// registry at `registry`, and a private cache and Docker configuration under `dir`.
pub fn registry_env(hub: &str, registry: &str, dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("DOCKERFILE_LS_DOCKERHUB_API", hub.to_string()),
        (
            "DOCKERFILE_LS_REGISTRY_ENDPOINTS",
            json!({"docker.io": registry}).to_string(),
        ),
        (
            "DOCKERFILE_LS_CACHE_DIR",
            dir.join("cache").to_string_lossy().into_owned(),
        ),
        (
            "DOCKER_CONFIG",
            dir.join("docker").to_string_lossy().into_owned(),
        ),
    ]
}

/// Whether `n` is a `publishDiagnostics` for `uri`.
pub fn is_diagnostics_for(n: &Value, uri: &str) -> bool {
    n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
}

/// The codes of the diagnostics in a `publishDiagnostics` notification.
pub fn diagnostic_codes(n: &Value) -> Vec<String> {
    n["params"]["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|d| d["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A `file://` URI for a test document name.
pub fn uri(name: &str) -> String {
    format!("file:///test/{name}")
}

pub fn did_open(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.send_message(&did_open_message(uri, version, text));
}

/// The whole `textDocument/didOpen` notification, for sending as it is or as raw bytes.
pub fn did_open_message(uri: &str, version: i64, text: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "dockerfile", "version": version, "text": text
    }}})
}

/// `dockerfile-ls/documentText`: the server's view of a document.
pub fn document_text(client: &mut Client, uri: &str) -> Value {
    client
        .request(
            "dockerfile-ls/documentText",
            json!({"textDocument": {"uri": uri}}),
        )
        .unwrap_or_else(|e| panic!("documentText failed: {e}"))
}

/// `textDocument/hover` at one position; panics on an error response.
pub fn hover_at(client: &mut Client, uri: &str, line: u32, character: u32) -> Value {
    client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .unwrap_or_else(|e| panic!("hover failed: {e}"))
}

/// `textDocument/codeAction` at one position with no diagnostics in the context: the actions
/// offered on an image reference. Panics on an error response.
pub fn code_actions_at(client: &mut Client, uri: &str, line: u32, character: u32) -> Vec<Value> {
    let at = json!({"line": line, "character": character});
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": at, "end": at},
                "context": {"diagnostics": []}
            }),
        )
        .unwrap_or_else(|e| panic!("codeAction failed: {e}"));
    actions.as_array().cloned().unwrap_or_default()
}
