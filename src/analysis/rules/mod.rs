//! The rule engine: every diagnostic comes from a rule.
//!
//! A rule has a stable id (its diagnostic code: `StageNameCasing`, `unknown-instruction`), a
//! [`Group`] (`buildkit` for BuildKit's build checks, `dockerfile-ls` for our own), a default
//! severity, an explanation in our words, a documentation link and, when the repair is
//! mechanical, a fix. Rules read the semantic model through [`Cx`] and report through [`Emit`];
//! they never parse text or comments themselves.
//!
//! One run ([`run`]) goes: resolve the file's configuration once ([`Suppressions`]: the
//! `# check=` directive or the `checks.*` settings, per-instruction `# check=` comments, and
//! whatever later groups add), run every rule's check, then drop what is suppressed and apply
//! the configured severities ([`Severities`], the `diagnostics.rules` setting).
//!
//! Adding a rule: one file with a `pub static RULE: Rule` and its check, and one line in
//! [`registry`]. A family that finds many codes in one pass (our own group does) registers a
//! [`Family`] instead; a group whose codes are open-ended (ShellCheck's `SC2086`) registers
//! [`DynamicRules`], whose findings arrive from elsewhere and are merged by the caller.

pub mod advice;
pub mod buildkit;
pub mod check_options;
mod context;
pub mod dockerfile_ls;
mod emit;
mod engine;
pub mod hadolint;
pub mod ignore;
mod incremental;
mod registry;
mod severities;
pub mod shellcheck;
mod suppress;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

pub use check_options::CheckOptions;
pub use context::{BaseImages, BuildContext, Cx, ImageConfig, Inputs};
pub(crate) use emit::in_source_order;
pub use emit::{Emit, Fix, Found, Scope};
pub use engine::{configure_found_elsewhere, run};
pub use incremental::Memo;
pub use severities::{Level, Severities};
pub use suppress::{Suppressions, SuppressionsBuilder};

use super::types::{Code, DiagnosticTag, Severity};

/// Where a rule comes from. Severity can be configured per group as well as per rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// Our own diagnostics: what BuildKit refuses before a build starts, and more.
    DockerfileLs,
    /// BuildKit's build checks (`docker build --check`), with BuildKit's names.
    Buildkit,
    /// hadolint's DL rules, with hadolint's ids.
    Hadolint,
    /// ShellCheck's findings on RUN scripts (`SC2086`).
    ShellCheck,
    /// Our advice about the build cache.
    Advice,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::DockerfileLs,
        Group::Buildkit,
        Group::Hadolint,
        Group::ShellCheck,
        Group::Advice,
    ];

    /// The name used in settings (`diagnostics.rules`) and as the diagnostic's `source`.
    pub fn name(self) -> &'static str {
        match self {
            Group::DockerfileLs => "dockerfile-ls",
            Group::Buildkit => "buildkit",
            Group::Hadolint => "hadolint",
            Group::ShellCheck => "shellcheck",
            Group::Advice => "advice",
        }
    }

    pub fn from_name(name: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.name() == name)
    }

    /// One line about the group, for `dockerfile-ls rules`.
    pub fn description(self) -> &'static str {
        match self {
            Group::DockerfileLs => {
                "dockerfile-ls's own checks: what BuildKit refuses before a build starts, and mistakes it lets through"
            }
            Group::Buildkit => {
                "BuildKit's build checks, as `docker build --check` reports them, configured with `# check=`"
            }
            Group::Hadolint => {
                "hadolint's best-practice rules (DL3000-DL4006), read from the shell model of each RUN"
            }
            Group::ShellCheck => {
                "ShellCheck's findings on RUN scripts, when shellcheck is installed"
            }
            Group::Advice => "dockerfile-ls's advice about the build cache",
        }
    }
}

/// The check a rule runs over a file.
pub type CheckFn = fn(&Cx, &mut Emit);

