//! A simple command of a script: its name, its words, and its flags as a tool reads them.

use std::ops::Range;

/// A word of a command as the program receives it (see `bash::simplify`), and where it is
/// written in the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub range: Range<usize>,
    /// Whether the value is known before the script runs (no expansion or substitution).
    pub literal: bool,
}

/// A flag read from an argument: `-abc` gives `a`, `b` and `c`, `--name=value` gives `name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagName {
    pub name: String,
    /// The argument it was read from (index into [`ShellCommand::args`]).
    pub arg: usize,
}

/// A simple command: `NAME=value name arg...` with its redirections left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCommand {
    /// Its position among the script's commands.
    pub index: usize,
    /// The program that runs, when the first word is a literal: the word itself, or for
    /// `busybox`, `builtin`, `command` and `exec` the program they run (as ShellCheck reads
    /// it, so `command -v x` stays `command`).
    pub name: Option<String>,
    /// The first word as written.
    pub first: Option<Word>,
    /// The words after the first.
    pub args: Vec<Word>,
    /// Flags read from every argument (no knowledge of which options take a value).
    pub flags: Vec<FlagName>,
    /// Names assigned before the command (`DEBIAN_FRONTEND=noninteractive apt-get …`).
    pub assignments: Vec<String>,
    /// The whole command in the script.
    pub range: Range<usize>,
    /// Inside a subshell, a command substitution, a function, a loop or a condition.
    pub nested: bool,
}

impl ShellCommand {
    pub(crate) fn new(
        index: usize,
        first: Option<Word>,
        args: Vec<Word>,
        assignments: Vec<String>,
        range: Range<usize>,
        nested: bool,
    ) -> ShellCommand {
        let flags = flags_of(&args);
        let name = first
            .as_ref()
            .filter(|w| w.literal)
            .map(|w| effective_name(&w.value, &args));
        ShellCommand {
            index,
            name,
            first,
            args,
            flags,
            assignments,
            range,
            nested,
        }
    }

    /// A command read from an exec-form array (no shell involved): each element is a word.
    pub(crate) fn from_argv(index: usize, argv: Vec<Word>, range: Range<usize>) -> ShellCommand {
        let mut argv = argv.into_iter();
        let first = argv.next();
        ShellCommand::new(index, first, argv.collect(), Vec::new(), range, false)
    }

    /// Whether the program is `name`.
    pub fn is(&self, name: &str) -> bool {
        self.name.as_deref() == Some(name)
    }

    /// Whether the program is one of `names`.
    pub fn is_any(&self, names: &[&str]) -> bool {
        self.name.as_deref().is_some_and(|n| names.contains(&n))
    }

    /// The argument values.
    pub fn arg_values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|w| w.value.as_str())
    }

    /// Whether an argument is exactly `value`.
    pub fn has_arg(&self, value: &str) -> bool {
        self.arg_values().any(|a| a == value)
    }

    /// Whether the program is `name` and one of its arguments is in `values` (hadolint's
    /// `cmdHasArgs`: anywhere among the arguments, not only the first).
    pub fn has_args(&self, name: &str, values: &[&str]) -> bool {
        self.is(name) && self.arg_values().any(|a| values.contains(&a))
    }

    /// Whether the program is one of `names` and one of its arguments is in `values`.
    pub fn any_has_args(&self, names: &[&str], values: &[&str]) -> bool {
        self.is_any(names) && self.arg_values().any(|a| values.contains(&a))
    }

    /// Whether a flag called `name` was read.
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f.name == name)
    }

    /// Whether any flag in `names` was read.
    pub fn has_any_flag(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|f| names.contains(&f.name.as_str()))
    }

    /// How many times a flag called `name` was read.
    pub fn count_flag(&self, name: &str) -> usize {
        self.flags.iter().filter(|f| f.name == name).count()
    }

    /// Whether argument `i` gave a flag.
    pub fn is_flag_arg(&self, i: usize) -> bool {
        self.flags.iter().any(|f| f.arg == i)
    }

    /// The arguments that are not flags, after dropping the value that follows each flag in
    /// `with_value` written without `=` (`-t bookworm`, `--target-release bookworm`).
    pub fn operands(&self, with_value: &[&str]) -> Vec<&Word> {
        let dropped = self.flag_value_indices(with_value);
        self.args
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.is_flag_arg(*i) && !dropped.contains(i))
            .map(|(_, w)| w)
            .collect()
    }

    /// The values given to flag `name` in the next argument (`-u 1000`).
    pub fn flag_values(&self, name: &str) -> Vec<&Word> {
        self.flag_value_indices(&[name])
            .into_iter()
            .filter_map(|i| self.args.get(i))
            .collect()
    }

    /// The argument after each flag in `names` that has no inline `=value`.
    fn flag_value_indices(&self, names: &[&str]) -> Vec<usize> {
        let mut out = Vec::new();
        for f in self
            .flags
            .iter()
            .filter(|f| names.contains(&f.name.as_str()))
        {
            if self.args.get(f.arg).is_some_and(|w| w.value.contains('=')) {
                continue;
            }
            if f.arg + 1 < self.args.len() {
                out.push(f.arg + 1);
            }
        }
        out
    }
}

