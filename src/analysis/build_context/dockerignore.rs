//! `.dockerignore`: which paths of the build context are not sent to the builder.
//!
//! The rules are Docker's (`moby/patternmatcher`), not gitignore's: a pattern is a path
//! relative to the context root (a leading `/` changes nothing), `*` and `?` stop at `/`,
//! `**` crosses folders, a pattern excludes a folder and everything below it, and a later
//! `!pattern` brings a path back. `Dockerfile.dockerignore` beside the Dockerfile wins over
//! the context's `.dockerignore`, as BuildKit reads it.

use std::path::Path;

use globset::{Glob, GlobBuilder, GlobMatcher};

/// The compiled patterns of one ignore file, in order.
#[derive(Clone, Debug, Default)]
pub struct DockerIgnore {
    patterns: Vec<(GlobMatcher, bool)>,
}

impl DockerIgnore {
    /// The ignore file for building `dockerfile` with context `dir`.
    pub fn for_build(dir: &Path, dockerfile: &Path) -> DockerIgnore {
        let beside = dockerfile
            .file_name()
            .map(|n| dockerfile.with_file_name(format!("{}.dockerignore", n.to_string_lossy())));
        let text = beside
            .and_then(|p| std::fs::read_to_string(p).ok())
            .or_else(|| std::fs::read_to_string(dir.join(".dockerignore")).ok())
            .unwrap_or_default();
        DockerIgnore::parse(&text)
    }

    pub fn parse(text: &str) -> DockerIgnore {
        let mut patterns = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (negated, pattern) = match line.strip_prefix('!') {
                Some(p) => (true, p.trim()),
                None => (false, line),
            };
            let pattern = clean(pattern);
            if pattern.is_empty() {
                continue;
            }
            let glob: Result<Glob, _> = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .backslash_escape(true)
                .build();
            if let Ok(glob) = glob {
                patterns.push((glob.compile_matcher(), negated));
            }
        }
        DockerIgnore { patterns }
    }

    /// Whether `relative` (a path below the context root, `/`-separated) is left out.
    pub fn excludes(&self, relative: &str) -> bool {
        let relative = relative.trim_start_matches("./").trim_start_matches('/');
        let mut excluded = false;
        for (glob, negated) in &self.patterns {
            // A pattern matches the path itself or any folder above it.
            let hit = std::iter::successors(Some(relative), |p| p.rsplit_once('/').map(|(a, _)| a))
                .any(|p| glob.is_match(p));
            if hit {
                excluded = !negated;
            }
        }
        excluded
    }
}

/// `filepath.Clean` of a pattern, without the leading `/` or `./`.
fn clean(pattern: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_rules() {
        let ignore = DockerIgnore::parse(
            "# comment\nnode_modules\n/build/\n*.log\n**/*.tmp\n!keep.log\ndocs/*.md\n",
        );
        for (path, excluded) in [
            ("node_modules", true),
            ("node_modules/x/y.js", true),
            ("sub/node_modules", false),
            ("build/out.bin", true),
            ("a.log", true),
            ("keep.log", false),
            ("sub/a.log", false),
            ("x/y/z.tmp", true),
            ("docs/a.md", true),
            ("docs/deep/a.md", false),
            ("src/main.rs", false),
        ] {
            assert_eq!(ignore.excludes(path), excluded, "{path}");
        }
    }
}
