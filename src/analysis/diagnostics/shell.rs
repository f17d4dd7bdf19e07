//! SHELL must use the JSON (exec) form; the shell form is rejected by BuildKit.

use super::{CommandCx, Out};
use crate::model::Arguments;

pub(super) fn check_command(c: &CommandCx, out: &mut Out) {
    let Arguments::Text(text) = &c.cmd.args else {
        return;
    };
    let range = c.abs(&text.range);
    let found = out.error(
        range.clone(),
        "shell-not-json",
        "SHELL must be written in JSON form, e.g. SHELL [\"/bin/bash\", \"-c\"]",
    );
    let words = shell_words(&text.value);
    if !words.is_empty() {
        let items: Vec<String> = words
            .iter()
            .map(|w| serde_json::Value::String(w.clone()).to_string())
            .collect();
        let json = format!("[{}]", items.join(", "));
        found.fix(format!("Write {json}"), range, json);
    }
}

/// Splits a shell-form command into words: blanks separate them, quotes group and are
/// removed, and a backslash outside single quotes takes the next character literally.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => word.push(c),
            (_, '\\') => {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
                in_word = true;
            }
            (None, '\'' | '"') => {
                quote = Some(ch);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::super::test_util::check;
    use super::*;

    #[test]
    fn shell_form_is_rejected() {
        check("FROM a\nSHELL [\"/bin/bash\", \"-c\"]\n", &[]);
        check(
            "FROM a\nSHELL /bin/bash -c\n",
            &[("shell-not-json", "/bin/bash -c")],
        );
        check("FROM a\nSHELL []\n", &[("missing-arguments", "SHELL")]);
    }

    #[test]
    fn words() {
        assert_eq!(
            shell_words("pwsh -Command 'a b' \"c\\\"d\""),
            ["pwsh", "-Command", "a b", "c\"d"]
        );
        assert_eq!(shell_words("  "), Vec::<String>::new());
        assert_eq!(shell_words("''"), [""]);
    }
}
