//! Where a stage is referred to by name: `FROM name`, `COPY --from=name` and
//! `RUN --mount=…,from=name` in the stages after it (for renames).

use std::ops::Range;

use crate::model::Model;
use crate::syntax::InstructionKind;

/// The places after stage `index` that name it, written exactly as the name (any case), so
/// that an edit can replace them. A later stage of the same name ends the search: from
/// there on the name means that stage.
pub fn references_to(model: &Model, text: &str, index: usize) -> Vec<Range<usize>> {
    let Some(stage) = model.stages.get(index) else {
        return Vec::new();
    };
    let Some((name, _)) = &stage.name else {
        return Vec::new();
    };
    let names_it = |s: &str| s.eq_ignore_ascii_case(name);
    let mut out = Vec::new();
    for inst in model.instructions.iter().skip(stage.end_instruction) {
        let command = inst.command();
        match command.kind {
            InstructionKind::From => {
                let words = match &command.args {
                    crate::model::Arguments::List(words) => words.as_slice(),
                    _ => &[],
                };
                if let Some(base) = words.first()
                    && names_it(&base.value)
                {
                    out.push(inst.abs(&base.range));
                }
                // A new stage of the same name takes it over.
                if let [_, _, own] = words
                    && names_it(&own.value)
                {
                    break;
                }
            }
            InstructionKind::Copy => {
                if let Some(flag) = command.flag("from")
                    && let (Some(value), Some(range)) = (&flag.value, &flag.value_range)
                    && names_it(value)
                    && text.get(inst.abs(range)) == Some(value.as_str())
                {
                    out.push(inst.abs(range));
                }
            }
            InstructionKind::Run => {
                for flag in command.flags.iter().filter(|f| f.name == "mount") {
                    let (Some(value), Some(range)) = (&flag.value, &flag.value_range) else {
                        continue;
                    };
                    let at = inst.abs(range);
                    if value.contains('"') || text.get(at.clone()) != Some(value.as_str()) {
                        continue;
                    }
                    let mut start = 0;
                    for field in value.split(',') {
                        if let Some(v) = field.strip_prefix("from=")
                            && names_it(v)
                        {
                            let s = at.start + start + "from=".len();
                            out.push(s..s + v.len());
                        }
                        start += field.len() + 1;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    #[test]
    fn finds_from_copy_and_mount_references() {
        let text = "FROM a AS Build\nFROM build\nCOPY --from=BUILD /a /b\nRUN --mount=type=cache,from=build,target=/c x\nFROM x AS build\nCOPY --from=build /a /b\n";
        let model = Model::build(&Document::new(text));
        let got: Vec<&str> = references_to(&model, text, 0)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, ["build", "BUILD", "build"]);
    }
}
