//! Suppressions and check configuration, resolved once per file before any rule runs.
//!
//! BuildKit's configuration comes from the `# check=` directive (or, replacing it, the
//! `checks.*` settings or a `BUILDKIT_DOCKERFILE_CHECK` build argument), and a `# check=`
//! comment directly above an instruction adds to it for that instruction alone. Other
//! groups add their own sources (registered in the registry) through [`SuppressionsBuilder`]:
//! codes skipped in the whole file or at one instruction.

use super::{CheckOptions, Cx, Group, RuleInfo};

/// The resolved configuration of one file.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    /// BuildKit's options for the file.
    file: CheckOptions,
    /// BuildKit's options where a local `# check=` comment adds to them, by instruction.
    local: Vec<(usize, CheckOptions)>,
    /// Other groups: codes skipped everywhere.
    file_codes: Vec<String>,
    /// Other groups: codes skipped at one instruction.
    local_codes: Vec<(usize, Vec<String>)>,
}

/// Collects what a suppression source (e.g. `# hadolint ignore=`) finds.
#[derive(Debug, Default)]
pub struct SuppressionsBuilder {
    file_codes: Vec<String>,
    local_codes: Vec<(usize, Vec<String>)>,
}

impl SuppressionsBuilder {
    /// Skips `code` (a rule id or alias) in the whole file.
    pub fn skip_file(&mut self, code: impl Into<String>) {
        self.file_codes.push(code.into());
    }

    /// Skips `code` at instruction `index`.
    pub fn skip_at(&mut self, index: usize, code: impl Into<String>) {
        match self.local_codes.iter_mut().find(|(i, _)| *i == index) {
            Some((_, codes)) => codes.push(code.into()),
            None => self.local_codes.push((index, vec![code.into()])),
        }
    }
}

impl Suppressions {
    /// Reads the file's configuration: BuildKit's, then every registered source's.
    pub fn resolve(cx: &Cx) -> Suppressions {
        let file = match cx.inputs.check_override() {
            Some(options) => options,
            None => CheckOptions::from_directive(cx.model).unwrap_or_default(),
        };
        let mut local = Vec::new();
        for index in 0..cx.model.instructions.len() {
            if let Some(options) = local_options(cx, index) {
                local.push((index, file.merged(&options)));
            }
        }
        let mut builder = SuppressionsBuilder::default();
        for source in super::registry::SUPPRESSION_SOURCES {
            source(cx, &mut builder);
        }
        builder.local_codes.sort_by_key(|(i, _)| *i);
        Suppressions {
            file,
            local,
            file_codes: builder.file_codes,
            local_codes: builder.local_codes,
        }
    }

    /// BuildKit's options for the file (`error=true` makes every finding fail the build).
    pub fn buildkit(&self) -> &CheckOptions {
        &self.file
    }

    /// BuildKit's options at instruction `index` (the file's, plus a local comment's).
    pub fn buildkit_at(&self, index: Option<usize>) -> &CheckOptions {
        index
            .and_then(|i| {
                self.local
                    .binary_search_by_key(&i, |(j, _)| *j)
                    .ok()
                    .map(|k| &self.local[k].1)
            })
            .unwrap_or(&self.file)
    }

    /// Whether an experimental rule is enabled anywhere in the file (so it must run).
    pub fn may_run(&self, id: &str) -> bool {
        self.file.may_enable(id) || self.local.iter().any(|(_, o)| o.may_enable(id))
    }

    /// Whether a finding of `info` at instruction `index` (`None`: outside any instruction)
    /// is suppressed. A rule that does not honour local configuration looks at the file's.
    pub fn suppressed(&self, info: &RuleInfo, index: Option<usize>) -> bool {
        let index = index.filter(|_| info.local_config);
        let id: &str = &info.id;
        let aliases: Vec<&str> = super::aliases(id).collect();
        let codes = || std::iter::once(id).chain(aliases.iter().copied());
        if info.group == Group::Buildkit
            && !self.buildkit_at(index).reports(&info.id, info.experimental)
        {
            return true;
        }
        if self.file_codes.iter().any(|c| codes().any(|id| id == c)) {
            return true;
        }
        index.is_some_and(|i| {
            self.local_codes
                .binary_search_by_key(&i, |(j, _)| *j)
                .ok()
                .is_some_and(|k| {
                    self.local_codes[k]
                        .1
                        .iter()
                        .any(|c| codes().any(|id| id == c))
                })
        })
    }
}

/// The options of the first `# check=` comment above instruction `index`, if it can be read
/// (`WithMergedConfigFromComments`: a comment that names the directive but cannot be read
/// leaves the configuration as it is).
fn local_options(cx: &Cx, index: usize) -> Option<CheckOptions> {
    let comments = cx.comments(index);
    let value = comments.iter().find_map(|c| {
        // Most comments are prose: only one that starts with the directive's name can be it.
        if !c
            .text
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("check"))
        {
            return None;
        }
        // The comment's text read as a directive line without its `#`.
        let d = crate::model::parse_directive(&format!("#{}", c.text), 0)?;
        (d.name == "check").then_some(d.value)
    })?;
    CheckOptions::parse(CheckOptions::directive_value(&value)).ok()
}
