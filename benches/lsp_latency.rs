//! Latency and memory of the language server as an editor sees them: the optimized binary,
//! driven over stdio by the test client in `tests/support`.
//!
//! Measures, on `examples/multi-stage.Dockerfile`, a generated ~9,000-line Dockerfile and the
//! first 9,000 lines of the corpus concatenated, with every rule on (BuildKit's experimental
//! checks, hadolint's rules, the advice) and ShellCheck off: time from `didOpen` to the first
//! `publishDiagnostics`, from a one-character `didChange` to its `publishDiagnostics`, and
//! hover and completion round trips; then the peak RSS of a server holding 20 of the large
//! documents. Each time ends when the answer's last byte arrives, before this client decodes
//! it (decoding hundreds of diagnostics into a `Value` takes the test client about as long as
//! the server takes to find them). Run with `cargo bench --bench lsp_latency`
//! (`DOCKERFILE_LS_BENCH_ONLY=diagnostics` for the first table alone).
//!
//! Navigation: semantic tokens (full, and the delta after a one-character edit), references,
//! rename, document symbols and folding ranges, on the generated file and on a file made by
//! concatenating the corpus (`$DOCKERFILE_LS_SHARED/corpus`), each at 9,000 and 18,000 lines
//! to show how the time grows. With `DOCKERFILE_LS_BENCH_NODE` set to a `docker-langserver`
//! binary, the Node.js server's semantic tokens are timed on the same 9,000-line files.

#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Client, did_open, did_open_message};

/// Iteration counts: enough for stable medians, small enough to finish in well under a minute.
struct Plan {
    opens: usize,
    changes: usize,
    requests: usize,
}

const SMALL: Plan = Plan {
    opens: 100,
    changes: 300,
    requests: 300,
};
const LARGE: Plan = Plan {
    opens: 60,
    changes: 100,
    requests: 200,
};
const LARGE_LINES: usize = 9_000;
/// Requests per navigation row.
const NAV_REQUESTS: usize = 60;
/// The Node.js server takes seconds per semantic-tokens request on a large file.
const NODE_REQUESTS: usize = 3;
const RSS_DOCUMENTS: usize = 20;

fn main() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/multi-stage.Dockerfile"
    );
    let small =
        std::fs::read_to_string(example).unwrap_or_else(|e| panic!("cannot read {example}: {e}"));
    let large = generate(LARGE_LINES, 0);
    // To look at (or lint) the generated input: DOCKERFILE_LS_BENCH_DUMP=/tmp/big.Dockerfile
    if let Some(path) = std::env::var_os("DOCKERFILE_LS_BENCH_DUMP") {
        std::fs::write(&path, &large).unwrap_or_else(|e| panic!("cannot write the dump: {e}"));
    }

    println!("binary: {}", Client::binary().display());
    // `DOCKERFILE_LS_BENCH_ONLY=navigation` runs the navigation rows alone, `=diagnostics`
    // the first table alone.
    let only = std::env::var("DOCKERFILE_LS_BENCH_ONLY").unwrap_or_default();
    let only_navigation = only == "navigation";
    if !only_navigation {
        let corpus_large = take_lines(&corpus_text(), LARGE_LINES);
        let mut rows = Vec::new();
        for (name, text, plan) in [
            ("multi-stage.Dockerfile", &small, &SMALL),
            ("generated", &large, &LARGE),
            ("corpus", &corpus_large, &LARGE),
        ] {
            let label = format!(
                "{name} ({} lines, {} KiB)",
                text.lines().count(),
                text.len() / 1024
            );
            eprintln!("measuring {label} ...");
            rows.extend(measure(&label, text, plan));
        }
        print_table(&rows);
        if only == "diagnostics" {
            return;
        }
    }

    let mut nav_rows = Vec::new();
    let corpus = corpus_text();
    for lines in [LARGE_LINES, 2 * LARGE_LINES] {
        for (name, text) in [
            ("generated", generate(lines, 0)),
            ("corpus", take_lines(&corpus, lines)),
        ] {
            let label = format!(
                "{name} ({} lines, {} KiB)",
                text.lines().count(),
                text.len() / 1024
            );
            eprintln!("measuring navigation on {label} ...");
            nav_rows.extend(navigation::measure(&label, &text, NAV_REQUESTS));
        }
    }
    if let Some(node) = std::env::var_os("DOCKERFILE_LS_BENCH_NODE") {
        for (name, text) in [
            ("generated", generate(LARGE_LINES, 0)),
            ("corpus", take_lines(&corpus, LARGE_LINES)),
        ] {
            let label = format!("{name} ({} lines), Node.js", text.lines().count());
            eprintln!("measuring docker-langserver on {label} ...");
            nav_rows.push(navigation::node_semantic_tokens(
                std::path::Path::new(&node),
                &label,
                &text,
                NODE_REQUESTS,
            ));
        }
    }
    print_table(&nav_rows);

    if only_navigation {
        return;
    }
    eprintln!("measuring memory ...");
    let (baseline, peak, current) = memory_with_documents(RSS_DOCUMENTS);
    println!();
    println!(
        "memory: {RSS_DOCUMENTS} generated documents open ({} KiB each): \
         peak RSS (VmHWM) {peak} MiB, current RSS {current} MiB; after initialize: {baseline} MiB",
        large.len() / 1024
    );
}

