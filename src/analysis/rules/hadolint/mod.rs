//! hadolint's DL rules, with hadolint's ids, meanings and default severities, read from the
//! model and the shell model instead of hadolint's own parser.
//!
//! Rules BuildKit's build checks already cover are not repeated here: the BuildKit rule is
//! the one reported, and the DL id is accepted as its alias in suppressions and
//! configuration (see [`ALIASES`]). Severities map to the editor's as documented in
//! `editors/README.md`: error → error, warning → warning, info → information, style → hint.
//!
//! One file per rule (`dl3008.rs`: its check and its explanation); what several rules share
//! lives in a module named for their subject (`pinning`, `installs`, `images`, `files`,
//! `labels`, `stages`, `variables`).

pub mod config;
mod context;
mod dl3001;
mod dl3002;
mod dl3003;
mod dl3004;
mod dl3006;
mod dl3007;
mod dl3008;
mod dl3009;
mod dl3010;
mod dl3011;
mod dl3013;
mod dl3014;
mod dl3015;
mod dl3016;
mod dl3018;
mod dl3019;
mod dl3020;
mod dl3021;
mod dl3022;
mod dl3023;
mod dl3026;
mod dl3027;
mod dl3028;
mod dl3029;
mod dl3030;
mod dl3032;
mod dl3033;
mod dl3034;
mod dl3035;
mod dl3036;
mod dl3037;
mod dl3038;
mod dl3040;
mod dl3041;
mod dl3042;
mod dl3043;
mod dl3044;
mod dl3045;
mod dl3046;
mod dl3047;
mod dl3048;
mod dl3049;
mod dl3050;
mod dl3051;
mod dl3052;
mod dl3053;
mod dl3054;
mod dl3055;
mod dl3056;
mod dl3057;
mod dl3058;
mod dl3059;
mod dl3060;
mod dl3061;
mod dl3062;
mod dl3064;
mod dl3066;
mod dl3067;
mod dl4001;
mod dl4005;
mod dl4006;
pub mod family;
mod files;
mod images;
mod installs;
mod labels;
mod pinning;
pub mod pragma;
mod stages;
mod variables;

#[cfg(test)]
mod tests;

use std::ops::Range;

use rayon::prelude::*;

pub use context::{Cx, LabelType, Level, Options, Run};

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

/// Declares the rule table twice from one list: for the group's own pass ([`RULES`]) and
/// as the engine's metadata (`engine_table::ENGINE_RULES`).
macro_rules! rules {
    ($(($code:literal, $level:ident, $summary:literal, $rule:ident)),* $(,)?) => {
        /// Every rule of the group, most frequent on real Dockerfiles first.
        pub static RULES: &[Rule] = &[$(Rule {
            code: $code,
            level: Level::$level,
            summary: $summary,
            check: $rule::check,
        }),*];

        pub(crate) mod engine_table {
            use super::*;
            use crate::analysis::rules::{Group, Rule};

            pub static ENGINE_RULES: &[Rule] = &[$(Rule {
                id: $code,
                group: Group::Hadolint,
                severity: Level::$level.engine_severity(),
                summary: $summary,
                explanation: $rule::EXPLANATION,
                url: Some(concat!("https://github.com/hadolint/hadolint/wiki/", $code)),
                experimental: false,
                tags: &[],
                fix: None,
                safe_fix: false,
                local_config: true,
                check: None,
                stage_local: false,
            }),*];
        }
    };
}

