//! Tag semantics: the anatomy of a tag (`3.14.7-alpine3.24` is version 3.14.7 plus the variant
//! `alpine3.24`), version comparison as Renovate does it, which tags float, the order
//! completion shows them in, and "same shape" updates. Pure functions on names and the data
//! of a tag list; no network.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::types::TagInfo;

/// Words that mark a prerelease when they stand alone (`3.15-rc-alpine`) or follow the
/// version digits (`3.15.0rc1`).
const PRERELEASE_WORDS: &[&str] = &["rc", "alpha", "beta", "a", "b", "pre", "dev"];

/// How long without a push, relative to the newest tag of the repository, makes a tag
/// "stale" (no longer rebuilt). Relative so that answers do not depend on the local clock.
const STALE_AFTER_SECS: i64 = 30 * 24 * 60 * 60;

/// A version token: numeric release parts and an optional prerelease label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub parts: Vec<u64>,
    /// `rc1` in `3.15.0rc1`.
    pub pre: Option<String>,
}

impl Version {
    pub fn precision(&self) -> usize {
        self.parts.len()
    }

    pub fn major(&self) -> u64 {
        self.parts.first().copied().unwrap_or(0)
    }

    /// Whether `self` continues `other` part by part (`3.14.7` extends `3` and `3.14`).
    pub fn extends(&self, other: &Version) -> bool {
        self.parts.len() >= other.parts.len() && self.parts.starts_with(&other.parts)
    }
}

/// Renovate's docker-versioning order: parts compare numerically, and when one version is a
/// prefix of the other the shorter is bigger (`3` > `3.14`, since `3` follows the newest
/// 3.x); a stable release beats a prerelease of the same parts.
pub fn compare_versions(a: &Version, b: &Version) -> Ordering {
    for (x, y) in a.parts.iter().zip(&b.parts) {
        match x.cmp(y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    match b.parts.len().cmp(&a.parts.len()) {
        Ordering::Equal => {}
        other => return other,
    }
    match (&a.pre, &b.pre) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    }
}

/// What one `-`-separated piece of a tag is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// The version (`3.14.7`, `21.0.12_8`, `8u502-b07`, `3.15.0rc1`).
    Version,
    /// A date stamp (`20260811.1`): the tag is a snapshot that is never re-pushed.
    Date,
    /// A variant word carrying its own version (`alpine3.24`, `ltsc2022`, `alpine-3.24`).
    VersionedWord,
    /// Anything else (`alpine`, `slim`, `bookworm`, `lts`, `latest`).
    Word,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub kind: TokenKind,
}

impl Token {
    /// The alphabetic start of a word, so that `alpine3.24` refines `alpine`.
    pub fn stem(&self) -> &str {
        let end = self
            .text
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.text.len());
        &self.text[..end]
    }
}

/// A tag split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anatomy {
    pub tag: String,
    pub tokens: Vec<Token>,
    /// Index into `tokens` of the version token, with its value.
    pub version: Option<(usize, Version)>,
    /// Index into `tokens` of the date stamp.
    pub date: Option<usize>,
}

impl Anatomy {
    pub fn parse(tag: &str) -> Anatomy {
        let mut tokens: Vec<Token> = Vec::new();
        let mut version: Option<(usize, Version)> = None;
        let mut date = None;
        let mut pieces = tag.split('-').peekable();
        while let Some(piece) = pieces.next() {
            if version.is_none() && date.is_none() && is_date(piece) {
                date = Some(tokens.len());
                tokens.push(token(piece, TokenKind::Date));
                continue;
            }
            if version.is_none()
                && let Some(mut v) = parse_version(piece)
            {
                let mut text = piece.to_string();
                // Java 8's `8u502-b07`: the build number is one more version part.
                if is_java8(piece)
                    && let Some(build) = pieces.peek().and_then(|p| p.strip_prefix('b'))
                    && let Ok(n) = build.parse::<u64>()
                {
                    v.parts.push(n);
                    text.push('-');
                    text.push_str(pieces.next().unwrap_or_default());
                }
                version = Some((tokens.len(), v));
                tokens.push(token(&text, TokenKind::Version));
                continue;
            }
            if date.is_none() && version.is_some() && is_date(piece) {
                date = Some(tokens.len());
                tokens.push(token(piece, TokenKind::Date));
                continue;
            }
            // After the version, a bare number following a word is that word's version
            // (eclipse-temurin's `alpine-3.24`).
            if version.is_some()
                && is_numeric(piece)
                && let Some(prev) = tokens.last_mut()
                && prev.kind == TokenKind::Word
            {
                prev.text.push('-');
                prev.text.push_str(piece);
                prev.kind = TokenKind::VersionedWord;
                continue;
            }
            let kind = if is_versioned_word(piece) {
                TokenKind::VersionedWord
            } else {
                TokenKind::Word
            };
            tokens.push(token(piece, kind));
        }
        Anatomy {
            tag: tag.to_string(),
            tokens,
            version,
            date,
        }
    }

