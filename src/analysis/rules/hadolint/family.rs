//! The hadolint group in the rule engine: one pass over the file reports every DL rule, the
//! file's `# hadolint ignore=` comments become suppressions, and the DL ids that BuildKit's
//! rules cover are their aliases.

use std::sync::OnceLock;

use super::engine_table::ENGINE_RULES;
use super::{Cx, Options, check, pragma::Ignores};
use crate::analysis::rules::{self, Emit, Family, SuppressionsBuilder};

pub static FAMILY: Family = Family {
    rules: ENGINE_RULES,
    check: None,
    local: Some(run),
};

/// The options when no configuration file applies.
fn default_options() -> &'static Options {
    static DEFAULT: OnceLock<Options> = OnceLock::new();
    DEFAULT.get_or_init(Options::default)
}

fn run(cx: &rules::Cx, out: &mut Emit) {
    let options = match &cx.inputs.hadolint {
        Some(config) => &config.options,
        None => default_options(),
    };
    let ours = Cx {
        model: cx.model,
        text: cx.text,
        shell: cx.snapshot.shell(),
        options,
        window: cx.window(),
    };
    for (level, finding) in check(&ours) {
        let Some(severity) = level.severity() else {
            continue;
        };
        let found = out.push(
            severity,
            finding.range,
            finding.code.into(),
            finding.message,
        );
        if let Some((title, edits)) = finding.fix {
            found.fix_edits(title, edits);
        }
    }
}

/// `# hadolint ignore=` above an instruction and `# hadolint global ignore=` anywhere, for
/// every group (hadolint's pragmas also silence ShellCheck's `SC` codes), unless the
/// configuration says `disable-ignore-pragma`.
pub fn suppressions(cx: &rules::Cx, out: &mut SuppressionsBuilder) {
    if cx
        .inputs
        .hadolint
        .as_ref()
        .is_some_and(|c| c.disable_ignore_pragma)
    {
        return;
    }
    let ignores = Ignores::read(cx.model, cx.text);
    for code in ignores.global {
        out.skip_file(code);
    }
    for (index, codes) in ignores.per_instruction.into_iter().enumerate() {
        for code in codes {
            out.skip_at(index, code);
        }
    }
}
