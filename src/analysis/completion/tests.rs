//! Completion tests: fixtures with a `$0` cursor, the labels offered, and the text after
//! accepting one.

use super::*;
use crate::model::image_ref::ImageRef;

/// The snapshot and cursor of a fixture.
fn fixture(fixture: &str) -> (Snapshot, usize) {
    let offset = fixture.find("$0").expect("fixture has a $0 cursor");
    (Snapshot::new(fixture.replacen("$0", "", 1)), offset)
}

/// Completions at the cursor, checking what must hold for every item: its edit range is a
/// valid range of the text that contains the cursor.
fn complete_with(text: &str, images: Option<&dyn ImageCatalog>) -> CompletionList {
    let (snapshot, offset) = fixture(text);
    let list = completion_with(&snapshot, offset, images);
    for item in &list.items {
        let r = &item.edit_range;
        assert!(
            r.start <= offset && offset <= r.end && r.end <= snapshot.text().len(),
            "{text:?}: {} has edit range {r:?}",
            item.label
        );
        assert!(
            snapshot.text().is_char_boundary(r.start) && snapshot.text().is_char_boundary(r.end)
        );
    }
    list
}

fn labels(text: &str) -> Vec<String> {
    complete_with(text, None)
        .items
        .into_iter()
        .map(|i| i.label)
        .collect()
}

