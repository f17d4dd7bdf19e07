//! JSONArgsRecommended: CMD or ENTRYPOINT in shell form while no SHELL is configured.

use crate::analysis::rules::{Cx, Emit, Rule};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule {
    fix: Some("Rewrites a plain command as a JSON array of its words"),
    ..Rule::buildkit("JSONArgsRecommended", EXPLANATION, check)
};

const EXPLANATION: &str = "In shell form, `CMD node server.js` runs as `/bin/sh -c \"node \
server.js\"`: the shell is the container's main process, and it does not pass on the \
SIGTERM that `docker stop` sends, so the program is killed after a timeout instead of \
shutting down. The exec form, `CMD [\"node\", \"server.js\"]`, runs the program itself. \
BuildKit does not report it when the stage has a SHELL (which means the shell form is \
wanted); the base image may set one, so without its configuration this check stays quiet \
for stages built on images.";

fn check(cx: &Cx, out: &mut Emit) {
    let converted = cx.converted();
    for (facts, stage) in converted.stages.iter().zip(&cx.model.stages) {
        // The base image may configure a SHELL: without its configuration, stay quiet.
        if !facts.config_known {
            continue;
        }
        let mut has_shell = facts.shell_at_start;
        for index in stage.instruction + 1..stage.end_instruction {
            let Some(inst) = cx.model.instructions.get(index) else {
                break;
            };
            let command = inst.command();
            match command.kind {
                InstructionKind::Shell if command.is_json() => {
                    has_shell =
                        matches!(&command.args, Arguments::Json(items) if !items.is_empty());
                }
                InstructionKind::Cmd | InstructionKind::Entrypoint if !command.is_json() => {
                    if has_shell {
                        continue;
                    }
                    let range = match &command.args {
                        Arguments::Text(text) => inst.abs(&text.range),
                        _ => inst.line_range(),
                    };
                    let keyword = command.keyword.as_str();
                    let found = out.report(
                        &RULE,
                        range.clone(),
                        format!(
                            "JSON arguments recommended for {keyword} to prevent unintended behavior related to OS signals"
                        ),
                    );
                    if let Arguments::Text(text) = &command.args
                        && cx.text.get(range.clone()) == Some(text.value.as_str())
                        && let Some(json) = super::quote::exec_form(&text.value)
                    {
                        found.fix("Use the JSON (exec) form", range, json);
                    }
                }
                _ => {}
            }
        }
    }
}
