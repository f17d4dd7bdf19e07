//! The engine: metadata of every rule, suppressions, severities.

use super::*;
use crate::analysis::Snapshot;

fn codes(text: &str, inputs: &Inputs) -> Vec<(String, String, Severity)> {
    let snapshot = Snapshot::new(text);
    run(&snapshot, inputs)
        .into_iter()
        // The hadolint and advice groups have tests of their own.
        .filter(|f| {
            matches!(
                super::group_of(&f.diagnostic.code),
                Group::Buildkit | Group::DockerfileLs
            )
        })
        .map(|f| {
            let d = f.diagnostic;
            (d.code.to_string(), text[d.range].to_string(), d.severity)
        })
        .collect()
}

#[test]
fn every_rule_has_its_metadata() {
    let mut seen = std::collections::HashSet::new();
    for rule in rules() {
        assert!(seen.insert(rule.id), "{} registered twice", rule.id);
        let info = rule.info();
        assert!(!info.summary.is_empty(), "{} has no summary", rule.id);
        assert!(
            !info.explanation.is_empty() || rule.group == Group::DockerfileLs,
            "{} has no explanation",
            rule.id
        );
        match rule.group {
            Group::Hadolint | Group::ShellCheck | Group::Advice => {}
            Group::Buildkit => assert!(
                crate::catalog::check(rule.id).is_some(),
                "{} is not a BuildKit rule",
                rule.id
            ),
            Group::DockerfileLs => {
                assert!(
                    !rule.explanation.is_empty(),
                    "{} has no explanation",
                    rule.id
                );
                assert!(
                    rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                    "{} is not kebab-case",
                    rule.id
                );
            }
        }
        assert_eq!(
            info.url.is_some(),
            rule.id != "InvalidBaseImagePlatform",
            "{}",
            rule.id
        );
    }
}

#[test]
fn file_and_local_check_comments() {
    let text = "# check=skip=FromAsCasing\nFROM a as b\n# check=skip=MaintainerDeprecated\nMAINTAINER me\nMAINTAINER you\n";
    let got = codes(text, &Inputs::default());
    let ids: Vec<&str> = got.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(ids, ["MaintainerDeprecated"], "{got:?}");
    assert_eq!(got[0].1, "MAINTAINER you");
}

#[test]
fn error_true_makes_findings_errors_and_settings_replace_the_directive() {
    let text = "# check=error=true\nFROM a as b\n";
    let got = codes(text, &Inputs::default());
    assert_eq!(got[0].0, "FromAsCasing");
    assert_eq!(got[0].2, Severity::Error);
    let inputs = Inputs {
        check: Some(CheckOptions::parse("skip=FromAsCasing").unwrap()),
        ..Inputs::default()
    };
    assert!(codes(text, &inputs).is_empty());
}

#[test]
fn configured_severities() {
    let text = "FROM a as b\nMAINTAINER me\n";
    let (severities, problems) =
        Severities::from_map([("buildkit", "info"), ("MaintainerDeprecated", "off")]);
    assert!(problems.is_empty());
    let inputs = Inputs {
        severities,
        ..Inputs::default()
    };
    let got = codes(text, &inputs);
    assert_eq!(
        got,
        [(
            "FromAsCasing".to_string(),
            "as".to_string(),
            Severity::Information
        )]
    );
}

#[test]
fn experimental_rules_only_when_enabled() {
    let text = "# check=experimental=InvalidDefinitionDescription\n# nope\nARG a\n";
    let got = codes(text, &Inputs::default());
    assert_eq!(got[0].0, "InvalidDefinitionDescription");
    assert_eq!(got[0].1, "# nope");
    assert!(codes("# nope\nARG a\nFROM x\n", &Inputs::default()).is_empty());
}