    pub fn version(&self) -> Option<&Version> {
        self.version.as_ref().map(|(_, v)| v)
    }

    /// Number of version parts; 0 without a version.
    pub fn precision(&self) -> usize {
        self.version().map_or(0, Version::precision)
    }

    /// The variant words (plain and versioned), in order.
    pub fn words(&self) -> impl Iterator<Item = &Token> {
        self.tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::VersionedWord))
    }

    pub fn word_count(&self) -> usize {
        self.words().count()
    }

    pub fn versioned_word_count(&self) -> usize {
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::VersionedWord)
            .count()
    }

    pub fn has_date(&self) -> bool {
        self.date.is_some()
    }

    /// Text before the version token (`jdk` in `jdk-17.0.2`), empty without one.
    pub fn prefix(&self) -> String {
        match &self.version {
            Some((i, _)) => join(&self.tokens[..*i]),
            None => String::new(),
        }
    }

    /// Text after the version token: Renovate's compatibility class (`alpine3.24`).
    pub fn suffix(&self) -> String {
        match &self.version {
            Some((i, _)) => join(&self.tokens[i + 1..]),
            None => join(&self.tokens),
        }
    }

    /// A prerelease version (`3.15.0rc1`) or a prerelease word (`3.15-rc`).
    pub fn is_prerelease(&self) -> bool {
        self.version().is_some_and(|v| v.pre.is_some())
            || self
                .words()
                .any(|w| PRERELEASE_WORDS.contains(&w.text.as_str()))
    }
}

fn token(text: &str, kind: TokenKind) -> Token {
    Token {
        text: text.to_string(),
        kind,
    }
}

fn join(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join("-")
}

fn is_numeric(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_date(s: &str) -> bool {
    let (day, serial) = match s.split_once('.') {
        Some((d, n)) => (d, Some(n)),
        None => (s, None),
    };
    day.len() == 8
        && day.bytes().all(|b| b.is_ascii_digit())
        && (day.starts_with("19") || day.starts_with("20"))
        && serial.is_none_or(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_java8(s: &str) -> bool {
    s.split_once('u').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    })
}

/// `^[a-z]+-?\d+(\.\d+)*$` without the dash (dashes split tokens): `alpine3.24`, `ltsc2022`.
fn is_versioned_word(s: &str) -> bool {
    let digits = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    digits > 0
        && digits < s.len()
        && s[..digits].bytes().all(|b| b.is_ascii_lowercase())
        && is_numeric(&s[digits..])
}

/// Parses one token as a version: `3.14.7`, `v1.2`, `21.0.12_8`, `8u502`, `3.15.0rc1`.
pub fn parse_version(s: &str) -> Option<Version> {
    let s = match s.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => s,
    };
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if is_java8(s) {
        let (major, update) = s.split_once('u')?;
        return Some(Version {
            parts: vec![major.parse().ok()?, 0, update.parse().ok()?],
            pre: None,
        });
    }
    // Digits and dots, then optionally `_N` (a build number) or a prerelease label.
    let numeric_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (numeric, rest) = s.split_at(numeric_end);
    let numeric = numeric
        .strip_suffix('.')
        .filter(|_| !rest.is_empty())
        .unwrap_or(numeric);
    if !is_numeric(numeric) {
        return None;
    }
    let mut parts = numeric
        .split('.')
        .map(|p| p.parse::<u64>().ok())
        .collect::<Option<Vec<_>>>()?;
    if rest.is_empty() {
        return Some(Version { parts, pre: None });
    }
    if let Some(build) = rest.strip_prefix('_') {
        parts.push(build.parse().ok()?);
        return Some(Version { parts, pre: None });
    }
    let rest = s[numeric.len()..].trim_start_matches('.');
    let label_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let label = &rest[..label_end];
    let serial = rest[label_end..].trim_start_matches('.');
    if PRERELEASE_WORDS.contains(&label) && serial.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Version {
            parts,
            pre: Some(rest.to_string()),
        });
    }
    None
}

