//! Docker image references (`FROM python:3-alpine`): parsing, validation and normalization
//! following the `distribution/reference` grammar that BuildKit uses.
//!
//! Grammar (from the `distribution/reference` documentation):
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [domain "/"] path
//! domain           := host [":" port]            host: domain-name | "[" ipv6 "]"
//! domain-name      := component ("." component)*  component: [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?
//! path             := path-component ("/" path-component)*
//! path-component   := [a-z0-9]+ (separator [a-z0-9]+)*
//! separator        := "." | "_" | "__" | "-"+
//! tag              := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! digest           := algorithm ":" hex
//! ```
//!
//! Which first component is a registry follows Docker's `splitDockerDomain` (current
//! `distribution/reference`): only when the reference has a `/`, and the part before it is
//! `localhost`, contains `.` or `:`, or contains an uppercase letter (Docker Hub namespaces
//! cannot, so `Foo/bar` means registry `Foo`). A reference without `/` is always a Docker
//! Hub official image, so `localhost:5000` is the image `localhost` with tag `5000`.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";
/// The Docker Hub name from registry v1 days, which Docker still rewrites to [`DOCKER_HUB`].
const LEGACY_DOCKER_HUB: &str = "index.docker.io";
/// Namespace of Docker Hub's official images.
const OFFICIAL_PREFIX: &str = "library/";
/// Tag Docker pulls when a reference has neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";
/// Longest repository path Docker accepts, counted after normalization (`library/…`).
pub const MAX_PATH_LEN: usize = 255;
const MAX_TAG_LEN: usize = 128;

/// A parsed, valid image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// Registry host (and port); [`DOCKER_HUB`] when none is written.
    pub registry: String,
    /// Normalized path, e.g. `library/python` for `python`.
    pub repository: String,
    pub tag: Option<String>,
    /// `algorithm:hex`, as written.
    pub digest: Option<String>,
    /// The reference exactly as written.
    pub source: String,
    pub spans: ImageRefSpans,
}

/// Byte ranges inside [`ImageRef::source`], so that edits can replace only one part.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRefSpans {
    /// Registry and path as written, e.g. `python` in `python:3@sha256:…`. A tag is inserted
    /// at `name.end`.
    pub name: Range<usize>,
    /// The tag without its `:`.
    pub tag: Option<Range<usize>>,
    /// The digest without its `@`.
    pub digest: Option<Range<usize>>,
}

/// Why a string is not a valid image reference. Every variant but `Empty` carries `span`, the byte range
/// of the offending part inside the parsed string, for precise diagnostics.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefError {
    #[error("image reference is empty")]
    Empty,
    #[error(
        "a bare 64-character hex string is an image ID, not a repository name; write name@sha256:<hex> to pin a digest"
    )]
    ImageId { span: Range<usize> },
    #[error("repository name must be lowercase: \"{name}\" (did you mean \"{suggestion}\"?)")]
    Uppercase {
        name: String,
        suggestion: String,
        span: Range<usize>,
    },
    #[error("invalid character {ch:?} in {part}")]
    InvalidCharacter {
        ch: char,
        part: RefPart,
        span: Range<usize>,
    },
    #[error("missing image name before the tag or digest")]
    MissingName { span: Range<usize> },
    #[error("repository name has an empty component (stray or doubled '/')")]
    EmptyPathComponent { span: Range<usize> },
    #[error("invalid repository name component \"{component}\": {reason}")]
    InvalidPathComponent {
        component: String,
        reason: &'static str,
        span: Range<usize>,
    },
    #[error("repository name must not be more than {max} characters (it is {len})", max = MAX_PATH_LEN)]
    NameTooLong { len: usize, span: Range<usize> },
    #[error("invalid registry \"{domain}\": {reason}")]
    InvalidDomain {
        domain: String,
        reason: &'static str,
        span: Range<usize>,
    },
    #[error("invalid registry port \"{port}\": a port must be digits only")]
    InvalidPort { port: String, span: Range<usize> },
    #[error("missing tag after ':' (remove the ':' or add a tag such as \"latest\")")]
    EmptyTag { span: Range<usize> },
    #[error("invalid tag \"{tag}\": {reason}")]
    InvalidTag {
        tag: String,
        reason: &'static str,
        span: Range<usize>,
    },
    #[error("missing digest after '@' (expected e.g. sha256:<64 hex digits>)")]
    EmptyDigest { span: Range<usize> },
    #[error("invalid digest \"{digest}\": {reason}")]
    InvalidDigest {
        digest: String,
        reason: String,
        span: Range<usize>,
    },
    #[error("unsupported digest algorithm \"{algorithm}\" (supported: sha256, sha384, sha512)")]
    UnsupportedDigestAlgorithm {
        algorithm: String,
        span: Range<usize>,
    },
}

