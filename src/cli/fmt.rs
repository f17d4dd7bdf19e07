//! `dockerfile-ls fmt [--check] [--diff] [--stdin-filename NAME] PATH...|-`: formats
//! Dockerfiles in place (atomically), or reports which would change (`--check`), or prints
//! a unified diff (`--diff`). `-` reads standard input and writes the result to standard
//! output. Exit codes: 0 done, 1 `--check` found a file that would change, 2 a usage or
//! I/O error.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::analysis::format::{Because, FormatOptions, Formatted, format_text};
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
    let mut out = std::io::stdout().lock();
    let mut outcomes = Vec::new();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            outcomes.push(stdin(args, &mut out));
            continue;
        }
        for file in files_under(path) {
            match file {
                Ok(file) => outcomes.push(one_file(args, &file, &mut out)),
                Err(e) => {
                    eprintln!("error: {e}");
                    outcomes.push(Outcome::Failed);
                }
            }
        }
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

/// The files a path names: itself, or the Dockerfiles under a directory.
fn files_under(path: &Path) -> Vec<Result<PathBuf, String>> {
    if path.is_dir() {
        return super::discover::dockerfiles(path);
    }
    vec![Ok(path.to_path_buf())]
}

fn stdin(args: &Args, out: &mut impl Write) -> Outcome {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("error: cannot read standard input: {e}");
        return Outcome::Failed;
    }
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("error: {} is not UTF-8", name.display());
        return Outcome::Failed;
    };
    let opts = options_for(args.stdin_filename.as_deref());
    let formatted = format_text(&text, &opts);
    report_kept(&name, &text, &formatted);
    let changed = formatted.text != text;
    if args.check || args.diff {
        report(args, &name, &text, &formatted.text, out);
    } else {
        let _ = out.write_all(formatted.text.as_bytes());
    }
    if changed {
        Outcome::Changed
    } else {
        Outcome::Unchanged
    }
}

fn one_file(args: &Args, path: &Path, out: &mut impl Write) -> Outcome {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                eprintln!("error: {} is not UTF-8", path.display());
                return Outcome::Failed;
            }
        },
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return Outcome::Failed;
        }
    };
    let opts = options_for(Some(path));
    let formatted = format_text(&text, &opts);
    report_kept(path, &text, &formatted);
    if formatted.text == text {
        return Outcome::Unchanged;
    }
    if args.check || args.diff {
        report(args, path, &text, &formatted.text, out);
        return Outcome::Changed;
    }
    match write_atomically(path, &formatted.text) {
        Ok(()) => Outcome::Changed,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            Outcome::Failed
        }
    }
}

/// `--check` names the file; `--diff` prints the diff.
fn report(args: &Args, path: &Path, old: &str, new: &str, out: &mut impl Write) {
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
fn report_kept(path: &Path, text: &str, formatted: &Formatted) {
    let index = LineIndex::new(text);
    for kept in &formatted.kept {
        if kept.because == Because::Suppressed {
            continue;
        }
        let pos = index.position(text, kept.range.start, PositionEncoding::Utf32);
        eprintln!(
            "{}:{}:{}: warning: {}",
            path.display(),
            pos.line + 1,
            pos.character + 1,
            kept.because
        );
    }
}

/// Replaces `path` by a file written beside it, so that a reader never sees half of it and
/// a failure leaves the old file; the old file's permissions are kept.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".dockerfile-ls-fmt")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The options for a file: the defaults, then `.editorconfig` (indent style and size, line
/// width, final newline, trailing whitespace).
pub fn options_for(path: Option<&Path>) -> FormatOptions {
    let mut opts = FormatOptions::default();
    if let Some(path) = path {
        apply_editorconfig(&mut opts, path);
    }
    opts
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
