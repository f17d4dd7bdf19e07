//! Formatting costs: the generated 10,000-line file (target: under 20 ms for the engine on
//! an open document: print, and the re-parse that checks every changed instruction), a file
//! built from the whole corpus (closer to life), and one typical file, each from an open
//! snapshot (parsed, its shell model built, as the diagnostics leave it) and from text
//! (parsing included, as `dockerfile-ls fmt` does it).

#[path = "gen/dockerfile.rs"]
mod dockerfile_gen;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dockerfile_ls::analysis::Snapshot;
use dockerfile_ls::analysis::format::{FormatOptions, format, format_text};

fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("DOCKERFILE_LS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join("corpus").is_dir(),
        "shared test data not found at {} (set DOCKERFILE_LS_SHARED to the shared/ folder)",
        dir.display()
    );
    dir
}

/// Every corpus file's instructions one after the other (each file's directives dropped:
/// only the first lines of a file can hold them), about 13,000 lines.
fn corpus_file() -> String {
    let mut files = Vec::new();
    let mut stack = vec![shared_dir().join("corpus")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("list corpus").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = String::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read corpus file");
        if text.contains("escape=") {
            continue;
        }
        for line in text.lines() {
            let l = line.trim_start().to_ascii_lowercase();
            if l.starts_with("# syntax") || l.starts_with("#syntax") || l.starts_with("# check") {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn formatting(c: &mut Criterion) {
    let opts = FormatOptions::default();
    let big = dockerfile_gen::dockerfile(10_000);
    let corpus = corpus_file();
    let typical = std::fs::read_to_string(
        shared_dir().join("corpus/docker-library+python/3.12__trixie__Dockerfile"),
    )
    .expect("read the python Dockerfile");
    let mut group = c.benchmark_group("format");
    for (name, text) in [
        ("generated-10000-lines", &big),
        ("corpus-joined", &corpus),
        ("python-3.12-trixie-122-lines", &typical),
    ] {
        let snapshot = Snapshot::new(text.as_str());
        // An open document's shell model is built by its diagnostics (the hadolint and
        // ShellCheck rules read it); formatting takes the RUN scripts from there.
        snapshot.shell();
        group.bench_function(format!("{name}/from-snapshot"), |b| {
            b.iter(|| format(black_box(&snapshot), &opts))
        });
        group.bench_function(format!("{name}/from-text"), |b| {
            b.iter(|| format_text(black_box(text), &opts))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = formatting
}
criterion_main!(benches);