rules! {
    ("DL4006", Warning, "Set the SHELL option -o pipefail before RUN with a pipe in it", dl4006),
    ("DL3008", Warning, "Pin versions in apt-get install", dl3008),
    ("DL3018", Warning, "Pin versions in apk add", dl3018),
    ("DL3047", Info, "Avoid use of wget without progress bar", dl3047),
    ("DL3003", Warning, "Use WORKDIR to switch to a directory", dl3003),
    ("DL3059", Info, "Multiple consecutive RUN instructions", dl3059),
    ("DL3015", Info, "Avoid additional packages by specifying --no-install-recommends", dl3015),
    ("DL3009", Info, "Delete the apt lists after installing something", dl3009),
    ("DL3020", Error, "Use COPY instead of ADD for files and folders", dl3020),
    ("DL3006", Warning, "Always tag the version of an image explicitly", dl3006),
    ("DL3013", Warning, "Pin versions in pip", dl3013),
    ("DL3042", Warning, "Avoid use of cache directory with pip", dl3042),
    ("DL3007", Warning, "Using latest is prone to errors", dl3007),
    ("DL3002", Warning, "Last USER should not be root", dl3002),
    ("DL3004", Error, "Do not use sudo", dl3004),
    ("DL3027", Warning, "Do not use apt, use apt-get or apt-cache", dl3027),
    ("DL3014", Warning, "Use the -y switch with apt-get install", dl3014),
    ("DL3019", Info, "Use the --no-cache switch with apk add", dl3019),
    ("DL3045", Warning, "COPY to a relative destination without WORKDIR set", dl3045),
    ("DL3016", Warning, "Pin versions in npm", dl3016),
    ("DL3022", Warning, "COPY --from should reference a previously defined FROM alias", dl3022),
    ("DL3023", Error, "COPY --from cannot reference its own FROM alias", dl3023),
    ("DL3026", Error, "Use only an allowed registry in the FROM image", dl3026),
    ("DL3033", Warning, "Specify version with yum install", dl3033),
    ("DL3037", Warning, "Specify version with zypper install", dl3037),
    ("DL3041", Warning, "Specify version with dnf install", dl3041),
    ("DL3001", Info, "Command makes no sense in a Docker container", dl3001),
    ("DL3010", Info, "Use ADD for extracting archives into an image", dl3010),
    ("DL3011", Error, "Valid UNIX ports range from 0 to 65535", dl3011),
    ("DL3021", Error, "COPY with more than 2 arguments requires the last argument to end with /", dl3021),
    ("DL3028", Warning, "Pin versions in gem install", dl3028),
    ("DL3029", Warning, "Do not use --platform flag with FROM", dl3029),
    ("DL3030", Warning, "Use the -y switch with yum install", dl3030),
    ("DL3032", Warning, "yum clean all missing after yum command", dl3032),
    ("DL3034", Warning, "Non-interactive switch missing from zypper command", dl3034),
    ("DL3035", Warning, "Do not use zypper dist-upgrade", dl3035),
    ("DL3036", Warning, "zypper clean missing after zypper use", dl3036),
    ("DL3038", Warning, "Use the -y switch with dnf install", dl3038),
    ("DL3040", Warning, "dnf clean all missing after dnf command", dl3040),
    ("DL3043", Error, "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD", dl3043),
    ("DL3044", Error, "Do not refer to an environment variable within the same ENV statement where it is defined", dl3044),
    ("DL3046", Warning, "useradd without flag -l and high UID will result in excessively large image", dl3046),
    ("DL3048", Style, "Invalid label key", dl3048),
    ("DL3049", Info, "Label is missing", dl3049),
    ("DL3050", Info, "Superfluous label(s) present", dl3050),
    ("DL3051", Warning, "Label is empty", dl3051),
    ("DL3052", Warning, "Label is not a valid URL", dl3052),
    ("DL3053", Warning, "Label is not a valid RFC3339 time", dl3053),
    ("DL3054", Warning, "Label is not a valid SPDX identifier", dl3054),
    ("DL3055", Warning, "Label is not a valid git hash", dl3055),
    ("DL3056", Warning, "Label does not conform to semantic versioning", dl3056),
    ("DL3057", Ignore, "HEALTHCHECK instruction missing", dl3057),
    ("DL3058", Warning, "Label is not a valid email format", dl3058),
    ("DL3060", Info, "yarn cache clean missing after yarn install", dl3060),
    ("DL3061", Error, "Dockerfile must begin with FROM, ARG or a comment", dl3061),
    ("DL3062", Warning, "Pin versions in go install", dl3062),
    ("DL3064", Warning, "Potentially sensitive data in ARG or ENV", dl3064),
    ("DL3066", Info, "Non-numeric user-id may not be resolvable by host system", dl3066),
    ("DL3067", Warning, "Do not copy an entire filesystem from another stage", dl3067),
    ("DL4001", Warning, "Either use wget or curl but not both", dl4001),
    ("DL4005", Warning, "Use SHELL to change the default shell", dl4005),
}

/// The rule with this id.
pub fn rule_named(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Every finding of every rule the options leave on, with its severity, in source order.
pub fn check(cx: &Cx<'_>) -> Vec<(Level, Finding)> {
    let run = |rule: &Rule| {
        let level = cx.options.level(rule.code, rule.level);
        let mut found = Vec::new();
        if level != Level::Ignore {
            (rule.check)(cx, &mut found);
        }
        found.into_iter().map(move |f| (level, f))
    };
    // Each rule is a pass over the window, and some collect context from the file before it:
    // on a large file, the two cores share them, even when the window is one stage.
    let mut out: Vec<(Level, Finding)> =
        if cx.model.instructions.len() >= crate::model::PARALLEL_FROM {
            RULES.par_iter().flat_map_iter(run).collect()
        } else {
            RULES.iter().flat_map(run).collect()
        };
    out.sort_by_key(|(_, f)| (f.range.start, f.range.end, f.code));
    out
}

/// The group's findings on a snapshot with the file's `# hadolint ignore=` pragmas applied
/// (for tests and tools that run the group alone).
pub fn findings(snapshot: &crate::analysis::Snapshot, options: &Options) -> Vec<(Level, Finding)> {
    let model = &snapshot.model;
    let cx = Cx::whole(model, snapshot.text(), snapshot.shell(), options);
    let ignores = pragma::Ignores::read(model, snapshot.text());
    check(&cx)
        .into_iter()
        .filter(|(_, f)| !ignores.ignores(model, f.range.start, f.code))
        .collect()
}