/// Which part of a reference a character error is in, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefPart {
    Registry,
    Repository,
    Tag,
    Digest,
}

impl fmt::Display for RefPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RefPart::Registry => "registry",
            RefPart::Repository => "repository name",
            RefPart::Tag => "tag",
            RefPart::Digest => "digest",
        })
    }
}

impl ImageRefError {
    /// Byte range inside the parsed string that the error is about; `None` for an empty input.
    pub fn span(&self) -> Option<Range<usize>> {
        use ImageRefError::*;
        match self {
            Empty => None,
            ImageId { span }
            | Uppercase { span, .. }
            | InvalidCharacter { span, .. }
            | MissingName { span }
            | EmptyPathComponent { span }
            | InvalidPathComponent { span, .. }
            | NameTooLong { span, .. }
            | InvalidDomain { span, .. }
            | InvalidPort { span, .. }
            | EmptyTag { span }
            | InvalidTag { span, .. }
            | EmptyDigest { span }
            | InvalidDigest { span, .. }
            | UnsupportedDigestAlgorithm { span, .. } => Some(span.clone()),
        }
    }
}

/// Parses `s` as Docker does for `FROM` (and `--from`, `docker pull`): a normalized named
/// reference with optional tag and digest.
///
/// `s` must already have its ARG references expanded; see [`contains_variable`]. `scratch`
/// is not special here (it parses as `docker.io/library/scratch`); check [`is_scratch`] first.
pub fn parse(s: &str) -> Result<ImageRef, ImageRefError> {
    if s.is_empty() {
        return Err(ImageRefError::Empty);
    }
    if s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(ImageRefError::ImageId { span: 0..s.len() });
    }

    // Neither the name nor the tag may contain '@', so the first one starts the digest.
    let (name_tag_end, digest) = match s.find('@') {
        Some(at) => (at, Some(at + 1..s.len())),
        None => (s.len(), None),
    };
    // A tag cannot contain '/', so only a ':' after the last '/' can start one; an earlier
    // ':' belongs to a registry port.
    let name_tag = &s[..name_tag_end];
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name_end, tag) = match name_tag[last_slash..].find(':') {
        Some(i) => (last_slash + i, Some(last_slash + i + 1..name_tag_end)),
        None => (name_tag_end, None),
    };
    let name = 0..name_end;

    let (domain, path) = split_domain(s, name.clone());
    let path_text = &s[path.clone()];
    // Docker reports an uppercase repository before anything else about the name, with a
    // message users recognise; do the same.
    if path_text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(ImageRefError::Uppercase {
            name: path_text.to_string(),
            suggestion: path_text.to_ascii_lowercase(),
            span: path.clone(),
        });
    }
    if let Some(domain) = domain.clone() {
        check_domain(s, domain)?;
    }
    check_path(s, path.clone())?;
    if let Some(tag) = tag.clone() {
        check_tag(s, tag)?;
    }
    if let Some(digest) = digest.clone() {
        check_digest(s, digest)?;
    }

    let mut registry = match domain.clone() {
        Some(d) => s[d].to_string(),
        None => DOCKER_HUB.to_string(),
    };
    if registry == LEGACY_DOCKER_HUB {
        registry = DOCKER_HUB.to_string();
    }
    let repository = if registry == DOCKER_HUB && !path_text.contains('/') {
        format!("{OFFICIAL_PREFIX}{path_text}")
    } else {
        path_text.to_string()
    };
    if repository.len() > MAX_PATH_LEN {
        return Err(ImageRefError::NameTooLong {
            len: repository.len(),
            span: path,
        });
    }

    Ok(ImageRef {
        registry,
        repository,
        tag: tag.clone().map(|r| s[r].to_string()),
        digest: digest.clone().map(|r| s[r].to_string()),
        source: s.to_string(),
        spans: ImageRefSpans { name, tag, digest },
    })
}

