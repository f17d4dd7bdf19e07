//! Configured severities (`diagnostics.rules`): per rule id (or alias), per group, or off.

use std::collections::BTreeMap;

use super::Group;
use crate::analysis::types::Severity;

/// A configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    /// `error`, `warning`, `info` (or `information`), `hint`, `off`.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "error" => Level::On(Severity::Error),
            "warning" => Level::On(Severity::Warning),
            "info" | "information" => Level::On(Severity::Information),
            "hint" => Level::On(Severity::Hint),
            "off" => Level::Off,
            _ => return None,
        })
    }
}

/// What `diagnostics.rules` says, keyed by rule id, alias or group name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Severities {
    levels: BTreeMap<String, Level>,
}

impl Severities {
    /// Reads `{ "StageNameCasing": "error", "buildkit": "info", "DL3008": "off" }`, and says
    /// what it could not use (an unknown level, or a key that names no rule or group).
    pub fn from_map<'a>(
        entries: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Severities, Vec<String>) {
        let mut out = Severities::default();
        let mut problems = Vec::new();
        for (key, level) in entries {
            let Some(parsed) = Level::parse(level) else {
                problems.push(format!(
                    "`{key}`: unknown level `{level}` (use error, warning, info, hint or off)"
                ));
                continue;
            };
            if Group::from_name(key).is_none() && super::info(key).is_none() {
                problems.push(format!("`{key}` names no rule or group"));
            }
            out.levels.insert(key.to_string(), parsed);
        }
        (out, problems)
    }

    /// Sets the level of a rule id, alias or group.
    pub fn set(&mut self, key: impl Into<String>, level: Level) {
        self.levels.insert(key.into(), level);
    }

    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// The configured level for a finding of `code` (a rule with `aliases`) in `group`: the
    /// rule's own entry first, then an alias's, then the group's.
    pub fn level<'a>(
        &self,
        code: &str,
        aliases: impl IntoIterator<Item = &'a str>,
        group: Group,
    ) -> Option<Level> {
        if self.levels.is_empty() {
            return None;
        }
        self.levels
            .get(code)
            .or_else(|| aliases.into_iter().find_map(|a| self.levels.get(a)))
            .or_else(|| self.levels.get(group.name()))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_before_group() {
        let (s, problems) = Severities::from_map([
            ("StageNameCasing", "error"),
            ("buildkit", "info"),
            ("NoSuchRule", "off"),
            ("FromAsCasing", "loud"),
        ]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            s.level("StageNameCasing", [], Group::Buildkit),
            Some(Level::On(Severity::Error))
        );
        assert_eq!(
            s.level("FromAsCasing", [], Group::Buildkit),
            Some(Level::On(Severity::Information))
        );
        assert_eq!(s.level("unknown-flag", [], Group::DockerfileLs), None);
        assert_eq!(
            s.level("X", ["StageNameCasing"], Group::DockerfileLs),
            Some(Level::On(Severity::Error))
        );
    }
}
