//! The index on small Dockerfiles: which places form one symbol, and where each use resolves.

use super::*;
use crate::analysis::Snapshot;

/// Each symbol with occurrences, as `kind name: place place ...`, where a place is
/// `line:column` (1-based) of the name, `*` after a declaration, and `->line:column` for a
/// use's or redeclaration's target. Symbols in order of their first occurrence.
fn describe(text: &str) -> Vec<String> {
    let snapshot = Snapshot::new(text);
    let index = snapshot.index();
    let lines = snapshot.doc.line_index();
    let at = |offset: usize| {
        let line = lines.line_of(offset);
        let start = lines.line_range(line).map_or(0, |r| r.start);
        format!("{}:{}", line + 1, offset - start + 1)
    };
    let mut ids: Vec<SymbolId> = (0..index.symbols.len())
        .filter(|&id| !index.symbols[id].occurrences.is_empty())
        .collect();
    ids.sort_by_key(|&id| index.symbols[id].occurrences[0]);
    ids.iter()
        .map(|&id| {
            let s = index.symbol(id);
            let places: Vec<String> = index
                .occurrences_of(id)
                .map(|o| {
                    let mut p = at(o.range.start);
                    if o.role == Role::Declaration {
                        p.push('*');
                    }
                    if o.by_index {
                        p.push('#');
                    }
                    if let Some(t) = o.target {
                        p.push_str("->");
                        p.push_str(&at(index.occurrences[t].range.start));
                    }
                    p
                })
                .collect();
            let kind = format!("{:?}", s.kind).to_lowercase();
            format!("{kind} {}: {}", s.name, places.join(" "))
        })
        .collect()
}

#[test]
fn global_arg_from_uses_and_stage_redeclaration_are_one_symbol() {
    let text = "ARG V=1\nFROM img:$V AS a\nARG V\nRUN echo $V\nFROM img:${V} AS b\nRUN echo $V\n";
    assert_eq!(
        describe(text),
        [
            "arg V: 1:5* 2:11->1:5 3:5*->1:5 4:11->3:5 5:12->1:5",
            "stage a: 2:16*",
            "stage b: 5:18*",
            // Stage b never redeclared V: its $V is no global ARG there.
            "undeclared V: 6:11",
        ]
    );
}

#[test]
fn a_stage_arg_with_a_default_or_shadowing_nothing_is_its_own_symbol() {
    let text = "ARG V=1\nFROM a\nARG V=2\nRUN $V\nFROM b\nARG W\nRUN $W\nFROM c\nARG W\nRUN $W\n";
    assert_eq!(
        describe(text),
        [
            "arg V: 1:5*",
            "arg V: 3:5* 4:6->3:5",
            "arg W: 6:5* 7:6->6:5",
            "arg W: 9:5* 10:6->9:5",
        ]
    );
}

#[test]
fn env_reaches_stages_built_on_its_stage() {
    let text = "FROM a AS base\nENV A=1 B=$A\nENV A=2\nFROM base AS next\nRUN echo $A\nFROM next\nRUN $B\nFROM a\nRUN $A\n";
    assert_eq!(
        describe(text),
        [
            "stage base: 1:11* 4:6->1:11",
            "env A: 2:5* 3:5* 5:11->3:5",
            "env B: 2:9* 7:6->2:9",
            // `B=$A` reads the A from before its instruction: none.
            "undeclared A: 2:12",
            "stage next: 4:14* 6:6->4:14",
            "undeclared A: 9:6",
        ]
    );
}

#[test]
fn an_arg_and_an_env_of_one_name_are_two_symbols() {
    let text = "FROM a\nARG X=1\nENV X=$X\nRUN echo ${X:-d}\n";
    assert_eq!(
        describe(text),
        ["arg X: 2:5* 3:8->2:5", "env X: 3:5* 4:12->3:5"]
    );
}

#[test]
fn stages_by_name_by_index_and_in_mounts() {
    let text = "FROM a AS Build\nFROM b\nCOPY --from=build /x /y\nCOPY --from=0 /x /y\nCOPY --from=1 /x /y\n\
                RUN --mount=type=cache,from=BUILD,target=/c x\nCOPY --from=later /x /y\nFROM c AS later\n\
                COPY --from=nginx:1 /x /y\n";
    assert_eq!(
        describe(text),
        [
            "stage Build: 1:11* 3:13->1:11 4:13#->1:11 6:29->1:11",
            // Stage 1 has no name: `--from=1` still names it, by index.
            "stage : 5:13#",
            "stage later: 7:13->8:11 8:11*",
        ]
    );
    let snapshot = Snapshot::new(text);
    let index = snapshot.index();
    let (i, _) = index
        .at(text.find("--from=1").map_or(0, |i| i + 7))
        .expect("an occurrence");
    // Definition of an unnamed stage: its FROM line.
    assert_eq!(index.definition(i).map(|r| &text[r]), Some("FROM b"));
}

