//! The `--flags` of each instruction: value kinds, versions, defaults and hover text.
//!
//! BuildKit's flag syntax is `--name=value`. Flag names are case-sensitive, a non-repeatable
//! flag may be given once, every non-boolean flag needs `=value`, and a boolean flag may be
//! given bare (`--link`) or as `--link=true|false` (value case-insensitive).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// The kind of value a flag takes, for completion and validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagValue {
    /// A boolean that may be given bare (`--link`) or as `=true` / `=false`.
    Bool,
    /// Free text.
    String,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
    /// A Go duration with a unit, such as `30s`, `1m30s` or `500ms`.
    Duration,
    /// A non-negative decimal integer.
    Integer,
    /// A platform such as `linux/amd64` or `linux/arm/v7`; see [`super::platforms`].
    Platform,
    /// File permissions: octal (`755`) or, since Dockerfile 1.14, symbolic (`u=rwX,go=rX`).
    Chmod,
    /// An owner: `<user>[:<group>]`, names or numeric IDs.
    Chown,
    /// A `RUN --mount` specification; see [`super::mounts`].
    Mount,
    /// A build stage name or index, a named build context, or an image reference.
    StageOrImage,
    /// `sha256:<hex>` for HTTP sources, or a (prefix of a) commit hash for Git sources.
    Checksum,
    /// A path pattern with `*`, `?` and `[...]` wildcards.
    Glob,
    /// A CDI device name, optionally followed by `,required`.
    Device,
}

impl FlagValue {
    /// The value part of a usage line: `[=<bool>]` for booleans, `=<...>` otherwise.
    pub fn placeholder(&self) -> String {
        let inner = match self {
            FlagValue::Bool => return "[=<bool>]".to_owned(),
            FlagValue::String => "<value>".to_owned(),
            FlagValue::Enum(words) => words.join("|"),
            FlagValue::Duration => "<duration>".to_owned(),
            FlagValue::Integer => "<n>".to_owned(),
            FlagValue::Platform => "<os>/<arch>[/<variant>]".to_owned(),
            FlagValue::Chmod => "<mode>".to_owned(),
            FlagValue::Chown => "<user>[:<group>]".to_owned(),
            FlagValue::Mount => return "=[type=<type>][,<key>=<value>...]".to_owned(),
            FlagValue::StageOrImage => "<stage|context|image>".to_owned(),
            FlagValue::Checksum => "<sha256:hex|commit>".to_owned(),
            FlagValue::Glob => "<pattern>".to_owned(),
            FlagValue::Device => return "=<name>[,required]".to_owned(),
        };
        if matches!(self, FlagValue::Enum(_)) {
            format!("=<{inner}>")
        } else {
            format!("={inner}")
        }
    }

    /// Whether the flag may appear without `=value`.
    pub fn may_be_bare(&self) -> bool {
        matches!(self, FlagValue::Bool)
    }
}

/// Everything the language server knows about one flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagDoc {
    /// The name without the leading `--`, e.g. `"mount"`.
    pub name: &'static str,
    /// The instructions accepting the flag (uppercase keywords).
    pub instructions: &'static [&'static str],
    /// The kind of value it takes.
    pub value: FlagValue,
    /// Whether it may be given several times (`--mount`, `--exclude`, `--device`).
    pub repeatable: bool,
    /// The first Dockerfile frontend version (`# syntax=docker/dockerfile:<v>`) supporting it.
    pub min_version: Option<&'static str>,
    /// Whether only the labs channel (`docker/dockerfile:<v>-labs`) supports it.
    pub labs_only: bool,
    /// One sentence saying what the flag does.
    pub summary: &'static str,
    /// A short markdown paragraph (a single line).
    pub details: &'static str,
    /// A small example (one or two lines).
    pub example: &'static str,
    /// The section of Docker's Dockerfile reference.
    pub url: &'static str,
    /// The value used when the flag is absent, if there is a simple one.
    pub default: Option<&'static str>,
}

impl FlagDoc {
    /// Whether `instruction` (any case) accepts this flag.
    pub fn applies_to(&self, instruction: &str) -> bool {
        self.instructions
            .iter()
            .any(|i| i.eq_ignore_ascii_case(instruction))
    }
}

