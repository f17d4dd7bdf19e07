//! Parser directives (`# syntax=`, `# escape=`, `# check=`) and the options of `check`.
//!
//! Directives must come before any instruction, comment or blank line. Their keys are
//! case-insensitive, their values case-sensitive; each may appear once and cannot be
//! continued onto a second line. An unknown directive is an ordinary comment and ends the
//! directive section.

/// One parser directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectiveDoc {
    /// The key as conventionally written (lowercase), e.g. `"syntax"`.
    pub name: &'static str,
    /// One sentence saying what the directive does.
    pub summary: &'static str,
    /// Usage lines.
    pub syntax: &'static [&'static str],
    /// A short markdown paragraph (a single line).
    pub details: &'static str,
    /// A small example.
    pub example: &'static str,
    /// The section of Docker's Dockerfile reference.
    pub url: &'static str,
    /// The first Dockerfile frontend version supporting it.
    pub min_version: Option<&'static str>,
    /// Typical values, for completion. For `escape` this is the complete list.
    pub values: &'static [&'static str],
}

/// One `;`-separated option of the `check` directive, such as `skip`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptionDoc {
    /// The option key. BuildKit matches it case-sensitively (after trimming spaces).
    pub name: &'static str,
    /// The shape of the value.
    pub value: &'static str,
    /// One sentence saying what the option does.
    pub summary: &'static str,
    /// A small example of the whole directive.
    pub example: &'static str,
}

/// Looks a directive up by key, ignoring case.
pub fn directive(name: &str) -> Option<&'static DirectiveDoc> {
    DIRECTIVES
        .iter()
        .find(|doc| doc.name.eq_ignore_ascii_case(name))
}

/// The three directives.
pub fn directives() -> &'static [DirectiveDoc] {
    &DIRECTIVES
}

/// Looks an option of the `check` directive up by its exact key.
pub fn check_option(name: &str) -> Option<&'static CheckOptionDoc> {
    CHECK_OPTIONS.iter().find(|doc| doc.name == name)
}

/// The options of the `check` directive.
pub fn check_options() -> &'static [CheckOptionDoc] {
    &CHECK_OPTIONS
}

/// The only characters `# escape=` accepts.
pub const ESCAPE_CHARACTERS: [char; 2] = ['\\', '`'];

/// The value `skip=` and `experimental=` accept to mean every rule.
pub const ALL_RULES: &str = "all";

static DIRECTIVES: [DirectiveDoc; 3] = [
    DirectiveDoc {
        name: "syntax",
        summary: "Chooses the Dockerfile frontend image that builds this file.",
        syntax: &["# syntax=<frontend image>"],
        details: "`docker/dockerfile:1` fetches the newest stable 1.x frontend before building, a full version such as `docker/dockerfile:1.9` pins the behaviour, and a `-labs` tag enables labs-only features. Without it the builder's bundled frontend is used. BuildKit also recognises `// syntax=` and a JSON `{\"syntax\": ...}` line, and the build argument `BUILDKIT_SYNTAX` overrides it.",
        example: "# syntax=docker/dockerfile:1",
        url: "https://docs.docker.com/reference/dockerfile/#syntax",
        min_version: None,
        values: &[
            "docker/dockerfile:1",
            "docker/dockerfile:1-labs",
            "docker/dockerfile-upstream:master",
        ],
    },
    DirectiveDoc {
        name: "escape",
        summary: "Sets the escape character to a backslash (the default) or a backtick.",
        syntax: &["# escape=\\", "# escape=`"],
        details: "The escape character quotes the next character and, at the end of a line, continues the instruction on the next line. A backtick suits Windows, where `\\` separates path components. In `RUN` commands it only acts at the end of a line.",
        example: "# escape=`",
        url: "https://docs.docker.com/reference/dockerfile/#escape",
        min_version: None,
        values: &["\\", "`"],
    },
    DirectiveDoc {
        name: "check",
        summary: "Configures how BuildKit's build checks run for this Dockerfile.",
        syntax: &["# check=skip=<rules|all>;error=<bool>;experimental=<rules|all>"],
        details: "Options are separated by `;`. `skip` disables rules, `error=true` makes any check warning fail the build, and `experimental` enables experimental rules, which `skip` never affects. Rule names are case-sensitive PascalCase. The build argument `BUILDKIT_DOCKERFILE_CHECK` takes the same value.",
        example: "# check=skip=JSONArgsRecommended;error=true",
        url: "https://docs.docker.com/reference/dockerfile/#check",
        min_version: Some("1.8"),
        values: &["skip=all", "error=true", "experimental=all"],
    },
];

static CHECK_OPTIONS: [CheckOptionDoc; 3] = [
    CheckOptionDoc {
        name: "skip",
        value: "<Rule>[,<Rule>...] | all",
        summary: "Rules that should not run; `all` turns off every non-experimental rule.",
        example: "# check=skip=StageNameCasing,FromAsCasing",
    },
    CheckOptionDoc {
        name: "error",
        value: "<bool>",
        summary: "When true, the build fails if any check reports a problem.",
        example: "# check=error=true",
    },
    CheckOptionDoc {
        name: "experimental",
        value: "<Rule>[,<Rule>...] | all",
        summary: "Experimental rules to run in addition to the stable ones.",
        example: "# check=experimental=InvalidDefinitionDescription",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_documented() {
        assert_eq!(directives().len(), 3);
        for doc in directives() {
            assert_eq!(directive(&doc.name.to_ascii_uppercase()), Some(doc));
            assert!(!doc.summary.contains('\n') && !doc.details.contains('\n'));
            assert!(doc.example.starts_with(&format!("# {}=", doc.name)));
            for form in doc.syntax {
                assert!(form.starts_with(&format!("# {}=", doc.name)), "{form}");
            }
            assert_eq!(
                doc.url,
                format!("https://docs.docker.com/reference/dockerfile/#{}", doc.name)
            );
            assert!(!doc.values.is_empty());
        }
        assert!(directive("unknown").is_none());
        assert_eq!(directive("check").unwrap().min_version, Some("1.8"));
        let escape = directive("escape").unwrap();
        let allowed: Vec<String> = ESCAPE_CHARACTERS.iter().map(char::to_string).collect();
        assert_eq!(escape.values, allowed);
    }

    #[test]
    fn check_options_are_case_sensitive() {
        let names: Vec<_> = check_options().iter().map(|o| o.name).collect();
        assert_eq!(names, ["skip", "error", "experimental"]);
        assert!(check_option("skip").is_some());
        assert!(check_option("Skip").is_none());
        for option in check_options() {
            assert!(option.example.starts_with("# check="));
            assert!(option.example.contains(option.name));
        }
    }
}
