//! `dockerfile-ls fmt [--check] [--diff] [--stdin-filename NAME] PATH...|-`: formats
//! Dockerfiles in place (atomically), or reports which would change (`--check`), or prints
//! a unified diff (`--diff`). `-` reads standard input and writes the result to standard
//! output. Files are formatted in parallel and reported in the order they were found, as
//! `check` does. Exit codes: 0 done, 1 `--check` found a file that would change, 2 a usage or
//! I/O error.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::discover::{self, Input};
use super::write_back;
use crate::analysis::format::{Because, FormatOptions, Formatted, format_text};
use crate::config::{FormatSettings, ProjectFiles};
use crate::text::{LineIndex, PositionEncoding};

/// What `fmt` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct Args {
    pub check: bool,
    pub diff: bool,
    pub stdin_filename: Option<PathBuf>,
    pub paths: Vec<PathBuf>,
}

/// How one input came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

pub fn run(args: &Args) -> ExitCode {
    let found = match discover::inputs(&args.paths, args.stdin_filename.as_deref()) {
        Ok(found) => found,
        Err(usage) => {
            eprintln!("error: {usage}");
            return ExitCode::from(2);
        }
    };
    let mut outcomes = Vec::new();
    for err in &found.errors {
        eprintln!("error: {err}");
        outcomes.push(Outcome::Failed);
    }
    // Formatted side by side, then reported in the order the files were found.
    let projects = ProjectFiles::default();
    let done: Vec<Done> = found
        .inputs
        .par_iter()
        .map(|input| one(args, input, &projects))
        .collect();
    let mut reported = HashSet::new();
    let mut out = std::io::stdout().lock();
    for done in done {
        if let Some((path, problems)) = done.project_warnings
            && reported.insert(path)
        {
            for p in problems {
                eprintln!("warning: {p}");
            }
        }
        eprint!("{}", done.stderr);
        let _ = out.write_all(&done.stdout);
        outcomes.push(done.outcome);
    }
    let _ = out.flush();
    if outcomes.contains(&Outcome::Failed) {
        ExitCode::from(2)
    } else if args.check && outcomes.contains(&Outcome::Changed) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One input, formatted: how it came out and what to print for it.
struct Done {
    outcome: Outcome,
    /// The project file's path and its warnings, printed once per project file.
    project_warnings: Option<(PathBuf, Vec<String>)>,
    stderr: String,
    stdout: Vec<u8>,
}

/// Formats one input: standard input to standard output, a file in place (or reported).
fn one(args: &Args, input: &Input, projects: &ProjectFiles) -> Done {
    let mut done = Done {
        outcome: Outcome::Failed,
        project_warnings: None,
        stderr: String::new(),
        stdout: Vec::new(),
    };
    done.outcome = format_one(args, input, projects, &mut done);
    done
}

fn format_one(args: &Args, input: &Input, projects: &ProjectFiles, done: &mut Done) -> Outcome {
    let name = PathBuf::from(input.name());
    let opts = match options_for(&input.config_path(), projects) {
        Ok((opts, warnings)) => {
            done.project_warnings = warnings;
            opts
        }
        Err(e) => {
            let _ = writeln!(done.stderr, "error: {e}");
            return Outcome::Failed;
        }
    };
    let text = match read(input) {
        Ok(text) => text,
        Err(e) => {
            let _ = writeln!(done.stderr, "error: {e}");
            return Outcome::Failed;
        }
    };
    let formatted = format_text(&text, &opts);
    report_kept(&name, &text, &formatted, &mut done.stderr);
    let changed = formatted.text != text;
    let stdin = matches!(input, Input::Stdin(_));
    if args.check || args.diff {
        report(args, &name, &text, &formatted.text, &mut done.stdout);
    } else if stdin {
        done.stdout = formatted.text.into_bytes();
    } else if changed
        && let Input::File(path) = input
        && let Err(e) = write_back::replace(path, &formatted.text)
    {
        let _ = writeln!(done.stderr, "error: cannot write {}: {e}", path.display());
        return Outcome::Failed;
    }
    if changed {
        Outcome::Changed
    } else {
        Outcome::Unchanged
    }
}

/// The text of an input. Unlike `check`, which reads any bytes, the formatter refuses what
/// is not UTF-8: writing it back would replace those bytes.
fn read(input: &Input) -> Result<String, String> {
    let bytes = match input {
        Input::File(path) => std::fs::read(path),
        Input::Stdin(_) => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map(|_| bytes)
        }
    }
    .map_err(|e| format!("cannot read {}: {e}", input.name()))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8", input.name()))
}

