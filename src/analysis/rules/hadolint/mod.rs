//! hadolint's DL rules, with hadolint's ids, meanings and default severities, read from the
//! model and the shell model instead of hadolint's own parser.
//!
//! Rules BuildKit's build checks already cover are not repeated here: the BuildKit rule is
//! the one reported, and the DL id is accepted as its alias in suppressions and
//! configuration (see [`ALIASES`]). Severities map to the editor's as documented in
//! `editors/README.md`: error → error, warning → warning, info → information, style → hint.

mod context;
mod files;
mod images;
mod installs;
mod labels;
mod misc;
mod pinning;
pub mod pragma;
mod shell;
mod stages;

#[cfg(test)]
mod tests;

use std::ops::Range;

pub use context::{Cx, Level, Options};

use crate::analysis::Edit;

/// A finding of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub range: Range<usize>,
    pub message: String,
    /// A mechanical repair: a title and the edits that make it.
    pub fix: Option<(String, Vec<Edit>)>,
}

impl Finding {
    pub fn new(code: &'static str, range: Range<usize>, message: impl Into<String>) -> Finding {
        Finding {
            code,
            range,
            message: message.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Finding {
        self.fix = Some((title.into(), edits));
        self
    }
}

/// A rule: its id, hadolint's default severity, what it says, and its check.
pub struct Rule {
    pub code: &'static str,
    pub level: Level,
    pub summary: &'static str,
    pub check: fn(&Cx<'_>, &mut Vec<Finding>),
}

/// hadolint ids BuildKit's build checks cover, and the BuildKit rule reported instead.
pub const ALIASES: &[(&str, &str)] = &[
    ("DL3000", "WorkdirRelativePath"),
    ("DL3012", "MultipleInstructionsDisallowed"),
    ("DL3024", "DuplicateStageName"),
    ("DL3025", "JSONArgsRecommended"),
    ("DL3063", "ReservedStageName"),
    ("DL3065", "RedundantTargetPlatform"),
    ("DL4000", "MaintainerDeprecated"),
    ("DL4003", "MultipleInstructionsDisallowed"),
    ("DL4004", "MultipleInstructionsDisallowed"),
];

/// Every rule of the group, most frequent on real Dockerfiles first.
pub static RULES: &[Rule] = &[
    rule(
        "DL4006",
        Level::Warning,
        "Set the SHELL option -o pipefail before RUN with a pipe in it",
        shell::dl4006,
    ),
    rule(
        "DL3008",
        Level::Warning,
        "Pin versions in apt-get install",
        pinning::dl3008,
    ),
    rule(
        "DL3018",
        Level::Warning,
        "Pin versions in apk add",
        pinning::dl3018,
    ),
    rule(
        "DL3047",
        Level::Info,
        "Avoid use of wget without progress bar",
        installs::dl3047,
    ),
    rule(
        "DL3003",
        Level::Warning,
        "Use WORKDIR to switch to a directory",
        shell::dl3003,
    ),
    rule(
        "DL3059",
        Level::Info,
        "Multiple consecutive RUN instructions",
        shell::dl3059,
    ),
    rule(
        "DL3015",
        Level::Info,
        "Avoid additional packages by specifying --no-install-recommends",
        installs::dl3015,
    ),
    rule(
        "DL3009",
        Level::Info,
        "Delete the apt lists after installing something",
        installs::dl3009,
    ),
    rule(
        "DL3020",
        Level::Error,
        "Use COPY instead of ADD for files and folders",
        files::dl3020,
    ),
    rule(
        "DL3006",
        Level::Warning,
        "Always tag the version of an image explicitly",
        images::dl3006,
    ),
    rule(
        "DL3013",
        Level::Warning,
        "Pin versions in pip",
        pinning::dl3013,
    ),
    rule(
        "DL3042",
        Level::Warning,
        "Avoid use of cache directory with pip",
        installs::dl3042,
    ),
    rule(
        "DL3007",
        Level::Warning,
        "Using latest is prone to errors",
        images::dl3007,
    ),
    rule(
        "DL3002",
        Level::Warning,
        "Last USER should not be root",
        stages::dl3002,
    ),
    rule("DL3004", Level::Error, "Do not use sudo", shell::dl3004),
    rule(
        "DL3027",
        Level::Warning,
        "Do not use apt, use apt-get or apt-cache",
        installs::dl3027,
    ),
    rule(
        "DL3014",
        Level::Warning,
        "Use the -y switch with apt-get install",
        installs::dl3014,
    ),
    rule(
        "DL3019",
        Level::Info,
        "Use the --no-cache switch with apk add",
        installs::dl3019,
    ),
    rule(
        "DL3045",
        Level::Warning,
        "COPY to a relative destination without WORKDIR set",
        stages::dl3045,
    ),
    rule(
        "DL3016",
        Level::Warning,
        "Pin versions in npm",
        pinning::dl3016,
    ),
    rule(
        "DL3022",
        Level::Warning,
        "COPY --from should reference a previously defined FROM alias",
        stages::dl3022,
    ),
    rule(
        "DL3023",
        Level::Error,
        "COPY --from cannot reference its own FROM alias",
        stages::dl3023,
    ),
    rule(
        "DL3026",
        Level::Error,
        "Use only an allowed registry in the FROM image",
        images::dl3026,
    ),
    rule(
        "DL3033",
        Level::Warning,
        "Specify version with yum install",
        pinning::dl3033,
    ),
    rule(
        "DL3037",
        Level::Warning,
        "Specify version with zypper install",
        pinning::dl3037,
    ),
    rule(
        "DL3041",
        Level::Warning,
        "Specify version with dnf install",
        pinning::dl3041,
    ),
    rule(
        "DL3001",
        Level::Info,
        "Command makes no sense in a Docker container",
        shell::dl3001,
    ),
    rule(
        "DL3010",
        Level::Info,
        "Use ADD for extracting archives into an image",
        files::dl3010,
    ),
    rule(
        "DL3011",
        Level::Error,
        "Valid UNIX ports range from 0 to 65535",
        misc::dl3011,
    ),
    rule(
        "DL3021",
        Level::Error,
        "COPY with more than 2 arguments requires the last argument to end with /",
        files::dl3021,
    ),
    rule(
        "DL3028",
        Level::Warning,
        "Pin versions in gem install",
        pinning::dl3028,
    ),
    rule(
        "DL3029",
        Level::Warning,
        "Do not use --platform flag with FROM",
        images::dl3029,
    ),
    rule(
        "DL3030",
        Level::Warning,
        "Use the -y switch with yum install",
        installs::dl3030,
    ),
    rule(
        "DL3032",
        Level::Warning,
        "yum clean all missing after yum command",
        installs::dl3032,
    ),
    rule(
        "DL3034",
        Level::Warning,
        "Non-interactive switch missing from zypper command",
        installs::dl3034,
    ),
    rule(
        "DL3035",
        Level::Warning,
        "Do not use zypper dist-upgrade",
        installs::dl3035,
    ),
    rule(
        "DL3036",
        Level::Warning,
        "zypper clean missing after zypper use",
        installs::dl3036,
    ),
    rule(
        "DL3038",
        Level::Warning,
        "Use the -y switch with dnf install",
        installs::dl3038,
    ),
    rule(
        "DL3040",
        Level::Warning,
        "dnf clean all missing after dnf command",
        installs::dl3040,
    ),
    rule(
        "DL3043",
        Level::Error,
        "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD",
        misc::dl3043,
    ),
    rule(
        "DL3044",
        Level::Error,
        "Do not refer to an environment variable within the same ENV statement where it is defined",
        misc::dl3044,
    ),
    rule(
        "DL3046",
        Level::Warning,
        "useradd without flag -l and high UID will result in excessively large image",
        shell::dl3046,
    ),
    rule("DL3048", Level::Style, "Invalid label key", labels::dl3048),
    rule("DL3049", Level::Info, "Label is missing", labels::dl3049),
    rule(
        "DL3050",
        Level::Info,
        "Superfluous label(s) present",
        labels::dl3050,
    ),
    rule("DL3051", Level::Warning, "Label is empty", labels::dl3051),
    rule(
        "DL3052",
        Level::Warning,
        "Label is not a valid URL",
        labels::dl3052,
    ),
    rule(
        "DL3053",
        Level::Warning,
        "Label is not a valid RFC3339 time",
        labels::dl3053,
    ),
    rule(
        "DL3054",
        Level::Warning,
        "Label is not a valid SPDX identifier",
        labels::dl3054,
    ),
    rule(
        "DL3055",
        Level::Warning,
        "Label is not a valid git hash",
        labels::dl3055,
    ),
    rule(
        "DL3056",
        Level::Warning,
        "Label does not conform to semantic versioning",
        labels::dl3056,
    ),
    rule(
        "DL3057",
        Level::Ignore,
        "HEALTHCHECK instruction missing",
        stages::dl3057,
    ),
    rule(
        "DL3058",
        Level::Warning,
        "Label is not a valid email format",
        labels::dl3058,
    ),
    rule(
        "DL3060",
        Level::Info,
        "yarn cache clean missing after yarn install",
        installs::dl3060,
    ),
    rule(
        "DL3061",
        Level::Error,
        "Dockerfile must begin with FROM, ARG or a comment",
        misc::dl3061,
    ),
    rule(
        "DL3062",
        Level::Warning,
        "Pin versions in go install",
        pinning::dl3062,
    ),
    rule(
        "DL3064",
        Level::Warning,
        "Potentially sensitive data in ARG or ENV",
        misc::dl3064,
    ),
    rule(
        "DL3066",
        Level::Info,
        "Non-numeric user-id may not be resolvable by host system",
        misc::dl3066,
    ),
    rule(
        "DL3067",
        Level::Warning,
        "Do not copy an entire filesystem from another stage",
        files::dl3067,
    ),
    rule(
        "DL4001",
        Level::Warning,
        "Either use wget or curl but not both",
        shell::dl4001,
    ),
    rule(
        "DL4005",
        Level::Warning,
        "Use SHELL to change the default shell",
        shell::dl4005,
    ),
];

const fn rule(
    code: &'static str,
    level: Level,
    summary: &'static str,
    check: fn(&Cx<'_>, &mut Vec<Finding>),
) -> Rule {
    Rule {
        code,
        level,
        summary,
        check,
    }
}

/// The rule with this id.
pub fn rule_named(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Every finding of every rule the options leave on, with its severity, in source order.
pub fn check(cx: &Cx<'_>) -> Vec<(Level, Finding)> {
    let mut out = Vec::new();
    for rule in RULES {
        let level = cx.options.level(rule.code, rule.level);
        if level == Level::Ignore {
            continue;
        }
        let mut found = Vec::new();
        (rule.check)(cx, &mut found);
        out.extend(found.into_iter().map(|f| (level, f)));
    }
    out.sort_by_key(|(_, f)| (f.range.start, f.range.end, f.code));
    out
}

/// The group's findings for a snapshot as diagnostics with their fixes, after the file's
/// `# hadolint ignore=` pragmas.
pub(crate) fn found(
    snapshot: &crate::analysis::Snapshot,
    options: &Options,
) -> Vec<crate::analysis::diagnostics::Found> {
    use crate::analysis::Diagnostic;
    use crate::analysis::diagnostics::{Fix, Found};
    let model = &snapshot.model;
    let cx = Cx {
        model,
        text: snapshot.text(),
        shell: snapshot.shell(),
        options,
    };
    let ignores = pragma::Ignores::read(model, snapshot.text());
    check(&cx)
        .into_iter()
        .filter(|(_, f)| !ignores.ignores(model, f.range.start, f.code))
        .filter_map(|(level, f)| {
            Some(Found {
                diagnostic: Diagnostic {
                    range: f.range,
                    severity: level.severity()?,
                    code: f.code,
                    message: f.message,
                    related: Vec::new(),
                    tags: Vec::new(),
                },
                fix: f.fix.map(|(title, edits)| Fix { title, edits }),
            })
        })
        .collect()
}
