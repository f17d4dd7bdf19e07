//! The tree-sitter-bash parse of a script, read into plain data: the only file that knows
//! tree-sitter-bash's node kinds.
//!
//! A script is parsed once, walked once, and what the rules and the formatter need (commands
//! with their words, operators, protected spans, heredocs) is copied out in script offsets.
//! The tree itself is kept only for the script being edited (see [`parse_after`]).

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

use super::command::{ShellCommand, Word};

/// A list or pipeline operator of the script's top level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperatorKind {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;`
    Semicolon,
    /// `&` (run in the background)
    Background,
    /// A line break between two commands.
    Newline,
    /// `|`
    Pipe,
    /// `|&`
    PipeAll,
}

impl OperatorKind {
    /// Whether the operator joins the commands of one pipeline (rather than a list).
    pub fn is_pipe(self) -> bool {
        matches!(self, OperatorKind::Pipe | OperatorKind::PipeAll)
    }
}

/// An operator and where it is in the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    pub kind: OperatorKind,
    pub range: Range<usize>,
}

/// What the parse of one script yields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Every simple command, nested ones included, parents before their children.
    pub commands: Vec<ShellCommand>,
    /// The list and pipeline operators of the top level, in order.
    pub operators: Vec<Operator>,
    /// Every `|` and `|&`, at any depth.
    pub pipes: Vec<Range<usize>>,
    /// Spans whose text must never be rewritten: quotes, expansions, command and process
    /// substitutions, here-strings, heredocs and comments (outermost only).
    pub protected: Vec<Range<usize>>,
    /// Whether the grammar found a syntax error (what was read around it is still reported).
    pub has_error: bool,
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses a script as bash.
#[cfg(test)]
pub fn parse(script: &str) -> Parsed {
    parse_after(script, None).0
}

/// Parses a script as bash, from the tree of its previous version when there is one
/// (`before`: that version's text and tree): tree-sitter then reads again only around what
/// changed, which on a long script is most of a keystroke's parse. Also returns the tree,
/// for the next version.
pub fn parse_after(script: &str, before: Option<(&str, &Tree)>) -> (Parsed, Option<Tree>) {
    let old = before.map(|(text, tree)| {
        let mut tree = tree.clone();
        tree.edit(&edit_between(text, script));
        tree
    });
    let Some(tree) = parse_tree(script, old.as_ref()) else {
        let parsed = Parsed {
            has_error: true,
            ..Parsed::default()
        };
        return (parsed, None);
    };
    let root = tree.root_node();
    let mut parsed = Parsed {
        has_error: root.has_error(),
        ..Parsed::default()
    };
    walk(root, script, &mut parsed);
    top_level(root, script, &mut parsed.operators);
    (parsed, Some(tree))
}

/// The one edit that turns `old` into `new`: what lies between their common start and
/// their common end.
fn edit_between(old: &str, new: &str) -> InputEdit {
    let (start, common_end) = crate::text::common_ends(old, new);
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let point = |text: &[u8], at: usize| {
        let before = &text[..at];
        let row = before.iter().filter(|&&c| c == b'\n').count();
        let column = before.iter().rev().take_while(|&&c| c != b'\n').count();
        Point::new(row, column)
    };
    InputEdit {
        start_byte: start,
        old_end_byte: a.len() - common_end,
        new_end_byte: b.len() - common_end,
        start_position: point(a, start),
        old_end_position: point(a, a.len() - common_end),
        new_end_position: point(b, b.len() - common_end),
    }
}

fn parse_tree(script: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_bash::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(script, old)
    })
}

/// Kinds whose text is kept exactly as written by a formatter.
fn is_protected(kind: &str) -> bool {
    matches!(
        kind,
        "string"
            | "raw_string"
            | "ansi_c_string"
            | "translated_string"
            | "command_substitution"
            | "process_substitution"
            | "expansion"
            | "arithmetic_expansion"
            | "herestring_redirect"
            | "heredoc_redirect"
            | "comment"
    )
}

