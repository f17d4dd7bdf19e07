//! The conversion: refusals with BuildKit's messages, unset variables, stage facts.

use super::*;
use crate::analysis::Snapshot;

fn convert_text(text: &str, inputs: &Inputs) -> Converted {
    let snapshot = Snapshot::new(text);
    convert(&snapshot.model, text, inputs, "linux/amd64")
}

fn refusals(text: &str) -> Vec<(String, String)> {
    convert_text(text, &Inputs::default())
        .refusals
        .into_iter()
        .map(|r| (text[r.range].to_string(), r.message))
        .collect()
}

#[test]
fn refusals_of_the_lexer_on_every_word_buildkit_processes() {
    let cases = [
        (
            "FROM a\nENV name='a\\'b'\n",
            "'a\\'b'",
            "failed to process \"'a\\\\'b'\": unexpected end of statement while looking for matching single-quote",
        ),
        (
            "ARG templateOption=x\nFROM debian:${templateOption:imageVariant}\n",
            "debian:${templateOption:imageVariant}",
            "failed to process \"debian:${templateOption:imageVariant}\": unsupported modifier (:i) in substitution",
        ),
        (
            "ARG V=${x:y}\nFROM a\n",
            "V=${x:y}",
            "failed to process \"${x:y}\": unsupported modifier (:y) in substitution",
        ),
        (
            "FROM a\nLABEL a=\"b\n",
            "\"b",
            "failed to process \"\\\"b\": unexpected end of statement while looking for matching double-quote",
        ),
        (
            "FROM a\nCOPY ${a:b} /c\n",
            "${a:b}",
            "failed to process \"${a:b}\": unsupported modifier (:b) in substitution",
        ),
        (
            "FROM a\nCOPY --chown=${u:x} a /c\n",
            "${u:x}",
            "failed to process \"${u:x}\": unsupported modifier (:x) in substitution",
        ),
        (
            "FROM a\nWORKDIR /${a\n",
            "/${a",
            "failed to process \"/${a\": unsupported modifier (\u{FFFD}) in substitution",
        ),
        (
            "FROM a\nUSER ${a:?}\n",
            "${a:?}",
            "failed to process \"${a:?}\": a: is not allowed to be unset",
        ),
        (
            "FROM a\nVOLUME ${a:x}\n",
            "${a:x}",
            "failed to process \"${a:x}\": unsupported modifier (:x) in substitution",
        ),
        (
            "FROM a\nSTOPSIGNAL ${a:x}\n",
            "${a:x}",
            "failed to process \"${a:x}\": unsupported modifier (:x) in substitution",
        ),
        (
            "FROM a\nEXPOSE ${a:x}\n",
            "${a:x}",
            "failed to process \"${a:x}\": unsupported modifier (:x) in substitution",
        ),
        (
            "FROM a\nARG b=${a:x}\n",
            "${a:x}",
            "failed to process \"${a:x}\": unsupported modifier (:x) in substitution",
        ),
        (
            "FROM a\nRUN --mount=type=cache,target=${a:x} true\n",
            "${a:x}",
            "failed to process \"${a:x}\": unsupported modifier (:x) in substitution",
        ),
        (
            "FROM --platform=${p:x} a\n",
            "${p:x}",
            "failed to process arguments for platform : failed to process \"${p:x}\": unsupported modifier (:x) in substitution",
        ),
        (
            "FROM a\nCOPY <<EOF /x\n${a:x}\nEOF\n",
            "${a:x}\n",
            "failed to process \"${a:x}\\n\": unsupported modifier (:x) in substitution",
        ),
    ];
    for (text, word, message) in cases {
        assert_eq!(
            refusals(text),
            [(word.to_string(), message.to_string())],
            "{text:?}"
        );
    }
}