/// Looks up the flag `name` of `instruction`. The instruction is matched ignoring case; the
/// flag name is matched exactly, as BuildKit does, and may be given with or without `--`.
pub fn flag(instruction: &str, name: &str) -> Option<&'static FlagDoc> {
    let name = name.strip_prefix("--").unwrap_or(name);
    // Diagnostics look up every flag of the file: a map built once from the table beats
    // comparing the name with each entry in turn. Names are unique across the table, which
    // the test `lookup_agrees_with_the_table` checks along with the lookup itself.
    static BY_NAME: LazyLock<FxHashMap<&'static str, &'static FlagDoc>> =
        LazyLock::new(|| FLAGS.iter().map(|doc| (doc.name, doc)).collect());
    BY_NAME
        .get(name)
        .copied()
        .filter(|doc| doc.applies_to(instruction))
}

/// The flags `instruction` (any case) accepts, in the order of its `flags` list.
pub fn flags_for(instruction: &str) -> impl Iterator<Item = &'static FlagDoc> + use<> {
    let names = super::instructions::instruction(instruction).map_or(&[][..], |doc| doc.flags);
    names
        .iter()
        .filter_map(move |name| FLAGS.iter().find(|doc| doc.name == *name))
}

/// Every flag of every instruction; a flag shared by `ADD` and `COPY` appears once.
pub fn all_flags() -> &'static [FlagDoc] {
    &FLAGS
}

/// Interprets a boolean flag's value as BuildKit does: `None` (bare `--link`) is `true`,
/// `true` and `false` are accepted in any case, and anything else (including an empty value
/// after `=`) is an error, shown here as `None`.
pub fn parse_flag_bool(value: Option<&str>) -> Option<bool> {
    match value {
        None => Some(true),
        Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => None,
    }
}

