//! Signature help: the forms of the instruction under the cursor (from the catalog's usage
//! lines) with the parameter being typed, or, on a flag, the flag's form — for `--mount`,
//! the keys of its mount type with the key being typed.

use std::ops::Range;

use super::Snapshot;
use super::cursor::{Target, locate};
use crate::catalog::{self, mounts};
use crate::model::Arguments;

/// One form, with its parameters as ranges of `label`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: String,
    pub documentation: Option<String>,
    pub parameters: Vec<Range<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: usize,
    /// Index into the active signature's parameters.
    pub active_parameter: Option<usize>,
}

/// The signature help at `offset`, if the cursor is in an instruction the catalog knows.
pub fn signature_help(snapshot: &Snapshot, offset: usize) -> Option<SignatureHelp> {
    let cursor = locate(snapshot, offset);
    let offset = cursor.offset;
    match &cursor.target {
        Target::MountField { field, .. } => return Some(mount(field.mount_type, field.key)),
        Target::FlagName { flag, at, .. } | Target::FlagValue { flag, at, .. } => {
            let keyword = at.command.kind.keyword()?;
            if let Some(doc) = catalog::flags::flag(keyword, &flag.name) {
                let name_end = 2 + doc.name.len();
                let value = name_end..name_end + doc.value.placeholder().len();
                return Some(SignatureHelp {
                    signatures: vec![Signature {
                        label: format!("--{}{}", doc.name, doc.value.placeholder()),
                        documentation: Some(doc.summary.to_string()),
                        parameters: std::iter::once(value).collect(),
                    }],
                    active_signature: 0,
                    active_parameter: Some(0),
                });
            }
        }
        _ => {}
    }
    let at = cursor.target.at()?;
    let command = at.command;
    let doc = catalog::instruction(command.kind.keyword()?)?;
    let signatures: Vec<Signature> = doc
        .syntax
        .iter()
        .map(|form| Signature {
            parameters: parameters(form),
            label: form.to_string(),
            documentation: Some(doc.summary.to_string()),
        })
        .collect();
    let heredoc = !at.instruction.data().heredocs.is_empty();
    let active_signature = doc
        .syntax
        .iter()
        .position(|form| {
            if command.is_json() {
                form.contains("[\"")
            } else if heredoc {
                form.contains("<<")
            } else {
                !form.contains("[\"") && !form.contains("<<")
            }
        })
        .unwrap_or(0);
    let signature = &signatures[active_signature];
    let label = &signature.label;
    let is_flag = |r: &Range<usize>| {
        let p = &label[r.clone()];
        p.starts_with("[--") || p == "[OPTIONS]"
    };
    let rest_start = at.abs(&command.rest).start;
    let in_flags = offset < rest_start
        || command
            .flags
            .iter()
            .any(|f| at.abs(&f.range).contains(&offset));
    let active_parameter = if in_flags {
        signature.parameters.iter().position(is_flag)
    } else {
        let values: Vec<usize> = (0..signature.parameters.len())
            .filter(|&i| {
                !is_flag(&signature.parameters[i])
                    && &label[signature.parameters[i].clone()] != "..."
            })
            .collect();
        let (word, words) = word_index(&command.args, &|r| at.abs(r), offset);
        let last = values.len().checked_sub(1);
        // `<src> ... <dest>`: the last word typed after others is the destination.
        let destination_last = label.contains("... <dest>") || label.contains("...\"<dest>");
        let pick = if destination_last && words > 1 && word + 1 >= words {
            last
        } else if destination_last {
            values.first().map(|_| 0)
        } else {
            last.map(|l| word.min(l))
        };
        pick.and_then(|i| values.get(i).copied())
    };
    Some(SignatureHelp {
        signatures,
        active_signature,
        active_parameter,
    })
}