impl FromStr for ImageRef {
    type Err = ImageRefError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl ImageRef {
    /// `registry/repository` without tag or digest, e.g. `docker.io/library/python`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The name as users write it: Docker Hub's `docker.io/` and, for official images,
    /// `library/` dropped (`python`, `bitnami/redis`, `ghcr.io/org/x`).
    pub fn familiar_name(&self) -> String {
        if !self.is_docker_hub() {
            return self.full_name();
        }
        match self.repository.strip_prefix(OFFICIAL_PREFIX) {
            // A nested `library/a/b` is not an official image and keeps its prefix, as in
            // Docker.
            Some(rest) if !rest.contains('/') => rest.to_string(),
            _ => self.repository.clone(),
        }
    }

    /// The fully qualified reference Docker pulls: `docker.io/library/python:latest`,
    /// `name@digest`, or `name:tag@digest`. `latest` is added only when there is neither a
    /// tag nor a digest.
    pub fn normalized(&self) -> String {
        let mut out = self.full_name();
        self.push_suffix(&mut out, true);
        out
    }

    /// The short form users write (`python:3-alpine`, `ghcr.io/org/x:1`), without adding a
    /// default tag.
    pub fn familiar(&self) -> String {
        let mut out = self.familiar_name();
        self.push_suffix(&mut out, false);
        out
    }

    /// Whether the image lives on Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        self.registry == DOCKER_HUB
    }

    /// Whether this is a Docker Official Image (`docker.io/library/<name>`).
    pub fn is_official(&self) -> bool {
        self.is_docker_hub()
            && self
                .repository
                .strip_prefix(OFFICIAL_PREFIX)
                .is_some_and(|rest| !rest.contains('/'))
    }

    /// The tag, or `latest` when none is written. With a digest and no tag, Docker pulls by
    /// digest and no tag is involved; check [`digest`](Self::digest) first where that matters.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or(DEFAULT_TAG)
    }

    fn push_suffix(&self, out: &mut String, default_tag: bool) {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => {
                out.push(':');
                out.push_str(tag);
            }
            (None, None) if default_tag => {
                out.push(':');
                out.push_str(DEFAULT_TAG);
            }
            _ => {}
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
    }
}

/// Whether `s` is the reserved name for the empty base image.
///
/// Only the exact lowercase word counts: BuildKit compares the expanded base name to
/// `"scratch"` case-sensitively, `Scratch` fails as an uppercase repository name, and
/// `scratch:latest` or `docker.io/library/scratch` are ordinary (unpullable) references.
pub fn is_scratch(s: &str) -> bool {
    s == "scratch"
}

/// Whether `s` has a variable reference (`$NAME`, `${NAME…}`, `$1`, `$@`, …) that BuildKit
/// would expand, so that the text is not the final image reference and cannot be checked.
/// Uses the default escape character `\`; see [`contains_variable_with_escape`].
pub fn contains_variable(s: &str) -> bool {
    contains_variable_with_escape(s, '\\')
}

/// [`contains_variable`] for a Dockerfile whose `# escape=` directive chose `escape`.
///
/// A `$` counts when followed by `{`, a letter, a digit, `_` or one of the shell's special
/// parameters; otherwise BuildKit keeps it literally. An escaped `$` is literal. Single quotes
/// are ignored on purpose: they cannot appear in a valid reference anyway, and erring towards
/// "has a variable" only skips a check.
pub fn contains_variable_with_escape(s: &str, escape: char) -> bool {
    // Most words have no `$`, and finding that out is a fast byte search.
    if !s.contains('$') {
        return false;
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == escape {
            chars.next();
        } else if c == '$' {
            match chars.peek() {
                Some(&n)
                    if n == '{'
                        || n == '_'
                        || n.is_alphanumeric()
                        || matches!(n, '@' | '*' | '#' | '?' | '-' | '$' | '!') =>
                {
                    return true;
                }
                _ => {}
            }
        }
    }
    false
}

/// Splits the name `s[name]` into an optional registry and the path, by Docker's rule (see
/// the module docs).
fn split_domain(s: &str, name: Range<usize>) -> (Option<Range<usize>>, Range<usize>) {
    let text = &s[name.clone()];
    let Some(slash) = text.find('/') else {
        return (None, name);
    };
    let first = &text[..slash];
    let is_domain = first == "localhost"
        || first.contains(['.', ':'])
        || first.bytes().any(|b| b.is_ascii_uppercase());
    if is_domain {
        let start = name.start;
        (Some(start..start + slash), start + slash + 1..name.end)
    } else {
        (None, name)
    }
}

