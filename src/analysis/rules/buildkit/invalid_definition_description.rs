//! InvalidDefinitionDescription (experimental): a comment right above a FROM or ARG that
//! does not start with the stage's or argument's name.

use crate::analysis::rules::{Cx, Emit, Rule, Scope};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

pub static RULE: Rule = Rule::buildkit("InvalidDefinitionDescription", EXPLANATION, check);

const EXPLANATION: &str = "BuildKit reads a comment directly above a named stage or an ARG \
as its description (`docker buildx build --call=outline` and `--call=targets` show it) when \
the comment starts with the name: `# version The release to package`. A comment there that \
does not is probably not meant as one; separate it with an empty comment line (`#`) or start \
it with the name.";

fn check(cx: &Cx, out: &mut Emit) {
    // The comments above the FROM after the window are in the window's text: they are
    // checked with it.
    let span = cx.comments_span();
    for (index, inst) in cx.model.indexed_within(span) {
        let command = inst.command();
        let (instruction, keys): (&str, Vec<&str>) = match (command.kind, &command.args) {
            (InstructionKind::From, Arguments::List(words)) => {
                match cx
                    .model
                    .stages
                    .binary_search_by_key(&index, |s| s.instruction)
                    .ok()
                    .and_then(|i| cx.model.stages.get(i))
                {
                    Some(stage) => match &stage.name {
                        Some((name, _)) if words.len() == 3 => ("FROM", vec![name.as_str()]),
                        _ => continue,
                    },
                    None => continue,
                }
            }
            (InstructionKind::Arg, Arguments::List(words)) => (
                "ARG",
                words
                    .iter()
                    .map(|w| w.value.split('=').next().unwrap_or(""))
                    .collect(),
            ),
            _ => continue,
        };
        let Some(last) = cx.comments(index).last() else {
            continue;
        };
        if keys.is_empty() {
            continue;
        }
        let first_word = last.text.split(' ').next().unwrap_or("");
        if keys.contains(&first_word) {
            continue;
        }
        let example = if keys.len() > 1 { "<arg_key>" } else { keys[0] };
        out.report(
            &RULE,
            last.range.clone(),
            format!(
                "Comment for {instruction} should follow the format: `# {example} <description>`"
            ),
        )
        .scope(Scope::Instruction(index));
    }
}
