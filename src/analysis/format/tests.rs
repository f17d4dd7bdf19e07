//! Golden tests: a before and after pair for each rule, as `insta` snapshots (in
//! `snapshots/`), each output also checked to be a fixed point of the formatter.

use super::*;
use verify::verify_whole;

/// The snapshot of one case: the input, what came out, and what was left as written.
fn golden(input: &str, opts: &FormatOptions) -> String {
    let out = format_text(input, opts);
    let again = format_text(&out.text, opts);
    assert_eq!(again.text, out.text, "not idempotent:\n{}", out.text);
    let show = |s: &str| s.replace('\r', "␍").replace('\t', "→   ");
    let mut snap = format!(
        "--- before\n{}\n--- after\n{}",
        show(input),
        show(&out.text)
    );
    for k in &out.kept {
        snap.push_str(&format!("\n--- kept {:?}: {}", k.range, k.because));
    }
    snap
}

fn check(input: &str) -> String {
    golden(input, &FormatOptions::default())
}

#[test]
fn keywords_spaces_and_blank_lines() {
    insta::assert_snapshot!(check(
        "\n\nfrom   alpine:3   as   build\n\n\n\nrun   echo   hi   \n   workdir /app\n\n\n"
    ));
}

#[test]
fn keyword_case_options() {
    let text = "From a As b\nRun x\nonbuild run y\nhealthcheck --interval=5s cmd true\n";
    let lower = FormatOptions {
        keyword_case: KeywordCase::Lower,
        ..FormatOptions::default()
    };
    let keep = FormatOptions {
        keyword_case: KeywordCase::Keep,
        ..FormatOptions::default()
    };
    insta::assert_snapshot!(golden(text, &lower));
    insta::assert_snapshot!(golden(text, &keep));
    insta::assert_snapshot!(check(text));
}

#[test]
fn continuation_lines() {
    insta::assert_snapshot!(check(
        "FROM a\nRUN set -eux; \\\n\tapt-get update; \\\n\t\\\n\tapt-get install -y \\\n\t\tcurl \\\n\n\t\tgit \\\n\t; \\\n\trm -rf /var/lib/apt/lists/*\nLABEL a=1 \\\n        b=2   \\\n        c=3\nRUN a &&\\\n  b\n"
    ));
}

#[test]
fn tabs_when_asked() {
    let opts = FormatOptions {
        use_tabs: true,
        ..FormatOptions::default()
    };
    insta::assert_snapshot!(golden("FROM a\nRUN a \\\n  && b \\\n      c\n", &opts));
}

#[test]
fn comments_inside_continuations() {
    insta::assert_snapshot!(check(
        "FROM a\nRUN apt-get install -y \\\n# the compiler\n      gcc \\\n    # and make\n      make\nRUN b \\\n  # dangling at the end\n"
    ));
}

#[test]
fn env_and_label_legacy_form() {
    insta::assert_snapshot!(check(
        "FROM a\nENV PATH /usr/local/bin:$PATH\nENV MSG hello   world\nENV Q say \"hi\"\nLABEL maintainer Jane <jane@example.com>\nENV a=1    b=\"x  y\"\nMAINTAINER Jane\n"
    ));
    let off = FormatOptions {
        normalize_key_value: false,
        ..FormatOptions::default()
    };
    insta::assert_snapshot!(golden("FROM a\nENV A  b\n", &off));
}

#[test]
fn exec_form_json() {
    insta::assert_snapshot!(check(
        "FROM a\nCMD [ \"a\" ,\"b\",\"c\\\\d\" ]\nENTRYPOINT [\"\\u0041\",  \"\\/x\", \"q\\\"uote\"]\nVOLUME [ \"/data\" ]\nSHELL [\"/bin/bash\",\"-c\"]\nCMD []\nENTRYPOINT [ \\\n  \"/bin/sh\", \\\n  \"-c\" \\\n]\nCMD [\"a\"] trailing\nCMD [\"a\", 1]\n"
    ));
}

#[test]
fn heredocs() {
    insta::assert_snapshot!(check(
        "FROM a\nrun  <<EOF1 cat   >/x  &&  <<-\"EOF2\" cat\n  body one  \n\tkeeps\tits\ttabs\nEOF1\n\tchomped\n\tEOF2\ncopy  <<'EOT'   /etc/conf\n$NOT_EXPANDED  \nEOT\nRUN --mount=type=cache,target=/c \\\n  <<EOF\nset -e\nEOF\n"
    ));
}

#[test]
fn backtick_escape() {
    insta::assert_snapshot!(check(
        "# escape=`\n\nfrom mcr.microsoft.com/windows/servercore:ltsc2022\nrun  dir && `\n      echo hi\nCOPY a `\n   b C:\\app\\\n"
    ));
}

#[test]
fn crlf_is_kept() {
    insta::assert_snapshot!(check(
        "from a\r\n\r\n\r\nrun a \\\r\n  b\r\nRUN <<EOF\r\nx  \r\nEOF\r\n"
    ));
}