/// Flags the way hadolint reads them from a command's words.
fn flags_of(args: &[Word]) -> Vec<FlagName> {
    let mut flags = Vec::new();
    for (i, w) in args.iter().enumerate() {
        let a = w.value.as_str();
        if a == "--" || a == "-" {
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or("");
            flags.push(FlagName {
                name: name.to_string(),
                arg: i,
            });
        } else if let Some(short) = a.strip_prefix('-') {
            for c in short.chars() {
                flags.push(FlagName {
                    name: c.to_string(),
                    arg: i,
                });
            }
        }
    }
    flags
}

/// The program a wrapper runs (`busybox wget …` runs `wget`), as ShellCheck reads it.
fn effective_name(first: &str, args: &[Word]) -> String {
    let wrapped = match first {
        "busybox" | "builtin" | "command" | "run" => args
            .first()
            .filter(|a| !a.value.starts_with('-'))
            .filter(|a| a.literal),
        "exec" => exec_target(args),
        _ => None,
    };
    wrapped.map_or_else(|| first.to_string(), |w| w.value.clone())
}

/// `exec [-cl] [-a name] program …`: the program.
fn exec_target(args: &[Word]) -> Option<&Word> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.value.as_str() {
            "--" => return args.get(i + 1).filter(|w| w.literal),
            v if v.starts_with('-') && v.len() > 1 => {
                if !v[1..].chars().all(|c| matches!(c, 'c' | 'l' | 'a')) {
                    return None;
                }
                // `-a` takes the next word as its value.
                i += if v.ends_with('a') { 2 } else { 1 };
            }
            _ => return Some(a).filter(|w| w.literal),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(words: &[&str]) -> ShellCommand {
        let mut at = 0;
        let words: Vec<Word> = words
            .iter()
            .map(|w| {
                let r = at..at + w.len();
                at = r.end + 1;
                Word {
                    value: w.to_string(),
                    range: r,
                    literal: true,
                }
            })
            .collect();
        ShellCommand::from_argv(0, words, 0..at)
    }

    #[test]
    fn flags_split_short_clusters_and_long_values() {
        let c = cmd(&["apt-get", "-qy", "--target-release=x", "-", "--", "install"]);
        let names: Vec<&str> = c.flags.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["q", "y", "target-release"]);
        assert!(c.has_args("apt-get", &["install"]));
    }

    #[test]
    fn operands_drop_flag_values() {
        let c = cmd(&["apt-get", "install", "-t", "bookworm", "curl", "-y"]);
        let ops: Vec<&str> = c
            .operands(&["t"])
            .iter()
            .map(|w| w.value.as_str())
            .collect();
        assert_eq!(ops, ["install", "curl"]);
        let c = cmd(&["useradd", "-u", "123456", "x"]);
        let v: Vec<&str> = c
            .flag_values("u")
            .iter()
            .map(|w| w.value.as_str())
            .collect();
        assert_eq!(v, ["123456"]);
    }

    #[test]
    fn wrappers_name_the_program_they_run() {
        assert_eq!(cmd(&["busybox", "wget", "u"]).name.as_deref(), Some("wget"));
        assert_eq!(
            cmd(&["command", "-v", "x"]).name.as_deref(),
            Some("command")
        );
        assert_eq!(
            cmd(&["exec", "-a", "n", "gosu", "x"]).name.as_deref(),
            Some("gosu")
        );
    }
}