/// Whether a tag is probably floating (re-pushed as new builds appear), judged by its name
/// alone: no version and no date (`latest`, `alpine`, `lts`), or a version with fewer than
/// three parts. With a tag list at hand, [`completion_order`] and the pin algorithm decide
/// from digests instead.
pub fn looks_floating(tag: &str) -> bool {
    let a = Anatomy::parse(tag);
    !a.has_date() && a.precision() < 3
}

/// Seconds since the Unix epoch of an RFC 3339 UTC time (`2026-08-21T00:00:00.123Z`);
/// `None` when it does not parse. Only what registries send is supported.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let mut offset = 0;
    let tail = &s[19..];
    let tz = tail.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    if let Some(sign @ ('+' | '-')) = tz.chars().next() {
        let hh = tz.get(1..3)?.parse::<i64>().ok()?;
        let mm = tz.get(4..6)?.parse::<i64>().ok()?;
        offset = (hh * 60 + mm) * 60 * if sign == '+' { 1 } else { -1 };
    }
    Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// The order completion shows a repository's tags in, as indices into `tags`:
///
/// 1. floating tags people type, current ones: `latest`, then word-only tags (`alpine`,
///    `slim`), then versioned ones (`3`, `3-alpine`, `3.14`, ...), versions newest first;
/// 2. specific tags (full versions, date snapshots), versions newest first;
/// 3. tags not pushed for a month while the repository was (stale), in the same order.
///
/// Prereleases follow the stable tags of their group. A tag floats when a tag with the same
/// digest is more precise (with digests), or when another tag extends its version in the
/// same variant (names only).
pub fn completion_order(tags: &[TagInfo]) -> Vec<usize> {
    let anatomies: Vec<Anatomy> = tags.iter().map(|t| Anatomy::parse(&t.name)).collect();
    let times: Vec<Option<i64>> = tags
        .iter()
        .map(|t| t.last_updated.as_deref().and_then(parse_rfc3339))
        .collect();
    let newest = times.iter().flatten().max().copied();

    let mut best_precision: HashMap<&str, usize> = HashMap::new();
    for (t, a) in tags.iter().zip(&anatomies) {
        if let Some(d) = t.digest.as_deref() {
            let e = best_precision.entry(d).or_default();
            *e = (*e).max(a.precision());
        }
    }
    // (prefix, suffix, parts) of every proper version prefix that some tag extends.
    let mut extended: HashSet<(String, String, Vec<u64>)> = HashSet::new();
    for a in &anatomies {
        if let Some(v) = a.version() {
            for k in 1..v.parts.len() {
                extended.insert((a.prefix(), a.suffix(), v.parts[..k].to_vec()));
            }
        }
    }

    let floating = |i: usize| -> bool {
        let a = &anatomies[i];
        let Some(v) = a.version() else {
            return !a.has_date();
        };
        match tags[i].digest.as_deref() {
            Some(d) => best_precision.get(d).is_some_and(|&p| p > a.precision()),
            None => extended.contains(&(a.prefix(), a.suffix(), v.parts.clone())),
        }
    };
    let group = |i: usize| -> u8 {
        let stale = match (times[i], newest) {
            (Some(t), Some(n)) => n - t > STALE_AFTER_SECS,
            _ => false,
        };
        if stale {
            2
        } else if floating(i) {
            0
        } else {
            1
        }
    };
    let groups: Vec<u8> = (0..tags.len()).map(group).collect();

    let mut order: Vec<usize> = (0..tags.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&anatomies[i], &anatomies[j]);
        groups[i]
            .cmp(&groups[j])
            .then_with(|| (a.tag != "latest").cmp(&(b.tag != "latest")))
            .then_with(|| a.is_prerelease().cmp(&b.is_prerelease()))
            // Word-only tags, then versions, then date snapshots.
            .then_with(|| kind_rank(a).cmp(&kind_rank(b)))
            .then_with(|| match (a.version(), b.version()) {
                (Some(x), Some(y)) => compare_versions(y, x),
                _ => Ordering::Equal,
            })
            .then_with(|| date_of(b).cmp(date_of(a)))
            .then_with(|| a.word_count().cmp(&b.word_count()))
            .then_with(|| a.tag.cmp(&b.tag))
    });
    order
}