#[test]
fn powershell_and_cmd() {
    insta::assert_snapshot!(check(
        "FROM a\nSHELL [\"powershell\", \"-Command\"]\nRUN Write-Host  'a  b'; \\\n        Get-Item  x\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN echo a  b && \\\n    dir\nRUN echo a \\\n      && dir\n"
    ));
}

#[test]
fn shell_words_inside_quotes_are_kept() {
    insta::assert_snapshot!(check(
        "FROM a\nRUN echo \"a \\\n      b\"  &&  echo   'c   d' && x=$(echo  e)\nRUN echo foo\\\nbar\n"
    ));
}

#[test]
fn formatting_switched_off() {
    insta::assert_snapshot!(check(
        "FROM a\n# dockerfile-ls: fmt off\nrun   a\n\n\n   run  b\n# dockerfile-ls: fmt on\nrun   c\n# dockerfile-ls: fmt skip\nrun   d  \\\n e\nrun   f\n"
    ));
}

#[test]
fn parse_errors_stay_per_instruction() {
    insta::assert_snapshot!(check(
        "from a\nENV novalue\nrun   b\nCMD [\"a\", 1]\nrun   c\nRUN <<EOF\nnever ends\n"
    ));
}

#[test]
fn flags_sorted_when_asked() {
    let opts = FormatOptions {
        sort_flags: true,
        ..FormatOptions::default()
    };
    insta::assert_snapshot!(golden(
        "FROM a\nRUN --network=none --mount=type=cache,target=/b --mount=type=cache,target=/a x\nCOPY --link --chown=1 --from=b / /\n",
        &opts
    ));
    insta::assert_snapshot!(check("FROM a\nCOPY --link --chown=1 --from=b / /\n"));
}

#[test]
fn directives_and_the_header() {
    insta::assert_snapshot!(check(
        "# syntax=docker/dockerfile:1\n#  check=skip=all\n\n\nFROM a\n"
    ));
    // The blank line makes this comment no directive: it must stay.
    insta::assert_snapshot!(check("\n\n# escape=`\nFROM a\nRUN a \\\n b\n"));
}

#[test]
fn blank_line_limit() {
    let opts = FormatOptions {
        max_blank_lines: 2,
        ..FormatOptions::default()
    };
    insta::assert_snapshot!(golden("FROM a\n\n\n\n\nRUN b\n# c\n\n\n\n# d\n", &opts));
}

#[test]
fn onbuild_healthcheck_from() {
    insta::assert_snapshot!(check(
        "from --platform=$BUILDPLATFORM   golang:1   as   build\nonbuild   run   a  &&  b\nonbuild copy  [ \"a\",\"b\" ]\nhealthcheck  --interval=30s   --timeout=3s cmd  curl -f http://x/ || exit 1\nhealthcheck none\nexpose 80/tcp   443\narg  A=\"x  y\"   B\nuser   1000:1000\nworkdir   /my  dir\nstopsignal SIGTERM\n"
    ));
}

#[test]
fn final_newline_and_whitespace_options() {
    let opts = FormatOptions {
        insert_final_newline: false,
        trim_trailing_whitespace: false,
        ..FormatOptions::default()
    };
    insta::assert_snapshot!(golden("FROM a\n# comment   \nRUN b", &opts));
    insta::assert_snapshot!(check("FROM a\n# comment   \nRUN b"));
}

#[test]
fn a_reading_that_would_change_is_refused() {
    let (_, model) = Model::open("FROM a\nRUN echo 'a  b'\n");
    let dialects = dialect::dialects(&model);
    let failed = verify_whole(
        &model,
        "FROM a\nRUN echo 'a b'\n",
        &dialects,
        &FormatOptions::default(),
    );
    let failed = failed.map_err(|w| w.to_string());
    assert_eq!(failed.as_ref().map(|f| f.len()), Ok(1), "{failed:?}");
    assert!(verify_whole(&model, "FROM a\n", &dialects, &FormatOptions::default()).is_err());
    assert!(
        verify_whole(
            &model,
            "# escape=`\nFROM a\nRUN echo 'a  b'\n",
            &dialects,
            &FormatOptions::default()
        )
        .is_err()
    );
}

#[test]
fn edits_cover_only_what_changed() {
    let text = "FROM a\nrun  x\n\nRUN y\nrun   z\n";
    let snapshot = Snapshot::new(text);
    let (edits, _) = edits(&snapshot, &FormatOptions::default());
    let edits: Vec<_> = edits
        .iter()
        .map(|e| (e.range.clone(), e.new_text.as_str()))
        .collect();
    assert_eq!(edits, [(7..14, "RUN x\n"), (21..29, "RUN z\n")]);
    // Range formatting: whole instructions that overlap the range, nothing else.
    let (edits, _) = range_edits(&snapshot, 22..23, &FormatOptions::default());
    let edits: Vec<_> = edits
        .iter()
        .map(|e| (e.range.clone(), e.new_text.as_str()))
        .collect();
    assert_eq!(edits, [(21..28, "RUN z")]);
    let (edits, _) = range_edits(&snapshot, 0..text.len(), &FormatOptions::default());
    assert_eq!(edits.len(), 2);
}

mod random {
    use super::*;
    use proptest::prelude::*;

