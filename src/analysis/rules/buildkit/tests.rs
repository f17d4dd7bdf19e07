//! Every BuildKit check on small Dockerfiles: where it fires (the exact range, marked
//! `«…»`), where it must not, its quick fix (applied, the text parsed again: the finding is
//! gone and no other instruction's AST dump changed), and its suppression.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::Snapshot;
use crate::analysis::rules::{
    self, BaseImages, BuildContext, Found, ImageConfig, Inputs, Severities,
};
use crate::analysis::types::Edit;

struct Case {
    rule: &'static str,
    /// Marked with `«` and `»` around each expected range.
    fires: &'static str,
    clean: &'static str,
    /// The text after the quick fix of the first finding, when the rule has one.
    fixed: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        rule: "StageNameCasing",
        fires: "FROM alpine AS «Build»\nFROM build\nCOPY --from=Build /a /b\n",
        clean: "FROM alpine AS build\nFROM build\n",
        fixed: Some("FROM alpine AS build\nFROM build\nCOPY --from=build /a /b\n"),
    },
    Case {
        rule: "FromAsCasing",
        fires: "FROM alpine «as» build\n",
        clean: "from alpine as build\nFROM alpine AS b\n",
        fixed: Some("FROM alpine AS build\n"),
    },
    Case {
        rule: "NoEmptyContinuation",
        fires: "FROM a\nRUN echo \\\n«»\n  hi\n",
        clean: "FROM a\nRUN echo \\\n# a comment\n  hi\n",
        fixed: Some("FROM a\nRUN echo \\\n  hi\n"),
    },
    Case {
        rule: "ConsistentInstructionCasing",
        fires: "FROM a\n«Run» x\nCOPY a b\n",
        clean: "from a\nrun x\ncopy a b\n",
        fixed: Some("FROM a\nRUN x\nCOPY a b\n"),
    },
    Case {
        rule: "DuplicateStageName",
        fires: "FROM a AS x\nFROM b AS «X»\n",
        clean: "FROM a AS x\nFROM b AS y\n",
        fixed: None,
    },
    Case {
        rule: "ReservedStageName",
        fires: "FROM a AS «scratch»\n",
        clean: "FROM a AS scratchy\n",
        fixed: None,
    },
    Case {
        rule: "JSONArgsRecommended",
        fires: "FROM scratch\nCMD «node server.js»\n",
        clean: "FROM scratch\nSHELL [\"/bin/bash\", \"-c\"]\nCMD node x\nENTRYPOINT [\"a\"]\n",
        fixed: Some("FROM scratch\nCMD [\"node\", \"server.js\"]\n"),
    },
    Case {
        rule: "MaintainerDeprecated",
        fires: "FROM a\n«MAINTAINER Jane \"JJ\" <j@x.org>»\n",
        clean: "FROM a\nLABEL org.opencontainers.image.authors=me\n",
        fixed: Some(
            "FROM a\nLABEL org.opencontainers.image.authors=\"Jane \\\"JJ\\\" <j@x.org>\"\n",
        ),
    },
    Case {
        rule: "UndefinedArgInFrom",
        fires: "ARG VERSION=1\nFROM alpine:«$VERSON»\n",
        clean: "ARG VERSION=1\nFROM --platform=$BUILDPLATFORM alpine:$VERSION\n",
        fixed: Some("ARG VERSION=1\nFROM alpine:$VERSION\n"),
    },
    Case {
        rule: "WorkdirRelativePath",
        fires: "FROM scratch\nWORKDIR «app»\n",
        clean: "FROM scratch AS base\nWORKDIR /app\nFROM base\nWORKDIR sub\n",
        fixed: None,
    },
    Case {
        rule: "UndefinedVar",
        fires: "FROM scratch\nARG DIR_ASSETS=x\nCOPY «$DIR_ASSET» /d\n",
        clean: "FROM scratch\nARG DIR_ASSETS=x\nARG OPT\nCOPY $DIR_ASSETS $OPT /d\nRUN echo $NOT_CHECKED\n",
        fixed: Some("FROM scratch\nARG DIR_ASSETS=x\nCOPY $DIR_ASSETS /d\n"),
    },
    Case {
        rule: "MultipleInstructionsDisallowed",
        fires: "FROM a\n«CMD a»\nCMD b\n",
        clean: "FROM a\nCMD a\nFROM b\nCMD b\n",
        fixed: None,
    },
    Case {
        rule: "LegacyKeyValueFormat",
        fires: "FROM a\nENV «A hello world»\n",
        clean: "FROM a\nENV A=\"hello world\"\n",
        fixed: Some("FROM a\nENV A=\"hello world\"\n"),
    },
    Case {
        rule: "InvalidBaseImagePlatform",
        fires: "FROM «arm-only»\n",
        clean: "FROM alpine\n",
        fixed: None,
    },
    Case {
        rule: "RedundantTargetPlatform",
        fires: "FROM --platform=«$TARGETPLATFORM» alpine\n",
        clean: "FROM --platform=$BUILDPLATFORM alpine\n",
        fixed: Some("FROM alpine\n"),
    },
    Case {
        rule: "SecretsUsedInArgOrEnv",
        fires: "FROM a\nARG «GITHUB_TOKEN»\nENV «db_password»=x\n",
        clean: "FROM a\nARG PUBLIC_KEY\nENV TOKENIZER=x\n",
        fixed: None,
    },
    Case {
        rule: "InvalidDefaultArgInFrom",
        fires: "ARG TAG\nFROM «alpine:${TAG}»\n",
        clean: "ARG TAG=3.20\nFROM alpine:${TAG}\n",
        fixed: None,
    },
    Case {
        rule: "FromPlatformFlagConstDisallowed",
        fires: "FROM --platform=«linux/amd64» alpine\n",
        clean: "FROM --platform=linux/amd64 alpine AS build-amd64\n",
        fixed: None,
    },
    Case {
        rule: "CopyIgnoredFile",
        fires: "FROM a\nCOPY «secret.txt» /s\nADD «secrets/key» /k\n",
        clean: "FROM a\nCOPY public.txt /p\nCOPY --from=b secret.txt /s\n",
        fixed: None,
    },
    Case {
        rule: "InvalidDefinitionDescription",
        fires: "# check=experimental=InvalidDefinitionDescription\n«# the version»\nARG VERSION=1\nFROM a\n",
        clean: "# check=experimental=InvalidDefinitionDescription\n# VERSION the version\nARG VERSION=1\n#\n# not a description\nFROM a\n",
        fixed: None,
    },
    Case {
        rule: "ExposeProtoCasing",
        fires: "FROM a\nEXPOSE «80/TCP»\n",
        clean: "FROM a\nEXPOSE 80/tcp 53/udp\n",
        fixed: Some("FROM a\nEXPOSE 80/tcp\n"),
    },
    Case {
        rule: "ExposeInvalidFormat",
        fires: "FROM a\nEXPOSE «8080:80»\n",
        clean: "FROM a\nEXPOSE 80 :81\n",
        fixed: Some("FROM a\nEXPOSE 80\n"),
    },
];

