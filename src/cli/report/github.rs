//! The `github` format: one workflow command per finding (`::error file=…,line=…::message`),
//! which GitHub Actions shows as an annotation on the line. Information and hints are
//! notices.

use std::io::{self, Write};

use super::FileReport;
use crate::analysis::Severity;

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        for f in &r.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            let (line, col) = r.line_column(f.range.start);
            let (end_line, end_col) = r.line_column(f.range.end);
            let mut message = f.message.clone();
            if let Some(url) = &f.url {
                message.push_str(&format!(" ({url})"));
            }
            writeln!(
                out,
                "::{command} file={},line={line},endLine={end_line},col={col},endColumn={end_col},title={}::{}",
                property(&r.name),
                property(&format!("dockerfile-ls {}", f.code)),
                data(&message)
            )?;
        }
    }
    Ok(())
}

/// A message escaped as the runner decodes it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::Finding;

    #[test]
    fn annotations_are_escaped() {
        let report = FileReport::new(
            "a,b:c/Dockerfile".into(),
            "FROM a\nRUNN x\n".into(),
            vec![Finding {
                range: 7..11,
                severity: Severity::Error,
                code: "unknown-instruction".into(),
                message: "100% wrong\nreally".into(),
                url: None,
                fix: None,
            }],
        );
        let mut out = Vec::new();
        write(&[report], &mut out).expect("written");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "::error file=a%2Cb%3Ac/Dockerfile,line=2,endLine=2,col=1,endColumn=5,title=dockerfile-ls unknown-instruction::100%25 wrong%0Areally\n"
        );
    }
}
