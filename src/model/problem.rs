//! Problems found while reading a Dockerfile: data with a range and a stable code, never panics.

use std::ops::Range;

/// How bad a problem is. `Error` means BuildKit would refuse the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

/// A problem with a byte range of the document, a stable code and a message that says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub range: Range<usize>,
    /// Stable, kebab-case identifier (`unterminated-heredoc`), shown to users and used by tests.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn error(range: Range<usize>, code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            range,
            code,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(range: Range<usize>, code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            range,
            code,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}