fn kind_rank(a: &Anatomy) -> u8 {
    match (a.version.is_some(), a.has_date()) {
        (false, false) => 0,
        (true, _) => 1,
        (false, true) => 2,
    }
}

fn date_of(a: &Anatomy) -> &str {
    a.date
        .and_then(|i| a.tokens.get(i))
        .map_or("", |t| t.text.as_str())
}

/// Newer tags of the same shape as a current one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Updates {
    /// The newest tag of the same shape within the same major version (or, for date
    /// snapshots, the newest snapshot with the same words).
    pub within_major: Option<String>,
    /// The newest tag of the same shape with a higher major version.
    pub major: Option<String>,
}

/// Same shape, as Renovate's `isCompatible`: both have a version, the same text before and
/// after it, and the same number of version parts. Prereleases only for a prerelease.
pub fn same_shape(current: &Anatomy, candidate: &Anatomy) -> bool {
    match (current.version(), candidate.version()) {
        (Some(c), Some(n)) => {
            c.precision() == n.precision()
                && current.prefix() == candidate.prefix()
                && current.suffix() == candidate.suffix()
                && (current.is_prerelease() || !candidate.is_prerelease())
        }
        (None, None) => {
            current.has_date() && candidate.has_date() && words_of(current) == words_of(candidate)
        }
        _ => false,
    }
}

fn words_of(a: &Anatomy) -> Vec<&str> {
    a.words().map(|w| w.text.as_str()).collect()
}

