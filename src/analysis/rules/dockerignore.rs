//! `.dockerignore` as BuildKit reads it (`moby/patternmatcher` and its `ignorefile`): the
//! patterns, and whether a path or one of its parents matches them.

use regex::Regex;

/// The patterns of an ignore file, compiled.
#[derive(Debug)]
pub struct Dockerignore {
    patterns: Vec<Pattern>,
    exclusions: bool,
}

#[derive(Debug)]
struct Pattern {
    /// The pattern after `filepath.Clean`, without its `!`.
    cleaned: String,
    exclusion: bool,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Exact,
    /// `dir/**`: the path starts with `dir`.
    Prefix,
    /// `**/name`: the path ends with `/name` or is `name`.
    Suffix,
    Regex(Regex),
    /// A pattern Go's `regexp` would refuse: it matches nothing.
    Bad,
}

impl Dockerignore {
    /// `ignorefile.ReadAll` then `patternmatcher.New`. `None` when there is no pattern, or
    /// when BuildKit would refuse the file (a lone `!`).
    pub fn parse(text: &str) -> Option<Dockerignore> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        let mut exclusions = false;
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim();
            if pattern.is_empty() {
                continue;
            }
            let exclusion = pattern.starts_with('!');
            if exclusion {
                pattern = pattern[1..].trim();
                if pattern.is_empty() {
                    return None;
                }
            }
            let mut cleaned = go_clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            // `New` cleans again (a no-op now) and compiles on first use.
            exclusions |= exclusion;
            let kind = compile(&cleaned);
            patterns.push(Pattern {
                cleaned,
                exclusion,
                kind,
            });
        }
        (!patterns.is_empty()).then_some(Dockerignore {
            patterns,
            exclusions,
        })
    }

    /// Whether some pattern re-includes files (`!pattern`); BuildKit then does not check
    /// copied paths at all.
    pub fn has_exclusions(&self) -> bool {
        self.exclusions
    }

    /// Whether a pattern ignores everything at the root (`*`, `**`, `**/*`).
    pub fn ignores_root(&self) -> bool {
        self.patterns
            .iter()
            .any(|p| !p.exclusion && matches!(p.cleaned.as_str(), "*" | "**" | "**/*"))
    }

    /// `MatchesOrParentMatches`: whether `file` (slash-separated, cleaned) or one of its
    /// parent directories is ignored, the later patterns deciding.
    pub fn matches_or_parent(&self, file: &str) -> bool {
        let mut matched = false;
        let parent = go_dir(file);
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.matches(file);
            if !hit && parent != "." {
                for i in 0..parent_dirs.len() {
                    if pattern.matches(&parent_dirs[..=i].join("/")) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix => path.starts_with(&self.cleaned[..self.cleaned.len() - 2]),
            Kind::Suffix => {
                let suffix = &self.cleaned[2..];
                path.ends_with(suffix) || (suffix.starts_with('/') && path == &suffix[1..])
            }
            Kind::Regex(re) => re.is_match(path),
            Kind::Bad => false,
        }
    }
}

/// `Pattern.compile` with `/` as the separator.
fn compile(pattern: &str) -> Kind {
    #[derive(PartialEq)]
    enum Detected {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let mut re = String::from("^");
    let mut detected = Detected::Exact;
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut index = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        match ch {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    if detected == Detected::Exact {
                        detected = Detected::Prefix;
                    } else {
                        re.push_str(".*");
                        detected = Detected::Regex;
                    }
                } else {
                    re.push_str("(.*/)?");
                    detected = Detected::Regex;
                }
                if index == 0 {
                    detected = Detected::Suffix;
                }
            }
            '*' => {
                re.push_str("[^/]*");
                detected = Detected::Regex;
            }
            '?' => {
                re.push_str("[^/]");
                detected = Detected::Regex;
            }
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                re.push('\\');
                re.push(ch);
            }
            '\\' => match chars.get(i) {
                Some(&next) => {
                    i += 1;
                    re.push('\\');
                    re.push(next);
                    detected = Detected::Regex;
                }
                None => re.push('\\'),
            },
            '[' | ']' => {
                re.push(ch);
                detected = Detected::Regex;
            }
            c => re.push(c),
        }
        index += 1;
    }
    match detected {
        Detected::Exact => Kind::Exact,
        Detected::Prefix => Kind::Prefix,
        Detected::Suffix => Kind::Suffix,
        Detected::Regex => {
            re.push('$');
            Regex::new(&re).map_or(Kind::Bad, Kind::Regex)
        }
    }
}

/// Go's `path.Clean`.
pub(crate) fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Dir` for slash-separated paths.
fn go_dir(path: &str) -> String {
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    };
    go_clean(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_like_go() {
        for (input, want) in [
            ("", "."),
            ("a//b/./c/..", "a/b"),
            ("/../a", "/a"),
            ("../a", "../a"),
            ("./", "."),
            ("/", "/"),
        ] {
            assert_eq!(go_clean(input), want, "{input}");
        }
        assert_eq!(go_dir("a/b/c"), "a/b");
        assert_eq!(go_dir("a"), ".");
        assert_eq!(go_dir("/a"), "/");
    }

    #[test]
    fn matches_like_patternmatcher() {
        let d = Dockerignore::parse(
            "# comment\n\nDockerfile\nbuild/**\n**/*.log\n/tmp\n*.md\n!README.md\n",
        )
        .expect("patterns");
        assert!(d.has_exclusions());
        assert!(d.matches_or_parent("Dockerfile"));
        assert!(d.matches_or_parent("build/x/y"));
        assert!(d.matches_or_parent("a/b/c.log"));
        assert!(d.matches_or_parent("c.log"));
        assert!(d.matches_or_parent("tmp/file"));
        assert!(d.matches_or_parent("NOTES.md"));
        assert!(!d.matches_or_parent("README.md"));
        assert!(!d.matches_or_parent("src/main.rs"));
        assert!(!d.matches_or_parent("/Dockerfile"));
        let root = Dockerignore::parse("*\n").expect("patterns");
        assert!(root.ignores_root() && !root.has_exclusions());
        assert!(root.matches_or_parent("."));
        assert!(Dockerignore::parse("!\n").is_none());
        assert!(Dockerignore::parse("# only a comment\n").is_none());
    }
}
