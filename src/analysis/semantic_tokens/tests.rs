//! Semantic tokens of small documents, written out as `text kind modifiers`.

use super::*;

fn show(text: &str, tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .map(|t| {
            let mods: Vec<&str> = modifier::ALL
                .iter()
                .filter(|(_, bit)| t.modifiers & bit != 0)
                .map(|(name, _)| *name)
                .collect();
            let mut s = format!("{} {:?}", &text[t.range.clone()], t.kind);
            if !mods.is_empty() {
                s.push(' ');
                s.push_str(&mods.join(","));
            }
            s
        })
        .collect()
}

fn tokens(text: &str) -> Vec<String> {
    let snapshot = Snapshot::new(text);
    let tokens = semantic_tokens(&snapshot, None);
    check_invariants(text, &tokens);
    show(text, &tokens)
}

fn check_invariants(text: &str, tokens: &[Token]) {
    for pair in tokens.windows(2) {
        assert!(
            pair[0].range.end <= pair[1].range.start,
            "overlap: {:?} {:?}",
            pair[0],
            pair[1]
        );
    }
    for t in tokens {
        let s = &text[t.range.clone()];
        assert!(!s.is_empty() && !s.contains('\n'), "{t:?} {s:?}");
    }
}

#[test]
fn a_document_with_every_kind() {
    let text = "# syntax=docker/dockerfile:1\n\
                # A comment\n\
                ARG TAG=3.12\n\
                FROM --platform=$BUILDPLATFORM python:${TAG:-3} AS build\n\
                ENV PATH=/opt/bin:$PATH \\\n    HOME=\"/root\"\n\
                RUN --mount=type=cache,target=/c echo $HOME\n\
                FROM build\n\
                COPY --from=build <<EOF /x\n\
                hi\n\
                EOF\n\
                LABEL a.b=c\n\
                EXPOSE 80/tcp\n\
                MAINTAINER me\n\
                CMD [\"run\"]\n";
    assert_eq!(
        tokens(text),
        [
            "# Comment",
            "syntax Directive",
            "= Operator",
            "docker/dockerfile:1 String",
            "# A comment Comment",
            "ARG Keyword",
            "TAG Variable declaration",
            "= Operator",
            "3.12 String",
            "FROM Keyword",
            "--platform Flag",
            "= Operator",
            "$BUILDPLATFORM Variable readonly,defaultLibrary",
            "${TAG Variable",
            ":- Operator",
            "} Variable",
            "AS Keyword",
            "build Stage declaration",
            "ENV Keyword",
            "PATH Variable declaration",
            "= Operator",
            "/opt/bin: String",
            "$PATH Variable",
            "HOME Variable declaration",
            "= Operator",
            "\"/root\" String",
            "RUN Keyword",
            "--mount Flag",
            "= Operator",
            "type Property",
            "= Operator",
            "cache String",
            "target Property",
            "= Operator",
            "/c String",
            "$HOME Variable",
            "FROM Keyword",
            "build Stage",
            "COPY Keyword",
            "--from Flag",
            "= Operator",
            "build Stage",
            "<< Operator",
            "EOF Heredoc declaration",
            "EOF Heredoc",
            "LABEL Keyword",
            "a.b Property",
            "= Operator",
            "c String",
            "EXPOSE Keyword",
            "80 Number",
            "MAINTAINER Keyword deprecated",
            "CMD Keyword",
            "\"run\" String",
        ]
    );
}

#[test]
fn plain_images_have_names_and_tags() {
    assert_eq!(
        tokens(
            "FROM ghcr.io/org/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nHEALTHCHECK NONE\n"
        ),
        [
            "FROM Keyword",
            "ghcr.io/org/app Image",
            "1.2 Tag",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef Tag",
            "HEALTHCHECK Keyword",
            "NONE Keyword",
        ]
    );
}

#[test]
fn the_legend_is_what_is_emitted() {
    // Every kind and modifier of the legend appears in this document: none is unused.
    let text = "# syntax=x\nARG TARGETOS\nFROM img:1 AS a\nENV A=$TARGETOS\nRUN --network=none <<EOF\nEOF\n\
                EXPOSE 80\nLABEL k=v\nMAINTAINER x\nCOPY --from=a /a /b\n";
    let snapshot = Snapshot::new(text);
    let got = semantic_tokens(&snapshot, None);
    for kind in TokenKind::ALL {
        assert!(got.iter().any(|t| t.kind == kind), "{kind:?} never emitted");
    }
    for (name, bit) in modifier::ALL {
        assert!(
            got.iter().any(|t| t.modifiers & bit != 0),
            "{name} never emitted"
        );
    }
}

#[test]
fn a_range_gives_the_tokens_on_its_lines() {
    let text = "FROM a\n# note\nRUN echo $X\nENV Y=1\n";
    let snapshot = Snapshot::new(text);
    let start = text.find("# note").unwrap_or(0);
    let end = text.find("ENV").unwrap_or(0);
    let got = show(text, &semantic_tokens(&snapshot, Some(start..end)));
    assert_eq!(got, ["# note Comment", "RUN Keyword", "$X Variable"]);
}

#[test]
fn escape_crlf_and_continuations() {
    let text =
        "# escape=`\r\nFROM a\r\nENV A=1 `\r\n  B=2\r\nRUN echo `\r\n  # dropped\r\n  $A\r\n";
    assert_eq!(
        tokens(text),
        [
            "# Comment",
            "escape Directive",
            "= Operator",
            "` String",
            "FROM Keyword",
            "a Image",
            "ENV Keyword",
            "A Variable declaration",
            "= Operator",
            "1 String",
            "B Variable declaration",
            "= Operator",
            "2 String",
            "RUN Keyword",
            "# dropped Comment",
            "$A Variable",
        ]
    );
}

#[test]
fn corpus_tokens_keep_their_invariants() {
    let shared = std::env::var_os("DOCKERFILE_LS_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let corpus = shared.join("corpus");
    assert!(corpus.is_dir(), "corpus not found at {}", corpus.display());
    let mut stack = vec![corpus];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text =
                String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
            let snapshot = Snapshot::new(text.as_str());
            check_invariants(&text, &semantic_tokens(&snapshot, None));
            files += 1;
        }
    }
    assert!(files > 300);
}