#[test]
fn predefined_args_and_undeclared_names() {
    let text = "ARG TARGETPLATFORM\nFROM --platform=$BUILDPLATFORM a\nRUN echo $http_proxy $TARGETOS $BUILDPLATFORM\n\
                ARG TARGETOS\nRUN echo $TARGETOS $http_proxy\n";
    let described = describe(text);
    assert_eq!(
        described,
        [
            "arg TARGETPLATFORM: 1:5*",
            "predefined BUILDPLATFORM: 2:18",
            "predefined http_proxy: 3:11 5:21",
            "undeclared TARGETOS: 3:23",
            "undeclared BUILDPLATFORM: 3:33",
            "arg TARGETOS: 4:5* 5:11->4:5",
        ]
    );
    let snapshot = Snapshot::new(text);
    let predefined: Vec<&str> = snapshot
        .index()
        .symbols
        .iter()
        .filter(|s| s.predefined)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        predefined,
        ["TARGETPLATFORM", "BUILDPLATFORM", "http_proxy", "TARGETOS"]
    );
}

#[test]
fn heredocs_and_their_bodies() {
    let text = "FROM a\nARG NAME=x\nRUN <<EOF\necho $NAME\nEOF\nCOPY <<-'END' /f\n\t$NAME\n\tEND\n";
    assert_eq!(
        describe(text),
        [
            "arg NAME: 2:5* 4:7->2:5",
            "heredoc EOF: 3:7* 5:1->3:7",
            // A quoted name: the body is not expanded.
            "heredoc END: 6:10* 8:2->6:10",
        ]
    );
}

#[test]
fn onbuild_variables_belong_to_another_build() {
    let text = "FROM a\nARG X=1\nONBUILD RUN echo $X\n";
    assert_eq!(describe(text), ["arg X: 2:5*", "undeclared X: 3:19"]);
}

#[test]
fn escape_crlf_and_non_ascii() {
    let text = "# escape=`\r\nARG é=1\r\nARG V=ü\r\nFROM img:$V AS ß`\r\n  x\r\nFROM $V\r\n";
    // `ARG é` is no valid name for a reference, but it declares; stages with odd names too.
    let described = describe(text);
    assert_eq!(
        described,
        ["arg é: 2:5*", "arg V: 3:5* 4:11->3:5 6:7->3:5"],
        "{described:?}"
    );
}

#[test]
fn lookups() {
    let text = "FROM a AS b\nFROM b\n";
    let snapshot = Snapshot::new(text);
    let index = snapshot.index();
    assert_eq!(index.at(10).map(|(i, _)| i), Some(0));
    assert_eq!(index.at(11).map(|(i, _)| i), Some(0));
    assert_eq!(index.at(12).map(|(i, _)| i), None);
    assert_eq!(index.at(17).map(|(i, _)| i), Some(1));
    assert_eq!(index.occurrences_in(0..12).len(), 1);
    assert_eq!(index.occurrences_in(0..text.len()).len(), 2);
    assert_eq!(index.declaration(0).map(|r| &text[r]), Some("b"));
}

#[test]
fn corpus_files_index_without_overlaps() {
    let shared = std::env::var_os("DOCKERFILE_LS_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let corpus = shared.join("corpus");
    assert!(
        corpus.is_dir(),
        "corpus not found at {} (set DOCKERFILE_LS_SHARED)",
        corpus.display()
    );
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
                String::from_utf8_lossy(&std::fs::read(&path).expect("readable file")).into_owned();
            let snapshot = Snapshot::new(text.as_str());
            let index = snapshot.index();
            for pair in index.occurrences.windows(2) {
                assert!(
                    pair[0].range.end <= pair[1].range.start,
                    "{}: overlapping {:?} and {:?}",
                    path.display(),
                    pair[0],
                    pair[1]
                );
            }
            for o in &index.occurrences {
                assert!(text.get(o.range.clone()).is_some(), "{}", path.display());
                let s = index.symbol(o.symbol);
                if s.kind != SymbolKind::Stage {
                    assert_eq!(&text[o.range.clone()], s.name, "{}", path.display());
                }
            }
            files += 1;
        }
    }
    assert!(files > 300, "{files} corpus files");
}