struct Row {
    document: String,
    what: &'static str,
    samples: Vec<Duration>,
}

/// The corpus of real Dockerfiles, concatenated in path order; panics when it is missing.
fn corpus_text() -> String {
    let shared = std::env::var_os("DOCKERFILE_LS_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let root = shared.join("corpus");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
            panic!(
                "cannot read the corpus at {} ({e}); set DOCKERFILE_LS_SHARED",
                dir.display()
            )
        });
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 300,
        "expected the corpus at {}",
        root.display()
    );
    let mut out = String::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        out.push_str(&String::from_utf8_lossy(&bytes));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The first `lines` lines of `text`, repeated as needed.
fn take_lines(text: &str, lines: usize) -> String {
    text.lines()
        .cycle()
        .take(lines)
        .flat_map(|l| [l, "\n"])
        .collect()
}

#[path = "lsp_latency/navigation.rs"]
mod navigation;

/// Every rule on (BuildKit's experimental checks too; hadolint's, the advice), ShellCheck off:
/// it runs in the background and is not part of what an edit waits for.
fn every_rule_without_shellcheck() -> Value {
    json!({"checks": {"experimental": ["all"]}, "shellcheck": {"enable": false}})
}

fn measure(document: &str, text: &str, plan: &Plan) -> Vec<Row> {
    let (mut client, _) = Client::start_with(navigation::caps(), every_rule_without_shellcheck());
    let row = |what, samples| Row {
        document: document.to_string(),
        what,
        samples,
    };
    let mut rows = Vec::new();

    // didOpen → publishDiagnostics, on a fresh URI each time; closing in between keeps one
    // document open, as when an editor opens and closes the file repeatedly.
    let mut samples = Vec::with_capacity(plan.opens);
    for i in 0..plan.opens {
        let uri = support::uri(&format!("open-{i}.Dockerfile"));
        // The clock starts at the first byte written: encoding the message is the client's
        // work (and costs this test client, which copies the text into a JSON value, about
        // as much as the server's parse of a small file).
        let mut message = Vec::with_capacity(text.len() + 1024);
        support::write_message(&mut message, &did_open_message(&uri, 1, text))
            .unwrap_or_else(|e| panic!("cannot encode didOpen: {e}"));
        let start = Instant::now();
        client.send_raw(&message);
        let (_, arrived) = client.wait_diagnostics_arrival(&uri, 1);
        samples.push(arrived.saturating_duration_since(start));
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    client.clear_notifications();
    rows.push(row("didOpen → diagnostics", samples));

    // One-character edits in the middle of the document, alternately typed and deleted so
    // the document stays the same size.
    let uri = support::uri("edit.Dockerfile");
    did_open(&mut client, &uri, 1, text);
    let published = client.wait_diagnostics(&uri, 1);
    // How much is published matters for the timings; say it.
    let count = published["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    eprintln!("  {count} diagnostics published for {document}");
    let middle = text.lines().count() / 2;
    let mut samples = Vec::with_capacity(plan.changes);
    for i in 0..plan.changes {
        let version = i as i64 + 2;
        let at = json!({"line": middle, "character": 0});
        let change = if i % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": "x"})
        } else {
            json!({"range": {"start": at, "end": {"line": middle, "character": 1}}, "text": ""})
        };
        let start = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        let (_, arrived) = client.wait_diagnostics_arrival(&uri, version);
        samples.push(arrived.saturating_duration_since(start));
    }
    rows.push(row("didChange (1 char) → diagnostics", samples));

    // Hover on instruction keywords and arguments, completion at the end of lines and after
    // `FROM `, cycling through positions spread over the document.
    let positions = interesting_positions(text);
    for (method, what) in [
        ("textDocument/hover", "hover round trip"),
        ("textDocument/completion", "completion round trip"),
    ] {
        let mut samples = Vec::with_capacity(plan.requests);
        for i in 0..plan.requests {
            let position = &positions[i * 7919 % positions.len()];
            let params = json!({"textDocument": {"uri": uri}, "position": position});
            let start = Instant::now();
            let reply = client.request(method, params);
            samples.push(start.elapsed());
            assert!(reply.is_ok(), "{method} failed: {reply:?}");
        }
        rows.push(row(what, samples));
    }
    assert!(client.shutdown_and_exit().success());
    rows
}

/// Positions worth asking about: the start of each instruction keyword, a few columns into
/// its arguments, and the end of each line.
fn interesting_positions(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for (line, content) in text.lines().enumerate() {
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        if trimmed.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push(json!({"line": line, "character": indent + 1}));
            out.push(json!({"line": line, "character": indent + 6}));
        }
        out.push(json!({"line": line, "character": content.encode_utf16().count()}));
    }
    if out.is_empty() {
        out.push(json!({"line": 0, "character": 0}));
    }
    out
}