#[test]
fn from_lines_blank_and_platform_refusals() {
    assert_eq!(
        refusals("FROM ${NOPE}\n"),
        [(
            "${NOPE}".to_string(),
            "base name (${NOPE}) should not be blank".to_string()
        )]
    );
    // An ARG without a default may get a value from a build argument: no refusal (the
    // InvalidDefaultArgInFrom check warns instead).
    assert!(refusals("ARG IMAGE\nFROM $IMAGE\n").is_empty());
    assert_eq!(
        refusals("FROM --platform=$BULIDPLATFORM scratch\n"),
        [(
            "$BULIDPLATFORM".to_string(),
            "empty platform value from expression $BULIDPLATFORM (did you mean BUILDPLATFORM?)"
                .to_string()
        )]
    );
    assert_eq!(
        refusals("ARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n"),
        [(
            "linux/${MYARCH}".to_string(),
            "failed to parse platform linux/${MYARCH}: \"\" is an invalid component of \"linux/\": platform specifier component must match \"^[A-Za-z0-9_.-]+$\": invalid argument (did you mean MY_ARCH?)".to_string()
        )]
    );
    assert_eq!(
        refusals("ARG V=Bad\nFROM $V\n"),
        [(
            "$V".to_string(),
            "failed to parse stage name \"Bad\": invalid reference format: repository name must be lowercase: \"Bad\" (did you mean \"bad\"?)".to_string()
        )]
    );
    assert_eq!(
        refusals("FROM a\nVOLUME $EMPTY\n"),
        [(
            "$EMPTY".to_string(),
            "VOLUME specified can not be an empty string".to_string()
        )]
    );
    assert_eq!(
        refusals("FROM a\nWORKDIR $EMPTY\n"),
        [(
            "$EMPTY".to_string(),
            "normalizing workdir: cannot normalize nothing".to_string()
        )]
    );
    let c = convert_text("FROM a\nARG D\nWORKDIR ${D}\n", &Inputs::default());
    assert_eq!(
        (c.refusals[0].code, c.refusals[0].severity),
        ("empty-workdir", Severity::Warning)
    );
    assert!(refusals("FROM a\nARG D=/app\nWORKDIR $D\n").is_empty());
    // A build argument gives the value.
    let inputs = Inputs {
        build_args: [("A".to_string(), "x".to_string())].into(),
        ..Inputs::default()
    };
    assert!(
        convert_text("FROM a\nARG A\nUSER ${A:?}\n", &inputs)
            .refusals
            .is_empty()
    );
    // Without it, the build fails; as only a build argument can help, that is a warning.
    let c = convert_text("FROM a\nARG A\nUSER ${A:?}\n", &Inputs::default());
    assert_eq!(c.refusals[0].code, "required-variable");
    assert_eq!(c.refusals[0].severity, Severity::Warning);
    // Build arguments reach only the ARGs that declare them.
    let c = convert_text("FROM a\nUSER ${A:?}\n", &inputs);
    assert_eq!(c.refusals[0].severity, Severity::Error);
}

#[test]
fn unset_variables_by_scope() {
    let c = convert_text(
        "ARG G=1\nFROM scratch AS base\nARG foo=x\nENV E=$foo\nFROM base\nCOPY $foo $E $G $PATH $NOPE /d\n",
        &Inputs::default(),
    );
    let undefined: Vec<&str> = c
        .words
        .iter()
        .flat_map(|w| w.undefined.iter().map(|(n, _)| n.as_str()))
        .collect();
    // A child stage sees its parent's ARGs and ENVs; global ARGs need declaring again.
    assert_eq!(undefined, ["G", "NOPE"]);
    assert!(c.words.iter().all(|w| w.env_known));
    // An ARG without a value counts as declared; a close name is suggested.
    let c = convert_text(
        "FROM scratch\nARG A\nARG DIR_ASSETS=x\nCOPY $A $DIR_ASSET /d\n",
        &Inputs::default(),
    );
    let undefined: Vec<_> = c.words.iter().flat_map(|w| w.undefined.clone()).collect();
    assert_eq!(
        undefined,
        [("DIR_ASSET".to_string(), Some("DIR_ASSETS".to_string()))]
    );
    // On an image whose configuration is not known, an unset variable may be set by it.
    let c = convert_text("FROM alpine\nCOPY $NOPE /d\n", &Inputs::default());
    assert!(!c.words[0].env_known);
}

#[test]
fn stages_bases_and_platforms() {
    let c = convert_text(
        "ARG V=3.20\nFROM alpine:$V AS Build\nFROM build\nFROM --platform=linux/arm64 scratch\n",
        &Inputs::default(),
    );
    assert_eq!(
        c.stages[0].base,
        Base::Image {
            name: "alpine:3.20".into(),
            normalized: "docker.io/library/alpine:3.20".into()
        }
    );
    assert_eq!(c.stages[1].base, Base::Stage(0));
    assert_eq!(c.stages[2].base, Base::Scratch);
    assert_eq!(c.stages[2].platform.format(), "linux/arm64");
    assert_eq!(c.target_platform, "linux/amd64");
    assert!(c.global_names.contains(&"V".to_string()));
}
