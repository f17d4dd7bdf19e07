//! Rules that follow a stage from its FROM: its user, working directory, copies from other
//! stages, health check.

use super::{Cx, Finding};
use crate::model::{Arguments, Instruction};
use crate::syntax::InstructionKind;

/// The name a stage is known by in hadolint's stage tracking: its alias, else its image.
fn stage_key(inst: &Instruction) -> Option<(String, String)> {
    let Arguments::List(words) = &inst.command().args else {
        return None;
    };
    let image = words.first()?.value.to_string();
    let alias = match words.as_slice() {
        [_, kw, name] if kw.value.eq_ignore_ascii_case("as") => name.value.to_string(),
        _ => image.clone(),
    };
    Some((alias, image))
}

/// DL3002: a stage whose last USER is root.
pub fn dl3002(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut last_root: Option<&Instruction> = None;
    let flush = |last: Option<&Instruction>, out: &mut Vec<Finding>| {
        if let Some(inst) = last {
            out.push(Finding::new(
                "DL3002",
                inst.keyword_range(),
                "Last USER should not be root",
            ));
        }
    };
    for inst in &cx.model.instructions {
        match (inst.kind(), &inst.command().args) {
            (InstructionKind::From, _) => flush(last_root.take(), out),
            (InstructionKind::User, Arguments::Text(user)) => {
                let u = user.value.as_str();
                let root = u == "root" || u == "0" || u.starts_with("root:") || u.starts_with("0:");
                last_root = root.then_some(inst);
            }
            _ => {}
        }
    }
    flush(last_root, out);
}

/// DL3045: COPY to a relative destination in a stage without WORKDIR (the destination then
/// depends on the base image's working directory).
pub fn dl3045(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    // Stage name → whether a WORKDIR was set in it (or in the stage it is built from).
    let mut set: Vec<(String, bool)> = Vec::new();
    let mut current: Option<String> = None;
    let mark = |set: &mut Vec<(String, bool)>, key: &Option<String>, value: bool| {
        let key = key.clone().unwrap_or_default();
        match set.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => set.push((key, value)),
        }
    };
    for inst in &cx.model.instructions {
        match inst.kind() {
            InstructionKind::From => {
                let Some((alias, image)) = stage_key(inst) else {
                    continue;
                };
                let parent = set
                    .iter()
                    .find(|(k, _)| *k == image)
                    .is_some_and(|(_, v)| *v);
                current = Some(alias);
                mark(&mut set, &current, parent);
            }
            InstructionKind::Workdir => mark(&mut set, &current, true),
            InstructionKind::Copy => {
                let key = current.clone().unwrap_or_default();
                if set.iter().any(|(k, v)| *k == key && *v) {
                    continue;
                }
                let words = match &inst.command().args {
                    Arguments::List(w) | Arguments::Json(w) => w.as_slice(),
                    _ => continue,
                };
                let Some(dest) = words.last().filter(|_| words.len() > 1) else {
                    continue;
                };
                let d = dest.value.trim_matches(['"', '\'']);
                let windows =
                    d.len() > 1 && d.as_bytes()[0].is_ascii_alphabetic() && d.as_bytes()[1] == b':';
                if !(d.starts_with('/') || d.starts_with('$') || windows) {
                    out.push(Finding::new(
                        "DL3045",
                        inst.abs(&dest.range),
                        "`COPY` to a relative destination without `WORKDIR` set.",
                    ));
                }
            }
            _ => {}
        }
    }
}

/// DL3022: `COPY --from=` naming neither an earlier stage nor an image.
pub fn dl3022(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut aliases: Vec<String> = Vec::new();
    let mut count = 0usize;
    for inst in &cx.model.instructions {
        match inst.kind() {
            InstructionKind::From => {
                count += 1;
                if let Some((alias, image)) = stage_key(inst)
                    && alias != image
                {
                    aliases.push(alias);
                }
            }
            InstructionKind::Copy => {
                let Some(flag) = inst.command().flag("from") else {
                    continue;
                };
                let v = flag.value.as_deref().unwrap_or("");
                let ok = v.trim_matches(['"', '\'']).contains(':')
                    || aliases.iter().any(|a| a == v)
                    || v.parse::<usize>().is_ok_and(|n| n < count);
                if !ok {
                    out.push(Finding::new(
                        "DL3022",
                        inst.abs(flag.value_range.as_ref().unwrap_or(&flag.range)),
                        "`COPY --from` should reference a previously defined `FROM` alias",
                    ));
                }
            }
            _ => {}
        }
    }
}

/// DL3023: `COPY --from=` naming the stage it is in.
pub fn dl3023(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut alias: Option<String> = None;
    for inst in &cx.model.instructions {
        match inst.kind() {
            InstructionKind::From => {
                alias = stage_key(inst).and_then(|(a, i)| (a != i).then_some(a));
            }
            InstructionKind::Copy => {
                let Some(flag) = inst.command().flag("from") else {
                    continue;
                };
                if alias
                    .as_deref()
                    .is_some_and(|a| flag.value.as_deref() == Some(a))
                {
                    out.push(Finding::new(
                        "DL3023",
                        inst.abs(flag.value_range.as_ref().unwrap_or(&flag.range)),
                        "`COPY --from` cannot reference its own `FROM` alias",
                    ));
                }
            }
            _ => {}
        }
    }
}

/// DL3057 (off unless configured): a stage without HEALTHCHECK, neither its own nor one of
/// the stage it is built from.
pub fn dl3057(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut has: Vec<bool> = Vec::new();
    for (s, stage) in cx.model.stages.iter().enumerate() {
        let own = cx.model.instructions
            [stage.instruction..stage.end_instruction.min(cx.model.instructions.len())]
            .iter()
            .any(|i| i.kind() == InstructionKind::Healthcheck);
        let inherited = cx
            .model
            .parent_stage(s)
            .and_then(|p| has.get(p).copied())
            .unwrap_or(false);
        has.push(own || inherited);
    }
    for (s, stage) in cx.model.stages.iter().enumerate() {
        // A stage others build on gets its check from them.
        let used_later = cx
            .model
            .stages
            .iter()
            .skip(s + 1)
            .enumerate()
            .any(|(j, _)| cx.model.parent_stage(s + 1 + j) == Some(s) && has[s + 1 + j]);
        if !has[s] && !used_later {
            let inst = &cx.model.instructions[stage.instruction];
            out.push(Finding::new(
                "DL3057",
                inst.keyword_range(),
                "`HEALTHCHECK` instruction missing.",
            ));
        }
    }
}
