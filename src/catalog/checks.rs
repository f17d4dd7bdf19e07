//! BuildKit's build-check rules (`docker build --check`): names, descriptions, links, inputs.

/// The input a rule needs beyond what its neighbours need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckNeeds {
    /// The syntax tree alone.
    Static,
    /// ARG/ENV scoping, variable expansion or stage resolution.
    Semantic,
    /// The resolved configuration of the base image (usually a registry request).
    Image,
    /// The build context or its `.dockerignore`.
    Context,
}

/// One build-check rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckDoc {
    /// The PascalCase rule name, as used by `# check=skip=` (case-sensitive).
    pub name: &'static str,
    /// One sentence, in our words, saying what the rule expects.
    pub description: &'static str,
    /// The rule's documentation page; `None` for InvalidBaseImagePlatform, which has none.
    pub url: Option<&'static str>,
    /// Whether the rule runs only when enabled with `# check=experimental=...`.
    pub experimental: bool,
    /// Whether the rule is deprecated (deprecated rules never run). No rule is yet.
    pub deprecated: bool,
    /// What the rule needs in order to run at all.
    pub needs: CheckNeeds,
    /// An extra input that makes the rule more accurate when available (e.g. the base image's
    /// `ENV` for UndefinedVar, or an inherited `SHELL` for JSONArgsRecommended).
    pub also_needs: Option<CheckNeeds>,
}

/// Looks a rule up by its exact, case-sensitive name.
pub fn check(name: &str) -> Option<&'static CheckDoc> {
    CHECKS.iter().find(|doc| doc.name == name)
}

/// All 22 rules, in BuildKit's order.
pub fn checks() -> &'static [CheckDoc] {
    &CHECKS
}

/// The names of all rules, for completion in `# check=` and "did you mean" hints.
pub fn check_names() -> impl Iterator<Item = &'static str> {
    CHECKS.iter().map(|doc| doc.name)
}

/// The documentation URL BuildKit uses for a rule name:
/// `https://docs.docker.com/go/dockerfile/rule/<kebab-case-name>/`. Runs of capitals are
/// kept together as one word (`JSONArgsRecommended` gives `json-args-recommended`).
pub fn rule_url(name: &str) -> String {
    format!(
        "https://docs.docker.com/go/dockerfile/rule/{}/",
        kebab_case(name)
    )
}

fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let previous_lower = chars[i - 1].is_ascii_lowercase();
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if previous_lower || (chars[i - 1].is_ascii_uppercase() && next_lower) {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

const fn rule(
    name: &'static str,
    description: &'static str,
    url: &'static str,
    needs: CheckNeeds,
) -> CheckDoc {
    CheckDoc {
        name,
        description,
        url: Some(url),
        experimental: false,
        deprecated: false,
        needs,
        also_needs: None,
    }
}

static CHECKS: [CheckDoc; 22] = [
    rule(
        "StageNameCasing",
        "Stage names given with `AS` should be written in lowercase.",
        "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
        CheckNeeds::Static,
    ),
    rule(
        "FromAsCasing",
        "The `AS` keyword should be written in the same case as its `FROM`.",
        "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
        CheckNeeds::Static,
    ),
    rule(
        "NoEmptyContinuation",
        "A line continuation should not run into an empty line (a comment line is fine).",
        "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
        CheckNeeds::Static,
    ),
    rule(
        "ConsistentInstructionCasing",
        "Instruction keywords should be all uppercase or all lowercase, following the majority of the file.",
        "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
        CheckNeeds::Static,
    ),
    rule(
        "DuplicateStageName",
        "Each stage name should be used once; names are compared without regard to case.",
        "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
        CheckNeeds::Static,
    ),
    rule(
        "ReservedStageName",
        "Stages should not be called `scratch` or `context`, which already have a meaning.",
        "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
        CheckNeeds::Static,
    ),
    CheckDoc {
        also_needs: Some(CheckNeeds::Image),
        ..rule(
            "JSONArgsRecommended",
            "`CMD` and `ENTRYPOINT` should use the JSON (exec) form so the program receives stop signals, unless a `SHELL` is configured.",
            "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
            CheckNeeds::Static,
        )
    },
    rule(
        "MaintainerDeprecated",
        "`MAINTAINER` is deprecated; record the author with a label such as `org.opencontainers.image.authors`.",
        "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
        CheckNeeds::Static,
    ),
    rule(
        "UndefinedArgInFrom",
        "Variables used in a `FROM` line should be declared by an `ARG` before the first `FROM`.",
        "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
        CheckNeeds::Semantic,
    ),
    CheckDoc {
        also_needs: Some(CheckNeeds::Semantic),
        ..rule(
            "WorkdirRelativePath",
            "The first `WORKDIR` of a stage should be absolute, since a relative one depends on the base image's working directory.",
            "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
            CheckNeeds::Static,
        )
    },
    CheckDoc {
        also_needs: Some(CheckNeeds::Image),
        ..rule(
            "UndefinedVar",
            "Variables the builder expands should be defined by `ARG`, `ENV`, a build argument or the base image.",
            "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
            CheckNeeds::Semantic,
        )
    },
    rule(
        "MultipleInstructionsDisallowed",
        "A stage should have at most one `CMD`, `ENTRYPOINT` and `HEALTHCHECK`, since only the last one takes effect.",
        "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
        CheckNeeds::Static,
    ),
    rule(
        "LegacyKeyValueFormat",
        "`ENV` and `LABEL` should use `key=value` rather than the old whitespace-separated `key value` form.",
        "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
        CheckNeeds::Static,
    ),
    CheckDoc {
        url: None,
        ..rule(
            "InvalidBaseImagePlatform",
            "The base image that was pulled should match the platform the stage is built for.",
            "",
            CheckNeeds::Image,
        )
    },
    rule(
        "RedundantTargetPlatform",
        "`FROM --platform=$TARGETPLATFORM` only repeats the default and can be removed.",
        "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
        CheckNeeds::Semantic,
    ),
    rule(
        "SecretsUsedInArgOrEnv",
        "`ARG` and `ENV` names that look like credentials (token, password, secret, key...) suggest a secret baked into the image; use a secret mount.",
        "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
        CheckNeeds::Static,
    ),
    rule(
        "InvalidDefaultArgInFrom",
        "With their default values, global `ARG`s should turn every `FROM` into a valid, non-empty image name.",
        "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
        CheckNeeds::Semantic,
    ),
    rule(
        "FromPlatformFlagConstDisallowed",
        "`FROM --platform` should not be a constant unless the stage name says which platform it is for.",
        "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
        CheckNeeds::Static,
    ),
    rule(
        "CopyIgnoredFile",
        "`COPY` and `ADD` should not name sources that `.dockerignore` excludes.",
        "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
        CheckNeeds::Context,
    ),
    CheckDoc {
        experimental: true,
        ..rule(
            "InvalidDefinitionDescription",
            "A comment directly above a `FROM` or `ARG` that describes it should begin with the stage or argument name.",
            "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
            CheckNeeds::Static,
        )
    },
    rule(
        "ExposeProtoCasing",
        "The protocol in `EXPOSE` should be lowercase, as in `80/tcp`.",
        "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
        CheckNeeds::Static,
    ),
    rule(
        "ExposeInvalidFormat",
        "`EXPOSE` should list container ports only, without IP addresses or `host:container` mappings.",
        "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
        CheckNeeds::Static,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn twenty_two_rules() {
        assert_eq!(checks().len(), 22);
        let names: HashSet<_> = check_names().collect();
        assert_eq!(names.len(), 22);
        assert!(check("JSONArgsRecommended").is_some());
        assert!(check("jsonargsrecommended").is_none());
        let experimental: Vec<_> = checks()
            .iter()
            .filter(|c| c.experimental)
            .map(|c| c.name)
            .collect();
        assert_eq!(experimental, ["InvalidDefinitionDescription"]);
        assert!(checks().iter().all(|c| !c.deprecated));
    }

    #[test]
    fn urls_follow_the_kebab_pattern() {
        for doc in checks() {
            assert!(
                doc.name.starts_with(|c: char| c.is_ascii_uppercase()),
                "{}",
                doc.name
            );
            assert!(!doc.description.contains('\n'), "{}", doc.name);
            match doc.url {
                Some(url) => assert_eq!(url, rule_url(doc.name)),
                None => assert_eq!(doc.name, "InvalidBaseImagePlatform"),
            }
        }
        assert_eq!(kebab_case("JSONArgsRecommended"), "json-args-recommended");
        assert_eq!(
            kebab_case("SecretsUsedInArgOrEnv"),
            "secrets-used-in-arg-or-env"
        );
    }

    #[test]
    fn needs() {
        assert_eq!(check("CopyIgnoredFile").unwrap().needs, CheckNeeds::Context);
        assert_eq!(
            check("InvalidBaseImagePlatform").unwrap().needs,
            CheckNeeds::Image
        );
        let undefined = check("UndefinedVar").unwrap();
        assert_eq!(
            (undefined.needs, undefined.also_needs),
            (CheckNeeds::Semantic, Some(CheckNeeds::Image))
        );
    }
}