/// The update targets for `current` among `names`.
pub fn updates<'a>(current: &str, names: impl IntoIterator<Item = &'a str>) -> Updates {
    let cur = Anatomy::parse(current);
    let mut within: Option<Anatomy> = None;
    let mut major: Option<Anatomy> = None;
    for name in names {
        let cand = Anatomy::parse(name);
        if cand.tag == cur.tag || !same_shape(&cur, &cand) {
            continue;
        }
        match (cur.version(), cand.version()) {
            (Some(c), Some(n)) => {
                if compare_versions(n, c) != Ordering::Greater {
                    continue;
                }
                let slot = if n.major() == c.major() {
                    &mut within
                } else {
                    &mut major
                };
                let better = slot
                    .as_ref()
                    .and_then(Anatomy::version)
                    .is_none_or(|best| compare_versions(n, best) == Ordering::Greater);
                if better {
                    *slot = Some(cand);
                }
            }
            _ => {
                if date_of(&cand) > date_of(&cur)
                    && within.as_ref().is_none_or(|b| date_of(&cand) > date_of(b))
                {
                    within = Some(cand);
                }
            }
        }
    }
    Updates {
        within_major: within.map(|a| a.tag),
        major: major.map(|a| a.tag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(parts: &[u64], pre: Option<&str>) -> Version {
        Version {
            parts: parts.to_vec(),
            pre: pre.map(String::from),
        }
    }

    #[test]
    fn anatomy_of_real_tags() {
        let a = Anatomy::parse("3.14.7-alpine3.24");
        assert_eq!(a.version(), Some(&v(&[3, 14, 7], None)));
        assert_eq!(a.suffix(), "alpine3.24");
        assert_eq!(a.versioned_word_count(), 1);

        let a = Anatomy::parse("3.15.0rc1-slim");
        assert_eq!(a.version(), Some(&v(&[3, 15, 0], Some("rc1"))));
        assert!(a.is_prerelease());
        assert!(Anatomy::parse("3.15-rc-alpine").is_prerelease());

        let a = Anatomy::parse("21.0.12_8-jre-alpine-3.24");
        assert_eq!(a.precision(), 4);
        assert_eq!(words_of(&a), ["jre", "alpine-3.24"]);

        let a = Anatomy::parse("8u502-b07-jdk-alpine-3.24");
        assert_eq!(a.version(), Some(&v(&[8, 0, 502, 7], None)));
        assert_eq!(a.suffix(), "jdk-alpine-3.24");

        let a = Anatomy::parse("resolute-20260811.1");
        assert!(a.version().is_none() && a.has_date());
        let a = Anatomy::parse("tip-20260815-alpine3.24");
        assert!(a.has_date());
        assert_eq!(words_of(&a), ["tip", "alpine3.24"]);
        let a = Anatomy::parse("jdk-17.0.2");
        assert_eq!(a.prefix(), "jdk");
        assert_eq!(Anatomy::parse("latest").precision(), 0);
        assert_eq!(Anatomy::parse("v1.2").precision(), 2);
        assert_eq!(parse_version("3.x"), None);
        assert_eq!(parse_version("1."), None);
    }

    #[test]
    fn renovate_comparison() {
        use Ordering::*;
        assert_eq!(
            compare_versions(&v(&[3], None), &v(&[3, 14], None)),
            Greater
        );
        assert_eq!(
            compare_versions(&v(&[3, 14], None), &v(&[3, 13, 9], None)),
            Greater
        );
        assert_eq!(
            compare_versions(&v(&[3, 15, 0], Some("rc1")), &v(&[3, 15, 0], None)),
            Less
        );
        assert_eq!(
            compare_versions(&v(&[10], None), &v(&[9, 9], None)),
            Greater
        );
    }

    #[test]
    fn floating_by_name() {
        for t in ["latest", "3-alpine", "3.14", "lts", "alpine"] {
            assert!(looks_floating(t), "{t}");
        }
        for t in ["3.14.7", "3.14.7-alpine3.24", "jammy-20260810"] {
            assert!(!looks_floating(t), "{t}");
        }
    }

    #[test]
    fn same_shape_updates() {
        let names = [
            "3.12.9-alpine3.21",
            "3.13.1-alpine3.21",
            "3.13.2-alpine3.21",
            "3.14.7-alpine3.21",
            "3.15.0rc1-alpine3.21",
            "4.0.1-alpine3.21",
            "3.13.9-alpine3.24",
            "3.13-alpine3.21",
        ];
        let u = updates("3.13.1-alpine3.21", names);
        assert_eq!(u.within_major.as_deref(), Some("3.14.7-alpine3.21"));
        assert_eq!(u.major.as_deref(), Some("4.0.1-alpine3.21"));
        let u = updates("1.22", ["1.21", "1.27", "1.26", "1.27.1", "2"]);
        assert_eq!(u.within_major.as_deref(), Some("1.27"));
        assert_eq!(u.major, None);
        let u = updates("jammy-20260101", ["jammy-20260810", "noble-20260901"]);
        assert_eq!(u.within_major.as_deref(), Some("jammy-20260810"));
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-08-21T00:00:00.906572Z"),
            Some(1_787_270_400)
        );
        assert_eq!(
            parse_rfc3339("2026-08-21T02:00:00+02:00"),
            Some(1_787_270_400)
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn completion_order_floating_first() {
        let t = |name: &str, digest: &str| TagInfo {
            digest: Some(digest.to_string()),
            last_updated: Some("2026-08-21T00:00:00Z".to_string()),
            ..TagInfo::named(name)
        };
        let mut stale = t("3.13.1", "old");
        stale.last_updated = Some("2025-02-04T00:00:00Z".to_string());
        let tags = vec![
            t("3.14.7-alpine", "a"),
            t("3.13.9", "c"),
            stale,
            t("3-alpine", "a"),
            t("3.14.7", "b"),
            t("alpine", "a"),
            t("3", "b"),
            t("latest", "b"),
            t("3.15.0rc1", "r"),
            t("3.13", "c"),
        ];
        let names: Vec<&str> = completion_order(&tags)
            .into_iter()
            .map(|i| tags[i].name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "latest",
                "alpine",
                "3",
                "3-alpine",
                "3.13",
                "3.14.7",
                "3.14.7-alpine",
                "3.13.9",
                "3.15.0rc1",
                "3.13.1"
            ]
        );
    }
}