/// Image configurations for the tests: `arm-only` exists only for linux/arm64.
struct Images;

impl BaseImages for Images {
    fn config(&self, reference: &str, platform: &str) -> Option<Arc<ImageConfig>> {
        let platform = if reference.contains("arm-only") {
            "linux/arm64"
        } else {
            platform
        };
        Some(Arc::new(ImageConfig {
            platform: Some(platform.to_string()),
            ..ImageConfig::default()
        }))
    }
}

fn inputs() -> Inputs {
    Inputs {
        context: Some(Arc::new(BuildContext::with_dockerignore(
            "secret*\nsecrets/\n",
        ))),
        images: Some(Arc::new(Images)),
        platform: Some("linux/amd64".to_string()),
        ..Inputs::default()
    }
}

/// The text without its markers, and the marked ranges.
fn unmark(marked: &str) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    let mut start = 0;
    for c in marked.chars() {
        match c {
            '«' => start = text.len(),
            '»' => ranges.push(start..text.len()),
            c => text.push(c),
        }
    }
    (text, ranges)
}

fn found(text: &str, rule: &str, inputs: &Inputs) -> Vec<Found> {
    rules::run(&Snapshot::new(text), inputs)
        .into_iter()
        .filter(|f| f.diagnostic.code == rule)
        .collect()
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.clone(), &e.new_text);
    }
    out
}

#[test]
fn every_rule_has_a_case() {
    for rule in rules::rules().filter(|r| r.group == rules::Group::Buildkit) {
        assert!(
            CASES.iter().any(|c| c.rule == rule.id),
            "no test case for {}",
            rule.id
        );
    }
}

#[test]
fn fires_on_the_exact_range() {
    for case in CASES {
        let (text, ranges) = unmark(case.fires);
        let got: Vec<Range<usize>> = found(&text, case.rule, &inputs())
            .into_iter()
            .map(|f| f.diagnostic.range)
            .collect();
        assert_eq!(got, ranges, "{} in {text:?}", case.rule);
    }
}

#[test]
fn stays_quiet_where_it_must() {
    for case in CASES {
        let got = found(case.clean, case.rule, &inputs());
        assert!(
            got.is_empty(),
            "{} fires in {:?}: {got:#?}",
            case.rule,
            case.clean
        );
    }
}

