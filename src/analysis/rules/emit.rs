//! What a rule reports: a diagnostic with its fixes, collected in an [`Emit`].

use std::ops::Range;

use super::Rule;
use crate::analysis::types::{Code, Diagnostic, DiagnosticTag, Edit, Severity};

/// A mechanical fix for one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix made of one replacement.
    pub fn replace(
        title: impl Into<String>,
        range: Range<usize>,
        new_text: impl Into<String>,
    ) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                range,
                new_text: new_text.into(),
            }],
        }
    }
}

/// Which `# check=` comments decide whether a finding is suppressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// The comments above the instruction the finding is in (file-wide only for rules that
    /// do not honour local comments).
    #[default]
    Here,
    /// The comments above another instruction (BuildKit reports some findings at one
    /// instruction while dispatching another).
    Instruction(usize),
}

/// A diagnostic and, when the repair is mechanical, its fix. Code actions recompute these
/// rather than carrying fix data through the client, so a fix always matches the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub diagnostic: Diagnostic,
    pub fix: Option<Fix>,
    pub scope: Scope,
}

impl Found {
    /// Attaches a fix made of one replacement.
    pub fn fix(
        &mut self,
        title: impl Into<String>,
        range: Range<usize>,
        new_text: impl Into<String>,
    ) -> &mut Found {
        self.fix = Some(Fix::replace(title, range, new_text));
        self
    }

    /// Attaches a fix made of several edits (which must not overlap).
    pub fn fix_edits(&mut self, title: impl Into<String>, edits: Vec<Edit>) -> &mut Found {
        self.fix = Some(Fix {
            title: title.into(),
            edits,
        });
        self
    }

    /// Adds a place that explains the finding.
    pub fn related(&mut self, range: Range<usize>, message: impl Into<String>) -> &mut Found {
        self.diagnostic.related.push((range, message.into()));
        self
    }

    pub fn tag(&mut self, tag: DiagnosticTag) -> &mut Found {
        if !self.diagnostic.tags.contains(&tag) {
            self.diagnostic.tags.push(tag);
        }
        self
    }

    /// Decides suppression by another instruction's `# check=` comments.
    pub fn scope(&mut self, scope: Scope) -> &mut Found {
        self.scope = scope;
        self
    }
}

/// Findings sorted by range and code, without repeats: the order they are published in.
pub(crate) fn in_source_order(mut items: Vec<Found>) -> Vec<Found> {
    items.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code))
    });
    items.dedup_by(|a, b| a.diagnostic == b.diagnostic);
    items
}

/// The findings of a run, in the order they were reported.
#[derive(Debug, Default)]
pub struct Emit {
    pub(super) items: Vec<Found>,
}

impl Emit {
    /// Reports a finding of `rule` at its default severity, with the rule's tags.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Found {
        let found = self.push(rule.severity, range, rule.id.into(), message);
        found.diagnostic.tags.extend_from_slice(rule.tags);
        found
    }

    /// Reports a finding under any code, at the given severity (for families whose passes
    /// decide the severity, e.g. errors that are only warnings inside an ONBUILD trigger).
    pub fn push(
        &mut self,
        severity: Severity,
        range: Range<usize>,
        code: Code,
        message: impl Into<String>,
    ) -> &mut Found {
        self.items.push(Found {
            diagnostic: Diagnostic {
                range,
                severity,
                code,
                message: message.into(),
                related: Vec::new(),
                tags: Vec::new(),
            },
            fix: None,
            scope: Scope::Here,
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// Adds findings made elsewhere (a family's pass, a piece of a parallel run).
    pub fn extend(&mut self, found: impl IntoIterator<Item = Found>) {
        self.items.extend(found);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
