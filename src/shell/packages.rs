//! Package managers among a script's commands, and what they install.

use super::command::{ShellCommand, Word};

/// A package manager command the rules know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Manager {
    AptGet,
    Apt,
    Aptitude,
    Apk,
    Pip,
    Npm,
    Yarn,
    Gem,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Go,
}

impl Manager {
    /// The manager a command runs (`pip3` and `python -m pip` are pip).
    pub fn of(cmd: &ShellCommand) -> Option<Manager> {
        let name = cmd.name.as_deref()?;
        Some(match name {
            "apt-get" => Manager::AptGet,
            "apt" => Manager::Apt,
            "aptitude" => Manager::Aptitude,
            "apk" => Manager::Apk,
            "npm" => Manager::Npm,
            "yarn" => Manager::Yarn,
            "gem" => Manager::Gem,
            "yum" => Manager::Yum,
            "dnf" => Manager::Dnf,
            "microdnf" => Manager::Microdnf,
            "zypper" => Manager::Zypper,
            "go" => Manager::Go,
            _ if is_pip(cmd) => Manager::Pip,
            _ => return None,
        })
    }

    /// The manager's name in settings and messages.
    pub fn name(self) -> &'static str {
        match self {
            Manager::AptGet => "apt-get",
            Manager::Apt => "apt",
            Manager::Aptitude => "aptitude",
            Manager::Apk => "apk",
            Manager::Pip => "pip",
            Manager::Npm => "npm",
            Manager::Yarn => "yarn",
            Manager::Gem => "gem",
            Manager::Yum => "yum",
            Manager::Dnf => "dnf",
            Manager::Microdnf => "microdnf",
            Manager::Zypper => "zypper",
            Manager::Go => "go",
        }
    }

    /// The subcommands that install packages.
    pub fn install_words(self) -> &'static [&'static str] {
        match self {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => &["install"],
            Manager::Apk => &["add"],
            Manager::Pip | Manager::Npm | Manager::Yarn => &["install"],
            Manager::Gem => &["install", "i"],
            Manager::Yum | Manager::Dnf | Manager::Microdnf => &["install"],
            Manager::Zypper => &["install", "in"],
            Manager::Go => &["install", "get"],
        }
    }

    /// Options whose value is the next word (so it is no package name).
    pub fn options_with_value(self) -> &'static [&'static str] {
        match self {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => &["t", "target-release"],
            Manager::Apk => &["t", "virtual", "repository", "X"],
            Manager::Pip => PIP_OPTIONS_WITH_VALUE,
            Manager::Npm => &["loglevel", "registry"],
            _ => &[],
        }
    }
}

/// pip's options that take a value, as hadolint lists them.
const PIP_OPTIONS_WITH_VALUE: &[&str] = &[
    "abi",
    "b",
    "build",
    "e",
    "editable",
    "extra-index-url",
    "f",
    "find-links",
    "i",
    "index-url",
    "implementation",
    "no-binary",
    "only-binary",
    "platform",
    "prefix",
    "progress-bar",
    "proxy",
    "python",
    "python-version",
    "root",
    "root-user-action",
    "src",
    "t",
    "target",
    "trusted-host",
    "upgrade-strategy",
];

/// `pip install`, `pip3 install`, `python -m pip install` (not `pipenv` or `pipx`).
pub fn is_pip_install(cmd: &ShellCommand) -> bool {
    is_pip(cmd) && {
        let args: Vec<&str> = cmd.arg_values().collect();
        let name = cmd.name.as_deref().unwrap_or("");
        if name.starts_with("python") {
            args.windows(3).any(|w| w == ["-m", "pip", "install"])
        } else {
            args.contains(&"install")
        }
    }
}

fn is_pip(cmd: &ShellCommand) -> bool {
    let Some(name) = cmd.name.as_deref() else {
        return false;
    };
    if name.starts_with("pip") {
        return !name.starts_with("pipenv") && !name.starts_with("pipx");
    }
    name.starts_with("python")
        && cmd
            .arg_values()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w == ["-m", "pip"])
}

/// An install command: the manager and the words that name packages.
#[derive(Clone, Debug)]
pub struct Install<'a> {
    pub manager: Manager,
    pub command: &'a ShellCommand,
    pub packages: Vec<&'a Word>,
}

/// The install command `cmd` is, if it is one: its packages are its operands after the
/// install subcommand, without the values of options that take one.
pub fn install(cmd: &ShellCommand) -> Option<Install<'_>> {
    let manager = Manager::of(cmd)?;
    let words = manager.install_words();
    let pip = manager == Manager::Pip;
    if pip && !is_pip_install(cmd) || !pip && !cmd.arg_values().any(|a| words.contains(&a)) {
        return None;
    }
    let operands = cmd.operands(manager.options_with_value());
    let after = operands
        .iter()
        .position(|w| words.contains(&w.value.as_str()))
        .map_or(0, |i| i + 1);
    let packages = operands[after..]
        .iter()
        .copied()
        .filter(|w| !words.contains(&w.value.as_str()))
        .collect();
    Some(Install {
        manager,
        command: cmd,
        packages,
    })
}