/// `--check` names the file; `--diff` prints the diff.
fn report(args: &Args, path: &Path, old: &str, new: &str, out: &mut Vec<u8>) {
    if old == new {
        return;
    }
    if args.diff {
        let name = path.display().to_string();
        let diff = similar::TextDiff::from_lines(old, new);
        let _ = write!(
            out,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
        );
    } else {
        let _ = writeln!(out, "would reformat {}", path.display());
    }
}

/// Warns about every instruction left as written for a reason other than `fmt off`.
fn report_kept(path: &Path, text: &str, formatted: &Formatted, err: &mut String) {
    let index = LineIndex::new(text);
    for kept in &formatted.kept {
        if kept.because == Because::Suppressed {
            continue;
        }
        let pos = index.position(text, kept.range.start, PositionEncoding::Utf32);
        let _ = writeln!(
            err,
            "{}:{}:{}: warning: {}",
            path.display(),
            pos.line + 1,
            pos.character + 1,
            kept.because
        );
    }
}

/// The project file's path and warnings, for [`options_for`].
type ProjectWarnings = Option<(PathBuf, Vec<String>)>;

/// The options for a file: the formatter's defaults, then `.editorconfig` (indent style
/// and size, line width, final newline, trailing whitespace), then the `format` settings of
/// the project file, with that file's warnings. `Err` when the project file cannot be read.
fn options_for(
    path: &Path,
    projects: &ProjectFiles,
) -> Result<(FormatOptions, ProjectWarnings), String> {
    let mut base = FormatOptions::default();
    apply_editorconfig(&mut base, path);
    let project = projects.for_file(path);
    match project.as_ref().map(|p| p.as_ref()) {
        None => Ok((FormatSettings::default().options(base), None)),
        Some(Ok(file)) => {
            let (settings, problems) = file.settings();
            let warnings = Some((file.path.clone(), problems));
            Ok((settings.format.options(base), warnings))
        }
        Some(Err(err)) => Err(err.to_string()),
    }
}

fn apply_editorconfig(opts: &mut FormatOptions, path: &Path) {
    use ec4rs::property::{
        FinalNewline, IndentSize, IndentStyle, MaxLineLen, TabWidth, TrimTrailingWs,
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let Ok(mut props) = ec4rs::properties_of(&absolute) else {
        return;
    };
    props.use_fallbacks();
    if let Ok(style) = props.get::<IndentStyle>() {
        opts.use_tabs = style == IndentStyle::Tabs;
    }
    match props.get::<IndentSize>() {
        Ok(IndentSize::Value(n)) if n > 0 => opts.indent_width = n,
        Ok(IndentSize::UseTabWidth) => {
            if let Ok(TabWidth::Value(n)) = props.get::<TabWidth>()
                && n > 0
            {
                opts.indent_width = n;
            }
        }
        _ => {}
    }
    if let Ok(MaxLineLen::Value(n)) = props.get::<MaxLineLen>() {
        opts.line_width = n;
    }
    if let Ok(FinalNewline::Value(b)) = props.get::<FinalNewline>() {
        opts.insert_final_newline = b;
    }
    if let Ok(TrimTrailingWs::Value(b)) = props.get::<TrimTrailingWs>() {
        opts.trim_trailing_whitespace = b;
    }
}
