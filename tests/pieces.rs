//! Large texts are parsed in pieces, side by side; the result must be exactly what one parse
//! of the whole text gives: the same tree (as an S-expression), the same views and the same
//! model (also when each piece's instructions are read as soon as it is parsed), on every real
//! Dockerfile and on texts built so that the guessed piece starts fall
//! inside heredoc bodies and continued lines.

mod common;

use dockerfile_ls::model::Model;
use dockerfile_ls::syntax::Document;

/// Compares `text` parsed in up to `pieces` pieces with one whole parse. Returns how many
/// pieces were kept, or what differs.
fn compare(text: &str, pieces: usize) -> Result<usize, String> {
    let whole = Document::new_in_pieces(text, 1);
    let split = Document::new_in_pieces(text, pieces);
    let (w, s) = (whole.tree(), split.tree());
    if s.to_sexp() != w.to_sexp() {
        return Err(format!(
            "trees differ\n  whole:  {}\n  pieces: {}",
            w.to_sexp(),
            s.to_sexp()
        ));
    }
    let (wf, sf) = (w.source_file(), s.source_file());
    let directives = |f: dockerfile_ls::syntax::SourceFile<'_>| f.directives().collect::<Vec<_>>();
    let instructions = |f: dockerfile_ls::syntax::SourceFile<'_>| {
        f.instructions().map(|i| i.range()).collect::<Vec<_>>()
    };
    if directives(sf) != directives(wf)
        || instructions(sf) != instructions(wf)
        || sf.comments() != wf.comments()
        || sf.has_error() != wf.has_error()
    {
        return Err("views differ".into());
    }
    // Entering the tree in the middle, as `Model::update` does, finds the same instructions.
    for inst in wf.instructions().step_by(5) {
        let from_whole: Vec<_> = wf
            .instructions_from(inst.range().start)
            .map(|i| i.range())
            .collect();
        let from_split: Vec<_> = sf
            .instructions_from(inst.range().start)
            .map(|i| i.range())
            .collect();
        if from_whole != from_split {
            return Err(format!("instructions_from({}) differs", inst.range().start));
        }
    }
    let model = Model::build(&whole);
    if Model::build(&split) != model {
        return Err("models differ".into());
    }
    // Reading each piece as soon as it is parsed gives the same document and model.
    let (opened, read) = Model::open_in_pieces(text, pieces);
    if opened.tree().to_sexp() != w.to_sexp() || read != model {
        return Err("the model read piece by piece differs".into());
    }
    Ok(s.piece_count())
}

#[test]
fn real_dockerfiles_read_the_same_in_pieces() {
    let shared = common::shared_dir();
    let mut files = common::corpus_files();
    for dir in ["testfiles", "testfiles-negative"] {
        let root = shared.join("conformance/buildkit").join(dir);
        let entries = std::fs::read_dir(&root)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()));
        files.extend(entries.flatten().map(|e| e.path().join("Dockerfile")));
    }
    let mut failures = Vec::new();
    let mut split = 0;
    for path in &files {
        let text = common::read(path);
        for pieces in [2, 3, 7] {
            match compare(&text, pieces) {
                Ok(kept) => split += usize::from(pieces == 3 && kept > 1),
                Err(e) => failures.push(format!("{} in {pieces}: {e}", path.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Not vacuous: most files really were parsed in pieces.
    assert!(
        split * 10 >= files.len() * 7,
        "only {split} of {} files were split",
        files.len()
    );
}

/// Blocks whose lines look like instruction starts but are not: heredoc bodies, lines after a
/// continued line with blank and comment lines between, backtick escapes. With many blocks and
/// many pieces, guessed starts land on them, and the parse must turn them down.
const TRAPS: &[&str] = &[
    "RUN <<EOF\nRUN echo inside a heredoc\nFROM not-a-stage\nEOF\n",
    "COPY <<A <<B /dst\nRUN a\nA\nRUN b\nB\n",
    "RUN apt-get update \\\n\nRUN this continues the line above\n",
    "RUN a \\\n# a comment line inside\nENV X=continued\n",
    "LABEL a=b\n",
    "FROM base AS s\n",
    "RUN <<-EOT bash\n\tRUN indented body\n\tEOT\n",
    "ENV A=1 \\\n    B=2\n",
    "RUN echo \"quoted \\\nRUN still quoted\"\n",
    "onbuild run <<X\nWORKDIR /in/body\nX\n",
    "ARG V\r\nRUN crlf \\\r\nRUN continued\r\n",
];

fn trap_text(head: &str, seed: usize, blocks: usize) -> String {
    let mut text = String::from(head);
    for i in 0..blocks {
        text.push_str(TRAPS[(i * 7 + seed) % TRAPS.len()]);
    }
    text
}

#[test]
fn guessed_starts_in_heredocs_and_continuations_are_turned_down() {
    let heads = [
        "",
        "# syntax=docker/dockerfile:1\n# a comment\n\n",
        "# escape=`\n",
        "\u{feff}# escape=\\\n",
    ];
    let mut failures = Vec::new();
    let mut fewer = 0;
    for head in heads {
        for seed in 0..TRAPS.len() {
            let text = trap_text(head, seed, 40);
            for pieces in [2, 5, 12, 40] {
                match compare(&text, pieces) {
                    Ok(kept) => fewer += usize::from(kept < pieces),
                    Err(e) => failures.push(format!("head {head:?} seed {seed} in {pieces}: {e}")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The traps did trap: some guessed starts were turned down (or never guessed).
    assert!(fewer > 0);
}
