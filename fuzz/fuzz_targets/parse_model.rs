//! Any bytes, read as (lossy) UTF-8, must parse into a tree, a model and a BuildKit dump, and
//! give diagnostics and image references, without panicking: problems in a Dockerfile are
//! data, never crashes. Parsed in pieces (as a large file is), the same text must give the
//! same tree and model.

#![no_main]

use dockerfile_ls::analysis::{self, Snapshot};
use dockerfile_ls::model::Model;
use dockerfile_ls::syntax::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = Document::new(text.as_ref());
    let model = Model::build(&doc);
    // Walk everything a client would ask for, so a bad range panics here and not in the server.
    let _ = model.buildkit_dump();
    for problem in model.all_problems() {
        let _ = doc.slice(problem.range);
    }
    let _ = model.has_errors();
    for i in 0..model.instructions.len() {
        let _ = model.stage_of(i);
    }
    let file = doc.tree().source_file();
    let _ = file.comments();
    for node in file.instructions() {
        let _ = node.heredocs();
        let _ = node.line_range(doc.text());
        let _ = node.continuations().count();
    }
    let snapshot = Snapshot::new(text.as_ref());
    for d in analysis::diagnostics(&snapshot) {
        assert!(text.get(d.range.clone()).is_some(), "diagnostic range {d:?}");
    }
    for site in snapshot.image_sites() {
        assert!(text.get(site.range.clone()).is_some(), "image range {site:?}");
    }

    let pieces = 2 + usize::from(data.first().copied().unwrap_or(0) % 4);
    let split = Document::new_in_pieces(text.as_ref(), pieces);
    assert_eq!(split.tree().to_sexp(), doc.tree().to_sexp(), "in {pieces} pieces");
    assert!(Model::build(&split) == model, "in {pieces} pieces, the model differs");
    // Each piece's instructions read as soon as it is parsed: the same model again.
    let (_, opened) = Model::open_in_pieces(text.as_ref(), pieces);
    assert!(opened == model, "read piece by piece in {pieces} pieces, the model differs");
});
