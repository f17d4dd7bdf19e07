//! BuildKit's check configuration, `skip=<rules|all>;error=<bool>;experimental=<rules|all>`,
//! read exactly as its `ParseLintOptions` reads it, and merged as its linter merges the
//! configuration of a `# check=` comment above one instruction.

/// One check configuration (the `# check=` directive, a `BUILDKIT_DOCKERFILE_CHECK` build
/// argument, the `checks.*` settings, or a comment above an instruction).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub skip_all: bool,
    /// Rule names as written (case-sensitive, trimmed; an empty name is kept, as BuildKit does).
    pub skip: Vec<String>,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
    /// `error=true`: any finding fails the build.
    pub error: bool,
}

/// Why a configuration cannot be read, with BuildKit's wording and where in the text it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError {
    pub message: String,
    /// The byte range in the text passed to [`CheckOptions::parse`].
    pub range: std::ops::Range<usize>,
}

impl CheckOptions {
    /// `ParseLintOptions`: the text trimmed, split on `;` into at most three parts (the
    /// third keeps any further `;`), each `key=value` with the key trimmed.
    pub fn parse(text: &str) -> Result<CheckOptions, OptionsError> {
        let mut options = CheckOptions::default();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(options);
        }
        let base = text.len() - text.trim_start().len();
        for (part, start) in split_n(trimmed, ';', 3) {
            let start = base + start;
            let Some((key, value)) = part.split_once('=') else {
                return Err(OptionsError {
                    message: format!("invalid check option {}", go_quote(part)),
                    range: start..start + part.len(),
                });
            };
            let value_start = start + key.len() + 1;
            match key.trim() {
                "skip" => read_rules(value, &mut options.skip_all, &mut options.skip),
                "experimental" => read_rules(
                    value,
                    &mut options.experimental_all,
                    &mut options.experimental,
                ),
                "error" => match crate::analysis::diagnostics::parse_go_bool(value.trim()) {
                    Some(b) => options.error = b,
                    None => {
                        return Err(OptionsError {
                            message: format!(
                                "failed to parse check option {}: strconv.ParseBool: parsing {}: invalid syntax",
                                go_quote(part),
                                go_quote(value.trim())
                            ),
                            range: value_start..value_start + value.len(),
                        });
                    }
                },
                other => {
                    let lead = key.len() - key.trim_start().len();
                    return Err(OptionsError {
                        message: format!("invalid check option {}", go_quote(other)),
                        range: start + lead..start + lead + other.len(),
                    });
                }
            }
        }
        Ok(options)
    }

    /// The options of a file's `# check=` directive, as BuildKit reads them (the value up to
    /// its first space). `None` when there is none or it cannot be read (BuildKit then
    /// refuses the file, which is reported on its own).
    pub fn from_directive(model: &crate::model::Model) -> Option<CheckOptions> {
        let d = model.directives.iter().find(|d| d.name == "check")?;
        CheckOptions::parse(CheckOptions::directive_value(&d.value)).ok()
    }

    /// The value of a `check` directive as BuildKit uses it: up to its first space.
    pub fn directive_value(value: &str) -> &str {
        value.split(' ').next().unwrap_or("")
    }

    /// `WithMergedConfig`: a comment above an instruction can add skipped and experimental
    /// rules, never remove them; `error=` is the file's alone.
    pub fn merged(&self, local: &CheckOptions) -> CheckOptions {
        let mut out = self.clone();
        out.skip_all |= local.skip_all;
        out.experimental_all |= local.experimental_all;
        out.skip.extend(local.skip.iter().cloned());
        out.experimental.extend(local.experimental.iter().cloned());
        out
    }

    /// Whether a finding of rule `id` is reported (`Linter.Run`): an experimental rule only
    /// when enabled, and then whatever `skip` says; any other rule unless skipped.
    pub fn reports(&self, id: &str, experimental: bool) -> bool {
        if experimental {
            self.experimental_all || self.experimental.iter().any(|r| r == id)
        } else {
            !(self.skip_all || self.skip.iter().any(|r| r == id))
        }
    }

    /// Whether experimental rule `id` could be enabled here or anywhere below.
    pub fn may_enable(&self, id: &str) -> bool {
        self.experimental_all || self.experimental.iter().any(|r| r == id)
    }
}

/// `skip=` or `experimental=`: `all`, or a comma-separated list of trimmed names.
fn read_rules(value: &str, all: &mut bool, list: &mut Vec<String>) {
    let value = value.trim();
    if value == "all" {
        *all = true;
    } else {
        // BuildKit replaces the list with the last `skip=` it sees.
        *list = value.split(',').map(|r| r.trim().to_string()).collect();
    }
}

/// Go's `strings.SplitN`: the pieces and where each starts.
pub(crate) fn split_n(s: &str, sep: char, n: usize) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while out.len() + 1 < n {
        let Some(i) = s[start..].find(sep) else { break };
        out.push((&s[start..start + i], start));
        start += i + sep.len_utf8();
    }
    out.push((&s[start..], start));
    out
}

fn go_quote(s: &str) -> String {
    crate::model::go_quote::go_quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_parse_lint_options() {
        let o = CheckOptions::parse("skip=A, B;error=true;experimental=all").unwrap();
        assert_eq!(o.skip, ["A", "B"]);
        assert!(o.error && o.experimental_all && !o.skip_all);
        assert_eq!(CheckOptions::parse("  ").unwrap(), CheckOptions::default());
        assert!(CheckOptions::parse("skip=all").unwrap().skip_all);
        let err = CheckOptions::parse("skip").unwrap_err();
        assert_eq!(err.message, "invalid check option \"skip\"");
        let err = CheckOptions::parse("skipp=all").unwrap_err();
        assert_eq!(err.message, "invalid check option \"skipp\"");
        assert_eq!(err.range, 0..5);
        let err = CheckOptions::parse("error=maybe").unwrap_err();
        assert!(
            err.message
                .starts_with("failed to parse check option \"error=maybe\"")
        );
        // A trailing `;` leaves an empty option, which has no `=`.
        assert!(CheckOptions::parse("skip=A;").is_err());
        // The third part keeps its `;`: `experimental=a;b` is one list item `a;b`.
        let o = CheckOptions::parse("skip=A;error=false;experimental=x;y").unwrap();
        assert_eq!(o.experimental, ["x;y"]);
    }

    #[test]
    fn skip_never_disables_experimental_rules() {
        let o = CheckOptions::parse("skip=all;experimental=X").unwrap();
        assert!(o.reports("X", true));
        assert!(!o.reports("Y", true));
        assert!(!o.reports("Y", false));
        let local = CheckOptions::parse("skip=Y").unwrap();
        let file = CheckOptions::parse("error=true").unwrap();
        let merged = file.merged(&local);
        assert!(!merged.reports("Y", false) && merged.reports("Z", false) && merged.error);
        assert_eq!(CheckOptions::directive_value("skip=all // why"), "skip=all");
    }
}