static FLAGS: [FlagDoc; 19] = [
    FlagDoc {
        name: "platform",
        instructions: &["FROM"],
        value: FlagValue::Platform,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "Selects which platform's variant of a multi-platform base image the stage uses.",
        details: "Without it, the stage uses the build's target platform. Global `ARG`s are expanded, so `--platform=$BUILDPLATFORM` runs the stage natively on the builder, where it can cross-compile for `$TARGETPLATFORM`. A constant value is reported unless the stage name mentions it, and `$TARGETPLATFORM` alone is redundant.",
        example: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build",
        url: "https://docs.docker.com/reference/dockerfile/#from",
        default: None,
    },
    FlagDoc {
        name: "mount",
        instructions: &["RUN"],
        value: FlagValue::Mount,
        repeatable: true,
        min_version: Some("1.2"),
        labs_only: false,
        summary: "Gives the command a bind, cache, tmpfs, secret or SSH mount.",
        details: "The value is a comma-separated list of `key=value` options, usually starting with `type=` (`bind` when omitted). Nothing written into a mount is kept in the layer. Repeat the flag for several mounts.",
        example: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
        url: "https://docs.docker.com/reference/dockerfile/#run---mount",
        default: None,
    },
    FlagDoc {
        name: "network",
        instructions: &["RUN"],
        value: FlagValue::Enum(&["default", "none", "host"]),
        repeatable: false,
        min_version: Some("1.3"),
        labs_only: false,
        summary: "Chooses the network the command runs in.",
        details: "`default` keeps the build's usual network, `none` leaves only an isolated loopback interface, and `host` shares the host's network stack, which requires the `network.host` entitlement on both the daemon and the build.",
        example: "RUN --network=none pip install --no-index --find-links=/wheels app",
        url: "https://docs.docker.com/reference/dockerfile/#run---network",
        default: Some("default"),
    },
    FlagDoc {
        name: "security",
        instructions: &["RUN"],
        value: FlagValue::Enum(&["sandbox", "insecure"]),
        repeatable: false,
        min_version: Some("1.20"),
        labs_only: false,
        summary: "Runs the command in the normal sandbox or with elevated privileges.",
        details: "`insecure` drops the sandbox, much like `docker run --privileged`, and requires the `security.insecure` entitlement on the daemon and for the build. `sandbox` is the default, so writing it changes nothing.",
        example: "RUN --security=insecure mount -t tmpfs none /mnt",
        url: "https://docs.docker.com/reference/dockerfile/#run---security",
        default: Some("sandbox"),
    },
    FlagDoc {
        name: "device",
        instructions: &["RUN"],
        value: FlagValue::Device,
        repeatable: true,
        min_version: Some("1.14"),
        labs_only: true,
        summary: "Makes a CDI device, such as a GPU, available to the command.",
        details: "Name a device registered through the Container Device Interface: `vendor.com/class` (first match), `vendor.com/class=name`, `vendor.com/class=*` (all), or a device class; append `,required` to fail when it is missing. Needs the labs frontend and the `device` entitlement.",
        example: "RUN --device=nvidia.com/gpu=all nvidia-smi",
        url: "https://docs.docker.com/reference/dockerfile/#run---device",
        default: None,
    },
    FlagDoc {
        name: "keep-git-dir",
        instructions: &["ADD"],
        value: FlagValue::Bool,
        repeatable: false,
        min_version: Some("1.1"),
        labs_only: false,
        summary: "Keeps the `.git` directory when adding a Git repository.",
        details: "By default only the checked-out files of a Git source are added. Keep the directory when the build needs repository metadata, for example to run `git describe`.",
        example: "ADD --keep-git-dir=true https://github.com/example/app.git#v1.2.0 /src",
        url: "https://docs.docker.com/reference/dockerfile/#add---keep-git-dir",
        default: Some("false"),
    },
    FlagDoc {
        name: "checksum",
        instructions: &["ADD"],
        value: FlagValue::Checksum,
        repeatable: false,
        min_version: Some("1.6"),
        labs_only: false,
        summary: "Verifies a remote source against a known digest or commit.",
        details: "For an HTTP source, give the SHA-256 digest of the content as `sha256:<hex>` (no other algorithm is supported). For a Git source, give the commit hash or any prefix of it. A mismatch fails the build.",
        example: "ADD --checksum=sha256:9f2c0e5ab1d44c7e8f3a6b0d2e1c4f5a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4 \\\n    https://example.com/tool.tar.gz /opt/",
        url: "https://docs.docker.com/reference/dockerfile/#add---checksum",
        default: None,
    },
    FlagDoc {
        name: "chmod",
        instructions: &["ADD", "COPY"],
        value: FlagValue::Chmod,
        repeatable: false,
        min_version: Some("1.2"),
        labs_only: false,
        summary: "Sets the permission bits of the added files and directories.",
        details: "Takes an octal mode such as `755` or `0644`, or since Dockerfile 1.14 a symbolic one such as `+x` or `u=rwX,go=rX` (capital `X` adds execute only to directories and already-executable files). Variables are expanded. Not supported for Windows containers.",
        example: "COPY --chmod=755 entrypoint.sh /usr/local/bin/",
        url: "https://docs.docker.com/reference/dockerfile/#copy---chmod",
        default: None,
    },
    FlagDoc {
        name: "chown",
        instructions: &["ADD", "COPY"],
        value: FlagValue::Chown,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "Sets the owner and group of the added files.",
        details: "Accepts `user` or `user:group`, as names or numeric IDs in any mix; with only a user, the group gets the same numeric ID. Names are resolved through the image's `/etc/passwd` and `/etc/group`, which is impossible with `--link`, so use numbers there. Not supported for Windows containers.",
        example: "COPY --chown=10001:10001 config/ /etc/app/",
        url: "https://docs.docker.com/reference/dockerfile/#copy---chown",
        default: Some("0:0"),
    },
    FlagDoc {
        name: "link",
        instructions: &["ADD", "COPY"],
        value: FlagValue::Bool,
        repeatable: false,
        min_version: Some("1.4"),
        labs_only: false,
        summary: "Copies into a separate layer that does not depend on the layers before it.",
        details: "The files land in an empty directory that becomes its own layer, stacked on the previous state. The step stays cached when earlier layers change, and images can be rebased without rerunning it. The copy cannot see the existing files: symlinks at the destination are not followed and `--chown` needs numeric IDs.",
        example: "COPY --link --from=build /out/app /usr/local/bin/app",
        url: "https://docs.docker.com/reference/dockerfile/#copy---link",
        default: Some("false"),
    },
    FlagDoc {
        name: "unpack",
        instructions: &["ADD"],
        value: FlagValue::Bool,
        repeatable: false,
        min_version: Some("1.17"),
        labs_only: false,
        summary: "Decides whether tar archives are extracted at the destination.",
        details: "Without the flag, local archives (plain, gzip, bzip2, xz or zstd) are extracted and archives downloaded from a URL are stored as files. `--unpack=true` extracts a download; `--unpack=false` keeps a local archive as is.",
        example: "ADD --unpack=true https://example.com/release.tar.gz /opt/release/",
        url: "https://docs.docker.com/reference/dockerfile/#add---unpack",
        default: None,
    },
    FlagDoc {
        name: "exclude",
        instructions: &["ADD", "COPY"],
        value: FlagValue::Glob,
        repeatable: true,
        min_version: Some("1.19"),
        labs_only: false,
        summary: "Skips source files whose path matches a pattern.",
        details: "Patterns use the same wildcards as the sources (Go's `filepath.Match` rules). Repeat the flag for several patterns; a file matching any of them is left out even if a source names it.",
        example: "COPY --exclude=*.md --exclude=testdata . /src/",
        url: "https://docs.docker.com/reference/dockerfile/#copy---exclude",
        default: None,
    },
    FlagDoc {
        name: "from",
        instructions: &["COPY"],
        value: FlagValue::StageOrImage,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "Copies from a build stage, a named build context or an image instead of the build context.",
        details: "Give a stage name or index, a context passed with `--build-context`, or an image reference. Source paths are then resolved from that source's root. Inside `ONBUILD`, the downstream build's stages and contexts can be used since Dockerfile 1.11.",
        example: "COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/",
        url: "https://docs.docker.com/reference/dockerfile/#copy---from",
        default: None,
    },
    FlagDoc {
        name: "parents",
        instructions: &["COPY"],
        value: FlagValue::Bool,
        repeatable: false,
        min_version: Some("1.20"),
        labs_only: false,
        summary: "Keeps each source's parent directories below the destination.",
        details: "`COPY --parents a/x.txt b/y.txt /dst/` creates `/dst/a/x.txt` and `/dst/b/y.txt` instead of putting both files directly in `/dst/`. A `./` inside a source marks where the kept part starts, and `**` matches any number of directories.",
        example: "COPY --parents ./services/*/package.json /app/",
        url: "https://docs.docker.com/reference/dockerfile/#copy---parents",
        default: Some("false"),
    },
    FlagDoc {
        name: "interval",
        instructions: &["HEALTHCHECK"],
        value: FlagValue::Duration,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "Time between two health checks.",
        details: "The first check runs one interval after the container starts, and each later one an interval after the previous check finished. A duration needs a unit (`30s`, `1m30s`, `500ms`), and a non-zero value must be at least `1ms`.",
        example: "HEALTHCHECK --interval=1m CMD /healthcheck",
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
        default: Some("30s"),
    },
    FlagDoc {
        name: "timeout",
        instructions: &["HEALTHCHECK"],
        value: FlagValue::Duration,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "How long one check may run before it counts as failed.",
        details: "A check still running after this time is killed with `SIGKILL` and counted as a failure.",
        example: "HEALTHCHECK --timeout=5s CMD /healthcheck",
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
        default: Some("30s"),
    },
    FlagDoc {
        name: "start-period",
        instructions: &["HEALTHCHECK"],
        value: FlagValue::Duration,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "Grace period after start-up during which failed checks are not counted.",
        details: "Gives slow starters time to initialise. The first successful check ends the grace period early; after that every failure counts toward `--retries`.",
        example: "HEALTHCHECK --start-period=2m CMD /healthcheck",
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
        default: Some("0s"),
    },
    FlagDoc {
        name: "start-interval",
        instructions: &["HEALTHCHECK"],
        value: FlagValue::Duration,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "Time between checks during the start period.",
        details: "Lets a starting container be declared healthy quickly without checking as often afterwards. The container must run on Docker Engine 25.0 or later.",
        example: "HEALTHCHECK --start-period=1m --start-interval=2s CMD /healthcheck",
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
        default: Some("5s"),
    },
    FlagDoc {
        name: "retries",
        instructions: &["HEALTHCHECK"],
        value: FlagValue::Integer,
        repeatable: false,
        min_version: None,
        labs_only: false,
        summary: "Number of consecutive failed checks that make the container unhealthy.",
        details: "Must not be negative. Failures during `--start-period` do not count.",
        example: "HEALTHCHECK --retries=5 CMD /healthcheck",
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
        default: Some("3"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::instructions::instructions;

    #[test]
    fn instruction_flag_lists_and_flag_table_agree() {
        for doc in instructions() {
            for name in doc.flags {
                let flag = flag(doc.name, name)
                    .unwrap_or_else(|| panic!("{} lists --{name}, which flags.rs lacks", doc.name));
                assert!(flag.applies_to(doc.name));
            }
            assert_eq!(flags_for(doc.name).count(), doc.flags.len(), "{}", doc.name);
        }
        for flag in all_flags() {
            assert!(!flag.instructions.is_empty(), "--{}", flag.name);
            for owner in flag.instructions {
                let doc = crate::catalog::instructions::instruction(owner)
                    .unwrap_or_else(|| panic!("--{}: unknown instruction {owner}", flag.name));
                assert!(
                    doc.flags.contains(&flag.name),
                    "--{} claims {owner}, which does not list it",
                    flag.name
                );
            }
        }
    }

    #[test]
    fn lookup_agrees_with_the_table() {
        let instructions: Vec<String> = instructions()
            .iter()
            .flat_map(|d| [d.name.to_string(), d.name.to_lowercase()])
            .collect();
        for doc in all_flags() {
            let dashed = format!("--{}", doc.name);
            let misspelt = format!("{}x", doc.name);
            for name in [doc.name, &dashed, &misspelt, &doc.name.to_uppercase()] {
                for instruction in &instructions {
                    let bare = name.strip_prefix("--").unwrap_or(name);
                    let by_table = FLAGS
                        .iter()
                        .find(|d| d.name == bare && d.applies_to(instruction));
                    assert_eq!(
                        flag(instruction, name).map(|d| d.name),
                        by_table.map(|d| d.name),
                        "{instruction} {name}"
                    );
                }
            }
        }
    }

    #[test]
    fn flag_names_are_unique_per_instruction() {
        for doc in instructions() {
            let mut names: Vec<_> = flags_for(doc.name).map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), doc.flags.len(), "{}", doc.name);
        }
    }

    #[test]
    fn every_flag_is_documented() {
        for flag in all_flags() {
            assert!(
                flag.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                flag.name
            );
            assert!(
                !flag.summary.is_empty() && !flag.summary.contains('\n'),
                "{}",
                flag.name
            );
            assert!(
                !flag.details.is_empty() && !flag.details.contains('\n'),
                "{}",
                flag.name
            );
            assert!(
                flag.example.contains(&format!("--{}", flag.name)),
                "{}",
                flag.name
            );
            assert!(flag.example.lines().count() <= 2, "{}", flag.name);
            assert!(
                flag.url
                    .starts_with("https://docs.docker.com/reference/dockerfile/#"),
                "{}",
                flag.name
            );
            if let Some(version) = flag.min_version {
                assert!(version.starts_with("1."), "{}", flag.name);
            }
            if let FlagValue::Enum(words) = flag.value {
                let default = flag.default.expect("enum flags have a default");
                assert!(words.contains(&default), "{}", flag.name);
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(flag("run", "mount").map(|f| f.name), Some("mount"));
        assert_eq!(
            flag("RUN", "--network").map(|f| f.default),
            Some(Some("default"))
        );
        assert!(flag("COPY", "checksum").is_none());
        assert!(flag("ADD", "from").is_none());
        assert!(
            flag("RUN", "Mount").is_none(),
            "flag names are case-sensitive"
        );
        assert!(flag("NOPE", "mount").is_none());
        assert_eq!(flag("ADD", "chmod"), flag("COPY", "chmod"));
        let copy: Vec<_> = flags_for("copy").map(|f| f.name).collect();
        assert_eq!(
            copy,
            ["from", "chmod", "chown", "link", "parents", "exclude"]
        );
        assert_eq!(flags_for("CMD").count(), 0);
        // The iterator does not borrow its argument.
        let run_flags = {
            let name = String::from("run");
            flags_for(&name)
        };
        assert_eq!(run_flags.count(), 4);
        assert_eq!(flags_for("unknown").count(), 0);
        let repeatable: Vec<_> = all_flags()
            .iter()
            .filter(|f| f.repeatable)
            .map(|f| f.name)
            .collect();
        assert_eq!(repeatable, ["mount", "device", "exclude"]);
        let labs: Vec<_> = all_flags()
            .iter()
            .filter(|f| f.labs_only)
            .map(|f| f.name)
            .collect();
        assert_eq!(labs, ["device"]);
    }

    #[test]
    fn values() {
        assert_eq!(parse_flag_bool(None), Some(true));
        assert_eq!(parse_flag_bool(Some("TRUE")), Some(true));
        assert_eq!(parse_flag_bool(Some("False")), Some(false));
        assert_eq!(parse_flag_bool(Some("")), None);
        assert_eq!(parse_flag_bool(Some("1")), None);
        assert_eq!(FlagValue::Bool.placeholder(), "[=<bool>]");
        assert_eq!(FlagValue::Enum(&["a", "b"]).placeholder(), "=<a|b>");
        assert_eq!(FlagValue::Duration.placeholder(), "=<duration>");
        assert!(FlagValue::Bool.may_be_bare());
        assert!(!FlagValue::Glob.may_be_bare());
    }
}
