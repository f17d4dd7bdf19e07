//! The 18 Dockerfile instructions: hover text, forms, accepted flags and parsing properties.

/// Everything the language server knows about one instruction keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstructionDoc {
    /// The keyword in its conventional uppercase spelling, e.g. `"RUN"`.
    pub name: &'static str,
    /// One sentence saying what the instruction does.
    pub summary: &'static str,
    /// The accepted forms, one per entry, written as a usage line.
    pub syntax: &'static [&'static str],
    /// A short markdown paragraph (a single line) with the details that matter most.
    pub details: &'static str,
    /// A small, realistic example (at most three lines).
    pub example: &'static str,
    /// The section of Docker's Dockerfile reference.
    pub url: &'static str,
    /// Names (without `--`) of the flags the instruction accepts; see [`super::flags`].
    pub flags: &'static [&'static str],
    /// Whether here-documents (`<<EOF`) may appear in the arguments. For `ONBUILD` this is
    /// `false`: what counts is the wrapped instruction.
    pub allows_heredoc: bool,
    /// Whether the builder itself substitutes `$VAR` / `${VAR}` in the arguments. `RUN`,
    /// `CMD` and `ENTRYPOINT` are `false` (their shell expands variables, not the builder).
    /// `ARG` is `true`: BuildKit expands ARG names and defaults although Docker's list of
    /// expanding instructions omits it. `ONBUILD` is `false`: look at the wrapped instruction.
    pub expands_variables: bool,
    /// Whether the instruction is deprecated (only `MAINTAINER`).
    pub deprecated: bool,
}

/// Looks an instruction up by keyword, ignoring case (`"run"`, `"Run"` and `"RUN"` all match).
pub fn instruction(name: &str) -> Option<&'static InstructionDoc> {
    INSTRUCTIONS
        .iter()
        .find(|doc| doc.name.eq_ignore_ascii_case(name))
}

/// All 18 instructions, in the order Docker's reference presents them.
pub fn instructions() -> &'static [InstructionDoc] {
    &INSTRUCTIONS
}

/// The keywords of all instructions, for completion and "did you mean" hints.
pub fn instruction_names() -> impl Iterator<Item = &'static str> {
    INSTRUCTIONS.iter().map(|doc| doc.name)
}