/// One rule: its metadata next to its check.
#[derive(Debug)]
pub struct Rule {
    /// The diagnostic code; for BuildKit's rules, BuildKit's name (case-sensitive).
    pub id: &'static str,
    pub group: Group,
    /// The severity unless configured otherwise.
    pub severity: Severity,
    /// One sentence: what the rule expects.
    pub summary: &'static str,
    /// A few sentences of markdown, in our words: what it finds, why it matters, what to do.
    pub explanation: &'static str,
    /// The documentation page.
    pub url: Option<&'static str>,
    /// Experimental rules run only when enabled (BuildKit's `# check=experimental=`).
    pub experimental: bool,
    /// Tags for editors (strike-through for deprecated, faded for unnecessary code).
    pub tags: &'static [DiagnosticTag],
    /// What the quick fix does, when there is one (for documentation).
    pub fix: Option<&'static str>,
    /// Whether the fix is safe, i.e. applied by `check --fix`: it cannot change what the
    /// build does nor guess what the author meant (casing, blank lines, a form BuildKit
    /// refuses rewritten into the one it accepts). A "did you mean" stays an editor action.
    pub safe_fix: bool,
    /// Whether a `# check=` comment directly above an instruction applies to findings there.
    /// BuildKit honours those for most rules, but decides some file-wide (instruction casing,
    /// stage names, empty continuations, default ARGs in FROM, the base image's platform).
    pub local_config: bool,
    /// The check; `None` for a rule reported by its family's pass.
    pub check: Option<CheckFn>,
    /// Whether the check is stage-local: it visits only the instructions of [`Cx::window`],
    /// and what it finds in a stage depends on that stage's instructions and the file's
    /// context alone (see [`incremental`]).
    pub stage_local: bool,
}

impl Rule {
    /// A BuildKit build check: warning, local `# check=` comments honoured; the summary, link
    /// and experimental flag come from the catalog ([`crate::catalog::checks`]).
    pub const fn buildkit(id: &'static str, explanation: &'static str, check: CheckFn) -> Rule {
        Rule {
            id,
            group: Group::Buildkit,
            severity: Severity::Warning,
            summary: "",
            explanation,
            url: None,
            experimental: false,
            tags: &[],
            fix: None,
            safe_fix: false,
            local_config: true,
            check: Some(check),
            stage_local: true,
        }
    }

    /// One of our own codes, reported by the `dockerfile-ls` family's pass.
    pub const fn own(id: &'static str, severity: Severity, summary: &'static str) -> Rule {
        Rule {
            id,
            group: Group::DockerfileLs,
            severity,
            summary,
            explanation: "",
            url: None,
            experimental: false,
            tags: &[],
            fix: None,
            safe_fix: false,
            local_config: true,
            check: None,
            stage_local: false,
        }
    }

    /// Everything known about the rule, with the catalog's data filled in.
    pub fn info(&'static self) -> RuleInfo {
        let doc = match self.group {
            Group::Buildkit => crate::catalog::check(self.id),
            _ => None,
        };
        let url = match (self.url, doc) {
            (Some(url), _) => Some(Cow::Borrowed(url)),
            (None, Some(doc)) => doc.url.map(Cow::Borrowed),
            (None, None) if self.group == Group::DockerfileLs => {
                Some(Cow::Owned(dockerfile_ls::url(self.id)))
            }
            (None, None) => None,
        };
        RuleInfo {
            id: Cow::Borrowed(self.id),
            group: self.group,
            severity: self.severity,
            summary: match doc {
                Some(doc) if self.summary.is_empty() => doc.description,
                _ => self.summary,
            },
            explanation: self.explanation,
            url,
            experimental: self.experimental || doc.is_some_and(|d| d.experimental),
            tags: self.tags,
            fix: self.fix,
            safe_fix: self.safe_fix,
            local_config: self.local_config,
        }
    }
}

/// A family: passes that report many codes (each still a [`Rule`], with its metadata).
#[derive(Debug)]
pub struct Family {
    pub rules: &'static [Rule],
    /// Its pass over the whole file, if it has one.
    pub check: Option<CheckFn>,
    /// Its stage-local pass, if it has one: it visits only the instructions of
    /// [`Cx::window`], and what it finds in a stage depends on that stage's instructions
    /// and the file's context alone (see [`incremental`]).
    pub local: Option<CheckFn>,
}

