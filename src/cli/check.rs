//! `dockerfile-ls check [--format human|json|sarif|github] [--fail-level …] [--fix]
//! [--stdin-filename NAME] [PATH...|-]`: the editor's diagnostics, for people and CI.
//!
//! Files are found by [`discover`], analysed in parallel with the settings of their project
//! file, and reported in path order. Exit codes: 0 nothing reaches the fail level, 1
//! something does, 2 a usage error or a file or project configuration that could not be
//! read (or written, with `--fix`).

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::discover::{self, Input};
use super::report::{self, FileReport, Finding, Format};
use super::write_back;
use crate::analysis::fix_all::{MAX_ROUNDS, fix_all};
use crate::analysis::rules::{self, BuildContext, Found, Inputs, Scope};
use crate::analysis::{Severity, Snapshot};
use crate::config::{self, Loaded, ProjectFiles, Settings};

/// The lowest severity that makes `check` fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    /// Never fail because of findings (only for errors reading files).
    None,
}

impl FailLevel {
    /// Whether a finding of `severity` reaches this level. Hints never do.
    pub fn reached_by(self, severity: Severity) -> bool {
        let rank = |s: Severity| match s {
            Severity::Error => 3,
            Severity::Warning => 2,
            Severity::Information => 1,
            Severity::Hint => 0,
        };
        let threshold = match self {
            FailLevel::Error => 3,
            FailLevel::Warning => 2,
            FailLevel::Info => 1,
            FailLevel::None => return false,
        };
        rank(severity) >= threshold
    }
}

/// What the command line asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub fail_level: FailLevel,
    pub stdin_filename: Option<PathBuf>,
    pub fix: bool,
    /// Run ShellCheck on RUN scripts when it is on PATH.
    pub shellcheck: bool,
}

/// One input, checked.
struct Checked {
    input: Input,
    project: Option<Loaded>,
    outcome: Result<Outcome, String>,
}

struct Outcome {
    report: FileReport,
    /// Fixes applied with `--fix`.
    fixed: usize,
    /// `--fix` stopped with safe fixes left (see `fix_all`).
    unsettled: bool,
}

pub fn run(options: &Options) -> ExitCode {
    let found = match discover::inputs(&options.paths, options.stdin_filename.as_deref()) {
        Ok(found) => found,
        Err(usage) => {
            eprintln!("error: {usage}");
            return ExitCode::from(2);
        }
    };
    let mut broken = !found.errors.is_empty();
    for err in &found.errors {
        eprintln!("error: {err}");
    }
    let projects = ProjectFiles::default();
    let checked: Vec<Checked> = found
        .inputs
        .into_par_iter()
        .map(|input| check_one(input, &projects, options))
        .collect();

    let mut reported = HashSet::new();
    let mut reports = Vec::with_capacity(checked.len());
    let mut fixed = (0, 0);
    let mut stdin_text = None;
    for c in checked {
        if let Some(project) = &c.project
            && reported.insert(Arc::as_ptr(project))
        {
            report_project(project);
        }
        match c.outcome {
            Ok(outcome) => {
                if outcome.unsettled {
                    eprintln!(
                        "warning: {}: safe fixes were still left after {MAX_ROUNDS} rounds; the file is as the last round left it",
                        c.input.name()
                    );
                }
                if outcome.fixed > 0 {
                    fixed.0 += outcome.fixed;
                    fixed.1 += 1;
                }
                if options.fix && matches!(c.input, Input::Stdin(_)) {
                    stdin_text = Some(outcome.report.text.clone());
                }
                reports.push(outcome.report);
            }
            Err(message) => {
                broken = true;
                if !message.is_empty() {
                    eprintln!("error: {message}");
                }
            }
        }
    }

    let written = match stdin_text {
        // `check --fix -`: the fixed text is the output; findings go to stderr.
        Some(text) => io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .and_then(|()| {
                let color = wants_color(&io::stderr());
                write_findings(options.format, &reports, &mut io::stderr().lock(), color)
            }),
        None => {
            let color = wants_color(&io::stdout());
            write_findings(options.format, &reports, &mut io::stdout().lock(), color)
        }
    };
    if let Err(e) = written
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the report: {e}");
        broken = true;
    }
    if fixed.0 > 0 {
        let (n, files) = fixed;
        eprintln!(
            "fixed {n} {} in {files} {}",
            if n == 1 { "problem" } else { "problems" },
            if files == 1 { "file" } else { "files" }
        );
    }

    let failed = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| options.fail_level.reached_by(f.severity));
    if broken {
        ExitCode::from(2)
    } else if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes in `format`; `human` in colour when the stream is a terminal that takes colours.
