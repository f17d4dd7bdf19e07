//! BuildKit's AST dump (`Node.Dump()`), the format of its parser conformance data.

use super::Model;
use super::go_quote::go_quote;
use super::instruction::Command;
use super::split::{Arguments, go_to_lower};

impl Model {
    /// The dump BuildKit prints for this file: one S-expression per instruction, e.g.
    /// `(copy ["--from=build"] "/out" "/app")`, `(onbuild (run "echo"))`.
    pub fn buildkit_dump(&self) -> String {
        let mut out = String::new();
        for inst in &self.instructions {
            let data = inst.data();
            let mut line = command_dump(&data.command);
            if let Some(trigger) = &data.trigger {
                line.push_str(" (");
                line.push_str(&command_dump(trigger));
                line.push(')');
            }
            out.push('(');
            out.push_str(&line);
            out.push_str(")\n");
        }
        out
    }
}

fn command_dump(command: &Command) -> String {
    let mut s = go_to_lower(&command.keyword);
    if !command.flags.is_empty() {
        // Go's `%q` of a []string: `["--a" "--b"]`.
        let flags: Vec<String> = command.flags.iter().map(|f| go_quote(&f.text)).collect();
        s.push_str(" [");
        s.push_str(&flags.join(" "));
        s.push(']');
    }
    push_args(&mut s, &command.args);
    s
}

fn push_args(s: &mut String, args: &Arguments) {
    if let Arguments::SubCommand(sub) = args {
        // `ONBUILD ONBUILD ...`: BuildKit parses the nesting (and rejects it when building).
        s.push_str(" (");
        s.push_str(&go_to_lower(&sub.command.keyword.value));
        if !sub.command.flags.is_empty() {
            let flags: Vec<String> = sub
                .command
                .flags
                .iter()
                .map(|f| go_quote(&f.value))
                .collect();
            s.push_str(" [");
            s.push_str(&flags.join(" "));
            s.push(']');
        }
        push_args(s, &sub.arguments);
        s.push(')');
        return;
    }
    for value in args.values() {
        s.push(' ');
        s.push_str(&go_quote(value));
    }
}
