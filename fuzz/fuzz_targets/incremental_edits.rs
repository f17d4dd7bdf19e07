//! Incremental parsing must be invisible: bytes become an initial text and a series of
//! change batches; after each batch the document's text, every tree node (kind and range) and
//! the `Model::update` chain must equal a fresh parse and build of the final text. The document
//! may start in pieces (as a large file does), which must change nothing either.
//!
//! Input layout: the bytes before the first 0xFF (never part of UTF-8) are the initial text,
//! so a plain Dockerfile is a useful seed; the bytes after it drive the edits.

#![no_main]

use dockerfile_ls::model::Model;
use dockerfile_ls::syntax::Document;
use dockerfile_ls::syntax::tree::{input_edit, node_lines};
use dockerfile_ls::text::{ContentChange, Position, PositionEncoding};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tree_sitter::Parser;

/// Fragments that change how a Dockerfile is tokenized; edits insert these or raw bytes.
const FRAGMENTS: &[&str] = &[
    "\\",
    "`",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "#",
    "# escape=`\n",
    "# escape=\\\n",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "EOF",
    "EOF\n",
    "'",
    "\"",
    "[",
    "]",
    ",",
    "--",
    "RUN ",
    "FROM ",
    "ONBUILD ",
    "AS ",
    "=",
    "$",
    "{",
    "}",
    "é",
    "😀",
    "\\\n",
    "`\n",
];

const MAX_BATCHES: usize = 16;

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_dockerfile_ls::LANGUAGE.into())
        .expect("grammar matches the tree-sitter ABI");
    parser
}

fn units(s: &str, enc: PositionEncoding) -> u32 {
    let n = match enc {
        PositionEncoding::Utf8 => s.len(),
        PositionEncoding::Utf16 => s.encode_utf16().count(),
        PositionEncoding::Utf32 => s.chars().count(),
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn position_of(text: &str, offset: usize, enc: PositionEncoding) -> Position {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = u32::try_from(before.matches('\n').count()).unwrap_or(u32::MAX);
    Position::new(line, units(&text[line_start..offset], enc))
}

fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One change against `shadow` (which it updates): a char-boundary range from the input,
/// biased towards line starts and ends, replaced by fragments or raw text.
fn change(
    u: &mut Unstructured,
    shadow: &mut String,
    enc: PositionEncoding,
) -> Result<ContentChange> {
    let len = shadow.len();
    let mut start = floor_boundary(shadow, u.int_in_range(0..=len)?);
    match u.int_in_range(0u8..=3)? {
        0 => start = shadow[..start].rfind('\n').map_or(0, |i| i + 1),
        1 => start = shadow[start..].find('\n').map_or(len, |i| start + i),
        _ => {}
    }
    let del = usize::from(u.int_in_range(0u8..=8)?);
    let end = floor_boundary(shadow, start + del);
    let mut insert = String::new();
    for _ in 0..u.int_in_range(0u8..=3)? {
        if u.ratio(3u8, 4)? {
            insert.push_str(u.choose(FRAGMENTS)?);
        } else {
            let n = usize::from(u.int_in_range(0u8..=4)?);
            insert.push_str(&String::from_utf8_lossy(u.bytes(n)?));
        }
    }
    if u.ratio(1u8, 32)? {
        shadow.replace_range(start..end, &insert);
        return Ok(ContentChange::full(shadow.clone()));
    }
    let a = position_of(shadow, start, enc);
    let b = position_of(shadow, end, enc);
    shadow.replace_range(start..end, &insert);
    Ok(ContentChange::ranged(a, b, insert))
}

fn run(data: &[u8]) -> Result<()> {
    let split = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let text = String::from_utf8_lossy(&data[..split]).into_owned();
    let mut u = Unstructured::new(data.get(split + 1..).unwrap_or_default());
    let enc = *u.choose(&[
        PositionEncoding::Utf16,
        PositionEncoding::Utf8,
        PositionEncoding::Utf32,
    ])?;

    // Large files are parsed in pieces; small inputs stand in for them here.
    let pieces = u.int_in_range(1usize..=5)?;
    let mut doc = Document::new_in_pieces(text.as_str(), pieces);
    let mut model = Model::build(&doc);
    let mut parser = parser();
    let mut mirror = parser.parse(&text, None).expect("no timeout is set");
    let mut shadow = text;
    // Bounded so that a long input means more varied edits, not a slow case: every batch
    // costs two full parses and builds for the comparison.
    for _ in 0..MAX_BATCHES {
        if u.is_empty() {
            break;
        }
        let n = u.int_in_range(1u8..=4)?;
        let mut batch = Vec::new();
        for _ in 0..n {
            batch.push(change(&mut u, &mut shadow, enc)?);
        }
        let edits = doc.apply_changes(&batch, enc);
        assert_eq!(doc.text(), shadow, "text after {batch:?}");
        for e in &edits {
            mirror.edit(&input_edit(e));
        }
        mirror = parser
            .parse(doc.text(), Some(&mirror))
            .expect("no timeout is set");
        model = Model::update(&model, &doc, &edits);

        let fresh_doc = Document::new(doc.text());
        let fresh_tree = parser.parse(doc.text(), None).expect("no timeout is set");
        assert_eq!(mirror.root_node().to_sexp(), doc.tree().to_sexp());
        assert_eq!(
            node_lines(&mirror),
            node_lines(&fresh_tree),
            "text {:?}",
            doc.text()
        );
        let fresh_model = Model::build(&fresh_doc);
        assert_eq!(model.buildkit_dump(), fresh_model.buildkit_dump());
        assert!(
            model == fresh_model,
            "model differs for text {:?}",
            doc.text()
        );
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    // Running out of input bytes just ends the case early.
    let _ = run(data);
});