/// Cases: fixture, labels that must be offered, labels that must not.
fn check(cases: &[(&str, &[&str], &[&str])]) {
    let mut failures = Vec::new();
    for (text, want, not) in cases {
        let got = labels(text);
        for w in *want {
            if !got.iter().any(|g| g == w) {
                failures.push(format!("{text:?}: missing {w:?} in {got:?}"));
            }
        }
        for n in *not {
            if got.iter().any(|g| g == n) {
                failures.push(format!("{text:?}: unexpected {n:?} in {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_empty(texts: &[&str]) {
    let failures: Vec<String> = texts
        .iter()
        .filter_map(|t| {
            let got = labels(t);
            (!got.is_empty()).then(|| format!("{t:?}: expected nothing, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The text after accepting the item labelled `label`, with snippet placeholders replaced
/// by their defaults (the first choice) and tab stops removed.
fn accept(text: &str, label: &str) -> String {
    let (snapshot, _) = fixture(text);
    let list = complete_with(text, None);
    let item = list
        .items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("{text:?}: no {label:?}"));
    let inserted = if item.is_snippet {
        expand_snippet(&item.insert_text)
    } else {
        item.insert_text.clone()
    };
    let mut out = snapshot.text().to_string();
    out.replace_range(item.edit_range.clone(), &inserted);
    out
}

fn expand_snippet(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                let first_choice = chars.next() == Some('|');
                let mut depth = 1;
                let mut done = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if !done => out.extend(chars.next()),
                        '\\' => {
                            chars.next();
                        }
                        ',' | '|' if first_choice => done = true,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        c if !done => out.push(c),
                        _ => {}
                    }
                }
            }
            '$' => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn snippet_expansion_in_tests() {
    assert_eq!(expand_snippet("RUN ${1:command}"), "RUN command");
    assert_eq!(expand_snippet("a=${1|x,y|}$0"), "a=x");
    assert_eq!(expand_snippet("# escape=${1|`,\\\\|}"), "# escape=`");
    assert_eq!(
        expand_snippet("--platform=${1:\\$BUILDPLATFORM}"),
        "--platform=$BUILDPLATFORM"
    );
}

#[test]
fn keywords_by_context() {
    check(&[
        (
            "$0",
            &["FROM", "ARG", "# syntax=docker/dockerfile:1", "# escape=`"],
            &["RUN", "COPY"],
        ),
        (
            "ARG A\n$0",
            &["FROM", "ARG"],
            &["RUN", "# syntax=docker/dockerfile:1"],
        ),
        (
            "FROM a\n$0",
            &["RUN", "COPY", "FROM", "HEALTHCHECK", "ONBUILD"],
            &["run"],
        ),
        ("FROM a\n\n$0\n\nRUN x\n", &["RUN", "WORKDIR"], &[]),
        ("from a\nrun x\n$0", &["run", "copy", "from"], &["RUN"]),
        ("FROM a\nR$0", &["RUN", "COPY"], &[]),
        ("FROM a\nr$0", &["RUN"], &["run"]),
        ("FROM a\r\n$0", &["RUN"], &[]),
        ("FROM a\r\nR$0\r\n", &["RUN"], &[]),
        (
            "FROM a\nONBUILD $0",
            &["RUN", "COPY"],
            &["ONBUILD", "FROM", "MAINTAINER"],
        ),
        (
            "FROM a\nONBUILD R$0",
            &["RUN"],
            &["ONBUILD", "FROM", "MAINTAINER"],
        ),
        ("FROM a\nonbuild $0", &["run"], &["RUN", "onbuild"]),
        (
            "# syntax=docker/dockerfile:1\n$0",
            &["FROM", "# escape=`"],
            &["# syntax=docker/dockerfile:1", "RUN"],
        ),
        ("# hello\n$0", &["FROM"], &["# escape=`"]),
        ("FROM a\nRUN <<EOF\nx\nEOF\n$0", &["RUN"], &[]),
        ("  $0", &["FROM"], &[]),
        ("FROM a\nRUN é\n$0", &["RUN"], &[]),
    ]);
}

#[test]
fn keywords_insert_snippets_or_just_the_keyword() {
    assert_eq!(accept("FROM a\nR$0", "RUN"), "FROM a\nRUN command");
    assert_eq!(accept("FROM a\nr$0", "RUN"), "FROM a\nRUN command");
    assert_eq!(accept("from a\nr$0", "run"), "from a\nrun command");
    assert_eq!(accept("FROM a\nR$0UN x", "RUN"), "FROM a\nRUN x");
    assert_eq!(accept("FROM a\nCOP$0Y a b", "COPY"), "FROM a\nCOPY a b");
    assert_eq!(
        accept("FROM a\n$0", "HEALTHCHECK"),
        "FROM a\nHEALTHCHECK CMD command"
    );
    assert_eq!(
        accept("from a\n$0", "healthcheck"),
        "from a\nhealthcheck cmd command"
    );
    assert_eq!(
        accept("FROM a\nONBUILD $0", "COPY"),
        "FROM a\nONBUILD COPY source destination"
    );
    assert_eq!(
        accept("FROM a\nONBUILD C$0", "COPY"),
        "FROM a\nONBUILD COPY source destination"
    );
    assert_eq!(
        accept("$0", "# syntax=docker/dockerfile:1"),
        "# syntax=docker/dockerfile:1"
    );
    assert_eq!(accept("$0", "FROM"), "FROM image");
    assert_eq!(accept("FROM a\n$0", "ENV"), "FROM a\nENV NAME=value");
}

#[test]
fn flags_not_yet_used() {
    check(&[
        ("FROM a\nRUN --mo$0", &["--mount"], &[]),
        (
            "FROM a\nRUN -$0",
            &["--mount", "--network", "--security", "--device"],
            &["--from"],
        ),
        (
            "FROM a\nRUN --$0",
            &["--mount", "--network", "--security"],
            &[],
        ),
        (
            "FROM a\nRUN --network=host --$0",
            &["--mount", "--security"],
            &["--network"],
        ),
        (
            "FROM a\nRUN --mount=type=cache,target=/x --$0",
            &["--mount"],
            &[],
        ),
        ("FROM a\nRUN --net$0work=host x", &["--network"], &[]),
        (
            "FROM a\nCOPY --$0",
            &[
                "--from",
                "--chmod",
                "--chown",
                "--link",
                "--parents",
                "--exclude",
            ],
            &["--mount", "--checksum"],
        ),
        (
            "FROM a\nADD --$0",
            &["--checksum", "--keep-git-dir", "--unpack", "--chmod"],
            &["--from"],
        ),
        ("FROM --$0", &["--platform"], &["--mount"]),
        (
            "FROM a\nHEALTHCHECK --$0",
            &[
                "--interval",
                "--timeout",
                "--start-period",
                "--start-interval",
                "--retries",
            ],
            &[],
        ),
        (
            "FROM a\nHEALTHCHECK --interval=5s --$0",
            &["--timeout"],
            &["--interval"],
        ),
        ("FROM a\nONBUILD RUN --$0", &["--mount"], &[]),
        ("FROM a\nonbuild copy --$0", &["--from", "--link"], &[]),
        (
            "FROM a\nRUN --mount=type=cache \\\n  --$0",
            &["--network"],
            &[],
        ),
        ("FROM a\r\nRUN --$0\r\n", &["--mount"], &[]),
        ("FROM a\nCOPY $0", &["--from", "--link"], &[]),
    ]);
    check_empty(&[
        "FROM a\nRUN echo --$0",
        "FROM a\nCOPY a --$0",
        "FROM a\nWORKDIR --$0",
        "FROM a\nRUNX --$0",
    ]);
}

#[test]
fn flags_insert_a_value_snippet() {
    assert_eq!(
        accept("FROM a\nRUN --mo$0", "--mount"),
        "FROM a\nRUN --mount=type=bind"
    );
    assert_eq!(
        accept("FROM a\nRUN --ne$0", "--network"),
        "FROM a\nRUN --network=default"
    );
    assert_eq!(
        accept("FROM a\nCOPY --li$0", "--link"),
        "FROM a\nCOPY --link"
    );
    assert_eq!(
        accept("FROM a\nCOPY --ch$0own", "--chown"),
        "FROM a\nCOPY --chown=user:group"
    );
    assert_eq!(
        accept("FROM --pl$0 a", "--platform"),
        "FROM --platform=$BUILDPLATFORM a"
    );
    assert_eq!(
        accept("FROM a\nHEALTHCHECK --in$0", "--interval"),
        "FROM a\nHEALTHCHECK --interval=30s"
    );
    // A value already there stays: only the name is replaced.
    assert_eq!(
        accept("FROM a\nRUN --netw$0=host x", "--network"),
        "FROM a\nRUN --network=host x"
    );
}

#[test]
fn flag_values() {
    check(&[
        (
            "FROM a\nRUN --network=$0",
            &["default", "none", "host"],
            &[],
        ),
        ("FROM a\nRUN --network=h$0 echo", &["host"], &[]),
        ("FROM a\nRUN --security=$0", &["sandbox", "insecure"], &[]),
        (
            "FROM --platform=$0 a",
            &[
                "linux/amd64",
                "linux/arm64",
                "$BUILDPLATFORM",
                "$TARGETPLATFORM",
            ],
            &[],
        ),
        (
            "FROM --platform=$B$0 a",
            &["$BUILDPLATFORM"],
            &["linux/amd64"],
        ),
        ("FROM a\nCOPY --chmod=$0", &["755", "644"], &[]),
        ("FROM a\nCOPY --link=$0", &["true", "false"], &[]),
        ("FROM a\nHEALTHCHECK --interval=$0", &["30s"], &[]),
        ("FROM a\nHEALTHCHECK --retries=$0", &["3"], &[]),
        (
            "FROM a AS build\nFROM b\nCOPY --from=$0",
            &["build", "0"],
            &["1"],
        ),
        (
            "FROM a AS one\nFROM b AS two\nCOPY --from=t$0 x y",
            &["one", "0"],
            &["two", "1"],
        ),
    ]);
    check_empty(&[
        "FROM a\nONBUILD COPY --from=$0",
        "FROM a\nRUN --bogus=$0",
        "FROM a\nCOPY --exclude=$0",
    ]);
    assert_eq!(
        accept("FROM a\nRUN --network=h$0ost x", "none"),
        "FROM a\nRUN --network=none x"
    );
}

#[test]
fn mount_keys_and_values() {
    check(&[
        (
            "FROM a\nRUN --mount=$0",
            &["type", "target", "source", "from", "ro", "rw"],
            &["sharing", "size"],
        ),
        (
            "FROM a\nRUN --mount=type=$0",
            &["bind", "cache", "tmpfs", "secret", "ssh"],
            &[],
        ),
        ("FROM a\nRUN --mount=type=ca$0", &["cache"], &[]),
        (
            "FROM a\nRUN --mount=type=cache,$0",
            &["target", "id", "sharing", "mode", "uid", "gid", "from"],
            &["type", "size", "required"],
        ),
        ("FROM a\nRUN --mount=type=CACHE,$0", &["sharing"], &[]),
        (
            "FROM a\nRUN --mount=type=secret,$0",
            &["id", "env", "required", "target"],
            &["sharing", "from"],
        ),
        (
            "FROM a\nRUN --mount=type=tmpfs,$0",
            &["size", "target"],
            &["id"],
        ),
        (
            "FROM a\nRUN --mount=type=cache,target=/x,$0",
            &["id"],
            &["target", "type"],
        ),
        (
            "FROM a\nRUN --mount=type=cache,dst=/x,$0",
            &["id"],
            &["target"],
        ),
        (
            "FROM a\nRUN --mount=type=cache,sharing=$0",
            &["shared", "private", "locked"],
            &[],
        ),
        (
            "FROM a\nRUN --mount=type=cache,target=$0",
            &["/var/cache/apt", "/root/.npm"],
            &[],
        ),
        (
            "FROM a\nRUN --mount=type=secret,required=$0",
            &["true", "false"],
            &[],
        ),
        ("FROM a\nRUN --mount=type=secret,mode=$0", &["0400"], &[]),
        ("FROM a AS b\nFROM c\nRUN --mount=from=$0", &["b", "0"], &[]),
        (
            "FROM a\nRUN --mount=type=cache,target=/x \\\n  --mount=type=$0",
            &["secret"],
            &[],
        ),
    ]);
    assert_eq!(
        accept("FROM a\nRUN --mount=type=cache,ta$0,id=x y", "target"),
        "FROM a\nRUN --mount=type=cache,target=/path,id=x y"
    );
    assert_eq!(
        accept("FROM a\nRUN --mount=type=ca$0 y", "cache"),
        "FROM a\nRUN --mount=type=cache y"
    );
    assert_eq!(
        accept("FROM a\nRUN --mount=type=cache,shar$0", "sharing"),
        "FROM a\nRUN --mount=type=cache,sharing=shared"
    );
    assert_eq!(
        accept("FROM a\nRUN --mount=type=secret,req$0", "required"),
        "FROM a\nRUN --mount=type=secret,required"
    );
}

#[test]
fn variables_in_scope() {
    check(&[
        (
            "FROM a\nARG V=1\nENV E=2\nRUN echo $$0",
            &["$E", "$V", "$http_proxy"],
            &["$TARGETARCH", "${E}"],
        ),
        (
            "FROM a\nARG V=1\nRUN echo ${$0",
            &["${V}", "${HTTP_PROXY}"],
            &["$V"],
        ),
        ("FROM a\nARG V=1\nRUN echo ${V$0}", &["${V}"], &[]),
        (
            "ARG G=1\nFROM img:$$0",
            &["$G", "$TARGETPLATFORM", "$BUILDPLATFORM"],
            &[],
        ),
        (
            "ARG G=1\nFROM a\nRUN $$0",
            &["$http_proxy"],
            &["$G", "$TARGETPLATFORM"],
        ),
        ("ARG G=1\nFROM a\nARG G\nRUN $$0", &["$G"], &[]),
        ("ARG A=1\nARG B=$$0", &["$A", "$TARGETOS"], &[]),
        (
            "FROM a\nARG TARGETARCH\nRUN $$0",
            &["$TARGETARCH"],
            &["$TARGETOS"],
        ),
        ("FROM a AS base\nENV X=1\nFROM base\nRUN $$0", &["$X"], &[]),
        ("FROM a AS base\nARG Y=1\nFROM base\nRUN $$0", &[], &["$Y"]),
        ("FROM a\nENV A=1\nENV B=$$0", &["$A"], &["$B"]),
        ("FROM a\nENV A=1 B=$$0", &[], &["$A"]),
        ("FROM a\nENV A=1\nRUN <<EOF\necho $$0\nEOF\n", &["$A"], &[]),
        ("FROM a\nARG P\nCOPY --chown=$$0 a b", &["$P"], &[]),
        ("FROM a\nENV A=1\nCOPY [\"$$0\", \"/x\"]", &["$A"], &[]),
        ("FROM a\nENV É=1 X=2\nRUN echo é $$0", &["$X"], &[]),
        ("FROM a\nENV A=1\nRUN echo $A-$$0", &["$A"], &[]),
        ("FROM a\nENV A=1\nONBUILD RUN echo $$0", &["$A"], &[]),
        // A RUN's environment: proxies, but no BuildKit build arguments, no
        // SOURCE_DATE_EPOCH and no platform ARGs unless declared.
        (
            "FROM a\nRUN echo $$0",
            &["$HTTP_PROXY", "$no_proxy", "$ALL_PROXY"],
            &[
                "$BUILDKIT_SANDBOX_HOSTNAME",
                "$BUILDKIT_INLINE_CACHE",
                "$SOURCE_DATE_EPOCH",
                "$TARGETARCH",
            ],
        ),
        (
            "FROM a\nARG SOURCE_DATE_EPOCH\nRUN $$0",
            &["$SOURCE_DATE_EPOCH"],
            &[],
        ),
        (
            "FROM a\nARG BUILDKIT_SBOM_SCAN_STAGE=true\nARG B=1\nRUN $$0",
            &["$B"],
            &["$BUILDKIT_SBOM_SCAN_STAGE"],
        ),
        // Other instructions expand from ARGs and ENVs only.
        (
            "FROM a\nENV A=1\nCOPY $$0 /x",
            &["$A"],
            &["$HTTP_PROXY", "$BUILDKIT_SYNTAX", "$SOURCE_DATE_EPOCH"],
        ),
        (
            "ARG G=1\nFROM img:$$0",
            &["$G", "$TARGETPLATFORM"],
            &["$HTTP_PROXY", "$BUILDKIT_SYNTAX"],
        ),
    ]);
    check_empty(&[
        "FROM a\nENV A=1\nRUN <<'EOF'\necho $$0\nEOF\n",
        "FROM a\nENV A=1\nRUN echo \\$$0",
        "FROM a\nENV A=1\nCMD [\"$$0\"]",
        "FROM a\nENV A=1\nRUN echo $1$0",
    ]);
    assert_eq!(
        accept("FROM a\nENV HOME=/h\nRUN cd ${HO$0}/x", "${HOME}"),
        "FROM a\nENV HOME=/h\nRUN cd ${HOME}/x"
    );
    assert_eq!(
        accept("FROM a\nENV HOME=/h\nRUN cd $H$0OME/x", "$HOME"),
        "FROM a\nENV HOME=/h\nRUN cd $HOME/x"
    );
}

#[test]
fn variable_details_show_values() {
    let detail = |text: &str, label: &str| {
        complete_with(text, None)
            .items
            .into_iter()
            .find(|i| i.label == label)
            .and_then(|i| i.detail)
            .unwrap_or_default()
    };
    assert_eq!(detail("FROM a\nARG V=\"1 2\"\nRUN $$0", "$V"), "ARG = 1 2");
    assert_eq!(detail("FROM a\nENV E=x\nRUN $$0", "$E"), "ENV = x");
    assert_eq!(
        detail("FROM a\nARG N\nRUN $$0", "$N"),
        "ARG: set at build time"
    );
    assert_eq!(
        detail("ARG G=3\nFROM a\nARG G\nRUN $$0", "$G"),
        "ARG = 3 (global default)"
    );
    assert!(
        detail("FROM --platform=$$0 a", "$BUILDPLATFORM")
            .starts_with("predefined: set at build time")
    );
}

#[test]
fn stages_and_from_arguments() {
    check(&[
        (
            "FROM golang AS build\nFROM $0",
            &["build", "scratch", "--platform"],
            &[],
        ),
        (
            "FROM golang AS build\nFROM b$0",
            &["build", "scratch"],
            &["--platform"],
        ),
        (
            "FROM golang AS build\nFROM --platform=linux/amd64 $0",
            &["build"],
            &["--platform"],
        ),
        ("FROM a\nFROM b$0 AS x", &["scratch"], &["x"]),
        ("FROM a $0", &["AS"], &["scratch"]),
        ("from a $0", &["as"], &["AS"]),
    ]);
    check_empty(&["FROM a AS $0"]);
    assert_eq!(accept("FROM a $0", "AS"), "FROM a AS name");
    assert_eq!(
        accept("FROM golang AS build\nFROM bu$0", "build"),
        "FROM golang AS build\nFROM build"
    );
}

#[test]
fn instruction_arguments() {
    check(&[
        (
            "FROM a\nHEALTHCHECK $0",
            &["CMD", "NONE", "--interval"],
            &[],
        ),
        (
            "FROM a\nHEALTHCHECK --interval=5s C$0",
            &["CMD", "NONE"],
            &["--interval"],
        ),
        ("FROM a\nhealthcheck $0", &["cmd", "none"], &[]),
        ("FROM a\nARG TARG$0", &["TARGETARCH", "TARGETPLATFORM"], &[]),
        ("FROM a\nSTOPSIGNAL $0", &["SIGTERM", "SIGKILL"], &[]),
    ]);
    check_empty(&[
        "FROM a\nHEALTHCHECK CMD $0",
        "FROM a\nARG A=$0",
        "FROM a\nRUN echo $0",
        "FROM a\nCOPY a $0",
        "FROM a\nCMD [\"a\", $0]",
        "FROM a\nRUN <<EOF\n$0\nEOF\n",
        "FROM a\nRUN <<E$0OF\nx\nEOF\n",
        "FROM a\n# comm$0ent",
        "FROM a\nRUN a \\\n# comm$0ent\n  b",
    ]);
    assert_eq!(
        accept("FROM a\nHEALTHCHECK C$0", "CMD"),
        "FROM a\nHEALTHCHECK CMD command"
    );
}

#[test]
fn parser_directives() {
    check(&[
        ("#$0", &["syntax", "escape", "check"], &[]),
        ("# $0", &["syntax", "escape", "check"], &[]),
        ("# sy$0", &["syntax"], &[]),
        (
            "# syntax=$0",
            &["docker/dockerfile:1", "docker/dockerfile:1-labs"],
            &[],
        ),
        ("# syntax=docker/$0\nFROM a", &["docker/dockerfile:1"], &[]),
        ("# escape=$0", &["\\", "`"], &[]),
        ("# check=$0", &["skip=", "error=", "experimental="], &[]),
        (
            "# check=skip=$0",
            &["all", "StageNameCasing", "JSONArgsRecommended"],
            &["InvalidDefinitionDescription"],
        ),
        (
            "# check=skip=StageNameCasing,$0",
            &["FromAsCasing"],
            &["StageNameCasing"],
        ),
        ("# check=skip=StageNa$0", &["StageNameCasing"], &[]),
        (
            "# check=experimental=$0",
            &["InvalidDefinitionDescription", "all"],
            &["StageNameCasing"],
        ),
        ("# check=error=$0", &["true", "false"], &[]),
        (
            "# check=skip=all;$0",
            &["error=", "experimental="],
            &["skip="],
        ),
        ("# syntax=x\n# $0", &["escape", "check"], &["syntax"]),
        ("# syn$0tax=docker/dockerfile:1\nFROM a", &["syntax"], &[]),
        ("\u{feff}# $0", &["syntax"], &[]),
    ]);
    check_empty(&[
        "FROM a\n# $0",
        "# hello world$0",
        "# hello\n# $0",
        "# check=bogus=$0",
    ]);
    assert_eq!(accept("# sy$0", "syntax"), "# syntax=docker/dockerfile:1");
    assert_eq!(accept("# sy$0ntax=x", "syntax"), "# syntax=x");
    assert_eq!(accept("# escape=$0", "`"), "# escape=`");
    assert_eq!(
        accept("# check=skip=Stage$0;error=true", "StageNameCasing"),
        "# check=skip=StageNameCasing;error=true"
    );
}

/// A registry stand-in: `python` has tags, other images are still being fetched.
struct FakeRegistry;

impl ImageCatalog for FakeRegistry {
    fn image_names(&self, prefix: &str) -> (Vec<ImageSuggestion>, bool) {
        let names = ["python", "node", "bitnami/redis"]
            .iter()
            .filter(|n| n.starts_with(prefix))
            .map(|n| ImageSuggestion {
                name: n.to_string(),
                detail: Some("image".into()),
                documentation: None,
            })
            .collect();
        (names, prefix.is_empty())
    }

    fn tags(&self, image: &ImageRef) -> (Vec<TagSuggestion>, bool) {
        if image.repository != "library/python" {
            return (Vec::new(), true);
        }
        let tags = ["3", "3.12", "3-alpine"]
            .iter()
            .map(|t| TagSuggestion {
                tag: t.to_string(),
                detail: None,
                documentation: None,
            })
            .collect();
        (tags, false)
    }
}

#[test]
fn images_and_tags_come_through_the_seam() {
    let registry: &dyn ImageCatalog = &FakeRegistry;
    let list = complete_with("FROM py$0", Some(registry));
    let images: Vec<_> = list
        .items
        .iter()
        .filter(|i| i.kind == CompletionKind::Image)
        .map(|i| (i.label.as_str(), i.edit_range.clone()))
        .collect();
    assert_eq!(images, [("python", 5..7)]);
    assert!(!list.incomplete);
    assert!(list.items.iter().any(|i| i.label == "scratch"));

    let list = complete_with("FROM $0", Some(registry));
    assert!(list.incomplete, "an empty prefix is still being fetched");
    assert!(list.items.iter().filter(|i| i.incomplete).count() == 3);

    let list = complete_with("FROM python:3.1$0 AS x", Some(registry));
    let tags: Vec<_> = list
        .items
        .iter()
        .map(|i| (i.label.as_str(), i.kind, i.edit_range.clone()))
        .collect();
    assert_eq!(
        tags,
        [
            ("3", CompletionKind::Tag, 12..15),
            ("3.12", CompletionKind::Tag, 12..15),
            ("3-alpine", CompletionKind::Tag, 12..15)
        ]
    );
    assert!(list.items[0].sort_text < list.items[2].sort_text);

    // No tags yet: an empty but incomplete list, so the client asks again.
    let list = complete_with("FROM localhost:5000/app:$0", Some(registry));
    assert!(list.items.is_empty() && list.incomplete);
    // Without a registry, only what the file knows.
    assert_eq!(labels("FROM py$0"), ["scratch"]);
    assert!(labels("FROM python:$0").is_empty());
    assert!(
        complete_with("FROM python@sha$0", Some(registry))
            .items
            .is_empty()
    );
}

#[test]
fn resolve_adds_documentation() {
    let doc = |text: &str, label: &str| {
        let list = complete_with(text, None);
        let item = list
            .items
            .iter()
            .find(|i| i.label == label)
            .unwrap_or_else(|| panic!("{text:?}: no {label}"));
        assert!(item.documentation.is_none() || item.kind == CompletionKind::Keyword);
        completion_resolve(item).documentation
    };
    let has = |text: &str, label: &str, needle: &str| {
        let d = doc(text, label).unwrap_or_else(|| panic!("{text:?} {label}: no documentation"));
        assert!(d.contains(needle), "{text:?} {label}:\n{d}");
    };
    has("FROM a\n$0", "RUN", "**RUN**");
    has("from a\n$0", "run", "**RUN**");
    has("FROM a\nRUN --$0", "--mount", "**--mount**");
    has("FROM a\nRUN --mount=type=$0", "cache", "type=cache");
    has(
        "FROM a\nRUN --mount=type=secret,$0",
        "mode",
        "default `0400`",
    );
    has("# check=skip=$0", "StageNameCasing", "**StageNameCasing**");
    has("# $0", "escape", "**# escape**");
    has("$0", "# syntax=docker/dockerfile:1", "**# syntax**");
    has("FROM a\nRUN $$0", "$http_proxy", "**http_proxy**");
    has("FROM a\nARG TARG$0", "TARGETARCH", "**TARGETARCH**");
    has("FROM a\nHEALTHCHECK $0", "CMD", "**HEALTHCHECK**");
    has("FROM a\nHEALTHCHECK $0", "NONE", "**HEALTHCHECK**");
    assert!(doc("FROM a AS b\nFROM c\nCOPY --from=$0", "b").is_none());
}

#[test]
fn robust_at_any_offset() {
    let registry: &dyn ImageCatalog = &FakeRegistry;
    let texts = [
        "",
        "\n",
        "# syntax=docker/dockerfile:1\n# check=skip=all\nARG A=1\nFROM --platform=$BUILDPLATFORM python:${A} AS b\nRUN --mount=type=cache,target=/x,sharing=locked \\\n  echo $A é <<EOF\n$A\nEOF\nONBUILD COPY --from=b a b\nHEALTHCHECK --interval=5s CMD [\"x\"]\r\n",
        "FROM a\nRUN x \\\n",
        "FROM a\nCOPY --from=\"b c\" a b\n",
        "FROM a\nRUN --mount=\"type=cache,target=/x\" x ${\n",
        "FROM é:ü\nRUN --mount=type=é,ü=ö $é ${é\n",
    ];
    for text in texts {
        let snapshot = Snapshot::new(text);
        for offset in 0..=text.len() + 2 {
            let list = completion_with(&snapshot, offset, Some(registry));
            let at = cursor::clamp(text, offset);
            for item in list.items {
                let r = item.edit_range;
                assert!(
                    r.start <= at && at <= r.end && r.end <= text.len(),
                    "{text:?} at {offset}: {} {r:?}",
                    item.label
                );
            }
        }
    }
}

#[test]
fn answers_fast_on_a_large_file() {
    // 9,000 lines: many stages, ARGs and ENVs, continuations and heredocs.
    let mut text = String::from("# syntax=docker/dockerfile:1\nARG BASE=python:3.12\n");
    for i in 0..600 {
        text.push_str(&format!(
            "FROM $BASE AS s{i}\nARG V{i}=1\nENV E{i}=x\nRUN --mount=type=cache,target=/c \\\n    echo $V{i} \\\n    && true\nCOPY --from=s0 /a /b\nRUN <<EOF\necho hi\nEOF\nWORKDIR /w\nLABEL a=b\nUSER u\nEXPOSE 80\nCMD [\"x\"]\n"
        ));
    }
    assert!(text.lines().count() >= 9000);
    let snapshot = Snapshot::new(text.as_str());
    let probes = [
        text.len() - 1,
        text.len() / 2,
        text.find("echo $V599").unwrap_or(0) + 7,
        text.rfind("--mount=").unwrap_or(0) + 10,
        text.rfind("COPY --from=").unwrap_or(0) + 12,
        text.rfind("FROM $BASE").unwrap_or(0) + 7,
    ];
    let start = std::time::Instant::now();
    let mut n = 0;
    for &offset in &probes {
        for _ in 0..10 {
            n += completion_with(&snapshot, offset, None).items.len();
            n += usize::from(crate::analysis::hover::hover(&snapshot, offset).is_some());
        }
    }
    let per_request = start.elapsed() / (probes.len() as u32 * 20);
    assert!(n > 0);
    // Debug builds are slow; release answers in well under a millisecond.
    assert!(
        per_request < std::time::Duration::from_millis(25),
        "{per_request:?} per request"
    );
}

/// Inside a RUN script (its first line, a continuation line, after a removed comment line, a
/// heredoc body) the shell is being written: no Dockerfile keyword fits there, in either
/// casing, and neither does a parser directive.
#[test]
fn no_keywords_inside_a_run_script() {
    const KEYWORDS: &[&str] = &[
        "RUN",
        "COPY",
        "FROM",
        "ENV",
        "WORKDIR",
        "CMD",
        "ARG",
        "USER",
        "run",
        "copy",
        "from",
        "env",
        "workdir",
        "cmd",
        "arg",
        "user",
        "# syntax=docker/dockerfile:1",
    ];
    let texts = [
        "FROM a\nRUN apt-get update && \\\n    $0",
        "FROM a\nRUN apt-get update && \\\n    ap$0",
        "FROM a\nRUN apt-get update && \\\n    R$0",
        "FROM a\nRUN echo hi && R$0",
        "FROM a\nRUN echo hi && C$0 x",
        "FROM a\nRUN echo a \\\n# a comment line, removed from the script\n    C$0",
        "FROM a\nRUN echo a \\\n\n    W$0",
        "FROM a\nRUN echo a \\\n$0",
        "FROM a\nRUN echo a \\\nE$0\n",
        "FROM a\nrun echo a \\\n  c$0",
        "FROM a\nONBUILD RUN echo \\\n  R$0",
        "FROM a\nCMD echo \\\n  R$0",
        "FROM a\nRUN <<EOF\n$0\nEOF\n",
        "FROM a\nRUN <<EOF\nR$0\nEOF\n",
        "FROM a\nRUN <<EOF\napt-get update\nC$0\nEOF\n",
        "FROM a\nRUN --mount=type=cache,target=/root/.cache \\\n    pip install R$0",
        "# escape=`\nFROM a\nRUN echo a `\n  R$0",
    ];
    let mut failures = Vec::new();
    for text in texts {
        let got = labels(text);
        let wrong: Vec<&String> = got
            .iter()
            .filter(|g| KEYWORDS.contains(&g.as_str()))
            .collect();
        if !wrong.is_empty() {
            failures.push(format!("{text:?}: offered {wrong:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The line after the script ends is an instruction again.
    check(&[
        ("FROM a\nRUN echo a \\\n  b\n$0", &["RUN", "COPY"], &[]),
        ("FROM a\nRUN <<EOF\nx\nEOF\nR$0", &["RUN"], &[]),
    ]);
}
