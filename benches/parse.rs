//! Parse and model costs: typical files, a generated 10,000-line file, and one keystroke on
//! it, whole and split into reparse and model update.
//!
//! Targets: a keystroke (apply change + reparse + `Model::update`) under 1 ms median; a full
//! 10,000-line parse + model under 10 ms. `keystroke-rules` adds every rule to the keystroke,
//! on the generated file and on the corpus cut to 9,000 lines. Typical files come from the
//! repository and from `$DOCKERFILE_LS_SHARED/corpus` (default `../shared`).

#[path = "gen/dockerfile.rs"]
mod dockerfile_gen;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dockerfile_ls::analysis::{self, Snapshot};
use dockerfile_ls::model::Model;
use dockerfile_ls::syntax::{Document, SyntaxTree};
use dockerfile_ls::text::{ContentChange, Position, PositionEncoding, TextEdit};

const BIG_LINES: usize = 10_000;

fn shared_dir() -> PathBuf {
    dockerfile_ls::shared_data::dir_with("corpus")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn parse_and_model(text: &str) -> (Document, Model) {
    Model::open(text)
}

fn typical_files(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = [
        (
            "multi-stage-15-lines",
            read(&root.join("examples/multi-stage.Dockerfile")),
        ),
        (
            "python-3.12-trixie-122-lines",
            read(&shared_dir().join("corpus/docker-library+python/3.12__trixie__Dockerfile")),
        ),
    ];
    let mut group = c.benchmark_group("typical");
    for (name, text) in &files {
        group.bench_function(format!("parse+model/{name}"), |b| {
            b.iter(|| parse_and_model(black_box(text)))
        });
    }
    group.finish();
}

fn big_file(c: &mut Criterion) {
    let text = dockerfile_gen::dockerfile(BIG_LINES);
    // To look at (or profile) the generated input: DOCKERFILE_LS_BENCH_DUMP=/tmp/10k.Dockerfile
    if let Some(path) = std::env::var_os("DOCKERFILE_LS_BENCH_DUMP") {
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("cannot write the dump: {e}"));
    }
    // A model with errors would take other code paths than real files do.
    let (_, model) = parse_and_model(&text);
    assert!(
        !model.has_errors(),
        "generated file has errors: {:?}",
        model.all_problems().first()
    );
    let mut group = c.benchmark_group("10k-lines");
    group.sample_size(30);
    // What opening the file costs: text to document and model. Freeing them is measured
    // apart (`+drop`), as it happens later and elsewhere (when a document is closed or
    // replaced), not while the user waits for the first diagnostics.
    group.bench_function("parse+model", |b| {
        b.iter_with_large_drop(|| parse_and_model(black_box(&text)))
    });
    group.bench_function("parse+model+drop", |b| {
        b.iter(|| parse_and_model(black_box(&text)))
    });
    // The same in two passes, the tree first and then the model: what reading each piece as
    // soon as it is parsed buys.
    group.bench_function("parse-then-model", |b| {
        b.iter_with_large_drop(|| {
            let doc = Document::new(black_box(&*text));
            let model = Model::build(&doc);
            (doc, model)
        })
    });
    group.bench_function("parse", |b| {
        b.iter_with_large_drop(|| Document::new(black_box(&*text)))
    });
    // The tree alone, in pieces on every core (as `Document::new` does) and in one piece:
    // what splitting the parse buys.
    group.bench_function("tree", |b| {
        b.iter_with_large_drop(|| SyntaxTree::parse(black_box(&text)))
    });
    group.bench_function("tree-one-piece", |b| {
        b.iter_with_large_drop(|| SyntaxTree::parse_in_pieces(black_box(&text), 1))
    });
    let doc = Document::new(&*text);
    group.bench_function("model-build", |b| {
        b.iter_with_large_drop(|| Model::build(black_box(&doc)))
    });
    // What runs between the model and the first `publishDiagnostics` of an open.
    let snapshot = Snapshot::new(&*text);
    group.bench_function("diagnostics", |b| {
        b.iter_with_large_drop(|| analysis::diagnostics(black_box(&snapshot)))
    });
    // Every rule, BuildKit's experimental check included, with every base image's
    // configuration known (so that the checks that need one run too).
    let all = all_rules();
    group.bench_function("diagnostics-all-rules", |b| {
        b.iter_with_large_drop(|| analysis::diagnostics_with(black_box(&snapshot), &all))
    });
    group.bench_function("convert", |b| {
        b.iter_with_large_drop(|| {
            analysis::convert::convert(&snapshot.model, snapshot.text(), &all, "linux/amd64")
        })
    });
    group.bench_function("image-sites", |b| {
        b.iter_with_large_drop(|| {
            analysis::registry::image_sites(black_box(&snapshot.model), snapshot.text())
        })
    });
    group.finish();
}

