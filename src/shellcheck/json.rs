//! ShellCheck's `json1` output.

use serde::Deserialize;

use super::Level;

#[derive(Deserialize)]
struct Output {
    comments: Vec<RawComment>,
}

#[derive(Deserialize)]
struct RawComment {
    line: usize,
    #[serde(rename = "endLine")]
    end_line: usize,
    column: usize,
    #[serde(rename = "endColumn")]
    end_column: usize,
    level: String,
    code: u32,
    message: String,
}

/// A comment as ShellCheck reports it: 1-based lines, 1-based character columns.
pub struct Reported {
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub level: Level,
    pub code: u32,
    pub message: String,
}

pub fn parse(output: &[u8]) -> Result<Vec<Reported>, serde_json::Error> {
    let out: Output = serde_json::from_slice(output)?;
    Ok(out
        .comments
        .into_iter()
        .map(|c| Reported {
            line: c.line,
            end_line: c.end_line,
            column: c.column,
            end_column: c.end_column,
            level: match c.level.as_str() {
                "error" => Level::Error,
                "warning" => Level::Warning,
                "info" => Level::Info,
                _ => Level::Style,
            },
            code: c.code,
            message: c.message,
        })
        .collect())
}
