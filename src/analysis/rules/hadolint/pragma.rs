//! hadolint's comment pragmas: `# hadolint ignore=DL3008,SC2086` on the line above an
//! instruction, and `# hadolint global ignore=…` anywhere, read once per file.

use crate::model::Model;

/// The rule ids a pragma comment names, if the line is one: `# hadolint ignore=A, B`
/// (`global` says whether `global` must precede `ignore`).
pub fn parse_ignore(line: &str, global: bool) -> Option<Vec<String>> {
    let rest = line.trim_start_matches([' ', '\t']).strip_prefix('#')?;
    let rest = rest
        .trim_start_matches([' ', '\t'])
        .strip_prefix("hadolint")?;
    let mut rest = spaces1(rest)?;
    if global {
        rest = spaces1(rest.strip_prefix("global")?)?;
    }
    let rest = rest.strip_prefix("ignore")?.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('=')?;
    // A trailing `# comment` is allowed after the list.
    let list = rest.split('#').next().unwrap_or("");
    let ids: Vec<String> = list
        .split(',')
        .map(|id| id.trim_matches([' ', '\t']).to_string())
        .collect();
    let valid = |id: &String| !id.is_empty() && id.chars().all(|c| "DLSC0123456789".contains(c));
    (!ids.is_empty() && ids.iter().all(valid)).then_some(ids)
}

/// `s` after at least one blank.
fn spaces1(s: &str) -> Option<&str> {
    let trimmed = s.trim_start_matches([' ', '\t']);
    (trimmed.len() < s.len()).then_some(trimmed)
}

/// The ignores of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ignores {
    /// Per instruction: the ids the comment on the line just above it names.
    pub per_instruction: Vec<Vec<String>>,
    pub global: Vec<String>,
}

impl Ignores {
    pub fn read(model: &Model, text: &str) -> Ignores {
        let mut per_instruction = Vec::with_capacity(model.instructions.len());
        let mut global = Vec::new();
        let mut gaps = model.gaps(text);
        for gap in gaps.by_ref().take(model.instructions.len()) {
            if !gap.contains("hadolint") {
                per_instruction.push(Vec::new());
                continue;
            }
            for line in gap.lines() {
                if let Some(ids) = parse_ignore(line, true) {
                    global.extend(ids);
                }
            }
            // The comment must be on the line right above the instruction.
            let above = gap
                .trim_end_matches([' ', '\t'])
                .strip_suffix('\n')
                .unwrap_or("");
            let above = above.strip_suffix('\r').unwrap_or(above);
            let line = above.rsplit('\n').next().unwrap_or("");
            per_instruction.push(parse_ignore(line, false).unwrap_or_default());
        }
        // After the last instruction.
        if let Some(tail) = gaps.next().filter(|t| t.contains("hadolint")) {
            for line in tail.lines() {
                if let Some(ids) = parse_ignore(line, true) {
                    global.extend(ids);
                }
            }
        }
        Ignores {
            per_instruction,
            global,
        }
    }

    /// Whether `code` is ignored for a finding at `offset`.
    pub fn ignores(&self, model: &Model, offset: usize, code: &str) -> bool {
        if self.global.iter().any(|g| g == code) {
            return true;
        }
        model
            .instruction_at(offset)
            .and_then(|(i, _)| self.per_instruction.get(i))
            .is_some_and(|ids| ids.iter().any(|id| id == code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragmas_as_hadolint_reads_them() {
        assert_eq!(
            parse_ignore("# hadolint ignore=DL3008, SC2086 # why", false),
            Some(vec!["DL3008".to_string(), "SC2086".to_string()])
        );
        assert_eq!(
            parse_ignore("#hadolint ignore=DL3008", false),
            Some(vec!["DL3008".into()])
        );
        assert_eq!(parse_ignore("# hadolintignore=DL3008", false), None);
        assert_eq!(parse_ignore("# hadolint ignore=DL3008", true), None);
        assert_eq!(
            parse_ignore("# hadolint global ignore=DL3059", true),
            Some(vec!["DL3059".into()])
        );
        assert_eq!(parse_ignore("# hadolint ignore=", false), None);
    }
}