/// Inputs that turn every rule on: experimental checks enabled, every base image known
/// (with an empty configuration), a `.dockerignore`.
fn all_rules() -> analysis::rules::Inputs {
    use analysis::rules::{BaseImages, BuildContext, CheckOptions, ImageConfig, Inputs};
    struct Known;
    impl BaseImages for Known {
        fn config(&self, _: &str, platform: &str) -> Option<std::sync::Arc<ImageConfig>> {
            Some(std::sync::Arc::new(ImageConfig {
                platform: Some(platform.to_string()),
                ..ImageConfig::default()
            }))
        }

        fn generation(&self) -> Option<u64> {
            Some(0)
        }
    }
    Inputs {
        check: Some(CheckOptions {
            experimental_all: true,
            ..CheckOptions::default()
        }),
        context: Some(std::sync::Arc::new(BuildContext::with_dockerignore(
            "*.md\n.git\nnode_modules\n",
        ))),
        images: Some(std::sync::Arc::new(Known)),
        ..Inputs::default()
    }
}

/// A place in the middle of the file where a user types: inside a line of a continued RUN
/// script, after its first few characters.
fn middle_position(text: &str) -> Position {
    let lines: Vec<&str> = text.lines().collect();
    let line = (lines.len() / 2..lines.len())
        .find(|&i| lines[i].starts_with("    ") && lines[i].ends_with(" \\"))
        .expect("the generated file has continued RUN scripts");
    Position::new(line as u32, 8)
}

/// Insert `x` then delete it: the text alternates between two states and never grows.
fn keystrokes(pos: Position) -> [ContentChange; 2] {
    let after = Position::new(pos.line, pos.character + 1);
    [
        ContentChange::ranged(pos, pos, "x"),
        ContentChange::ranged(pos, after, ""),
    ]
}

fn keystroke(c: &mut Criterion) {
    let text = dockerfile_gen::dockerfile(BIG_LINES);
    let pos = middle_position(&text);
    let changes = keystrokes(pos);
    let enc = PositionEncoding::Utf16;
    let mut group = c.benchmark_group("keystroke-10k");

    // (c) The whole keystroke: text + tree edit, reparse, model update.
    {
        let mut doc = Document::new(&*text);
        let mut model = Model::build(&doc);
        let mut i = 0;
        group.bench_function("whole", |b| {
            b.iter(|| {
                let edits = doc.apply_changes(&changes[i % 2..i % 2 + 1], enc);
                model = Model::update(&model, &doc, &edits);
                i += 1;
            })
        });
        // A wrong update would make the timing meaningless.
        assert!(model == Model::build(&Document::new(doc.text())));
    }

    // (d) Its parts.
    {
        let mut doc = Document::new(&*text);
        let mut i = 0;
        group.bench_function("apply_changes", |b| {
            b.iter(|| {
                doc.apply_changes(&changes[i % 2..i % 2 + 1], enc);
                i += 1;
            })
        });
    }
    {
        // Tree-sitter alone: `Tree::edit` + reparse, the text already edited.
        let mut doc = Document::new(&*text);
        let insert: TextEdit = doc.apply_changes(&changes[..1], enc)[0];
        let typed = doc.text().to_owned();
        let delete: TextEdit = doc.apply_changes(&changes[1..], enc)[0];
        let texts = [typed, text.clone()];
        let edits = [insert, delete];
        let mut tree = SyntaxTree::parse(&text);
        let mut i = 0;
        group.bench_function("tree-edit+reparse", |b| {
            b.iter(|| {
                tree.edit(&edits[i % 2]);
                tree.reparse(&texts[i % 2]);
                i += 1;
            })
        });
    }
    {
        let before = Document::new(&*text);
        let old_model = Model::build(&before);
        let mut after = before.clone();
        let edits = after.apply_changes(&changes[..1], enc);
        group.bench_function("model-update", |b| {
            b.iter(|| Model::update(black_box(&old_model), black_box(&after), &edits))
        });
    }
    group.finish();
}

/// The corpus of real Dockerfiles concatenated in path order and cut to 9,000 lines, as the
/// latency benchmark's corpus file: closer to life than the generated one.
fn corpus_9k() -> String {
    let mut all = String::new();
    for (_, text) in dockerfile_ls::shared_data::corpus_texts() {
        all.push_str(&text);
        if !all.ends_with('\n') {
            all.push('\n');
        }
    }
    all.lines().take(9_000).flat_map(|l| [l, "\n"]).collect()
}

/// What a keystroke in the middle of a large file costs the rule engine, as the server runs
/// it: the snapshot after a one-character edit, then every rule, the engine reusing its
/// previous run where the edit allows (an edit inside a RUN, COPY or ADD).
fn keystroke_rules(c: &mut Criterion) {
    let all = all_rules();
    let mut group = c.benchmark_group("keystroke-rules");
    group.sample_size(50);
    let files = [
        ("generated-10k", dockerfile_gen::dockerfile(BIG_LINES)),
        ("corpus-9k", corpus_9k()),
    ];
    for (name, text) in files {
        let middle = text.lines().count() / 2;
        let changes = keystrokes(Position::new(middle as u32, 0));
        let mut snapshot = Snapshot::new(text);
        analysis::rules::run(&snapshot, &all);
        let mut i = 0;
        group.bench_function(format!("apply+rules/{name}"), |b| {
            b.iter(|| {
                let next = snapshot.apply(&changes[i % 2..i % 2 + 1], PositionEncoding::Utf16);
                black_box(analysis::rules::run(&next, &all));
                snapshot = next;
                i += 1;
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Short windows: the 2-core CI machine runs these too, and medians settle quickly.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = typical_files, big_file, keystroke, keystroke_rules
}
criterion_main!(benches);
