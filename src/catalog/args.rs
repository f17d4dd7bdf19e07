//! Predefined build arguments: proxy settings, automatic platform ARGs, BuildKit's own ARGs.

/// Where a predefined ARG comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgKind {
    /// Proxy settings, usable in `RUN` without declaring them.
    Proxy,
    /// Set automatically by BuildKit in the global scope, from the build and target platforms.
    Platform,
    /// Read by BuildKit itself to change how the build runs.
    BuildKit,
}

/// Everything the language server knows about one predefined ARG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgDoc {
    /// The exact name (case-sensitive, as BuildKit treats it).
    pub name: &'static str,
    /// Which group it belongs to.
    pub kind: ArgKind,
    /// One sentence saying what it holds or controls.
    pub summary: &'static str,
    /// A short markdown paragraph (a single line).
    pub details: &'static str,
    /// A typical value, e.g. `linux/amd64`. May be empty when the usual value is empty.
    pub example: &'static str,
    /// Whether it is defined only in the global scope (before the first `FROM`), so that a
    /// stage must repeat `ARG <name>` to read it. True for the automatic platform ARGs.
    pub global_until_redeclared: bool,
    /// The first Dockerfile frontend version supporting it, when known and relevant.
    pub min_version: Option<&'static str>,
    /// Whether Docker's reference lists it (some exist only in BuildKit's code).
    pub documented: bool,
    /// Where to read more.
    pub url: &'static str,
}

/// Looks a predefined ARG up by its exact, case-sensitive name (`http_proxy` and
/// `HTTP_PROXY` are distinct entries; `targetplatform` is not predefined).
pub fn predefined_arg(name: &str) -> Option<&'static ArgDoc> {
    PREDEFINED_ARGS.iter().find(|doc| doc.name == name)
}

/// All predefined ARGs, grouped by kind.
pub fn predefined_args() -> &'static [ArgDoc] {
    &PREDEFINED_ARGS
}

/// The predefined ARGs of one kind.
pub fn predefined_args_of(kind: ArgKind) -> impl Iterator<Item = &'static ArgDoc> {
    PREDEFINED_ARGS.iter().filter(move |doc| doc.kind == kind)
}

const PROXY_URL: &str = "https://docs.docker.com/reference/dockerfile/#predefined-args";
const PLATFORM_URL: &str =
    "https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope";
const BUILDKIT_URL: &str =
    "https://docs.docker.com/reference/dockerfile/#buildkit-built-in-build-args";
const SBOM_URL: &str = "https://docs.docker.com/build/metadata/attestations/sbom/";

const PROXY_DETAILS: &str = "Can be passed with `--build-arg` and used by `RUN` steps without an `ARG` line. It is left out of `docker history` and does not invalidate the cache, so credentials in the URL stay private; declaring `ARG <name>` turns it into an ordinary build argument that is recorded.";

const PLATFORM_DETAILS: &str = "Set automatically in the global scope: `FROM` lines can use it directly, but inside a stage it is empty until the stage declares `ARG <name>` without a value.";

const fn proxy(name: &'static str, summary: &'static str, example: &'static str) -> ArgDoc {
    ArgDoc {
        name,
        kind: ArgKind::Proxy,
        summary,
        details: PROXY_DETAILS,
        example,
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: PROXY_URL,
    }
}

const fn platform(
    name: &'static str,
    summary: &'static str,
    example: &'static str,
    documented: bool,
) -> ArgDoc {
    ArgDoc {
        name,
        kind: ArgKind::Platform,
        summary,
        details: PLATFORM_DETAILS,
        example,
        global_until_redeclared: true,
        min_version: None,
        documented,
        url: PLATFORM_URL,
    }
}