/// Rules whose codes are open-ended and whose findings come from elsewhere (a tool run in
/// the background), e.g. ShellCheck's `SC2086`: one entry describes them all.
#[derive(Debug)]
pub struct DynamicRules {
    pub group: Group,
    /// Whether `code` is one of them.
    pub matches: fn(&str) -> bool,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    /// The documentation page of one code.
    pub url: fn(&str) -> String,
}

/// What is known about the rule behind a code, for hover, `dockerfile-ls rules`, the CLI's
/// output formats and the LSP layer (`codeDescription`, `source`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: Code,
    pub group: Group,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub url: Option<Cow<'static, str>>,
    pub experimental: bool,
    pub tags: &'static [DiagnosticTag],
    pub fix: Option<&'static str>,
    pub safe_fix: bool,
    pub local_config: bool,
}

/// Every static rule, in the registry's order (families' rules after their family's place).
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    registry::RULES.iter().copied().chain(
        registry::FAMILIES
            .iter()
            .flat_map(|family| family.rules.iter()),
    )
}

/// The rule a code (or one of its aliases) belongs to.
pub fn rule(code: &str) -> Option<&'static Rule> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Rule>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index: HashMap<&'static str, &'static Rule> = rules().map(|r| (r.id, r)).collect();
        for (alias, id) in registry::ALIASES {
            if let Some(rule) = index.get(id).copied() {
                index.insert(alias, rule);
            }
        }
        index
    });
    index.get(code).copied()
}

/// Everything known about a code: a static rule's, or the dynamic family that claims it.
pub fn info(code: &str) -> Option<RuleInfo> {
    if let Some(rule) = rule(code) {
        return Some(rule.info());
    }
    let dynamic = registry::DYNAMIC.iter().find(|d| (d.matches)(code))?;
    Some(RuleInfo {
        id: Cow::Owned(code.to_string()),
        group: dynamic.group,
        severity: dynamic.severity,
        summary: dynamic.summary,
        explanation: dynamic.explanation,
        url: Some(Cow::Owned((dynamic.url)(code))),
        experimental: false,
        tags: &[],
        fix: None,
        safe_fix: false,
        local_config: true,
    })
}

/// The aliases of a rule id (e.g. a hadolint code BuildKit's rule covers).
pub fn aliases(id: &str) -> impl Iterator<Item = &'static str> + '_ {
    registry::ALIASES
        .iter()
        .filter(move |(_, target)| *target == id)
        .map(|(alias, _)| *alias)
}

/// The group a code belongs to; our own when no rule claims it.
pub fn group_of(code: &str) -> Group {
    rule(code)
        .map(|r| r.group)
        .or_else(|| {
            registry::DYNAMIC
                .iter()
                .find(|d| (d.matches)(code))
                .map(|d| d.group)
        })
        .unwrap_or(Group::DockerfileLs)
}

/// The sentence about a rule's quick fix (and whether `check --fix` applies it), for
/// hover, `dockerfile-ls rules` and its reference page.
pub fn fix_sentence(info: &RuleInfo) -> Option<String> {
    let fix = info.fix?;
    let stop = if fix.ends_with('.') { "" } else { "." };
    let safe = if info.safe_fix {
        " Safe: `check --fix` applies it."
    } else {
        ""
    };
    Some(format!("Quick fix: {fix}{stop}{safe}"))
}

/// A rule's documentation as markdown: title, summary, explanation, fix and link. Used by
/// the hover over a diagnostic and by `dockerfile-ls rules RULE`.
pub fn markdown(info: &RuleInfo) -> String {
    let mut out = format!("**{}** · {}", info.id, info.group.name());
    if info.experimental {
        out.push_str(" · *experimental*");
    }
    out.push_str("\n\n");
    out.push_str(info.summary);
    if !info.explanation.is_empty() {
        out.push_str("\n\n");
        out.push_str(info.explanation);
    }
    if let Some(fix) = fix_sentence(info) {
        out.push_str("\n\n");
        out.push_str(&fix);
    }
    if let Some(url) = &info.url {
        out.push_str(&format!("\n\n[Documentation]({url})"));
    }
    out
}

#[cfg(test)]
mod tests;