static INSTRUCTIONS: [InstructionDoc; 18] = [
    InstructionDoc {
        name: "FROM",
        summary: "Starts a new build stage from a base image, an earlier stage, or `scratch`.",
        syntax: &[
            "FROM [--platform=<platform>] <image> [AS <name>]",
            "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
        ],
        details: "Every `FROM` begins a fresh stage with none of the previous stage's state; only `ARG` may come before the first one, and those global ARGs are the only variables `FROM` lines can use. `AS <name>` lets later `FROM`, `COPY --from` and `RUN --mount=from=` refer to the stage; names are lowercased and must match `[a-z][a-z0-9-_.]*`. Without a tag or digest, `latest` is used.",
        example: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build",
        url: "https://docs.docker.com/reference/dockerfile/#from",
        flags: &["platform"],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "RUN",
        summary: "Runs a command during the build and saves the filesystem changes it makes as a new layer.",
        syntax: &[
            "RUN [OPTIONS] <command> ...",
            "RUN [OPTIONS] [\"<executable>\", \"<arg>\", ...]",
            "RUN [OPTIONS] <<EOF",
        ],
        details: "The shell form is handed to the stage's shell (`/bin/sh -c` unless `SHELL` changed it), which is what expands `$VARIABLES`. The exec form is a JSON array started without any shell. A heredoc passes a whole script, and a `#!` first line in it picks the interpreter. Steps are cached: an unchanged line reuses the layer from an earlier build.",
        example: "RUN --mount=type=cache,target=/var/cache/apt \\\n    apt-get update && apt-get install -y curl",
        url: "https://docs.docker.com/reference/dockerfile/#run",
        flags: &["mount", "network", "security", "device"],
        allows_heredoc: true,
        expands_variables: false,
        deprecated: false,
    },
    InstructionDoc {
        name: "CMD",
        summary: "Sets the command a container runs by default, or the default arguments for `ENTRYPOINT`.",
        syntax: &[
            "CMD [\"<executable>\", \"<arg>\", ...]",
            "CMD [\"<arg>\", ...]",
            "CMD <command> <arg> ...",
        ],
        details: "Nothing runs at build time. Only the last `CMD` takes effect, and arguments passed to `docker run` replace it. When it provides arguments for an `ENTRYPOINT`, write both as JSON arrays: the shell form is wrapped in `/bin/sh -c`, and the process then does not receive stop signals directly.",
        example: "CMD [\"nginx\", \"-g\", \"daemon off;\"]",
        url: "https://docs.docker.com/reference/dockerfile/#cmd",
        flags: &[],
        allows_heredoc: false,
        expands_variables: false,
        deprecated: false,
    },
    InstructionDoc {
        name: "LABEL",
        summary: "Adds key-value metadata to the image.",
        syntax: &["LABEL <key>=<value> [<key>=<value> ...]"],
        details: "Quote keys or values containing spaces, with double quotes if `$VARIABLES` should still be expanded. Labels of the base image are inherited and the last value set for a key wins. The old `LABEL key value` form sets a single label and is reported by LegacyKeyValueFormat.",
        example: "LABEL org.opencontainers.image.source=\"https://github.com/example/app\" \\\n      org.opencontainers.image.licenses=\"MIT\"",
        url: "https://docs.docker.com/reference/dockerfile/#label",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "MAINTAINER",
        summary: "Deprecated: records the image author's name in its metadata.",
        syntax: &["MAINTAINER <name>"],
        details: "It only fills the image's *Author* field. Use a label such as `org.opencontainers.image.authors` instead; the MaintainerDeprecated check reports every `MAINTAINER`.",
        example: "LABEL org.opencontainers.image.authors=\"team@example.com\"",
        url: "https://docs.docker.com/reference/dockerfile/#maintainer-deprecated",
        flags: &[],
        allows_heredoc: false,
        expands_variables: false,
        deprecated: true,
    },
    InstructionDoc {
        name: "EXPOSE",
        summary: "Documents which network ports the container is meant to listen on.",
        syntax: &["EXPOSE <port>[/<protocol>] [<port>[/<protocol>] ...]"],
        details: "The protocol is `tcp` (assumed when omitted) or `udp`, in lowercase. Exposing a port does not publish it; that happens when the container is started, with `docker run -p` or `-P`. IP addresses and `host:container` mappings do not belong here.",
        example: "EXPOSE 8080/tcp 5353/udp",
        url: "https://docs.docker.com/reference/dockerfile/#expose",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "ENV",
        summary: "Sets environment variables for the rest of the stage and for containers run from the image.",
        syntax: &["ENV <key>=<value> [<key>=<value> ...]"],
        details: "Values are stored in the image and inherited by stages built on this one; for values needed only while building, use `ARG` or set the variable on the `RUN` line itself. Every substitution within one `ENV` line sees the values from before that line. The old `ENV key value` form sets just one variable.",
        example: "ENV NODE_ENV=production \\\n    PATH=/app/bin:$PATH",
        url: "https://docs.docker.com/reference/dockerfile/#env",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "ADD",
        summary: "Copies files from the build context, a URL or a Git repository into the image.",
        syntax: &[
            "ADD [OPTIONS] <src> ... <dest>",
            "ADD [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        ],
        details: "Local tar archives are extracted, files downloaded from a URL are not (see `--unpack`). A Git source may carry a `#<ref>:<subdir>` fragment and can be pinned with `--checksum`. With several sources the destination must end in `/`. For plain local files `COPY` is the simpler, more predictable choice.",
        example: "ADD --unpack=true https://example.com/release.tar.gz /opt/release/",
        url: "https://docs.docker.com/reference/dockerfile/#add",
        flags: &[
            "keep-git-dir",
            "checksum",
            "chmod",
            "chown",
            "link",
            "unpack",
            "exclude",
        ],
        allows_heredoc: true,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "COPY",
        summary: "Copies files from the build context, another stage, a named context or an image into the image.",
        syntax: &[
            "COPY [OPTIONS] <src> ... <dest>",
            "COPY [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        ],
        details: "Sources are relative to the root of the context (or of the `--from` source) and may contain wildcards; for a directory, its contents are copied rather than the directory itself. A destination ending in `/` is a directory, and a relative one is resolved against `WORKDIR`. A heredoc can replace a source to write an inline file.",
        example: "COPY --from=build --chown=10001:10001 /src/out/ /app/",
        url: "https://docs.docker.com/reference/dockerfile/#copy",
        flags: &["from", "chmod", "chown", "link", "parents", "exclude"],
        allows_heredoc: true,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "ENTRYPOINT",
        summary: "Sets the executable a container runs, so that the image can be used like a command.",
        syntax: &[
            "ENTRYPOINT [\"<executable>\", \"<arg>\", ...]",
            "ENTRYPOINT <command> <arg> ...",
        ],
        details: "In the exec form, `CMD` and the arguments of `docker run` are appended to it. The shell form runs under `/bin/sh -c`, ignores those arguments and is not PID 1, so it misses stop signals unless started with `exec`. Only the last `ENTRYPOINT` counts, and setting one clears any `CMD` inherited from the base image.",
        example: "ENTRYPOINT [\"/usr/local/bin/server\", \"--port=8080\"]",
        url: "https://docs.docker.com/reference/dockerfile/#entrypoint",
        flags: &[],
        allows_heredoc: false,
        expands_variables: false,
        deprecated: false,
    },
    InstructionDoc {
        name: "VOLUME",
        summary: "Declares paths where containers get a volume mounted at run time.",
        syntax: &["VOLUME [\"<path>\", ...]", "VOLUME <path> [<path> ...]"],
        details: "Each container receives a volume at every listed path, initialised with what the image holds there. Which host directory backs it is decided when the container runs, never in the Dockerfile. The JSON form needs double quotes. With BuildKit, later build steps that change the path keep their changes.",
        example: "VOLUME [\"/var/lib/postgresql/data\"]",
        url: "https://docs.docker.com/reference/dockerfile/#volume",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "USER",
        summary: "Sets the user, and optionally the group, for the rest of the stage and for the container.",
        syntax: &["USER <user>[:<group>]", "USER <uid>[:<gid>]"],
        details: "Later `RUN` steps and the container's `ENTRYPOINT` and `CMD` run as this user. When a group is named, the user belongs to that group only; when the user has no primary group, the root group is used. On Windows a non-built-in account has to be created first.",
        example: "USER 10001:10001",
        url: "https://docs.docker.com/reference/dockerfile/#user",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "WORKDIR",
        summary: "Sets the working directory for the instructions that follow and for the container.",
        syntax: &["WORKDIR <path>"],
        details: "`RUN`, `CMD`, `ENTRYPOINT`, `COPY` and `ADD` use it, and it is created when missing. A relative path is appended to the previous `WORKDIR`, possibly one set by the base image, so prefer absolute paths. Variables defined in the Dockerfile are expanded; `~` is not.",
        example: "WORKDIR /app",
        url: "https://docs.docker.com/reference/dockerfile/#workdir",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "ARG",
        summary: "Declares a build argument, optionally with a default, that `docker build --build-arg` can set.",
        syntax: &["ARG <name>[=<default>] [<name>[=<default>] ...]"],
        details: "It is usable from the declaring line to the end of the stage, reaches `RUN` steps as an environment variable, and is not stored in the image; an `ENV` of the same name takes precedence. An `ARG` before the first `FROM` is global: `FROM` lines can use it, stages only after repeating `ARG <name>`. Values appear in the image history, so keep secrets out.",
        example: "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}\nARG GO_VERSION",
        url: "https://docs.docker.com/reference/dockerfile/#arg",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "ONBUILD",
        summary: "Stores an instruction in the image that runs later, when another build uses the image as its base.",
        syntax: &["ONBUILD <INSTRUCTION> <arguments>"],
        details: "Triggers run right after the downstream `FROM`, one after another in the order they were added, and are not passed on to images built later. `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are not allowed. Since Dockerfile 1.11 a trigger may copy or mount from the downstream build's stages and contexts.",
        example: "ONBUILD COPY . /app/src\nONBUILD RUN make -C /app/src",
        url: "https://docs.docker.com/reference/dockerfile/#onbuild",
        flags: &[],
        allows_heredoc: false,
        expands_variables: false,
        deprecated: false,
    },
    InstructionDoc {
        name: "STOPSIGNAL",
        summary: "Sets the signal sent to the container's main process to make it stop.",
        syntax: &["STOPSIGNAL <signal>"],
        details: "Use a name such as `SIGTERM` (the default), `SIGQUIT` or `SIGRTMIN+3`, or a signal number such as `9`. It is what `docker stop` sends first, and `docker run --stop-signal` can override it; keyboard interrupts (Ctrl+C) are unaffected.",
        example: "STOPSIGNAL SIGQUIT",
        url: "https://docs.docker.com/reference/dockerfile/#stopsignal",
        flags: &[],
        allows_heredoc: false,
        expands_variables: true,
        deprecated: false,
    },
    InstructionDoc {
        name: "HEALTHCHECK",
        summary: "Defines a command that tells whether the container still works, or turns off an inherited check.",
        syntax: &["HEALTHCHECK [OPTIONS] CMD <command>", "HEALTHCHECK NONE"],
        details: "The command runs inside the container at regular intervals: exit code `0` means healthy, `1` unhealthy, and `2` is reserved. After `--retries` failures in a row the container becomes unhealthy; failures during `--start-period` are not counted. Only the last `HEALTHCHECK` counts.",
        example: "HEALTHCHECK --interval=30s --timeout=3s \\\n  CMD curl -fs http://localhost/ || exit 1",
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
        flags: &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        allows_heredoc: false,
        expands_variables: false,
        deprecated: false,
    },
    InstructionDoc {
        name: "SHELL",
        summary: "Replaces the shell used by the shell form of `RUN`, `CMD` and `ENTRYPOINT`.",
        syntax: &["SHELL [\"<executable>\", \"<parameter>\", ...]"],
        details: "Only the JSON array form is accepted. The default is `[\"/bin/sh\", \"-c\"]` on Linux and `[\"cmd\", \"/S\", \"/C\"]` on Windows. Each `SHELL` affects the instructions after it and is recorded in the image.",
        example: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
        url: "https://docs.docker.com/reference/dockerfile/#shell",
        flags: &[],
        allows_heredoc: false,
        expands_variables: false,
        deprecated: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn all_eighteen_instructions_are_documented() {
        let expected = [
            "FROM",
            "RUN",
            "CMD",
            "LABEL",
            "MAINTAINER",
            "EXPOSE",
            "ENV",
            "ADD",
            "COPY",
            "ENTRYPOINT",
            "VOLUME",
            "USER",
            "WORKDIR",
            "ARG",
            "ONBUILD",
            "STOPSIGNAL",
            "HEALTHCHECK",
            "SHELL",
        ];
        assert_eq!(instructions().len(), 18);
        for name in expected {
            let doc = instruction(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(doc.name, name);
        }
        let unique: HashSet<_> = instruction_names().collect();
        assert_eq!(unique.len(), 18);
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(instruction("run").map(|d| d.name), Some("RUN"));
        assert_eq!(
            instruction("HealthCheck").map(|d| d.name),
            Some("HEALTHCHECK")
        );
        assert!(instruction("RUNN").is_none());
        assert!(instruction("").is_none());
    }

    #[test]
    fn every_instruction_has_a_doc_and_a_valid_url() {
        for doc in instructions() {
            assert!(
                doc.name.chars().all(|c| c.is_ascii_uppercase()),
                "{}",
                doc.name
            );
            assert!(
                !doc.summary.is_empty() && !doc.summary.contains('\n'),
                "{}",
                doc.name
            );
            assert!(doc.summary.ends_with('.'), "{}", doc.name);
            assert!(
                !doc.details.is_empty() && !doc.details.contains('\n'),
                "{}",
                doc.name
            );
            assert!(
                !doc.syntax.is_empty() && doc.syntax.len() <= 3,
                "{}",
                doc.name
            );
            for form in doc.syntax {
                assert!(form.starts_with(doc.name), "{}: {form}", doc.name);
            }
            assert!(!doc.example.is_empty(), "{}", doc.name);
            assert!(doc.example.lines().count() <= 3, "{}", doc.name);
            let anchor = doc
                .url
                .strip_prefix("https://docs.docker.com/reference/dockerfile/#")
                .unwrap_or_else(|| panic!("{}: bad url {}", doc.name, doc.url));
            assert!(
                anchor.starts_with(&doc.name.to_ascii_lowercase()),
                "{}",
                doc.url
            );
            assert!(
                anchor.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                doc.url
            );
        }
    }

    #[test]
    fn properties_follow_buildkit() {
        let heredoc: Vec<_> = instructions()
            .iter()
            .filter(|d| d.allows_heredoc)
            .map(|d| d.name)
            .collect();
        assert_eq!(heredoc, ["RUN", "ADD", "COPY"]);
        let mut expanding: Vec<_> = instructions()
            .iter()
            .filter(|d| d.expands_variables)
            .map(|d| d.name)
            .collect();
        expanding.sort_unstable();
        assert_eq!(
            expanding,
            [
                "ADD",
                "ARG",
                "COPY",
                "ENV",
                "EXPOSE",
                "FROM",
                "LABEL",
                "STOPSIGNAL",
                "USER",
                "VOLUME",
                "WORKDIR"
            ]
        );
        let deprecated: Vec<_> = instructions()
            .iter()
            .filter(|d| d.deprecated)
            .map(|d| d.name)
            .collect();
        assert_eq!(deprecated, ["MAINTAINER"]);
    }
}