fn check_domain(s: &str, domain: Range<usize>) -> Result<(), ImageRefError> {
    let text = &s[domain.clone()];
    let bad = |reason| ImageRefError::InvalidDomain {
        domain: text.to_string(),
        reason,
        span: domain.clone(),
    };
    // An IPv6 host contains ':' itself, so its port can only start after the ']'.
    let port_start = if let Some(inner) = text.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return Err(bad("'[' of an IPv6 address is not closed"));
        };
        let addr = &inner[..close];
        if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return Err(bad(
                "an IPv6 address in brackets may contain only hex digits and ':'",
            ));
        }
        let after = close + 2;
        match text.as_bytes().get(after) {
            None => None,
            Some(b':') => Some(after + 1),
            Some(_) => return Err(bad("only ':port' may follow an IPv6 address")),
        }
    } else {
        let colon = text.find(':');
        let host = &text[..colon.unwrap_or(text.len())];
        if host.is_empty() {
            return Err(bad("the host name is empty"));
        }
        let mut label_start = domain.start;
        for label in host.split('.') {
            if label.is_empty() {
                return Err(bad("the host name has an empty label (stray '.')"));
            }
            if let Some((i, ch)) = label
                .char_indices()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-'))
            {
                let at = label_start + i;
                return Err(ImageRefError::InvalidCharacter {
                    ch,
                    part: RefPart::Registry,
                    span: at..at + ch.len_utf8(),
                });
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(bad("a host name label cannot start or end with '-'"));
            }
            label_start += label.len() + 1;
        }
        colon.map(|i| i + 1)
    };
    if let Some(p) = port_start {
        let digits = &text[p..];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImageRefError::InvalidPort {
                port: digits.to_string(),
                span: domain.start + p..domain.end,
            });
        }
    }
    Ok(())
}

fn check_path(s: &str, path: Range<usize>) -> Result<(), ImageRefError> {
    let text = &s[path.clone()];
    let mut start = path.start;
    for component in text.split('/') {
        let span = start..start + component.len();
        start = span.end + 1;
        if component.is_empty() {
            // Point at an adjacent '/' so the diagnostic has a width.
            let bytes = s.as_bytes();
            let slash = if span.start > 0 && bytes.get(span.start - 1) == Some(&b'/') {
                span.start - 1
            } else if bytes.get(span.start) == Some(&b'/') {
                span.start
            } else {
                // No '/' at all: the whole name is missing (`:tag`, `@digest`); point at
                // the ':' or '@' that follows.
                let width = s[span.start..].chars().next().map_or(0, char::len_utf8);
                return Err(ImageRefError::MissingName {
                    span: span.start..span.start + width,
                });
            };
            return Err(ImageRefError::EmptyPathComponent {
                span: slash..slash + 1,
            });
        }
        check_path_component(component, span)?;
    }
    Ok(())
}