/// One pre-order pass over the tree (iterative, so deep nesting cannot exhaust the stack).
fn walk(root: Node<'_>, src: &str, out: &mut Parsed) {
    let mut cursor = root.walk();
    // For each ancestor of the cursor's node: its kind, and whether it or one of its own
    // ancestors nests commands (anything but the plain lists and pipelines of the top level).
    let mut ancestors: Vec<(&str, bool)> = Vec::new();
    // The end of the protected span the cursor is inside, if any.
    let mut protected_until = 0usize;
    loop {
        let node = cursor.node();
        let kind = node.kind();
        let range = node.byte_range();
        if range.start >= protected_until && is_protected(kind) {
            out.protected.push(range.clone());
            protected_until = range.end;
        }
        let parent = ancestors.last().copied();
        match kind {
            "command" => {
                let nested = parent.is_some_and(|(_, nested)| nested);
                let cmd = command(node, src, out.commands.len(), nested);
                out.commands.push(cmd);
            }
            "|" | "|&" if parent.is_some_and(|(k, _)| k == "pipeline") => {
                out.pipes.push(range.clone())
            }
            _ => {}
        }
        let nests = parent.is_some_and(|(_, nested)| nested) || nests_commands(kind);
        if cursor.goto_first_child() {
            ancestors.push((kind, nests));
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            ancestors.pop();
        }
    }
}

/// Whether commands under a node of this kind are nested: in a subshell, a command
/// substitution, a function, a loop or a condition, rather than in the plain lists and
/// pipelines of the top level.
fn nests_commands(kind: &str) -> bool {
    !matches!(
        kind,
        "program" | "list" | "pipeline" | "redirected_statement" | "negated_command"
    )
}

fn command(node: Node<'_>, src: &str, index: usize, nested: bool) -> ShellCommand {
    let mut cursor = node.walk();
    let mut name_word = None;
    let mut args = Vec::new();
    let mut assignments = Vec::new();
    for (i, child) in node.children(&mut cursor).enumerate() {
        match node.field_name_for_child(i as u32) {
            Some("name") => name_word = Some(word(child, src)),
            Some("argument") => args.push(word(child, src)),
            Some("redirect") => {}
            _ if child.kind() == "variable_assignment" => {
                if let Some(name) = child.child_by_field_name("name") {
                    assignments.push(text(src, name.byte_range()).to_string());
                }
            }
            _ => {}
        }
    }
    ShellCommand::new(
        index,
        name_word,
        args,
        assignments,
        node.byte_range(),
        nested,
    )
}

fn text(src: &str, range: Range<usize>) -> &str {
    src.get(range).unwrap_or("")
}

/// A word as a tool receives it, the way hadolint simplifies ShellCheck's tokens: quotes
/// and escapes removed, parameter expansions written `${NAME}`, anything computed kept as
/// written (and the word marked as not literal).
fn word(node: Node<'_>, src: &str) -> Word {
    let mut value = String::new();
    let literal = simplify(node, src, &mut value);
    Word {
        value,
        range: node.byte_range(),
        literal,
    }
}

