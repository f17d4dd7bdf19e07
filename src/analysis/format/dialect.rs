//! Which shell runs each instruction's shell form: the stage's `SHELL`, inherited through
//! `FROM <stage>`, or the platform's default.

use crate::model::{Arguments, BaseImage, InstructionKind, Model};

use super::shell_words::Dialect;

/// The dialect in force at each instruction of the model, by index.
pub(crate) fn dialects(model: &Model) -> Vec<Dialect> {
    let default = platform_default(model);
    let mut stage_dialects: Vec<Dialect> = Vec::with_capacity(model.stages.len());
    let mut current = default;
    let mut out = Vec::with_capacity(model.instructions.len());
    for inst in &model.instructions {
        match inst.kind() {
            InstructionKind::From => {
                let stage = stage_dialects.len();
                current = match model.base_image(stage) {
                    BaseImage::Stage(parent) => {
                        stage_dialects.get(parent).copied().unwrap_or(default)
                    }
                    _ => default,
                };
                stage_dialects.push(current);
            }
            InstructionKind::Shell => {
                if let Arguments::Json(words) = &inst.command().args {
                    current = words
                        .first()
                        .map_or(Dialect::Unknown, |w| of_program(&w.value));
                    if let Some(last) = stage_dialects.last_mut() {
                        *last = current;
                    }
                }
            }
            _ => {}
        }
        out.push(current);
    }
    out
}

/// Windows images run shell forms with `cmd /S /C`. A file that uses the backtick escape
/// or names a Windows base image is taken for one: reading a Linux file as cmd only makes
/// the formatter more careful.
fn platform_default(model: &Model) -> Dialect {
    let windows_image = model.stages.iter().any(|s| {
        s.base.as_ref().is_some_and(|(image, _)| {
            let image = image.to_ascii_lowercase();
            ["windows", "servercore", "nanoserver"]
                .iter()
                .any(|w| image.contains(w))
        })
    });
    if model.escape == '`' || windows_image {
        Dialect::Cmd
    } else {
        Dialect::Posix
    }
}

/// The dialect of the program a `SHELL` names (`/bin/bash`, `powershell.exe`, ...).
fn of_program(program: &str) -> Dialect {
    let name = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    match name {
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox" => Dialect::Posix,
        "powershell" | "pwsh" => Dialect::PowerShell,
        "cmd" => Dialect::Cmd,
        _ => Dialect::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<Dialect> {
        dialects(&crate::model::Model::open(text).1)
    }

    #[test]
    fn shell_follows_stages() {
        use Dialect::*;
        let d =
            of("FROM a AS one\nSHELL [\"pwsh\", \"-c\"]\nRUN x\nFROM one\nRUN y\nFROM b\nRUN z\n");
        assert_eq!(
            d,
            [
                Posix, PowerShell, PowerShell, PowerShell, PowerShell, Posix, Posix
            ]
        );
        let d = of(
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\nSHELL [\"/usr/bin/python3\"]\nRUN x\n",
        );
        assert_eq!(d, [Cmd, Cmd, Unknown, Unknown]);
        assert_eq!(of("# escape=`\nFROM a\nRUN x\n"), [Cmd, Cmd]);
    }
}
