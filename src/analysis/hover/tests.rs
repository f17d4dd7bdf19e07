//! Hover tests: fixtures with a `$0` cursor, the hovered text, and what the markdown says.

use super::*;

/// The hover at the `$0` marker: the hovered text and the markdown.
fn hover_at(fixture: &str) -> Option<(String, String)> {
    let offset = fixture.find("$0").expect("fixture has a $0 cursor");
    let text = fixture.replacen("$0", "", 1);
    let snapshot = Snapshot::new(text.as_str());
    let h = hover(&snapshot, offset)?;
    Some((text[h.range.clone()].to_string(), h.markdown))
}

/// Cases: fixture, the hovered token, and strings the markdown must contain.
fn check_all(cases: &[(&str, &str, &[&str])]) {
    let mut failures = Vec::new();
    for (fixture, token, needles) in cases {
        match hover_at(fixture) {
            None => failures.push(format!("{fixture:?}: no hover")),
            Some((got, md)) => {
                if got != *token {
                    failures.push(format!("{fixture:?}: hovered {got:?}, want {token:?}"));
                }
                for n in *needles {
                    if !md.contains(n) {
                        failures.push(format!("{fixture:?}: missing {n:?} in\n{md}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn check_none(fixtures: &[&str]) {
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|f| hover_at(f).map(|h| format!("{f:?}: unexpected hover {h:?}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_instruction_keyword() {
    for doc in catalog::instructions() {
        let args = if doc.name == "ONBUILD" {
            " RUN x"
        } else {
            " x"
        };
        let from = if doc.name == "FROM" { "" } else { "FROM a\n" };
        for (i, spelling) in [doc.name.to_string(), doc.name.to_ascii_lowercase()]
            .iter()
            .enumerate()
        {
            // Cursor at the start, in the middle and at the end of the keyword.
            for at in [0, spelling.len() / 2, spelling.len()] {
                let fixture = format!("{from}{}$0{}{args}", &spelling[..at], &spelling[at..]);
                let (token, md) = hover_at(&fixture).unwrap_or_else(|| panic!("{fixture:?}"));
                assert_eq!(token, *spelling, "{fixture:?} (case {i})");
                assert!(md.starts_with(&format!("**{}**", doc.name)), "{md}");
                assert!(md.contains(doc.url), "{md}");
                assert!(md.contains("```dockerfile"), "{md}");
            }
        }
    }
}

#[test]
fn keywords_in_context() {
    check_all(&[
        ("FROM a\nR$0UN x", "RUN", &["**RUN**", "#run"]),
        (
            "FROM a\nONBUILD R$0UN x",
            "RUN",
            &["**RUN**", "ONBUILD trigger"],
        ),
        ("FROM a\nON$0BUILD RUN x", "ONBUILD", &["**ONBUILD**"]),
        ("FROM a\r\nR$0UN x\r\n", "RUN", &["**RUN**"]),
        ("FROM a\nRUN é \\\n  x\nC$0OPY a b", "COPY", &["**COPY**"]),
        (
            "FROM a\nRUN <<EOF\nbody\nEOF\nW$0ORKDIR /x",
            "WORKDIR",
            &["**WORKDIR**"],
        ),
        ("  FR$0OM a", "FROM", &["**FROM**"]),
    ]);
    check_none(&[
        "FROM a\nRUNN$0 x",
        "$0",
        "FROM a\n$0\n",
        "FROM a\n# comm$0ent\n",
    ]);
}

#[test]
fn every_flag_of_every_instruction() {
    for doc in catalog::flags::all_flags() {
        for instruction in doc.instructions {
            let value = match doc.value {
                catalog::FlagValue::Bool => String::new(),
                _ => "=x".to_string(),
            };
            let args = match *instruction {
                "HEALTHCHECK" => " CMD true",
                _ => " a b",
            };
            let from = if *instruction == "FROM" {
                ""
            } else {
                "FROM a\n"
            };
            let flag = format!("--{}", doc.name);
            for at in [0, 1, flag.len()] {
                let fixture = format!(
                    "{from}{instruction} {}$0{}{value}{args}",
                    &flag[..at],
                    &flag[at..]
                );
                let (token, md) = hover_at(&fixture).unwrap_or_else(|| panic!("{fixture:?}"));
                assert_eq!(token, flag, "{fixture:?}");
                assert!(md.starts_with(&format!("**--{}**", doc.name)), "{md}");
                assert!(md.contains(doc.url), "{md}");
            }
        }
    }
}

#[test]
fn flag_values() {
    check_all(&[
        ("FROM a\nRUN --network=h$0ost x", "host", &["**--network**"]),
        (
            "FROM --platform=linux/ar$0m64 a",
            "linux/arm64",
            &["`linux/arm64`", "**--platform**"],
        ),
        (
            "FROM a\nONBUILD RUN --ne$0twork=none x",
            "--network",
            &["**--network**"],
        ),
        (
            "FROM a\nRUN --mount=type=cache \\\n    --net$0work=none x",
            "--network",
            &["**--network**"],
        ),
    ]);
    check_none(&["FROM a\nRUN --bogus$0=1 x", "FROM a\nCOPY --mount$0=x a b"]);
}

#[test]
fn every_mount_type_and_key() {
    for ty in catalog::mounts::mount_types() {
        let fixture = format!("FROM a\nRUN --mount=type={}$0 x", ty.name);
        let (token, md) = hover_at(&fixture).unwrap_or_else(|| panic!("{fixture:?}"));
        assert_eq!(token, ty.name);
        assert!(md.contains(&format!("type={}", ty.name)), "{md}");
        for key in catalog::mounts::keys_for(ty.name) {
            // `type` itself is covered above (a second `type=` would change the type).
            let spellings = std::iter::once(key.name).chain(key.aliases.iter().copied());
            for spelling in spellings.filter(|s| *s != "type") {
                let fixture = format!("FROM a\nRUN --mount=type={},{spelling}$0=v x", ty.name);
                let (token, md) = hover_at(&fixture).unwrap_or_else(|| panic!("{fixture:?}"));
                assert_eq!(token, spelling, "{fixture:?}");
                assert!(md.starts_with(&format!("**{}**", key.name)), "{md}");
                assert!(md.contains(ty.url), "{fixture:?}\n{md}");
            }
        }
    }
    check_all(&[
        (
            "FROM a\nRUN --mount=type=secret,mo$0de=0400 x",
            "mode",
            &["default `0400`"],
        ),
        (
            "FROM a\nRUN --mount=type=cache,sharing=lock$0ed x",
            "locked",
            &["**sharing**"],
        ),
        // Without `type=`, a mount is a bind mount.
        ("FROM a\nRUN --mount=tar$0get=/x x", "target", &["bind"]),
        (
            "FROM a AS build\nFROM b\nRUN --mount=from=bu$0ild,target=/x x",
            "build",
            &["**Stage `build`** · #0", "FROM a AS build"],
        ),
    ]);
}

#[test]
fn directives_and_check_rules() {
    for doc in catalog::directives::directives() {
        let fixture = format!("# {}$0={}\nFROM a", doc.name, doc.values[0]);
        check_all(&[(
            fixture.as_str(),
            &format!("# {}", doc.name),
            &[&format!("**# {}**", doc.name), doc.url],
        )]);
    }
    check_all(&[
        (
            "# syntax=docker/dock$0erfile:1\nFROM a",
            "docker/dockerfile:1",
            &["**# syntax**"],
        ),
        (
            "# check=skip=StageNameCasing,JSONArgs$0Recommended\nFROM a",
            "JSONArgsRecommended",
            &["**JSONArgsRecommended** · build check"],
        ),
        (
            "# check=skip=all;er$0ror=true\nFROM a",
            "error",
            &["**error** · option of the `# check` directive"],
        ),
        ("#ESCAPE = $0`\nFROM a", "`", &["**# escape**"]),
    ]);
    // An unknown rule name falls back to the directive's page.
    check_all(&[(
        "# check=skip=NoSuchRu$0le\nFROM a",
        "skip=NoSuchRule",
        &["**# check**"],
    )]);
}

#[test]
fn predefined_args() {
    for doc in catalog::args::predefined_args() {
        // Where the arg is usable without a declaration: FROM lines see every one.
        let fixture = format!("FROM --platform=${}$0 a", doc.name);
        check_all(&[(
            fixture.as_str(),
            &format!("${}", doc.name),
            &[&format!("**{}**", doc.name), "set at build time", doc.url],
        )]);
        // An `ARG NAME` declaration shows the same page.
        let fixture = format!("FROM a\nARG {}$0", doc.name);
        check_all(&[(fixture.as_str(), doc.name, &[&format!("**{}**", doc.name)])]);
    }
}

#[test]
fn variables_show_declaration_and_value() {
    check_all(&[
        (
            "FROM a\nARG V=1\nRUN echo $V$0",
            "$V",
            &["**$V** · ARG", "line 2", "`ARG V=1`", "`1` by default"],
        ),
        (
            "FROM a\nENV P=/opt\nWORKDIR ${P$0}/x",
            "${P}",
            &["**$P** · ENV", "`ENV P=/opt`", "**Value here:** `/opt`"],
        ),
        (
            "ARG TAG=3.12\nFROM python:${TAG$0}",
            "${TAG}",
            &["global ARG", "`3.12`"],
        ),
        (
            "ARG TAG=3.12\nFROM a\nARG TAG\nRUN echo $TA$0G",
            "$TAG",
            &["the default of the global `ARG TAG=3.12` on line 1"],
        ),
        (
            "FROM a\nARG NODEF\nRUN echo $NODEF$0",
            "$NODEF",
            &["set at build time"],
        ),
        (
            "FROM a\nRUN echo $NO$0PE",
            "$NOPE",
            &["not declared", "shell expands it"],
        ),
        (
            "ARG G=1\nFROM a\nCOPY $G$0 /x",
            "$G",
            &["not declared", "add `ARG G` in this stage"],
        ),
        (
            "FROM a\nRUN echo $TARGETARCH$0",
            "$TARGETARCH",
            &["automatic platform ARG: add `ARG TARGETARCH`"],
        ),
        (
            "FROM a\nRUN echo $http_proxy$0",
            "$http_proxy",
            &["**http_proxy**", "set at build time"],
        ),
        (
            "FROM a\nENV X=1\nRUN echo ${X:-d$0}",
            "${X:-d}",
            &["**Modifier** `:-d`"],
        ),
        (
            "FROM a AS base\nENV E=1\nFROM base\nRUN echo $E$0",
            "$E",
            &["ENV inherited from stage `base`"],
        ),
        (
            "FROM a\nENV A=1\nRUN <<EOF\necho $A$0\nEOF\n",
            "$A",
            &["**$A** · ENV"],
        ),
        (
            "FROM a\nARG É=1\nENV X=é${X$0}\r\n",
            "${X}",
            &["not declared"],
        ),
        (
            "FROM a\nARG A=1 B$0=2",
            "B",
            &["**B** · ARG", "`2` by default"],
        ),
        ("FROM a\nENV K$0EY=v", "KEY", &["**KEY** · ENV", "`v`"]),
        ("ARG G$0=1\nFROM a", "G", &["global ARG", "FROM"]),
    ]);
}

#[test]
fn stages_and_images() {
    check_all(&[
        (
            "FROM golang:1.22 AS build\nFROM alpine\nCOPY --from=bu$0ild /out /app",
            "build",
            &[
                "**Stage `build`** · #0",
                "line 1",
                "FROM golang:1.22 AS build",
            ],
        ),
        (
            "FROM a\nFROM b\nCOPY --from=0$0 /x /y",
            "0",
            &["**Stage #0**", "FROM a"],
        ),
        (
            "FROM a\nCOPY --from=5$0 /x /y",
            "5",
            &["not defined before this line"],
        ),
        (
            "FROM a\nCOPY --from=nginx:lat$0est /x /y",
            "nginx:latest",
            &[
                "reads it as a named build context or an image",
                "`docker.io/library/nginx:latest`",
            ],
        ),
        (
            "FROM a AS build\nFROM bu$0ild",
            "build",
            &["Builds on an earlier stage", "FROM a AS build"],
        ),
        (
            "FROM pyth$0on:3.12-alpine",
            "python:3.12-alpine",
            &[
                "- Registry: `docker.io` (Docker Hub)",
                "- Repository: `library/python` (Docker Official Image)",
                "- Tag: `3.12-alpine`",
                "`docker.io/library/python:3.12-alpine`",
                "https://hub.docker.com/_/python",
            ],
        ),
        (
            "FROM ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef$0",
            "ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            &[
                "- Registry: `ghcr.io`",
                "pulled by digest",
                "- Digest: `sha256:0123",
            ],
        ),
        ("FROM ubuntu$0", "ubuntu", &["`latest` (the default"]),
        (
            "ARG V=3.12\nFROM python:$V-al$0pine",
            "python:$V-alpine",
            &["Resolved from ARG defaults", "`python:3.12-alpine`"],
        ),
        (
            "ARG V\nFROM python:$V-al$0pine",
            "python:$V-alpine",
            &[
                "Known only at build time",
                "`$V`: the global ARG on line 1 has no default",
            ],
        ),
        ("FROM python:${NOPE$0}", "${NOPE}", &["not declared"]),
        (
            "FROM py$0thon:$NOPE",
            "python:$NOPE",
            &["`$NOPE`: unknown variable"],
        ),
        (
            "FROM scr$0atch",
            "scratch",
            &["**scratch** · empty base image"],
        ),
        (
            "FROM Pyth$0on",
            "Python",
            &["**Invalid image reference**", "lowercase"],
        ),
        (
            "FROM a A$0S build\nFROM b",
            "AS",
            &["**Stage `build`** · #0"],
        ),
        ("FROM a AS bu$0ild", "build", &["**Stage `build`** · #0"]),
        (
            "FROM a\nHEALTHCHECK N$0ONE",
            "NONE",
            &["**HEALTHCHECK NONE**"],
        ),
        (
            "FROM a\nRUN <<E$0OF\nx\ny\nEOF\n",
            "<<EOF",
            &["**Heredoc** `EOF` · body on lines 3–4", "are expanded"],
        ),
        (
            "FROM a\nCOPY <<-'E$0OF' /x\n\tx\nEOF\n",
            "<<-'EOF'",
            &["used literally", "leading tabs", "content of a file"],
        ),
    ]);
    check_none(&["FROM a\nCOPY sr$0c /dst", "FROM a\nRUN echo hel$0lo"]);
}

#[test]
fn robust_at_any_offset() {
    let texts = [
        "",
        "\n\n",
        "# syntax=docker/dockerfile:1\n# check=skip=all\nARG A=1\nFROM --platform=$BUILDPLATFORM python:${A} AS b\nRUN --mount=type=cache,target=/x,sharing=locked \\\n  echo $A é <<EOF\n$A\nEOF\nONBUILD COPY --from=b a b\nHEALTHCHECK --interval=5s CMD [\"x\"]\r\n",
        "FROM a\nRUN x \\\n",
        "FROM a\nCOPY --from=\"b c\" a b\n",
        "FROM a\nRUN --mount=\"type=cache,target=/x\" x\n",
    ];
    for text in texts {
        let snapshot = Snapshot::new(text);
        for offset in 0..=text.len() + 2 {
            if let Some(h) = hover(&snapshot, offset) {
                let at = cursor::clamp(text, offset);
                assert!(h.range.start <= h.range.end && h.range.end <= text.len());
                assert!(
                    h.range.start <= at && at <= h.range.end,
                    "{text:?} at {offset}: {:?}",
                    h.range
                );
                assert!(!h.markdown.is_empty());
            }
        }
    }
}

#[test]
fn corpus_hover_and_completion_smoke() {
    // Every real Dockerfile of the shared corpus, at many offsets: no panic, and every range
    // lies in the text around the cursor.
    let corpus = crate::shared_data::dir_with("corpus").join("corpus");
    let entries = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", corpus.display()));
    let mut stack: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).collect();
    let (mut files, mut hovers, mut items) = (0, 0, 0);
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        files += 1;
        let snapshot = Snapshot::new(text.as_str());
        for offset in (0..=text.len()).step_by(41) {
            let at = cursor::clamp(&text, offset);
            if let Some(h) = hover(&snapshot, offset) {
                hovers += 1;
                assert!(
                    h.range.start <= at && at <= h.range.end,
                    "{}",
                    path.display()
                );
            }
            for item in crate::analysis::completion::completion(&snapshot, offset) {
                items += 1;
                let r = item.edit_range;
                assert!(
                    r.start <= at && at <= r.end,
                    "{} at {offset}",
                    path.display()
                );
            }
        }
    }
    assert!(files == 0 || (hovers > 0 && items > 0), "{files} files");
}

#[test]
fn hovers_lead_with_a_one_line_summary() {
    // The first line answers alone; the detail follows below it.
    let first_line = |fixture: &str| {
        let (_, md) = hover_at(fixture).unwrap_or_else(|| panic!("no hover: {fixture:?}"));
        md.lines().next().unwrap_or_default().to_string()
    };
    assert_eq!(
        first_line("FROM a\nR$0UN x"),
        format!(
            "**RUN** — {}",
            catalog::instruction("RUN")
                .map(|d| d.summary)
                .unwrap_or_default()
        )
    );
    assert!(first_line("FROM a\nCOPY --ch$0mod=644 a b").contains(" — "));
    assert_eq!(
        first_line("FROM pyt$0hon:3"),
        "**Image** `python:3` — a Docker Official Image on Docker Hub, tag `3`"
    );
    assert_eq!(
        first_line("FROM ghcr.io/o/t$0ool"),
        "**Image** `ghcr.io/o/tool` — from `ghcr.io`, no tag, so `latest`"
    );
    // The page link once, the full reference once.
    let (_, md) = hover_at("FROM pyt$0hon:3").unwrap_or_default();
    assert_eq!(
        md.matches("https://hub.docker.com/_/python").count(),
        1,
        "{md}"
    );
    assert_eq!(md.matches("docker.io/library/python:3").count(), 1, "{md}");
}