#[test]
fn fixes_remove_the_finding_and_change_nothing_else() {
    for case in CASES {
        let (text, _) = unmark(case.fires);
        let first = found(&text, case.rule, &inputs()).into_iter().next();
        let fix = first.and_then(|f| f.fix);
        let Some(expected) = case.fixed else {
            assert!(
                fix.is_none(),
                "{} has an unexpected fix: {fix:?}",
                case.rule
            );
            continue;
        };
        let fix = fix.unwrap_or_else(|| panic!("{} offers no fix in {text:?}", case.rule));
        let fixed = apply(&text, &fix.edits);
        assert_eq!(fixed, expected, "{}", case.rule);
        assert!(
            found(&fixed, case.rule, &inputs()).len() < found(&text, case.rule, &inputs()).len(),
            "{} still reported after its fix: {fixed:?}",
            case.rule
        );
        // Only the instructions the fix edits read differently.
        let before = Snapshot::new(text.as_str());
        let after = Snapshot::new(fixed.as_str());
        let dump_before: Vec<String> = before
            .model
            .buildkit_dump()
            .lines()
            .map(String::from)
            .collect();
        let dump_after: Vec<String> = after
            .model
            .buildkit_dump()
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(dump_before.len(), dump_after.len(), "{}", case.rule);
        for (i, (a, b)) in dump_before.iter().zip(&dump_after).enumerate() {
            let touched = before.model.instructions.get(i).is_some_and(|inst| {
                fix.edits
                    .iter()
                    .any(|e| e.range.start <= inst.range().end && inst.start() <= e.range.end)
            });
            assert!(
                a == b || touched,
                "{}: the fix changed instruction {i}: {a} → {b}",
                case.rule
            );
        }
    }
}

#[test]
fn suppressed_by_check_skip_and_configuration() {
    for case in CASES {
        let (text, _) = unmark(case.fires);
        let experimental = rules::info(case.rule).is_some_and(|i| i.experimental);
        if experimental {
            // Experimental rules run only when the directive (the first line) enables them.
            let without = text.split_once('\n').map_or("", |(_, rest)| rest);
            assert!(
                found(without, case.rule, &inputs()).is_empty(),
                "{}",
                case.rule
            );
            continue;
        }
        let skipped = format!("# check=skip={}\n{text}", case.rule);
        assert!(
            found(&skipped, case.rule, &inputs()).is_empty(),
            "{} not skipped in {skipped:?}",
            case.rule
        );
        // Each "ignore" action suppresses it.
        let snapshot = Snapshot::new(text.as_str());
        let first = found(&text, case.rule, &inputs()).remove(0);
        let actions = rules::ignore::actions(&snapshot, &first);
        assert!(!actions.is_empty(), "{} has no ignore action", case.rule);
        for action in actions {
            let ignored = apply(&text, &action.edits);
            assert!(
                found(&ignored, case.rule, &inputs()).len()
                    < found(&text, case.rule, &inputs()).len(),
                "{}: {} does not suppress it: {ignored:?}",
                case.rule,
                action.title
            );
        }
        // And `diagnostics.rules` can turn it off.
        let mut severities = Severities::default();
        severities.set(case.rule, rules::Level::Off);
        let off = Inputs {
            severities,
            ..inputs()
        };
        assert!(found(&text, case.rule, &off).is_empty(), "{}", case.rule);
    }
}

#[test]
fn invalid_default_arg_in_from_ignores_build_arguments() {
    let args: BTreeMap<String, String> = [("TAG".to_string(), "3.20".to_string())].into();
    let with_args = Inputs {
        build_args: args,
        ..inputs()
    };
    // BuildKit checks the defaults alone, whatever the build arguments.
    assert_eq!(
        found(
            "ARG TAG\nFROM alpine:${TAG}\n",
            "InvalidDefaultArgInFrom",
            &with_args
        )
        .len(),
        1
    );
}

#[test]
fn a_base_name_from_an_arg_without_default_is_a_warning_not_a_refusal() {
    // A plain build refuses it ("base name ($IMAGE) should not be blank"), one with
    // `--build-arg IMAGE=…` succeeds: BuildKit warns, and so do we, on the word.
    let text = "ARG IMAGE\nFROM $IMAGE\n";
    let all = rules::run(&Snapshot::new(text), &inputs());
    let warning: Vec<_> = all
        .iter()
        .filter(|f| f.diagnostic.code == "InvalidDefaultArgInFrom")
        .map(|f| {
            (
                f.diagnostic.range.clone(),
                f.diagnostic.severity,
                f.diagnostic.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        warning,
        [(
            15..21,
            crate::model::Severity::Warning,
            "Default value for ARG $IMAGE results in empty or invalid base image name"
        )]
    );
    assert!(
        all.iter()
            .all(|f| f.diagnostic.severity != crate::model::Severity::Error),
        "{all:#?}"
    );
    // With no ARG at all nothing can fill it: that is BuildKit's refusal.
    let refused = rules::run(&Snapshot::new("FROM $IMAGE\n"), &inputs());
    assert!(
        refused
            .iter()
            .any(|f| f.diagnostic.severity == crate::model::Severity::Error
                && f.diagnostic.message == "base name ($IMAGE) should not be blank"),
        "{refused:#?}"
    );
}
