//! WorkdirRelativePath: the first WORKDIR of a build is relative.

use crate::analysis::rules::{Cx, Emit, Rule};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule::buildkit("WorkdirRelativePath", EXPLANATION, check);

const EXPLANATION: &str = "A relative WORKDIR is relative to the base image's working \
directory, which the Dockerfile does not control: when the base image changes, files land \
elsewhere. BuildKit checks only the first WORKDIR a stage sets (counting the stages it builds \
on), since the later ones are relative to it. On Windows, `C:\\app` is absolute.";

fn check(cx: &Cx, out: &mut Emit) {
    let converted = cx.converted();
    for (stage, model_stage) in converted.stages.iter().zip(&cx.model.stages) {
        let mut set = stage.workdir_at_start;
        for i in stage.instruction + 1..model_stage.end_instruction {
            let Some(inst) = cx.model.instructions.get(i) else {
                break;
            };
            let (InstructionKind::Workdir, Arguments::Text(text)) =
                (inst.kind(), &inst.command().args)
            else {
                continue;
            };
            let range = inst.abs(&text.range);
            if converted.expanded(i, &range).is_some_and(|e| e.failed) {
                continue;
            }
            let path = converted.value(i, &range, &text.value);
            if !set && !is_abs(path, &stage.platform.os) {
                out.report(
                    &RULE,
                    range,
                    format!(
                        "Relative workdir {} can have unexpected results if the base image changes",
                        crate::model::go_quote::go_quote(path)
                    ),
                );
            }
            set = true;
        }
    }
}

/// BuildKit's `system.IsAbs`: on Windows, after removing a `C:` drive (another drive, or
/// none to remove from `C:` alone, is not absolute).
fn is_abs(path: &str, os: &str) -> bool {
    if os != "windows" {
        return path.starts_with('/');
    }
    let path = path.replace('\\', "/");
    if path.len() == 2 && path.as_bytes()[1] == b':' || path.starts_with("//") {
        return false;
    }
    match path.split_once(':') {
        Some((drive, rest)) if drive.eq_ignore_ascii_case("c") => rest.starts_with('/'),
        Some(_) => false,
        None => path.starts_with('/'),
    }
}

#[cfg(test)]
mod tests {
    use super::is_abs;

    #[test]
    fn absolute_paths_per_os() {
        assert!(is_abs("/app", "linux"));
        assert!(!is_abs("app/", "linux"));
        assert!(!is_abs("C:\\app", "linux"));
        assert!(is_abs("C:\\app", "windows"));
        assert!(is_abs("c:/app", "windows"));
        assert!(is_abs("\\app", "windows"));
        assert!(!is_abs("D:\\app", "windows"));
        assert!(!is_abs("app", "windows"));
        assert!(!is_abs("C:", "windows"));
    }
}