/// Opens `n` large documents in a fresh server and reads its memory from `/proc`.
fn memory_with_documents(n: usize) -> (String, String, String) {
    let (mut client, _) = Client::start(json!({}));
    let baseline = proc_status_mib(client.pid(), "VmHWM");
    for i in 0..n {
        let uri = support::uri(&format!("memory-{i}.Dockerfile"));
        // Each document differs, as real ones would.
        did_open(&mut client, &uri, 1, &generate(LARGE_LINES, i as u64 + 1));
        client.wait_diagnostics(&uri, 1);
    }
    let peak = proc_status_mib(client.pid(), "VmHWM");
    let current = proc_status_mib(client.pid(), "VmRSS");
    assert!(client.shutdown_and_exit().success());
    (baseline, peak, current)
}

/// A `kB` field of `/proc/<pid>/status`, in MiB; "n/a" where `/proc` is unavailable.
fn proc_status_mib(pid: u32, field: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or_else(|| "n/a".to_string(), |kb| format!("{:.1}", kb / 1024.0))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn print_table(rows: &[Row]) {
    let doc_width = rows.iter().map(|r| r.document.len()).max().unwrap_or(8);
    let what_width = rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(8);
    println!();
    println!(
        "{:doc_width$}  {:what_width$}  {:>5}  {:>11}  {:>11}  {:>11}",
        "document", "measurement", "n", "median ms", "p90 ms", "max ms"
    );
    println!("{}", "-".repeat(doc_width + what_width + 50));
    for row in rows {
        let mut sorted = row.samples.clone();
        sorted.sort();
        // `{:width$}` counts chars, and the arrow is one char but three bytes.
        let pad = what_width - row.what.chars().count();
        println!(
            "{:doc_width$}  {}{}  {:>5}  {:>11}  {:>11}  {:>11}",
            row.document,
            row.what,
            " ".repeat(pad),
            sorted.len(),
            ms(percentile(&sorted, 0.5)),
            ms(percentile(&sorted, 0.9)),
            ms(sorted.last().copied().unwrap_or_default()),
        );
    }
}

/// A realistic large Dockerfile of at least `min_lines` lines: many stages of the kinds real
/// projects have (Go and Node builders, Python services, slim runtimes), with long continued
/// `RUN` scripts, heredocs, `ENV`/`LABEL`/`ARG` blocks and cross-stage `COPY --from`.
/// `seed` varies names and versions so that several documents are not identical.
fn generate(min_lines: usize, seed: u64) -> String {
    let mut s = String::with_capacity(min_lines * 48);
    let _ = write!(
        s,
        "# syntax=docker/dockerfile:1.7\n\
         # Generated for the dockerfile-ls latency benchmark (seed {seed}).\n\
         ARG BASE_REGISTRY=docker.io\n\
         ARG GO_VERSION=1.22.{}\n\
         ARG NODE_VERSION=20.{}\n\
         ARG PYTHON_VERSION=3.12\n\
         ARG TARGETPLATFORM\n\n",
        seed % 10,
        seed % 17
    );
    let mut stage = 0usize;
    while s.matches('\n').count() < min_lines {
        let name = format!("stage{stage}-{seed}");
        let previous = format!("stage{}-{seed}", stage.saturating_sub(1));
        match stage % 4 {
            0 => go_stage(&mut s, &name),
            1 => node_stage(&mut s, &name, &previous),
            2 => python_stage(&mut s, &name, &previous),
            _ => runtime_stage(
                &mut s,
                &name,
                &previous,
                &format!("stage{}-{seed}", stage - 3),
            ),
        }
        stage += 1;
    }
    s
}

const PACKAGES: [&str; 24] = [
    "build-essential",
    "ca-certificates",
    "curl",
    "git",
    "gnupg",
    "jq",
    "libffi-dev",
    "libpq-dev",
    "libssl-dev",
    "libxml2-dev",
    "libxslt1-dev",
    "libyaml-dev",
    "locales",
    "make",
    "openssh-client",
    "pkg-config",
    "procps",
    "python3-dev",
    "rsync",
    "tini",
    "tzdata",
    "unzip",
    "wget",
    "zlib1g-dev",
];

fn labels(s: &mut String, name: &str) {
    let _ = writeln!(
        s,
        "LABEL org.opencontainers.image.title=\"{name}\" \\\n      \
         org.opencontainers.image.description=\"Service {name} — built for benchmarks\" \\\n      \
         org.opencontainers.image.vendor=\"Example Corp\" \\\n      \
         org.opencontainers.image.licenses=\"Apache-2.0\" \\\n      \
         org.opencontainers.image.source=\"https://example.com/{name}.git\" \\\n      \
         com.example.team=\"platform\" \\\n      \
         com.example.tier=\"backend\""
    );
}

fn apt_install(s: &mut String) {
    s.push_str(
        "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    \
         --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    \
         set -eux; \\\n    \
         apt-get update; \\\n    \
         apt-get install -y --no-install-recommends \\\n",
    );
    for p in PACKAGES {
        let _ = writeln!(s, "        {p} \\");
    }
    s.push_str("    ; \\\n    rm -rf /var/lib/apt/lists/*\n");
}

fn go_stage(s: &mut String, name: &str) {
    let _ = writeln!(
        s,
        "FROM --platform=$BUILDPLATFORM ${{BASE_REGISTRY}}/library/golang:${{GO_VERSION}}-bookworm AS {name}"
    );
    labels(s, name);
    s.push_str(
        "ARG TARGETOS\nARG TARGETARCH\nARG CGO_ENABLED=0\n\
         ENV GOFLAGS=\"-trimpath -mod=readonly\" \\\n    \
         GOPROXY=https://proxy.golang.org,direct \\\n    \
         GOCACHE=/root/.cache/go-build \\\n    \
         PATH=/usr/local/go/bin:$PATH\n\
         WORKDIR /src\n",
    );
    apt_install(s);
    s.push_str(
        "COPY go.mod go.sum ./\n\
         RUN --mount=type=cache,target=/go/pkg/mod go mod download -x\n\
         COPY . .\n\
         RUN --mount=type=cache,target=/go/pkg/mod \\\n    \
         --mount=type=cache,target=/root/.cache/go-build \\\n    \
         set -eux; \\\n",
    );
    for cmd in ["api", "worker", "migrate", "scheduler", "gateway", "cli"] {
        let _ = writeln!(
            s,
            "    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags=\"-s -w -X main.version=${{VERSION:-dev}}\" \\\n        \
             -o /out/{cmd} ./cmd/{cmd}; \\"
        );
    }
    s.push_str("    ls -la /out\n");
    s.push_str(
        "RUN <<EOF\n#!/usr/bin/env bash\nset -euo pipefail\n\
         for f in /out/*; do\n  if [ -x \"$f\" ]; then\n    echo \"checking $f\"\n    \
         \"$f\" --version || true\n  fi\ndone\n\
         mkdir -p /out/etc\nprintf '%s\\n' \"built at $(date -u +%FT%TZ)\" > /out/etc/build-info\nEOF\n\n",
    );
}

fn node_stage(s: &mut String, name: &str, previous: &str) {
    let _ = writeln!(
        s,
        "FROM ${{BASE_REGISTRY}}/library/node:${{NODE_VERSION}}-bookworm-slim AS {name}"
    );
    labels(s, name);
    s.push_str(
        "ENV NODE_ENV=production \\\n    NPM_CONFIG_LOGLEVEL=warn \\\n    \
         NEXT_TELEMETRY_DISABLED=1\n\
         WORKDIR /app\n\
         COPY package.json package-lock.json ./\n\
         RUN --mount=type=cache,target=/root/.npm \\\n    npm ci --omit=dev --ignore-scripts \\\n    \
         && npm cache verify\n\
         COPY --chown=node:node . .\n",
    );
    let _ = writeln!(
        s,
        "COPY --from={previous} /out/etc/build-info /app/build-info"
    );
    s.push_str("RUN set -eux; \\\n");
    for step in [
        "lint",
        "typecheck",
        "test:unit",
        "build",
        "build:storybook",
        "sitemap",
    ] {
        let _ = writeln!(
            s,
            "    npm run {step} -- --ci --reporter=dot || {{ echo \"{step} failed\" >&2; exit 1; }}; \\"
        );
    }
    s.push_str(
        "    find dist -name '*.map' -delete; \\\n    du -sh dist\n\
         COPY <<EOF /app/config.json\n{\n  \"port\": 3000,\n  \"logLevel\": \"info\",\n  \
         \"features\": [\"search\", \"billing\", \"reports\"],\n  \"cache\": {\"ttl\": 600}\n}\nEOF\n\
         USER node\nEXPOSE 3000/tcp\n\
         HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD node healthcheck.js || exit 1\n\n",
    );
}

fn python_stage(s: &mut String, name: &str, previous: &str) {
    let _ = writeln!(
        s,
        "FROM ${{BASE_REGISTRY}}/library/python:${{PYTHON_VERSION}}-slim-bookworm AS {name}"
    );
    labels(s, name);
    s.push_str(
        "ARG PIP_INDEX_URL=https://pypi.org/simple\n\
         ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1 \\\n    \
         PIP_NO_CACHE_DIR=1 \\\n    VIRTUAL_ENV=/opt/venv \\\n    PATH=/opt/venv/bin:$PATH\n",
    );
    apt_install(s);
    s.push_str("RUN python -m venv $VIRTUAL_ENV \\\n    && pip install --upgrade pip wheel \\\n");
    for pkg in [
        "django==5.0.6",
        "psycopg[binary]==3.1.19",
        "celery==5.4.0",
        "redis==5.0.4",
        "gunicorn==22.0.0",
        "requests==2.32.3",
        "pydantic==2.7.4",
        "sqlalchemy==2.0.30",
    ] {
        let _ = writeln!(s, "    && pip install \"{pkg}\" \\");
    }
    s.push_str("    && pip check\n");
    let _ = writeln!(
        s,
        "COPY --from={previous} --chown=1000:1000 /app/dist /srv/static"
    );
    s.push_str(
        "WORKDIR /srv\nCOPY . .\n\
         RUN <<-SCRIPT bash\n\tset -euo pipefail\n\tpython manage.py collectstatic --noinput\n\t\
         python manage.py compilemessages\n\tpython -m compileall -q /srv\nSCRIPT\n\
         USER 1000:1000\n\
         EXPOSE 8000\n\
         STOPSIGNAL SIGTERM\n\
         CMD [\"gunicorn\", \"app.wsgi\", \"--bind\", \"0.0.0.0:8000\", \"--workers\", \"4\"]\n\n",
    );
}

/// The slim final image of a group: binaries from the Go builder, assets from `previous`.
fn runtime_stage(s: &mut String, name: &str, previous: &str, go_builder: &str) {
    let _ = writeln!(
        s,
        "FROM gcr.io/distroless/static-debian12:nonroot AS {name}"
    );
    labels(s, name);
    for cmd in ["api", "worker", "migrate"] {
        let _ = writeln!(
            s,
            "COPY --from={go_builder} /out/{cmd} /usr/local/bin/{cmd}"
        );
    }
    let _ = writeln!(s, "COPY --from={previous} /srv/static /srv/static");
    s.push_str(
        "ENV APP_ENV=production \\\n    APP_PORT=8080 \\\n    APP_LOG_FORMAT=json\n\
         USER nonroot:nonroot\n\
         EXPOSE 8080/tcp 9090/tcp\n\
         ENTRYPOINT [\"/usr/local/bin/api\"]\n\
         CMD [\"--port\", \"8080\", \"--metrics-port\", \"9090\"]\n\n",
    );
}