fn write_findings(
    format: Format,
    reports: &[FileReport],
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    report::write(format, reports, out, color)
}

/// Whether to colour what goes to `stream`: a terminal, unless `NO_COLOR` (or `CLICOLOR=0`,
/// or `TERM=dumb`) says otherwise; `CLICOLOR_FORCE` forces it. As `anstream` decides.
pub fn wants_color(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// Prints what in a project file could not be used, once per file.
fn report_project(project: &Loaded) {
    match project.as_ref() {
        Ok(file) => {
            for problem in file.settings().1 {
                eprintln!("warning: {problem}");
            }
        }
        Err(err) => eprintln!("error: {err}"),
    }
}

/// The rule engine's inputs for `input`: its settings, and the build context of the file it
/// is (or is named as, for standard input), whose `.dockerignore` CopyIgnoredFile reads.
fn inputs(input: &Input, settings: &Settings) -> Inputs {
    let context = match input {
        Input::File(path) | Input::Stdin(Some(path)) => {
            let dir = config::build_context_dir(settings, path);
            Some(Arc::new(BuildContext::load(path, dir.as_deref())))
        }
        Input::Stdin(None) => None,
    };
    let mut inputs = config::rule_inputs(settings, context);
    if let Input::File(path) | Input::Stdin(Some(path)) = input {
        inputs.hadolint = config::hadolint_config(path).unwrap_or_else(|e| {
            eprintln!("warning: hadolint configuration: {e}");
            None
        });
    }
    inputs
}

fn check_one(input: Input, projects: &ProjectFiles, options: &Options) -> Checked {
    let project = projects.for_file(&input.config_path());
    let outcome = analyse(&input, project.as_ref(), options);
    Checked {
        input,
        project,
        outcome,
    }
}

/// Reads, fixes (with `fix`) and analyses one input. An `Err` with an empty message is a
/// broken project file, reported once by the caller.
fn analyse(input: &Input, project: Option<&Loaded>, options: &Options) -> Result<Outcome, String> {
    let fix = options.fix;
    let settings = match project.map(|p| p.as_ref()) {
        Some(Err(_)) => return Err(String::new()),
        Some(Ok(file)) => file.settings().0,
        None => Settings::default(),
    };
    let inputs = inputs(input, &settings);
    // A file that --fix may rewrite must be read as it is: replacing bytes that are not
    // UTF-8 would change more than the fixes.
    let read = if fix { input.read_utf8() } else { input.read() };
    let mut text = read.map_err(|e| e.to_string())?;
    let mut fixed = 0;
    let mut unsettled = false;
    if fix {
        let result = fix_all(&text, &inputs);
        if result.text != text {
            if let Input::File(path) = input {
                write_back::replace(path, &result.text)
                    .map_err(|e| format!("{}: cannot write the fixed file: {e}", input.name()))?;
            }
            text = result.text;
        }
        fixed = result.applied;
        unsettled = !result.converged;
    }
    let findings = if settings.diagnostics.enable {
        let snapshot = Snapshot::new(text.as_str());
        let mut findings: Vec<Finding> = rules::run(&snapshot, &inputs)
            .into_iter()
            .map(Finding::from_found)
            .collect();
        // ShellCheck from PATH only: `shellcheck.path` is the editor's (a project file must
        // not choose a program to run).
        if options.shellcheck
            && settings.shellcheck.enable
            && !rules::shellcheck::is_off(&inputs)
            && let Some(program) = crate::shellcheck::from_path()
        {
            let found = rules::shellcheck::diagnostics(&snapshot, program);
            let found = rules::configure_found_elsewhere(&snapshot, &inputs, found);
            findings.extend(found.into_iter().map(|diagnostic| {
                Finding::from_found(Found {
                    diagnostic,
                    fix: None,
                    scope: Scope::Here,
                })
            }));
            findings.sort_by_key(|f| (f.range.start, f.range.end));
        }
        findings
    } else {
        Vec::new()
    };
    Ok(Outcome {
        report: FileReport::new(input.name(), text, findings),
        fixed,
        unsettled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_levels() {
        use Severity::*;
        let reached = |level: FailLevel| {
            [Error, Warning, Information, Hint]
                .into_iter()
                .filter(|&s| level.reached_by(s))
                .count()
        };
        assert_eq!(reached(FailLevel::Error), 1);
        assert_eq!(reached(FailLevel::Warning), 2);
        assert_eq!(reached(FailLevel::Info), 3);
        assert_eq!(reached(FailLevel::None), 0);
    }
}