fn check_path_component(component: &str, span: Range<usize>) -> Result<(), ImageRefError> {
    let bad = |reason| ImageRefError::InvalidPathComponent {
        component: component.to_string(),
        reason,
        span: span.clone(),
    };
    if let Some((i, ch)) = component
        .char_indices()
        .find(|&(_, c)| !matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-'))
    {
        let at = span.start + i;
        return Err(ImageRefError::InvalidCharacter {
            ch,
            part: RefPart::Repository,
            span: at..at + ch.len_utf8(),
        });
    }
    let bytes = component.as_bytes();
    let is_sep = |b: u8| matches!(b, b'.' | b'_' | b'-');
    if bytes.first().is_some_and(|&b| is_sep(b)) {
        return Err(bad("it cannot start with '.', '_' or '-'"));
    }
    if bytes.last().is_some_and(|&b| is_sep(b)) {
        return Err(bad("it cannot end with '.', '_' or '-'"));
    }
    // Every maximal run of separator characters must be exactly one allowed separator.
    let mut i = 0;
    while i < bytes.len() {
        if !is_sep(bytes[i]) {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < bytes.len() && is_sep(bytes[i]) {
            i += 1;
        }
        let run = &component[run_start..i];
        let ok = run == "." || run == "_" || run == "__" || run.bytes().all(|b| b == b'-');
        if !ok {
            return Err(bad(
                "separators are a single '.', one or two '_', or one or more '-', never mixed",
            ));
        }
    }
    Ok(())
}

fn check_tag(s: &str, tag: Range<usize>) -> Result<(), ImageRefError> {
    let text = &s[tag.clone()];
    if text.is_empty() {
        // Point at the ':' so the diagnostic has a width.
        let colon = tag.start.saturating_sub(1);
        return Err(ImageRefError::EmptyTag {
            span: colon..tag.start,
        });
    }
    if let Some((i, ch)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        let at = tag.start + i;
        return Err(ImageRefError::InvalidCharacter {
            ch,
            part: RefPart::Tag,
            span: at..at + ch.len_utf8(),
        });
    }
    let bad = |reason| ImageRefError::InvalidTag {
        tag: text.to_string(),
        reason,
        span: tag.clone(),
    };
    if text.starts_with(['.', '-']) {
        return Err(bad("it cannot start with '.' or '-'"));
    }
    if text.len() > MAX_TAG_LEN {
        return Err(bad("it is longer than 128 characters (the limit)"));
    }
    Ok(())
}

/// Digest algorithms Docker can verify, with the hex length of their output.
const DIGEST_ALGORITHMS: [(&str, usize); 3] = [("sha256", 64), ("sha384", 96), ("sha512", 128)];

fn check_digest(s: &str, digest: Range<usize>) -> Result<(), ImageRefError> {
    let text = &s[digest.clone()];
    if text.is_empty() {
        let at = digest.start.saturating_sub(1);
        return Err(ImageRefError::EmptyDigest {
            span: at..digest.start,
        });
    }
    let bad = |reason: String| ImageRefError::InvalidDigest {
        digest: text.to_string(),
        reason,
        span: digest.clone(),
    };
    let Some((algorithm, hex)) = text.split_once(':') else {
        return Err(bad(
            "expected algorithm:hex, e.g. sha256:<64 hex digits>".to_string()
        ));
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|part| {
            let mut b = part.bytes();
            b.next().is_some_and(|c| c.is_ascii_alphabetic())
                && b.all(|c| c.is_ascii_alphanumeric())
        });
    if !algorithm_ok {
        return Err(bad(format!(
            "\"{algorithm}\" is not a valid algorithm name"
        )));
    }
    let Some(&(_, want)) = DIGEST_ALGORITHMS
        .iter()
        .find(|(name, _)| *name == algorithm)
    else {
        return Err(ImageRefError::UnsupportedDigestAlgorithm {
            algorithm: algorithm.to_string(),
            span: digest.start..digest.start + algorithm.len(),
        });
    };
    let lowercase_hex = hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if hex.len() != want || !lowercase_hex {
        let found = if lowercase_hex {
            ""
        } else {
            ", not all of them 0-9 or a-f"
        };
        return Err(bad(format!(
            "{algorithm} needs exactly {want} lowercase hex digits (found {} characters{found})",
            hex.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn ok(s: &str) -> ImageRef {
        match parse(s) {
            Ok(r) => r,
            Err(e) => panic!("{s:?} should parse, got: {e}"),
        }
    }

    fn err(s: &str) -> ImageRefError {
        match parse(s) {
            Ok(r) => panic!("{s:?} should fail, parsed as {r:?}"),
            Err(e) => e,
        }
    }

    #[track_caller]
    fn check(
        s: &str,
        registry: &str,
        repository: &str,
        tag: Option<&str>,
        normalized: &str,
        familiar: &str,
    ) {
        let r = ok(s);
        assert_eq!(r.registry, registry, "registry of {s}");
        assert_eq!(r.repository, repository, "repository of {s}");
        assert_eq!(r.tag.as_deref(), tag, "tag of {s}");
        assert_eq!(r.normalized(), normalized, "normalized {s}");
        assert_eq!(r.familiar(), familiar, "familiar {s}");
        assert_eq!(r.source, s);
    }

    #[test]
    fn docker_hub_official_images() {
        check(
            "python",
            "docker.io",
            "library/python",
            None,
            "docker.io/library/python:latest",
            "python",
        );
        check(
            "python:3-alpine",
            "docker.io",
            "library/python",
            Some("3-alpine"),
            "docker.io/library/python:3-alpine",
            "python:3-alpine",
        );
        check(
            "library/python",
            "docker.io",
            "library/python",
            None,
            "docker.io/library/python:latest",
            "python",
        );
        check(
            "docker.io/python",
            "docker.io",
            "library/python",
            None,
            "docker.io/library/python:latest",
            "python",
        );
        check(
            "index.docker.io/library/python:3",
            "docker.io",
            "library/python",
            Some("3"),
            "docker.io/library/python:3",
            "python:3",
        );
        let r = ok("python");
        assert!(r.is_docker_hub() && r.is_official());
        assert_eq!(r.tag_or_latest(), "latest");
        assert_eq!(ok("python:3").tag_or_latest(), "3");
    }

    #[test]
    fn docker_hub_user_images() {
        check(
            "bitnami/redis:7.2",
            "docker.io",
            "bitnami/redis",
            Some("7.2"),
            "docker.io/bitnami/redis:7.2",
            "bitnami/redis:7.2",
        );
        let r = ok("a/b/c/d");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str()),
            ("docker.io", "a/b/c/d")
        );
        assert!(r.is_docker_hub() && !r.is_official());
        // library/ with nesting is not an official image and is not shortened.
        let r = ok("library/a/b");
        assert!(!r.is_official());
        assert_eq!(r.familiar(), "library/a/b");
    }

    #[test]
    fn other_registries() {
        let d = format!("ghcr.io/owner/img:tag@sha256:{HEX}");
        check(&d, "ghcr.io", "owner/img", Some("tag"), &d, &d);
        let r = ok(&d);
        assert_eq!(r.digest.as_deref(), Some(format!("sha256:{HEX}").as_str()));
        assert!(!r.is_docker_hub() && !r.is_official());

        check(
            "localhost:5000/x",
            "localhost:5000",
            "x",
            None,
            "localhost:5000/x:latest",
            "localhost:5000/x",
        );
        check(
            "localhost/x",
            "localhost",
            "x",
            None,
            "localhost/x:latest",
            "localhost/x",
        );
        check(
            "[::1]:5000/a/b:c",
            "[::1]:5000",
            "a/b",
            Some("c"),
            "[::1]:5000/a/b:c",
            "[::1]:5000/a/b:c",
        );
        check(
            "[fe80::1]/a",
            "[fe80::1]",
            "a",
            None,
            "[fe80::1]/a:latest",
            "[fe80::1]/a",
        );
        check(
            "my.registry:5000/a/b",
            "my.registry:5000",
            "a/b",
            None,
            "my.registry:5000/a/b:latest",
            "my.registry:5000/a/b",
        );
        check(
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "mcr.microsoft.com",
            "dotnet/sdk",
            Some("8.0"),
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "mcr.microsoft.com/dotnet/sdk:8.0",
        );
        check(
            "127.0.0.1:5000/img",
            "127.0.0.1:5000",
            "img",
            None,
            "127.0.0.1:5000/img:latest",
            "127.0.0.1:5000/img",
        );
        // No library/ prefix outside Docker Hub.
        assert_eq!(ok("ghcr.io/x").repository, "x");
    }

    #[test]
    fn first_component_domain_rule() {
        // Without '/', a ':' is a tag, even after "localhost".
        check(
            "localhost:5000",
            "docker.io",
            "library/localhost",
            Some("5000"),
            "docker.io/library/localhost:5000",
            "localhost:5000",
        );
        // Uppercase in the first of several components makes it a registry (current Docker).
        check("Foo/bar", "Foo", "bar", None, "Foo/bar:latest", "Foo/bar");
        // A plain lowercase first component is a Docker Hub namespace.
        assert_eq!(ok("localhostx/y").registry, "docker.io");
        // The legacy name is rewritten only when it is the exact registry.
        assert_eq!(ok("index.docker.io/x").repository, "library/x");
        assert_eq!(
            ok("registry-1.docker.io/x").registry,
            "registry-1.docker.io"
        );
    }

    #[test]
    fn separators() {
        assert_eq!(ok("a__b").repository, "library/a__b");
        assert_eq!(ok("a--b").repository, "library/a--b");
        assert_eq!(ok("a-----b.c_d").repository, "library/a-----b.c_d");
        for s in ["a___b", "a._b", "a..b", "a-_b", "-a", "a-", "_a", "a."] {
            assert!(
                matches!(err(s), ImageRefError::InvalidPathComponent { .. }),
                "{s}"
            );
        }
    }

    #[test]
    fn spans_point_into_the_source() {
        let s = format!("ghcr.io/o/i:v1@sha256:{HEX}");
        let r = ok(&s);
        assert_eq!(&s[r.spans.name.clone()], "ghcr.io/o/i");
        assert_eq!(r.spans.tag.clone().map(|t| &s[t]), Some("v1"));
        assert_eq!(
            r.spans.digest.clone().map(|d| &s[d]),
            Some(format!("sha256:{HEX}").as_str())
        );

        let r = ok("[::1]:5000/a");
        assert_eq!(r.spans.name, 0..12);
        assert_eq!(r.spans.tag, None);

        let s = format!("python@sha256:{HEX}");
        let r = ok(&s);
        assert_eq!(r.spans.name, 0..6);
        assert_eq!(r.spans.tag, None);
        assert_eq!(r.spans.digest, Some(7..s.len()));
        assert_eq!(
            r.normalized(),
            format!("docker.io/library/python@sha256:{HEX}")
        );
        assert_eq!(r.familiar(), s);
        // Digest without tag: "latest" is not invented in the normalized form.
        assert!(!r.normalized().contains(":latest"));
    }

    #[test]
    fn uppercase_repository() {
        let e = err("Python");
        assert!(
            e.to_string().contains("repository name must be lowercase"),
            "{e}"
        );
        assert!(
            e.to_string().contains("\"python\""),
            "suggests the fix: {e}"
        );
        assert_eq!(e.span(), Some(0..6));
        // Uppercase after a registry.
        let e = err("ghcr.io/Owner/img:Tag");
        assert!(
            matches!(e, ImageRefError::Uppercase { ref name, .. } if name == "Owner/img"),
            "{e}"
        );
        assert_eq!(e.span(), Some(8..17));
        // Uppercase in tags and registries is fine.
        assert_eq!(ok("python:RC1").tag.as_deref(), Some("RC1"));
        assert_eq!(ok("My.Registry/x").registry, "My.Registry");
    }

    #[test]
    fn tag_errors() {
        assert!(matches!(err("python:"), ImageRefError::EmptyTag { span } if span == (6..7)));
        assert!(matches!(err("python:.x"), ImageRefError::InvalidTag { .. }));
        assert!(matches!(err("python:-x"), ImageRefError::InvalidTag { .. }));
        assert!(matches!(
            err("python:a+b"),
            ImageRefError::InvalidCharacter {
                ch: '+',
                part: RefPart::Tag,
                ..
            }
        ));
        let long = format!("python:{}", "a".repeat(129));
        assert!(matches!(err(&long), ImageRefError::InvalidTag { .. }));
        ok(&format!("python:{}", "a".repeat(128)));
        ok("python:_private");
        // A second ':' ends up in the tag.
        assert!(matches!(
            err("python:3:4"),
            ImageRefError::InvalidCharacter { ch: ':', .. }
        ));
    }

    #[test]
    fn digest_errors() {
        let e = err("python@sha256:short");
        assert!(matches!(e, ImageRefError::InvalidDigest { .. }));
        assert!(e.to_string().contains("64"), "{e}");
        assert!(matches!(err("python@"), ImageRefError::EmptyDigest { .. }));
        assert!(matches!(
            err("python@sha256"),
            ImageRefError::InvalidDigest { .. }
        ));
        assert!(matches!(
            err(&format!("python@sha256:{}", HEX.to_uppercase())),
            ImageRefError::InvalidDigest { .. }
        ));
        assert!(matches!(
            err(&format!("python@sha256:{HEX}0")),
            ImageRefError::InvalidDigest { .. }
        ));
        let e = err(&format!("python@md5:{}", &HEX[..32]));
        assert!(
            matches!(e, ImageRefError::UnsupportedDigestAlgorithm { ref algorithm, span } if algorithm == "md5" && span == (7..10))
        );
        assert!(matches!(
            err(&format!("python@1sha:{HEX}")),
            ImageRefError::InvalidDigest { .. }
        ));
        assert!(matches!(
            err(&format!("python@sha256:{HEX}@x")),
            ImageRefError::InvalidDigest { .. }
        ));
        ok(&format!("python@sha512:{HEX}{HEX}"));
        ok(&format!("python@sha384:{HEX}{}", &HEX[..32]));
    }

    #[test]
    fn name_errors() {
        assert_eq!(err(""), ImageRefError::Empty);
        assert!(matches!(err(HEX), ImageRefError::ImageId { .. }));
        // 64 hex with a tag is a normal (odd) name.
        ok(&format!("{HEX}:1"));
        assert!(matches!(
            err("a//b"),
            ImageRefError::EmptyPathComponent { .. }
        ));
        assert!(matches!(
            err("a/"),
            ImageRefError::EmptyPathComponent { .. }
        ));
        assert!(matches!(
            err("/a"),
            ImageRefError::EmptyPathComponent { .. }
        ));
        assert!(matches!(
            err("ghcr.io/"),
            ImageRefError::EmptyPathComponent { .. }
        ));
        let e = err("py thon");
        assert!(matches!(
            e,
            ImageRefError::InvalidCharacter {
                ch: ' ',
                part: RefPart::Repository,
                ..
            }
        ));
        assert_eq!(e.span(), Some(2..3));
        let e = err("pythön");
        assert_eq!(e.span(), Some(4..6));
        assert_eq!(err(":tag"), ImageRefError::MissingName { span: 0..1 });
        assert!(matches!(
            err(&format!("@sha256:{HEX}")),
            ImageRefError::MissingName { .. }
        ));
        assert_eq!(err("a//b").span(), Some(1..2));
        assert_eq!(err("a/").span(), Some(1..2));
        assert_eq!(err("/a").span(), Some(0..1));
    }

    #[test]
    fn length_limit_counts_the_normalized_path() {
        // 250 characters is fine on its own but becomes 258 with "library/".
        let e = err(&"a".repeat(250));
        assert!(
            matches!(e, ImageRefError::NameTooLong { len: 258, .. }),
            "{e}"
        );
        ok(&"a".repeat(247));
        ok(&format!("ghcr.io/{}", "a".repeat(255)));
        assert!(matches!(
            err(&format!("ghcr.io/{}", "a".repeat(256))),
            ImageRefError::NameTooLong { .. }
        ));
        // The registry does not count.
        ok(&format!("{}.io/a", "r".repeat(300)));
    }

    #[test]
    fn domain_errors() {
        assert!(matches!(
            err("localhost:/x"),
            ImageRefError::InvalidPort { .. }
        ));
        assert!(matches!(
            err("localhost:50a/x"),
            ImageRefError::InvalidPort { .. }
        ));
        assert!(matches!(err("[::1/x"), ImageRefError::InvalidDomain { .. }));
        assert!(matches!(
            err("[::1]x/y"),
            ImageRefError::InvalidDomain { .. }
        ));
        assert!(matches!(
            err("[]:5000/y"),
            ImageRefError::InvalidDomain { .. }
        ));
        assert!(matches!(
            err("[::g]/y"),
            ImageRefError::InvalidDomain { .. }
        ));
        assert!(matches!(err("a..b/x"), ImageRefError::InvalidDomain { .. }));
        assert!(matches!(err(".a/x"), ImageRefError::InvalidDomain { .. }));
        assert!(matches!(
            err("-a.io/x"),
            ImageRefError::InvalidDomain { .. }
        ));
        assert!(matches!(
            err("a_b.io/x"),
            ImageRefError::InvalidCharacter {
                ch: '_',
                part: RefPart::Registry,
                ..
            }
        ));
        assert!(matches!(
            err("FOO_BAR/x"),
            ImageRefError::InvalidCharacter { ch: '_', .. }
        ));
        let e = err("my.reg:5000:1/x");
        assert!(matches!(e, ImageRefError::InvalidPort { .. }), "{e}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "@", ":", "/", "[", "]", "[:", "a@b@c", "😀", "a:😀", "😀/x", "[😀]/x", "x@😀:1",
            "::/::", "a/[::1]", "\u{0}",
        ] {
            let _ = parse(s);
        }
    }

    proptest::proptest! {
        // Strings built from the characters that matter to the grammar, so that valid
        // references come up often: never a panic, spans always slice the source, and the
        // normalized and familiar forms parse back to the same reference.
        #[test]
        fn parse_is_total_and_normalization_round_trips(
            s in "[a-cA:/@._\\-\\[\\]0-9é]{0,24}|[a-z]{1,5}(\\.io(:[0-9]{1,4})?/)?[a-z]{1,4}(/[a-z]{1,3}){0,2}(:[a-zA-Z0-9._-]{1,6})?"
        ) {
            let parsed = parse(&s);
            if let Err(e) = &parsed
                && let Some(span) = e.span()
            {
                proptest::prop_assert!(s.get(span).is_some(), "bad span for {}: {}", s, e);
            }
            if let Ok(r) = parsed {
                proptest::prop_assert!(s.get(r.spans.name.clone()).is_some());
                proptest::prop_assert_eq!(
                    r.spans.tag.clone().and_then(|t| s.get(t)),
                    r.tag.as_deref()
                );
                proptest::prop_assert_eq!(
                    r.spans.digest.clone().and_then(|d| s.get(d)),
                    r.digest.as_deref()
                );
                for form in [r.normalized(), r.familiar()] {
                    let again = parse(&form);
                    proptest::prop_assert!(again.is_ok(), "{} -> {} fails", s, form);
                    if let Ok(again) = again {
                        proptest::prop_assert_eq!(&again.registry, &r.registry);
                        proptest::prop_assert_eq!(&again.repository, &r.repository);
                        proptest::prop_assert_eq!(&again.digest, &r.digest);
                    }
                }
            }
        }
    }

    #[test]
    fn scratch_is_exact() {
        assert!(is_scratch("scratch"));
        assert!(!is_scratch("Scratch"));
        assert!(!is_scratch("SCRATCH"));
        assert!(!is_scratch("scratch:latest"));
        assert!(!is_scratch(" scratch"));
    }

    #[test]
    fn variables() {
        assert!(contains_variable("$BASE"));
        assert!(contains_variable("python:${VERSION}-slim"));
        assert!(contains_variable("${REGISTRY:-docker.io}/x"));
        assert!(contains_variable("img:$1"));
        assert!(contains_variable("img:$_x"));
        assert!(!contains_variable("python:3"));
        assert!(!contains_variable("price$"));
        assert!(!contains_variable("a$/b"));
        assert!(!contains_variable("a\\$B"));
        assert!(contains_variable("a\\\\$B"));
        assert!(!contains_variable_with_escape("a`$B", '`'));
        assert!(contains_variable_with_escape("a\\$B", '`'));
    }
}
