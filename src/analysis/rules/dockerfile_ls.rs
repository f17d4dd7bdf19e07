//! Our own group (`dockerfile-ls`): what BuildKit refuses before a build starts (its parser,
//! `instructions.Parse` and the conversion to LLB), and mistakes it lets through. Most of
//! these are found by one pass over the file ([`crate::analysis::diagnostics`]); the
//! registry's checks (tags, digests) are added by the LSP layer from cached data.

use super::{Cx, Emit, Family, Rule};
use crate::analysis::types::Severity::{Error, Hint, Information, Warning};

/// The documentation of our own rules: one section per rule in `docs/rules.md`.
pub fn url(id: &str) -> String {
    format!("https://github.com/dockerfile-ls/dockerfile-ls/blob/main/docs/rules.md#{id}")
}

pub static FAMILY: Family = Family {
    rules: RULES,
    check: Some(check),
    local: Some(check_instructions),
};

/// The checks of the file as a whole, and what the conversion refuses.
fn check(cx: &Cx, out: &mut Emit) {
    out.extend(crate::analysis::diagnostics::found_in_file(cx.snapshot));
    for refusal in &cx.converted().refusals {
        out.push(
            refusal.severity,
            refusal.range.clone(),
            refusal.code.into(),
            refusal.message.clone(),
        );
    }
}

/// The checks of each instruction of the window on its own.
fn check_instructions(cx: &Cx, out: &mut Emit) {
    out.extend(crate::analysis::diagnostics::found_in_instructions(
        cx.snapshot,
        cx.window(),
    ));
}

const fn rule(
    id: &'static str,
    severity: crate::analysis::types::Severity,
    summary: &'static str,
    explanation: &'static str,
) -> Rule {
    Rule {
        explanation,
        ..Rule::own(id, severity, summary)
    }
}

/// A rule whose fix, described by `fix`, `check --fix` applies (see [`Rule::safe_fix`]).
const fn safe(fix: &'static str, rule: Rule) -> Rule {
    Rule {
        fix: Some(fix),
        safe_fix: true,
        ..rule
    }
}

