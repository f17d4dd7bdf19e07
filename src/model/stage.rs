//! Build stages: each FROM starts one, with its base image, optional name and platform.

use std::ops::Range;

use super::instruction::Instruction;
use super::split::Arguments;
use crate::syntax::InstructionKind;

/// One build stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Position among the stages (what `COPY --from=0` refers to).
    pub index: usize,
    /// Index of its FROM in `Model::instructions`.
    pub instruction: usize,
    /// One past its last instruction.
    pub end_instruction: usize,
    /// The base image as written (it may contain `$VAR`s), and where.
    pub base: Option<(String, Range<usize>)>,
    /// The name after `AS`, lower-cased as BuildKit compares it, and where it is written.
    pub name: Option<(String, Range<usize>)>,
    /// The `--platform` value as written, and where.
    pub platform: Option<(String, Range<usize>)>,
}

pub(crate) fn stages(instructions: &[Instruction]) -> Vec<Stage> {
    let mut out: Vec<Stage> = Vec::new();
    for (i, inst) in instructions.iter().enumerate() {
        if inst.kind() != InstructionKind::From {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.end_instruction = i;
        }
        let command = inst.command();
        let words = match &command.args {
            Arguments::List(words) => words.as_slice(),
            _ => &[],
        };
        let base = words.first().map(|w| (w.value.clone(), inst.abs(&w.range)));
        let name = match words {
            [_, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => {
                Some((name.value.to_ascii_lowercase(), inst.abs(&name.range)))
            }
            _ => None,
        };
        let platform = command
            .flags
            .iter()
            .find(|f| f.name == "platform")
            .map(|f| {
                let range = f.value_range.as_ref().unwrap_or(&f.range);
                (f.value.clone().unwrap_or_default(), inst.abs(range))
            });
        out.push(Stage {
            index: out.len(),
            instruction: i,
            end_instruction: instructions.len(),
            base,
            name,
            platform,
        });
    }
    out
}
