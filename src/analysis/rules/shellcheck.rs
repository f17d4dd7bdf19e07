//! ShellCheck's findings on RUN scripts, as diagnostics on the Dockerfile: `SC####` codes
//! with ShellCheck's wiki pages, positions mapped through the shell model's byte map, and
//! `# hadolint ignore=SC2086` honoured.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::hadolint::pragma::Ignores;
use crate::analysis::Snapshot;
use crate::model::Severity;
use crate::shell::Origin;
use crate::shellcheck::{Comment, Level, ShellCheck};
use crate::syntax::InstructionKind;

/// ShellCheck's codes in the rule engine: open-ended, found by a program run elsewhere.
pub static DYNAMIC: crate::analysis::rules::DynamicRules = crate::analysis::rules::DynamicRules {
    group: crate::analysis::rules::Group::ShellCheck,
    matches: is_code,
    severity: Severity::Warning,
    summary: "ShellCheck's finding on the RUN script",
    explanation: "ShellCheck ran on the script this RUN hands to the shell (continuation lines \
        joined, heredoc bodies included) with the variables the Dockerfile defines declared; \
        the finding is mapped back to where the script text is written.",
    url: wiki,
};

/// `SC` and digits.
pub fn is_code(code: &str) -> bool {
    code.strip_prefix("SC")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn wiki(code: &str) -> String {
    format!("https://www.shellcheck.net/wiki/{code}")
}

/// Whether the configuration turns the whole group off, so ShellCheck need not run.
pub fn is_off(inputs: &super::Inputs) -> bool {
    let group = super::Group::ShellCheck;
    inputs.severities.level(group.name(), [], group) == Some(super::Level::Off)
}

/// ShellCheck's findings as diagnostics, for the caller to merge with the engine's (through
/// `configure_found_elsewhere`, which applies suppressions and severities).
pub fn diagnostics(
    snapshot: &Snapshot,
    shellcheck: &ShellCheck,
) -> Vec<crate::analysis::Diagnostic> {
    findings(snapshot, shellcheck)
        .into_iter()
        .map(Finding::into_diagnostic)
        .collect()
}

/// The findings ShellCheck's cache already holds for the scripts of `snapshot`, as
/// diagnostics, and the questions it has no answer to yet (for the caller to ask in the
/// background, then call this again). Runs no program.
pub fn cached_diagnostics(
    snapshot: &Snapshot,
    shellcheck: &ShellCheck,
) -> (Vec<crate::analysis::Diagnostic>, Vec<Question>) {
    let mut missing = Vec::new();
    let found = map_back(snapshot, &jobs(snapshot), |job| {
        let known: Vec<&str> = job.known.iter().map(String::as_str).collect();
        let hit = shellcheck.cached(&job.script.text, job.dialect, &known);
        if hit.is_none() {
            missing.push(Question {
                script: job.script.text.clone(),
                dialect: job.dialect,
                known: job.known.clone(),
            });
        }
        hit
    });
    let diagnostics = found.into_iter().map(Finding::into_diagnostic).collect();
    (diagnostics, missing)
}

/// One script ShellCheck has not answered yet, owned so it can be asked off the caller's
/// thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub script: String,
    pub dialect: crate::shell::Dialect,
    pub known: Vec<String>,
}

impl Question {
    /// Runs ShellCheck on it, which caches the answer (a failure is logged); whether it
    /// found anything to say.
    pub fn ask(&self, shellcheck: &ShellCheck) -> bool {
        let known: Vec<&str> = self.known.iter().map(String::as_str).collect();
        match shellcheck.check(&self.script, self.dialect, &known) {
            Ok(comments) => !comments.is_empty(),
            Err(e) => {
                tracing::warn!("shellcheck: {e}");
                false
            }
        }
    }
}

/// A ShellCheck finding on the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `SC2086`.
    pub code: String,
    pub url: String,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: String,
}

impl Finding {
    fn into_diagnostic(self) -> crate::analysis::Diagnostic {
        crate::analysis::Diagnostic {
            range: self.range,
            severity: self.severity,
            code: self.code.into(),
            message: self.message,
            related: Vec::new(),
            tags: Vec::new(),
        }
    }
}

/// hadolint's mapping of ShellCheck's levels, which ours follows: error → error, warning →
/// warning, info → information, style → hint.
fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Information,
        Level::Style => Severity::Hint,
    }
}

/// One script to check: where it is and what to ask ShellCheck.
struct Job<'a> {
    instruction: usize,
    script: &'a crate::shell::Script,
    dialect: crate::shell::Dialect,
    known: Vec<String>,
}

/// The RUN scripts of `snapshot` that ShellCheck reads (a shell it knows, not exec form).
fn jobs(snapshot: &Snapshot) -> Vec<Job<'_>> {
    let model = &snapshot.model;
    let shell = snapshot.shell();
    let mut jobs = Vec::new();
    for (i, inst) in model.instructions.iter().enumerate() {
        if inst.effective().kind != InstructionKind::Run {
            continue;
        }
        let Some(scripts) = shell.shell(i) else {
            continue;
        };
        for script in &scripts.scripts {
            let dialect = shell.dialect(i, script);
            if script.origin == Origin::Exec || dialect.shellcheck_name().is_none() {
                continue;
            }
            let known = model
                .visible_variables(i)
                .into_iter()
                .map(|d| d.name)
                .collect();
            jobs.push(Job {
                instruction: i,
                script,
                dialect,
                known,
            });
        }
    }
    jobs
}

/// ShellCheck's findings on every RUN script of a shell ShellCheck knows (scripts run in
/// parallel; a script ShellCheck fails on gives none, and the failure is logged).
pub fn findings(snapshot: &Snapshot, shellcheck: &ShellCheck) -> Vec<Finding> {
    let jobs = jobs(snapshot);
    let answers: Vec<Arc<Vec<Comment>>> = jobs
        .par_iter()
        .map(|job| {
            let known: Vec<&str> = job.known.iter().map(String::as_str).collect();
            shellcheck
                .check(&job.script.text, job.dialect, &known)
                .unwrap_or_else(|e| {
                    tracing::warn!("shellcheck: {e}");
                    Arc::default()
                })
        })
        .collect();
    let mut answers = answers.into_iter();
    map_back(snapshot, &jobs, |_| answers.next())
}

/// Maps each job's comments back to the document, dropping those a pragma ignores.
fn map_back(
    snapshot: &Snapshot,
    jobs: &[Job],
    mut answer: impl FnMut(&Job) -> Option<Arc<Vec<Comment>>>,
) -> Vec<Finding> {
    let model = &snapshot.model;
    let ignores = Ignores::read(model, snapshot.text());
    let mut out = Vec::new();
    for job in jobs {
        let Some(comments) = answer(job) else {
            continue;
        };
        let inst = &model.instructions[job.instruction];
        for c in comments.iter() {
            let range = job.script.doc(inst, c.range.clone());
            let code = c.code_name();
            if ignores.ignores(model, range.start, &code) {
                continue;
            }
            out.push(Finding {
                url: c.url(),
                severity: severity(c.level),
                code,
                range,
                message: c.message.clone(),
            });
        }
    }
    out.sort_by(|a, b| (a.range.start, &a.code).cmp(&(b.range.start, &b.code)));
    out
}
