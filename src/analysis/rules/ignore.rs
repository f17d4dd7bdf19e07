//! "Ignore" quick fixes: a finding suppressed with the comment its group reads, for one
//! instruction or for the whole file (`# check=skip=Rule` for BuildKit's checks).

use super::{CheckOptions, Found, Group, Scope};
use crate::analysis::types::Edit;
use crate::analysis::{CodeAction, CodeActionKind, Snapshot};

/// The ways to ignore one finding.
pub fn actions(snapshot: &Snapshot, found: &Found) -> Vec<CodeAction> {
    let Some(info) = super::info(&found.diagnostic.code) else {
        return Vec::new();
    };
    if info.group != Group::Buildkit {
        return Vec::new();
    }
    let id = info.id.as_ref();
    let mut out = Vec::new();
    let action = |title: String, edit: Edit| CodeAction {
        title,
        kind: CodeActionKind::QuickFix,
        edits: vec![edit],
        fixes: vec![(
            found.diagnostic.range.clone(),
            found.diagnostic.code.clone(),
        )],
        is_preferred: false,
    };
    let model = &snapshot.model;
    let index = match found.scope {
        Scope::Instruction(i) => Some(i),
        Scope::Here => model
            .instruction_at(found.diagnostic.range.start)
            .map(|(i, _)| i),
    };
    if info.local_config
        && let Some(index) = index
        && let Some(edit) = local_edit(snapshot, index, id)
    {
        out.push(action(
            format!("Ignore {id} for this instruction (# check=skip={id})"),
            edit,
        ));
    }
    if let Some(edit) = file_edit(snapshot, id) {
        out.push(action(format!("Ignore {id} in this file"), edit));
    }
    out
}

/// Adds `id` to the first `# check=` comment above instruction `index`, or writes one at
/// the top of its comments (below them, a comment would become the instruction's
/// description). `None` when the new line would land in the directive header, where it
/// would configure the whole file.
fn local_edit(snapshot: &Snapshot, index: usize, id: &str) -> Option<Edit> {
    let model = &snapshot.model;
    let text = snapshot.text();
    let comments = model.comments_of(index, text);
    for c in &comments {
        let line = text.get(c.range.clone())?;
        let Some(d) = crate::model::parse_directive(&format!("#{}", c.text), 0) else {
            continue;
        };
        if d.name != "check" {
            continue;
        }
        // The comment's text starts after the line's first character and its blanks; the
        // directive was read from `#` and that text.
        let after_first = line.get(1..)?;
        let text_start = c.range.start + 1 + (after_first.len() - after_first.trim_start().len());
        let value_start = text_start + d.value_range.start.checked_sub(1)?;
        return add_to_options(&d.value, value_start, id);
    }
    let inst = model.instructions.get(index)?;
    let at = comments.first().map_or(inst.start(), |c| c.range.start);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let header_end = model.directives.last().map_or(0, |d| d.range.end + 1);
    if line_start <= header_end {
        return None;
    }
    let indent = &text[line_start..at];
    Some(Edit {
        range: line_start..line_start,
        new_text: format!("{indent}# check=skip={id}\n"),
    })
}

/// Adds `id` to the file's `# check=` directive, or writes one at the top of the file.
fn file_edit(snapshot: &Snapshot, id: &str) -> Option<Edit> {
    let text = snapshot.text();
    match snapshot.model.directives.iter().find(|d| d.name == "check") {
        Some(d) => add_to_options(&d.value, d.value_range.start, id),
        None => {
            let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
            Some(Edit {
                range: at..at,
                new_text: format!("# check=skip={id}\n"),
            })
        }
    }
}

/// The edit that adds `id` to the `skip=` list of check options `value` (written at
/// `start`): appended to an existing list, or a new `skip=` option. `None` when the options
/// cannot be read or already skip everything.
fn add_to_options(value: &str, start: usize, id: &str) -> Option<Edit> {
    let effective = CheckOptions::directive_value(value);
    let options = CheckOptions::parse(effective).ok()?;
    if options.skip_all || options.skip.iter().any(|s| s == id) {
        return None;
    }
    let insert = |at: usize, new_text: String| Edit {
        range: start + at..start + at,
        new_text,
    };
    let parts = super::check_options::split_n(effective, ';', 3);
    for (part, part_start) in &parts {
        let Some((key, list)) = part.split_once('=') else {
            continue;
        };
        if key.trim() == "skip" {
            let end = part_start + key.len() + 1 + list.trim_end().len();
            let sep = if list.trim().is_empty() { "" } else { "," };
            return Some(insert(end, format!("{sep}{id}")));
        }
    }
    if effective.trim().is_empty() {
        return Some(Edit {
            range: start..start + value.len(),
            new_text: format!("skip={id}"),
        });
    }
    // BuildKit reads at most three options; with fewer, one more can be added.
    (parts.len() < 3).then(|| insert(effective.trim_end().len(), format!(";skip={id}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::{Inputs, run};

    fn apply(text: &str, edit: &Edit) -> String {
        let mut out = text.to_string();
        out.replace_range(edit.range.clone(), &edit.new_text);
        out
    }

    fn ignored(text: &str, code: &str) -> Vec<String> {
        let snapshot = Snapshot::new(text);
        let found = run(&snapshot, &Inputs::default());
        let f = found
            .iter()
            .find(|f| f.diagnostic.code == code)
            .unwrap_or_else(|| panic!("no {code} in {text:?}"));
        actions(&snapshot, f)
            .into_iter()
            .map(|a| apply(text, &a.edits[0]))
            .collect()
    }

    #[test]
    fn per_instruction_and_per_file() {
        let text = "FROM a\n# about\nMAINTAINER me\n";
        let fixed = ignored(text, "MaintainerDeprecated");
        assert_eq!(
            fixed,
            [
                "FROM a\n# check=skip=MaintainerDeprecated\n# about\nMAINTAINER me\n",
                "# check=skip=MaintainerDeprecated\nFROM a\n# about\nMAINTAINER me\n",
            ]
        );
        for f in &fixed {
            let snapshot = Snapshot::new(f.as_str());
            // (`FROM a` without a tag is hadolint's DL3006, which the comment does not name.)
            assert!(
                run(&snapshot, &Inputs::default())
                    .iter()
                    .all(|found| found.diagnostic.code.starts_with("DL")),
                "still reported in {f:?}"
            );
        }
    }

    #[test]
    fn existing_options_are_extended() {
        let text = "# check=error=true\nFROM a\n# check=skip=FromAsCasing // why\nMAINTAINER me\n";
        let fixed = ignored(text, "MaintainerDeprecated");
        assert_eq!(
            fixed,
            [
                "# check=error=true\nFROM a\n# check=skip=FromAsCasing,MaintainerDeprecated // why\nMAINTAINER me\n",
                "# check=error=true;skip=MaintainerDeprecated\nFROM a\n# check=skip=FromAsCasing // why\nMAINTAINER me\n",
            ]
        );
        // File-wide rules are ignored for the file only.
        let fixed = ignored("FROM a\nrun x\n", "ConsistentInstructionCasing");
        assert_eq!(
            fixed,
            ["# check=skip=ConsistentInstructionCasing\nFROM a\nrun x\n"]
        );
    }
}