/// Appends the simplified text of `node` to `out`; returns whether it is a literal.
fn simplify(node: Node<'_>, src: &str, out: &mut String) -> bool {
    let raw = text(src, node.byte_range());
    match node.kind() {
        "command_name" => match node.named_child(0) {
            Some(child) => simplify(child, src, out),
            None => {
                out.push_str(raw);
                true
            }
        },
        "word" | "number" => {
            unescape(raw, false, out);
            true
        }
        "raw_string" => {
            out.push_str(strip(raw, 1, 1));
            true
        }
        "ansi_c_string" => {
            decode_ansi_c(strip(raw, 2, 1), out);
            true
        }
        "string" | "translated_string" | "concatenation" => {
            let quoted = node.kind() != "concatenation";
            let open = if node.kind() == "translated_string" {
                2
            } else {
                1
            };
            let (inner_start, inner_end) = if quoted {
                (node.start_byte() + open, node.end_byte().saturating_sub(1))
            } else {
                (node.start_byte(), node.end_byte())
            };
            let mut literal = true;
            let mut at = inner_start;
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.start_byte() > at {
                    unescape(text(src, at..child.start_byte()), quoted, out);
                }
                if child.kind() == "string_content" {
                    unescape(text(src, child.byte_range()), true, out);
                } else {
                    literal &= simplify(child, src, out);
                }
                at = child.end_byte().max(at);
            }
            if inner_end > at {
                unescape(text(src, at..inner_end), quoted, out);
            }
            literal
        }
        "simple_expansion" => {
            out.push_str("${");
            out.push_str(raw.trim_start_matches('$'));
            out.push('}');
            false
        }
        "command_substitution" if raw.starts_with('`') => {
            out.push_str("${VAR}");
            false
        }
        _ => {
            out.push_str(raw);
            false
        }
    }
}

/// `s` without `open` bytes at the start and `close` at the end (when it is long enough).
fn strip(s: &str, open: usize, close: usize) -> &str {
    s.get(open..s.len().saturating_sub(close)).unwrap_or("")
}