    /// One physical line of Dockerfile-like text: instructions in any case with flags,
    /// quotes, `$(…)`, JSON, continuations (`\` and `` ` ``), comments, heredoc markers and
    /// bodies, blank lines, `fmt` switches, tabs and CRs.
    fn line() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            "FROM",
            "run",
            "Run",
            "COPY",
            "ENV",
            "LABEL",
            "ARG",
            "CMD",
            "ENTRYPOINT",
            "SHELL",
            "HEALTHCHECK",
            "ONBUILD",
            "WORKDIR",
            "EXPOSE",
            "USER",
            "VOLUME",
            "MAINTAINER",
            "AS",
            "as",
            "a",
            "b=c",
            "x y",
            "--mount=type=cache,target=/c",
            "--from=x",
            "\"q  r\"",
            "'s  t'",
            "$(u  v)",
            "`w  x`",
            "${y:-z}",
            "&&",
            "||",
            ";",
            "|",
            "[\"a\",",
            "\"b\"]",
            "[",
            "]",
            "<<EOF",
            "<<-EOT",
            "<<\"E\"",
            "#",
            "# c",
            "\\",
            "`",
            "=",
            "$A",
            "echo",
            "CMD",
            "NONE",
            "[]",
            "{",
            "}",
            "(",
            ")",
        ]);
        let sep = prop::sample::select(vec![" ", "  ", "\t", ""]);
        let body = prop::collection::vec((words, sep), 0..7).prop_map(|ws| {
            ws.into_iter()
                .map(|(w, s)| format!("{w}{s}"))
                .collect::<String>()
        });
        let lead = prop::sample::select(vec!["", " ", "\t", "    "]);
        let end = prop::sample::select(vec!["", " \\", "\\", " `", "  \\  ", "\r"]);
        let special = prop::sample::select(vec![
            "EOF",
            "EOT",
            "E",
            "\tEOT",
            "",
            "# dockerfile-ls: fmt off",
            "# dockerfile-ls: fmt on",
            "# dockerfile-ls: fmt skip",
            "# escape=`",
        ]);
        prop_oneof![
            4 => (lead, body, end).prop_map(|(l, b, e)| format!("{l}{b}{e}")),
            1 => special.prop_map(str::to_string),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        // Whatever the text: no panic, a fixed point after one pass, and an output whose
        // every instruction reads as the input's (the check the formatter runs itself, run
        // again on what it returned).
        #[test]
        fn formatting_is_idempotent_and_keeps_the_reading(
            lines in prop::collection::vec(line(), 0..14),
            crlf in proptest::bool::ANY,
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            let opts = FormatOptions::default();
            let once = format_text(&text, &opts);
            let twice = format_text(&once.text, &opts);
            prop_assert_eq!(&twice.text, &once.text);
            let (_, model) = Model::open(text.as_str());
            let dialects = dialect::dialects(&model);
            match verify_whole(&model, &once.text, &dialects, &opts) {
                Ok(failed) => prop_assert!(failed.is_empty(), "{:?}", failed),
                Err(whole) => prop_assert_eq!(&once.text, &text, "{}", whole),
            }
        }
    }
}

#[test]
fn shell_aware_run_layout() {
    insta::assert_snapshot!(check(
        "FROM a\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git && rm -rf /var/lib/apt/lists/*\nRUN set -eux; \\\n  apk add --no-cache --virtual .build-deps gcc make; \\\n  if [ -n \"$X\" ]; then \\\n      echo \"a && b\"; \\\n  fi; \\\n  curl -fsSL https://example.com/x.tgz | tar -xz -C /opt && \\\n  # tidy up\n  apk del .build-deps\nRUN --mount=type=cache,target=/root/.cache \\\n  pip install --no-cache-dir -r requirements.txt flask gunicorn\nRUN cat <<EOF > /etc/x && chmod 600 /etc/x && echo done && echo more && echo and more && echo until it is long\nkeep && this\nEOF\nRUN echo short && echo chain\n"
    ));
    let keep = FormatOptions {
        multiline_run: MultilineRun::Keep,
        ..FormatOptions::default()
    };
    insta::assert_snapshot!(golden("FROM a\nRUN a && \\\n      b && c\n", &keep));
    // A pipe stays on its line unless the user broke the line beside it.
    insta::assert_snapshot!(check(
        "FROM a\nRUN curl -fsSL https://x/y.tgz | tar -xz && \\\n  cat a \\\n  | sort | uniq\n"
    ));
}

#[test]
fn packages_sorted_when_asked() {
    let opts = FormatOptions {
        sort_packages: true,
        ..FormatOptions::default()
    };
    // Only runs of packages move: `-y`, `--no-install-recommends` and pip's `-r req.txt`
    // stay; a `fmt skip` instruction and `$(…)` are left alone.
    let text = "FROM a\nRUN apt-get update && apt-get install -y zlib1g --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\nRUN pip install -r req.txt zope flask\nRUN apk add --no-cache \\\n    make \\\n    gcc \\\n    $EXTRA\nRUN echo $(apk add z y)\n# dockerfile-ls: fmt skip\nRUN apk add b a\n";
    insta::assert_snapshot!(golden(text, &opts));
}