/// The parameters of a usage line: its words after the keyword, `[...]` and `<...>`
/// groups kept whole.
fn parameters(form: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = None;
    for (i, c) in form.char_indices() {
        match c {
            '[' | '<' => depth += 1,
            ']' | '>' => depth -= 1,
            _ => {}
        }
        if c == ' ' && depth <= 0 {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
        } else if start.is_none() && c != ' ' {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(s..form.len());
    }
    // The keyword is no parameter.
    out.into_iter().skip(1).collect()
}

/// Which argument word the cursor is in or after, and how many there are.
fn word_index(
    args: &Arguments,
    abs: &dyn Fn(&Range<usize>) -> Range<usize>,
    offset: usize,
) -> (usize, usize) {
    let words: Vec<Range<usize>> = match args {
        Arguments::List(w) | Arguments::Json(w) => w.iter().map(|w| abs(&w.range)).collect(),
        Arguments::Pairs(p) => p
            .iter()
            .map(|p| abs(&p.key.range).start..abs(&p.value.range).end)
            .collect(),
        Arguments::Text(t) => vec![abs(&t.range)],
        Arguments::Health { kind, .. } => vec![abs(&kind.range)],
        _ => Vec::new(),
    };
    let before = words.iter().filter(|w| w.end < offset).count();
    let inside = words.iter().any(|w| w.start <= offset && offset <= w.end);
    let index = if inside {
        before
    } else {
        before.min(words.len())
    };
    (index, words.len().max(index + 1))
}

/// `--mount=type=<type>,<key>=<value>,…` for one mount type, the key under the cursor
/// active.
fn mount(mount_type: Option<&str>, key: &str) -> SignatureHelp {
    let ty = mount_type.unwrap_or(mounts::DEFAULT_MOUNT_TYPE);
    let mut label = "--mount=".to_string();
    let mut parameters = Vec::new();
    let mut active = None;
    let mut push = |label: &mut String, text: String, is_active: bool| {
        if !parameters.is_empty() {
            label.push(',');
        }
        if is_active {
            active = Some(parameters.len());
        }
        parameters.push(label.len()..label.len() + text.len());
        label.push_str(&text);
    };
    push(
        &mut label,
        format!("type={ty}"),
        key.eq_ignore_ascii_case("type"),
    );
    for k in mounts::keys_for(ty).filter(|k| k.name != "type") {
        let text = if k.may_be_bare {
            k.name.to_string()
        } else {
            format!("{}=<{}>", k.name, k.name)
        };
        push(&mut label, text, k.matches(key));
    }
    let documentation = mounts::mount_type(ty).map(|t| t.summary.to_string());
    SignatureHelp {
        signatures: vec![Signature {
            label,
            documentation,
            parameters,
        }],
        active_signature: 0,
        active_parameter: active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The active signature's label with the active parameter in `«»`.
    fn help(fixture: &str) -> Option<String> {
        let offset = fixture.find("$0").expect("a $0 cursor");
        let text = fixture.replacen("$0", "", 1);
        let snapshot = Snapshot::new(text.as_str());
        let h = signature_help(&snapshot, offset)?;
        let s = &h.signatures[h.active_signature];
        Some(match h.active_parameter.map(|i| s.parameters[i].clone()) {
            Some(r) => format!(
                "{}«{}»{}",
                &s.label[..r.start],
                &s.label[r.clone()],
                &s.label[r.end..]
            ),
            None => s.label.clone(),
        })
    }

    #[test]
    fn instruction_forms_and_parameters() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            help("FROM py$0"),
            some("FROM [--platform=<platform>] «<image>» [AS <name>]")
        );
        assert_eq!(
            help("FROM python AS b$0"),
            some("FROM [--platform=<platform>] <image> «[AS <name>]»")
        );
        assert_eq!(
            help("FROM a\nCOPY a b $0"),
            some("COPY [OPTIONS] <src> ... «<dest>»")
        );
        assert_eq!(
            help("FROM a\nCOPY a$0 b"),
            some("COPY [OPTIONS] «<src>» ... <dest>")
        );
        assert_eq!(
            help("FROM a\nRUN [\"a\"$0]"),
            some("RUN [OPTIONS] «[\"<executable>\", \"<arg>\", ...]»")
        );
        assert_eq!(
            help("FROM a\nRUN <<EOF$0\nx\nEOF\n"),
            some("RUN [OPTIONS] «<<EOF»")
        );
        assert_eq!(
            help("FROM a\nRUN --network=no$0ne x"),
            some("--network«=<default|none|host>»")
        );
        assert_eq!(help("# c$0\nFROM a"), None);
    }

    #[test]
    fn mount_keys() {
        let got = help("FROM a\nRUN --mount=type=cache,tar$0get=/x make").unwrap_or_default();
        assert!(got.starts_with("--mount=type=cache,"), "{got}");
        assert!(got.contains("«target=<target>»"), "{got}");
    }
}