/// Removes the shell's backslash escapes. Inside double quotes a backslash only escapes
/// `$`, `` ` ``, `"`, `\` and a line break; outside quotes it escapes any character.
fn unescape(s: &str, in_double_quotes: bool, out: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('\n') => {
                chars.next();
            }
            Some(next) if !in_double_quotes || matches!(next, '$' | '`' | '"' | '\\') => {
                out.push(next);
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
}

/// Bash's `$'…'` escapes (the common ones; others are kept as written).
fn decode_ansi_c(s: &str, out: &mut String) {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(c @ ('\\' | '\'' | '"')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
}

/// The operators between the statements of the top level, flattening the nested lists and
/// pipelines tree-sitter-bash builds (and the redirected statement it sometimes wraps
/// around a whole list).
fn top_level(root: Node<'_>, src: &str, out: &mut Vec<Operator>) {
    let mut cursor = root.walk();
    let children: Vec<Node<'_>> = root.children(&mut cursor).collect();
    let mut previous_end: Option<usize> = None;
    for child in children {
        let range = child.byte_range();
        if let Some(kind) = operator_kind(child.kind()) {
            out.push(Operator { kind, range });
            previous_end = None;
            continue;
        }
        if child.kind() == "comment" {
            continue;
        }
        if let Some(end) = previous_end {
            // Two statements in a row: a line break separates them.
            if let Some(at) = text(src, end..range.start).find('\n') {
                out.push(Operator {
                    kind: OperatorKind::Newline,
                    range: end + at..end + at + 1,
                });
            }
        }
        statement_operators(child, out);
        previous_end = Some(range.end);
    }
}

fn operator_kind(kind: &str) -> Option<OperatorKind> {
    Some(match kind {
        "&&" => OperatorKind::And,
        "||" => OperatorKind::Or,
        ";" => OperatorKind::Semicolon,
        "&" => OperatorKind::Background,
        "|" => OperatorKind::Pipe,
        "|&" => OperatorKind::PipeAll,
        _ => return None,
    })
}

/// The operators inside one top-level statement (iteratively: lists nest to the left).
fn statement_operators(statement: Node<'_>, out: &mut Vec<Operator>) {
    let mut stack = vec![statement];
    let mut found = Vec::new();
    while let Some(node) = stack.pop() {
        match node.kind() {
            "list" | "pipeline" => {
                let mut cursor = node.walk();
                for child in node.children(&mut cursor) {
                    match operator_kind(child.kind()) {
                        Some(kind) => found.push(Operator {
                            kind,
                            range: child.byte_range(),
                        }),
                        None => stack.push(child),
                    }
                }
            }
            "redirected_statement" => {
                if let Some(body) = node.child_by_field_name("body") {
                    stack.push(body);
                }
            }
            _ => {}
        }
    }
    found.sort_by_key(|o| o.range.start);
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Parsed) -> Vec<&str> {
        p.commands
            .iter()
            .map(|c| c.name.as_deref().unwrap_or("?"))
            .collect()
    }

    /// Reparsing from the previous version's tree reads the same as parsing from scratch,
    /// whatever the edit: each step of a script typed, changed and deleted piece by piece.
    #[test]
    fn a_reparse_reads_like_a_fresh_parse() {
        let steps = [
            "",
            "apt-get update",
            "apt-get update && apt-get install -y curl",
            "apt-get update && apt-get install -y curl \\\n  git",
            "apt-get update && apt-get install -y curl \\\n  git | tee log",
            "apt-get update && \"$(apt-get install -y curl)\" \\\n  git | tee log",
            "apt-get update && \"$(apt-get install -y curl) \\\n  git | tee log",
            "cat <<EOF > /x\nbody $HOME\nEOF\napt-get update",
            "if [ -n \"$A\" ]; then\n  echo é; fi; cd /tmp",
            "cd /tmp",
            "",
        ];
        let mut previous: Option<(String, Tree)> = None;
        for step in steps {
            let (ours, tree) =
                parse_after(step, previous.as_ref().map(|(t, tree)| (t.as_str(), tree)));
            assert_eq!(ours, parse(step), "{step:?}");
            previous = tree.map(|tree| (step.to_string(), tree));
        }
    }

    #[test]
    fn commands_in_order_with_nested_ones() {
        let p = parse("apt-get update && x=$(curl -s u | sh) apt-get install -y a; cd / || exit");
        assert_eq!(
            names(&p),
            ["apt-get", "apt-get", "curl", "sh", "cd", "exit"]
        );
        assert!(!p.commands[0].nested && p.commands[2].nested);
        assert_eq!(p.pipes.len(), 1);
        let ops: Vec<OperatorKind> = p.operators.iter().map(|o| o.kind).collect();
        assert_eq!(
            ops,
            [OperatorKind::And, OperatorKind::Semicolon, OperatorKind::Or]
        );
    }

    #[test]
    fn words_are_simplified_like_hadolint() {
        let p = parse(r#"a "x $y \$z" 'q r' $'t\n' b\ c ${d:-e} "$(f)" `g`"#);
        let args: Vec<(&str, bool)> = p.commands[0]
            .args
            .iter()
            .map(|w| (w.value.as_str(), w.literal))
            .collect();
        assert_eq!(
            args,
            [
                ("x ${y} $z", false),
                ("q r", true),
                ("t\n", true),
                ("b c", true),
                ("${d:-e}", false),
                ("$(f)", false),
                ("${VAR}", false),
            ]
        );
    }

    #[test]
    fn operators_across_lines_and_redirected_lists() {
        let p = parse("a && b | c 2>&1\nd\n");
        let ops: Vec<OperatorKind> = p.operators.iter().map(|o| o.kind).collect();
        assert_eq!(
            ops,
            [OperatorKind::And, OperatorKind::Pipe, OperatorKind::Newline]
        );
        assert_eq!(p.operators[2].range, 15..16);
    }

    #[test]
    fn protected_spans_are_outermost() {
        let src = r#"echo "a $(b "c")" <<< 'x' $((1+2))"#;
        let p = parse(src);
        let spans: Vec<&str> = p.protected.iter().map(|r| &src[r.clone()]).collect();
        assert_eq!(spans, [r#""a $(b "c")""#, "<<< 'x'", "$((1+2))"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = format!("{}x{}", "$(".repeat(3000), ")".repeat(3000));
        let p = parse(&src);
        assert!(!p.commands.is_empty() || p.has_error);
    }
}
