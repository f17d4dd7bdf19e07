//! Which shell runs a script: the `SHELL` in effect, a heredoc's shebang or interpreter
//! word, or a `# hadolint shell=…` comment.

/// A shell, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// `/bin/sh`: POSIX (dash on Debian, busybox ash on Alpine).
    Sh,
    Bash,
    Dash,
    Ash,
    Ksh,
    Zsh,
    /// PowerShell (`pwsh`, `powershell`): no shell rules apply.
    PowerShell,
    /// `cmd.exe`: no shell rules apply.
    Cmd,
    /// Any other interpreter (`python3`, `node`): the text is no shell script.
    Other,
}

impl Dialect {
    /// The dialect of an interpreter path or name (`/bin/bash`, `bash`, `/usr/bin/env bash`
    /// is read by [`Dialect::from_command_line`]).
    pub fn from_interpreter(word: &str) -> Dialect {
        let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
        let base = base.to_ascii_lowercase();
        let base = base.strip_suffix(".exe").unwrap_or(&base);
        match base {
            "sh" => Dialect::Sh,
            "bash" => Dialect::Bash,
            "dash" => Dialect::Dash,
            "ash" => Dialect::Ash,
            "ksh" | "mksh" | "ksh93" => Dialect::Ksh,
            "zsh" => Dialect::Zsh,
            "pwsh" | "powershell" => Dialect::PowerShell,
            "cmd" => Dialect::Cmd,
            _ => Dialect::Other,
        }
    }

    /// The dialect of a command line such as a shebang's (`/usr/bin/env -S bash -e`) or a
    /// `SHELL` array's first words.
    pub fn from_command_line<'a>(mut words: impl Iterator<Item = &'a str>) -> Dialect {
        let Some(first) = words.next() else {
            return Dialect::Sh;
        };
        let dialect = Dialect::from_interpreter(first);
        let base = first.rsplit(['/', '\\']).next().unwrap_or(first);
        if dialect == Dialect::Other && base == "env" {
            // `env [-S] [NAME=value]... program`
            return words
                .find(|w| !w.starts_with('-') && !w.contains('='))
                .map_or(Dialect::Other, Dialect::from_interpreter);
        }
        dialect
    }

    /// The dialect a shebang line names (`#!/bin/bash -e`), if the text starts with one.
    pub fn from_shebang(script: &str) -> Option<Dialect> {
        let line = script.strip_prefix("#!")?.lines().next().unwrap_or("");
        Some(Dialect::from_command_line(line.split_whitespace()))
    }

    /// Whether the shell rules (hadolint's and ShellCheck) apply: a POSIX shell or bash.
    pub fn is_shell(self) -> bool {
        !matches!(self, Dialect::PowerShell | Dialect::Cmd | Dialect::Other)
    }

    /// ShellCheck's `--shell` name.
    pub fn shellcheck_name(self) -> Option<&'static str> {
        Some(match self {
            Dialect::Sh => "sh",
            Dialect::Bash | Dialect::Zsh => "bash",
            Dialect::Dash => "dash",
            Dialect::Ash => "busybox",
            Dialect::Ksh => "ksh",
            Dialect::PowerShell | Dialect::Cmd | Dialect::Other => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpreters_and_shebangs() {
        assert_eq!(Dialect::from_interpreter("/bin/bash"), Dialect::Bash);
        assert_eq!(
            Dialect::from_interpreter("C:\\Windows\\cmd.exe"),
            Dialect::Cmd
        );
        assert_eq!(Dialect::from_interpreter("pwsh"), Dialect::PowerShell);
        assert_eq!(
            Dialect::from_shebang("#!/usr/bin/env -S bash -e\nx"),
            Some(Dialect::Bash)
        );
        assert_eq!(
            Dialect::from_shebang("#!/usr/bin/env python3\n"),
            Some(Dialect::Other)
        );
        assert_eq!(Dialect::from_shebang("echo"), None);
        assert!(!Dialect::Other.is_shell() && Dialect::Ash.is_shell());
    }
}