static PREDEFINED_ARGS: [ArgDoc; 33] = [
    proxy(
        "HTTP_PROXY",
        "Proxy for plain HTTP requests made during the build.",
        "http://proxy.example.com:3128",
    ),
    proxy(
        "http_proxy",
        "Proxy for plain HTTP requests made during the build (lowercase spelling).",
        "http://proxy.example.com:3128",
    ),
    proxy(
        "HTTPS_PROXY",
        "Proxy for HTTPS requests made during the build.",
        "http://proxy.example.com:3128",
    ),
    proxy(
        "https_proxy",
        "Proxy for HTTPS requests made during the build (lowercase spelling).",
        "http://proxy.example.com:3128",
    ),
    proxy(
        "FTP_PROXY",
        "Proxy for FTP requests made during the build.",
        "http://proxy.example.com:3128",
    ),
    proxy(
        "ftp_proxy",
        "Proxy for FTP requests made during the build (lowercase spelling).",
        "http://proxy.example.com:3128",
    ),
    proxy(
        "NO_PROXY",
        "Hosts and domains, comma-separated, that are reached without the proxy.",
        "localhost,127.0.0.1,.internal.example.com",
    ),
    proxy(
        "no_proxy",
        "Hosts and domains, comma-separated, reached without the proxy (lowercase spelling).",
        "localhost,127.0.0.1,.internal.example.com",
    ),
    proxy(
        "ALL_PROXY",
        "Proxy for any protocol that has no more specific setting.",
        "socks5://proxy.example.com:1080",
    ),
    proxy(
        "all_proxy",
        "Proxy for any protocol without a more specific setting (lowercase spelling).",
        "socks5://proxy.example.com:1080",
    ),
    platform(
        "TARGETPLATFORM",
        "Platform the build produces, such as `linux/amd64` or `linux/arm/v7`.",
        "linux/amd64",
        true,
    ),
    platform(
        "TARGETOS",
        "Operating-system part of `TARGETPLATFORM`, such as `linux` or `windows`.",
        "linux",
        true,
    ),
    platform(
        "TARGETARCH",
        "Architecture part of `TARGETPLATFORM`, such as `amd64` or `arm64`.",
        "amd64",
        true,
    ),
    platform(
        "TARGETVARIANT",
        "Variant part of `TARGETPLATFORM`, such as `v7` for `linux/arm/v7`; often empty.",
        "v7",
        true,
    ),
    platform(
        "BUILDPLATFORM",
        "Platform of the machine running the build, such as `linux/amd64`.",
        "linux/amd64",
        true,
    ),
    platform(
        "BUILDOS",
        "Operating-system part of `BUILDPLATFORM`.",
        "linux",
        true,
    ),
    platform(
        "BUILDARCH",
        "Architecture part of `BUILDPLATFORM`.",
        "amd64",
        true,
    ),
    platform(
        "BUILDVARIANT",
        "Variant part of `BUILDPLATFORM`; usually empty.",
        "",
        true,
    ),
    platform(
        "TARGETOSVERSION",
        "Operating-system version of the target platform, set mainly for Windows targets.",
        "10.0.20348.2340",
        false,
    ),
    platform(
        "BUILDOSVERSION",
        "Operating-system version of the build platform, set mainly on Windows builders.",
        "10.0.20348.2340",
        false,
    ),
    platform(
        "TARGETSTAGE",
        "Name of the stage the build targets; `default` when no target is named.",
        "release",
        false,
    ),
    ArgDoc {
        name: "BUILDKIT_BUILD_NAME",
        kind: ArgKind::BuildKit,
        summary: "Replaces the build's name shown by `docker buildx history` and Docker Desktop.",
        details: "Only changes how the build is labelled in build records; the result is unaffected.",
        example: "api-release",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_CACHE_MOUNT_NS",
        kind: ArgKind::BuildKit,
        summary: "Namespace added to cache-mount IDs, keeping the caches of different projects apart.",
        details: "Cache mounts with the same `id` but a different namespace do not share contents.",
        example: "my-project",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
        kind: ArgKind::BuildKit,
        summary: "Keeps the `.git` directory when the build context is a Git repository.",
        details: "Normally a Git context is checked out without `.git`; keep it when the build reads repository information, for example with `git rev-parse HEAD`.",
        example: "1",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_GIT_ADVICE",
        kind: ArgKind::BuildKit,
        summary: "Shows Git's advice messages, such as detached-HEAD hints, for Git contexts and `ADD` Git sources.",
        details: "Off by default in recent BuildKit releases; set it to a true value to see the messages again.",
        example: "1",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_INLINE_CACHE",
        kind: ArgKind::BuildKit,
        summary: "Stores cache metadata in the image config, so the pushed image can later serve as `--cache-from`.",
        details: "Applies to Docker's integrated builder and `docker buildx build`.",
        example: "1",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_MULTI_PLATFORM",
        kind: ArgKind::BuildKit,
        summary: "Produces the same output format whether one platform or several are built.",
        details: "Opts into deterministic output: a single-platform build is then shaped like a multi-platform one.",
        example: "1",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_SANDBOX_HOSTNAME",
        kind: ArgKind::BuildKit,
        summary: "Host name seen by `RUN` commands; `buildkitsandbox` by default.",
        details: "Useful when a build step checks or records the host name.",
        example: "builder",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_SYNTAX",
        kind: ArgKind::BuildKit,
        summary: "Frontend image to build with, overriding the `# syntax` line.",
        details: "The special value `dockerfile.v0` ignores the `# syntax` directive and uses the frontend built into BuildKit.",
        example: "docker/dockerfile:1",
        global_until_redeclared: false,
        min_version: None,
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "SOURCE_DATE_EPOCH",
        kind: ArgKind::BuildKit,
        summary: "Unix timestamp used as the image's creation time and for layer timestamps, for reproducible builds.",
        details: "Follows the reproducible-builds.org convention; needs Dockerfile 1.5 and BuildKit 0.11 or later.",
        example: "1700000000",
        global_until_redeclared: false,
        min_version: Some("1.5"),
        documented: true,
        url: BUILDKIT_URL,
    },
    ArgDoc {
        name: "BUILDKIT_DOCKERFILE_CHECK",
        kind: ArgKind::BuildKit,
        summary: "Configures the build checks like the `# check` directive does.",
        details: "Takes the directive's syntax, for example `skip=all` or `error=true;experimental=all`.",
        example: "skip=JSONArgsRecommended;error=true",
        global_until_redeclared: false,
        min_version: Some("1.8"),
        documented: false,
        url: "https://docs.docker.com/reference/dockerfile/#check",
    },
    ArgDoc {
        name: "BUILDKIT_SBOM_SCAN_CONTEXT",
        kind: ArgKind::BuildKit,
        summary: "When true, the SBOM generator also scans the build context.",
        details: "Usually declared in the Dockerfile as `ARG BUILDKIT_SBOM_SCAN_CONTEXT=true`; only matters when an SBOM attestation is requested.",
        example: "true",
        global_until_redeclared: false,
        min_version: None,
        documented: false,
        url: SBOM_URL,
    },
    ArgDoc {
        name: "BUILDKIT_SBOM_SCAN_STAGE",
        kind: ArgKind::BuildKit,
        summary: "When true in a stage, the SBOM generator scans that stage as well as the final image.",
        details: "Declare `ARG BUILDKIT_SBOM_SCAN_STAGE=true` in each stage to scan; only matters when an SBOM attestation is requested.",
        example: "true",
        global_until_redeclared: false,
        min_version: None,
        documented: false,
        url: SBOM_URL,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn lookup_is_exact() {
        assert_eq!(
            predefined_arg("HTTP_PROXY").map(|a| a.kind),
            Some(ArgKind::Proxy)
        );
        assert_eq!(
            predefined_arg("http_proxy").map(|a| a.name),
            Some("http_proxy")
        );
        assert!(predefined_arg("Http_Proxy").is_none());
        assert!(predefined_arg("targetplatform").is_none());
        assert_eq!(
            predefined_arg("TARGETPLATFORM").map(|a| a.example),
            Some("linux/amd64")
        );
        assert!(predefined_arg("PATH").is_none());
    }

    #[test]
    fn groups_are_complete() {
        let names: HashSet<_> = predefined_args().iter().map(|a| a.name).collect();
        assert_eq!(names.len(), predefined_args().len(), "duplicate names");
        assert_eq!(predefined_args_of(ArgKind::Proxy).count(), 10);
        let platform: Vec<_> = predefined_args_of(ArgKind::Platform)
            .map(|a| a.name)
            .collect();
        assert_eq!(
            platform,
            [
                "TARGETPLATFORM",
                "TARGETOS",
                "TARGETARCH",
                "TARGETVARIANT",
                "BUILDPLATFORM",
                "BUILDOS",
                "BUILDARCH",
                "BUILDVARIANT",
                "TARGETOSVERSION",
                "BUILDOSVERSION",
                "TARGETSTAGE"
            ]
        );
        for name in [
            "BUILDKIT_BUILD_NAME",
            "BUILDKIT_CACHE_MOUNT_NS",
            "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
            "BUILDKIT_INLINE_CACHE",
            "BUILDKIT_MULTI_PLATFORM",
            "BUILDKIT_SANDBOX_HOSTNAME",
            "BUILDKIT_SYNTAX",
            "SOURCE_DATE_EPOCH",
            "BUILDKIT_DOCKERFILE_CHECK",
            "BUILDKIT_SBOM_SCAN_CONTEXT",
            "BUILDKIT_SBOM_SCAN_STAGE",
        ] {
            assert_eq!(
                predefined_arg(name).map(|a| a.kind),
                Some(ArgKind::BuildKit),
                "{name}"
            );
        }
    }

    #[test]
    fn docs_are_filled_in() {
        for arg in predefined_args() {
            assert_eq!(
                arg.global_until_redeclared,
                arg.kind == ArgKind::Platform,
                "{}",
                arg.name
            );
            assert!(
                !arg.summary.is_empty() && !arg.summary.contains('\n'),
                "{}",
                arg.name
            );
            assert!(
                !arg.details.is_empty() && !arg.details.contains('\n'),
                "{}",
                arg.name
            );
            assert!(
                arg.url.starts_with("https://docs.docker.com/"),
                "{}",
                arg.name
            );
        }
    }
}