static RULES: &[Rule] = &[
    // The parser and the directive header.
    rule(
        "no-instructions",
        Error,
        "A Dockerfile needs at least one instruction.",
        "BuildKit refuses an empty file (or one with only comments): there is nothing to build. Start with a `FROM` line.",
    ),
    rule(
        "duplicate-directive",
        Error,
        "Each parser directive may appear once.",
        "BuildKit stops with an error when the header repeats `# syntax=`, `# escape=` or `# check=`. Keep one.",
    ),
    rule(
        "invalid-escape",
        Error,
        "The escape directive accepts only `\\` or a backtick.",
        "Any other character makes BuildKit refuse the file. The fix restores the default, `\\`.",
    ),
    rule(
        "json-not-string-array",
        Error,
        "An exec-form array may hold strings only.",
        "BuildKit reads a line that starts with `[` as JSON; numbers, objects or `null` inside it make the whole file fail to parse.",
    ),
    rule(
        "name-val-missing-equals",
        Error,
        "Every word of `ENV`/`LABEL` in `key=value` form needs an `=`.",
        "Once the first pair uses `=`, BuildKit reads every word as `key=value` and rejects a word without `=`; quote values that contain spaces.",
    ),
    rule(
        "name-val-two-arguments",
        Error,
        "The legacy `ENV key value` form needs a value.",
        "`ENV NAME` alone is refused: write `ENV NAME=` for an empty value.",
    ),
    rule(
        "onbuild-too-deep",
        Error,
        "ONBUILD triggers cannot be nested.",
        "BuildKit refuses `ONBUILD ONBUILD`; a nesting this deep is never meant.",
    ),
    rule(
        "unterminated-heredoc",
        Error,
        "A heredoc body must end with its terminator line.",
        "Without a line that is exactly the heredoc's name, BuildKit reads to the end of the file and refuses it.",
    ),
    rule(
        "heredoc-syntax",
        Error,
        "A heredoc marker BuildKit cannot read.",
        "BuildKit refuses heredoc markers whose name its shell lexer cannot read (an unterminated quote, say).",
    ),
    safe(
        "Lower-cases the directive's name",
        rule(
            "directive-casing",
            Hint,
            "Parser directives are conventionally lower case.",
            "`# Syntax=` works, since BuildKit compares directive names without case, but every example and tool writes them in lower case.",
        ),
    ),
    rule(
        "ignored-directive",
        Warning,
        "A directive after the header is only a comment.",
        "Directives count only at the very top of the file, before any comment, blank line or instruction; BuildKit reads this one as a comment, so it has no effect.",
    ),
    rule(
        "unknown-directive",
        Hint,
        "A comment that looks like a misspelt directive.",
        "`# sytnax=` is no directive, so BuildKit reads it as a comment and the directive you meant does not apply.",
    ),
    rule(
        "invalid-check-directive",
        Error,
        "`# check=` options BuildKit cannot read.",
        "BuildKit refuses the file when its check directive has an option other than `skip`, `error` and `experimental`, or an `error` that is not a boolean.",
    ),
    rule(
        "unknown-check-rule",
        Warning,
        "`# check=skip=` names a rule that does not exist.",
        "Rule names are case-sensitive; BuildKit silently ignores names it does not know, so the rule you meant stays on.",
    ),
    rule(
        "invalid-syntax-directive",
        Error,
        "The syntax directive must name a frontend image.",
        "BuildKit pulls the image named by `# syntax=` and builds with it; a value that is no image reference fails before anything else.",
    ),
    // Instructions.
    rule(
        "unknown-instruction",
        Error,
        "An instruction BuildKit does not know.",
        "Usually a typo, or a line that was meant to continue the previous instruction but lacks its escape character at the end.",
    ),
    rule(
        "instruction-before-from",
        Error,
        "Only ARG may come before the first FROM.",
        "BuildKit refuses any other instruction there: there is no stage yet for it to act on.",
    ),
    rule(
        "missing-from",
        Error,
        "A Dockerfile needs a FROM.",
        "Without one there is no stage to build, and BuildKit refuses the file.",
    ),
    rule(
        "missing-arguments",
        Error,
        "The instruction has too few arguments.",
        "BuildKit checks the number of arguments of each instruction before building, e.g. `COPY` needs a source and a destination.",
    ),
    rule(
        "blank-name",
        Error,
        "An ARG, ENV or LABEL name may not be empty.",
        "`ENV =x` and friends are refused: write the name before the `=`.",
    ),
    rule(
        "empty-workdir",
        Error,
        "WORKDIR may not be empty.",
        "BuildKit refuses a WORKDIR path that is empty once its variables are expanded (`WORKDIR $UNSET`): it cannot tell which folder is meant. When an ARG without a default is used, a build argument can give it a value, so that is only a warning.",
    ),
    rule(
        "empty-volume",
        Error,
        "VOLUME paths may not be empty.",
        "BuildKit refuses `VOLUME [\"\"]` and any path that is empty once its variables are expanded.",
    ),
    rule(
        "heredoc-destination",
        Error,
        "A COPY or ADD destination cannot be a heredoc.",
        "Heredocs provide file contents, so they can be sources only; the last word must be a path.",
    ),
    rule(
        "copy-url-source",
        Error,
        "COPY cannot download; only ADD fetches URLs.",
        "BuildKit refuses a URL or Git source in COPY. Use ADD (with `--checksum` for a pinned download).",
    ),
    // Flags.
    rule(
        "unknown-flag",
        Error,
        "A flag the instruction does not accept.",
        "BuildKit refuses unknown flags; the message suggests the closest one.",
    ),
    rule(
        "labs-only-flag",
        Error,
        "A flag only the labs frontend accepts.",
        "Flags such as `RUN --device` need `# syntax=docker/dockerfile:1-labs`; the stable frontend refuses them.",
    ),
    rule(
        "flag-needs-newer-syntax",
        Warning,
        "A flag newer than the frontend the syntax directive pins.",
        "The pinned `docker/dockerfile` version does not know this flag yet and will refuse it; raise the pin.",
    ),
    rule(
        "duplicate-flag",
        Error,
        "A flag that may be given once is repeated.",
        "BuildKit refuses the instruction; keep one.",
    ),
    rule(
        "flag-missing-value",
        Error,
        "The flag needs a value.",
        "`--from` without `=value` (or a boolean flag with `=` and nothing after it) is refused.",
    ),
    rule(
        "flag-ignored",
        Warning,
        "A flag BuildKit accepts but ignores here.",
        "Flags on ARG, STOPSIGNAL or `HEALTHCHECK NONE` change nothing; remove them.",
    ),
    rule(
        "invalid-boolean-flag",
        Error,
        "A boolean flag with a value that is no boolean.",
        "Boolean flags accept `true` or `false` (and Go's other spellings of them).",
    ),
    rule(
        "invalid-network",
        Error,
        "`RUN --network` accepts `default`, `none` or `host`.",
        "Any other value is refused.",
    ),
    rule(
        "invalid-security",
        Error,
        "`RUN --security` accepts `sandbox` or `insecure`.",
        "Any other value is refused.",
    ),
    rule(
        "invalid-platform",
        Error,
        "`FROM --platform` must be a platform such as `linux/amd64`.",
        "BuildKit refuses a value that is empty or does not parse as `os[/arch[/variant]]`, after expanding its variables; with variables it is a warning, since build arguments may change them.",
    ),
    rule(
        "unknown-platform",
        Warning,
        "A platform that parses but names no known OS or architecture.",
        "No image is published for it, so pulling the base image will fail.",
    ),
    rule(
        "invalid-chmod",
        Error,
        "`--chmod` must be octal (at most 7777) or symbolic.",
        "BuildKit refuses other values when it prepares the copy.",
    ),
    rule(
        "invalid-chown",
        Warning,
        "`--chown` that cannot name a user and group.",
        "The copy fails when the value cannot be read as `user[:group]`.",
    ),
    rule(
        "invalid-checksum",
        Error,
        "`ADD --checksum` with a value or sources BuildKit refuses.",
        "A checksum must be a digest (`sha256:…`) for one HTTP(S) source, or a commit for one Git source.",
    ),
    rule(
        "invalid-duration",
        Error,
        "A HEALTHCHECK duration BuildKit cannot read.",
        "Durations are Go durations such as `30s` or `1m30s`, and at least 1ms when not zero.",
    ),
    rule(
        "duration-missing-unit",
        Error,
        "A HEALTHCHECK duration without a unit.",
        "Go durations need a unit: `30` is refused, `30s` is meant.",
    ),
    rule(
        "invalid-retries",
        Error,
        "`HEALTHCHECK --retries` must be a non-negative integer.",
        "Any other value is refused.",
    ),
    // Mounts.
    rule(
        "invalid-mount",
        Error,
        "`--mount` must be comma-separated `key=value` fields.",
        "BuildKit refuses a mount it cannot read as CSV, or an empty one.",
    ),
    rule(
        "unknown-mount-key",
        Error,
        "A mount option BuildKit does not know.",
        "The message suggests the closest key.",
    ),
    rule(
        "unknown-mount-type",
        Error,
        "A mount type BuildKit does not know.",
        "Types are `bind`, `cache`, `tmpfs`, `secret` and `ssh`.",
    ),
    rule(
        "mount-missing-value",
        Error,
        "A mount option that needs a value has none.",
        "Only `ro`, `rw` and `required` may stand alone.",
    ),
    rule(
        "invalid-mount-value",
        Error,
        "A mount option with a value BuildKit refuses.",
        "Checked after variables are expanded: `sharing`, `mode`, `uid`, `gid`, `ro`, `rw`, `required` and `size` each accept a fixed form.",
    ),
    rule(
        "mount-key-not-allowed",
        Error,
        "A mount option not allowed for this mount type.",
        "E.g. `mode` on a bind mount, or `required` before `type=secret` (the type must come first).",
    ),
    rule(
        "mount-key-ignored",
        Warning,
        "A mount option that means nothing for this mount type.",
        "BuildKit accepts it and does nothing with it.",
    ),
    rule(
        "mount-missing-key",
        Error,
        "A secret mount needs an id, a source or a target.",
        "BuildKit refuses a secret mount that names none of them.",
    ),
    rule(
        "mount-conflicting-keys",
        Error,
        "A secret mount with both `source` and `id`.",
        "They name the same thing; BuildKit refuses both at once.",
    ),
    rule(
        "mount-invalid-target",
        Error,
        "A mount target of `/`.",
        "BuildKit refuses to mount over the root of the container.",
    ),
    rule(
        "mount-missing-target",
        Warning,
        "A mount without a target and without a WORKDIR.",
        "The mount would land on `/`, which BuildKit refuses when the step runs.",
    ),
    // Stages and images.
    rule(
        "from-variable",
        Error,
        "`COPY --from` and `--mount=from=` do not expand variables.",
        "BuildKit refuses a `$VAR` there. Define a stage `FROM ${VAR} AS name` and copy from `name`.",
    ),
    rule(
        "empty-from",
        Warning,
        "`COPY --from=` with an empty value copies from the context.",
        "It is the same as no `--from` at all; probably a name is missing.",
    ),
    rule(
        "invalid-stage-index",
        Error,
        "`COPY --from=N` names a stage that does not exist.",
        "Stages are numbered from 0 in the order of their FROM lines.",
    ),
    rule(
        "forward-stage-reference",
        Error,
        "A copy or mount from this stage or a later one.",
        "Stages can only use earlier stages; BuildKit refuses the reference (a FROM pulls an image of that name instead, which is a warning).",
    ),
    rule(
        "stage-name-typo",
        Hint,
        "A reference that names no stage but looks like one.",
        "BuildKit takes it for an image and tries to pull it; the closest stage name is suggested.",
    ),
    rule(
        "invalid-image-reference",
        Error,
        "A base image or `--from` that is no image reference.",
        "Image references are lower case `[registry/]path[:tag][@digest]`; BuildKit refuses anything else when it resolves the stage.",
    ),
    rule(
        "from-arguments",
        Error,
        "FROM takes an image and optionally `AS <name>`.",
        "Any other shape is refused.",
    ),
    rule(
        "invalid-stage-name",
        Error,
        "A stage name must start with a letter and use letters, digits, `-`, `_` and `.`.",
        "BuildKit lower-cases the name and then refuses anything else.",
    ),
    // Instruction arguments.
    rule(
        "healthcheck-none-arguments",
        Error,
        "`HEALTHCHECK NONE` takes no arguments.",
        "BuildKit refuses anything after `NONE`.",
    ),
    rule(
        "healthcheck-unknown-type",
        Error,
        "HEALTHCHECK is followed by `CMD` or `NONE`.",
        "Any other word is refused.",
    ),
    rule(
        "healthcheck-missing-command",
        Error,
        "`HEALTHCHECK CMD` needs a command.",
        "BuildKit refuses an empty health check command.",
    ),
    rule(
        "onbuild-invalid-trigger",
        Error,
        "An instruction ONBUILD cannot hold.",
        "`ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are refused.",
    ),
    rule(
        "invalid-port",
        Error,
        "An EXPOSE value that is no port or port range.",
        "Ports are numbers from 0 to 65535, ranges `a-b` with `a <= b`, optionally followed by `/tcp`, `/udp` or `/sctp`; checked after variables are expanded.",
    ),
    rule(
        "invalid-expose-protocol",
        Error,
        "An EXPOSE protocol other than tcp, udp or sctp.",
        "BuildKit refuses other protocols.",
    ),
    rule(
        "invalid-stop-signal",
        Error,
        "A STOPSIGNAL that is no signal.",
        "BuildKit accepts a signal name (`SIGTERM`, `TERM`) or a number, checked after variables are expanded.",
    ),
    rule(
        "unusual-stop-signal",
        Warning,
        "A STOPSIGNAL number that is no Linux signal.",
        "BuildKit accepts any number, but the container runtime cannot send it.",
    ),
    safe(
        "Writes the words as a JSON array",
        rule(
            "shell-not-json",
            Error,
            "SHELL must use the JSON form.",
            "BuildKit refuses `SHELL pwsh -Command`; write `SHELL [\"pwsh\", \"-Command\"]`.",
        ),
    ),
    // What BuildKit refuses while converting the file (after expanding variables).
    rule(
        "invalid-substitution",
        Error,
        "A variable substitution BuildKit's lexer refuses.",
        "BuildKit expands `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR:+word}` and `${VAR:?message}` (and, without a colon, `-`, `+`, `?`, `#`, `%`, `/`) in the words it processes; anything else after `${name:`, an unterminated quote or brace makes it refuse the file.",
    ),
    rule(
        "required-variable",
        Error,
        "`${VAR?message}` or `${VAR:?message}` with the variable unset.",
        "BuildKit stops with the message when the variable is unset (or, with `:?`, empty).",
    ),
    rule(
        "blank-base-name",
        Error,
        "A FROM whose image is empty once expanded.",
        "BuildKit refuses `base name should not be blank`; when a build argument could fill it, BuildKit's InvalidDefaultArgInFrom check reports it instead.",
    ),
    // Registry data (added by the server from its cache).
    rule(
        "floating-tag",
        Information,
        "An image tag that moves (or no tag at all).",
        "Builds of the same Dockerfile can get different images over time; pin the most specific tag or the digest (quick fixes offered).",
    ),
    rule(
        "unknown-tag",
        Warning,
        "A tag the registry does not have.",
        "The registry's complete tag list lacks it, so pulling fails; close tags are suggested.",
    ),
    rule(
        "stale-digest",
        Information,
        "A pinned digest that its tag no longer points to.",
        "The tag has moved on; refresh the digest to get the current image, or keep it on purpose.",
    ),
    // The build context (added by the server when a compose or bake file, or the
    // `buildContext` setting, names the context).
    rule(
        "copy-source-missing",
        Warning,
        "A `COPY`/`ADD` source that matches no file of the build context.",
        "The build fails with `not found`: the path is wrong, the file is excluded by `.dockerignore`, or the context is another folder. Reported only when a compose file, a bake file or the `buildContext` setting names the context; never for `--from` sources, URLs or paths with variables.",
    ),
];
