//! "Did you mean ...?" suggestions: edit distances and nearest-candidate search.
//!
//! Two flavours live here. [`did_you_mean`] is our own, slightly more generous heuristic
//! (restricted Damerau-Levenshtein, so a swapped pair of letters costs one edit) used for
//! friendly hints. [`buildkit_suggestion`] reproduces what BuildKit appends to its own errors
//! (`(did you mean y?)`), for diagnostics that must match `docker build` word for word.

/// The restricted Damerau-Levenshtein ("optimal string alignment") distance between `a` and
/// `b`, counted in `char`s: insertions, deletions, substitutions and swaps of two adjacent
/// characters each cost one. Case-sensitive.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa_distance(&a, &b)
}

/// The plain Levenshtein distance (no transpositions) between `a` and `b`, counted in `char`s.
/// Case-sensitive. This is the metric BuildKit uses for its suggestions.
pub fn levenshtein_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    levenshtein(&a, &b)
}

/// Returns the candidate closest to `word`, ignoring case, or `None` when nothing is close.
///
/// A candidate qualifies when its restricted Damerau-Levenshtein distance to `word` is at most
/// `max(1, len / 3)`, where `len` is the number of characters in `word`. The closest candidate
/// wins; ties go to the one listed first. A candidate equal to `word` apart from case is
/// returned too (distance 0), which is what case-sensitive names such as check rules need:
/// `did_you_mean("jsonargsrecommended", rules)` gives `"JSONArgsRecommended"`.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = lowercase_chars(word);
    if word.is_empty() {
        return None;
    }
    let threshold = (word.len() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lowered = lowercase_chars(candidate);
        // Cheap lower bound: the length difference alone already costs that many edits.
        if lowered.len().abs_diff(word.len()) > threshold {
            continue;
        }
        let distance = osa_distance(&word, &lowered);
        if distance <= threshold && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
            if distance == 0 {
                break;
            }
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Reproduces BuildKit's suggestion for an unknown value (its `util/suggest` package): the
/// first candidate with the smallest Levenshtein distance below 3.
///
/// Returns `None` when a candidate equals `word` (BuildKit then treats the error as unrelated
/// to the spelling) or when nothing is close enough. When `case_sensitive` is false, the
/// comparison ignores case and the suggestion is lowercased, or uppercased when `word` is all
/// uppercase, exactly as BuildKit prints it.
pub fn buildkit_suggestion<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    case_sensitive: bool,
) -> Option<String> {
    let fold = |s: &str, out: &mut Vec<char>| {
        out.clear();
        if case_sensitive {
            out.extend(s.chars());
        } else {
            out.extend(s.chars().flat_map(char::to_lowercase));
        }
    };
    let mut value = Vec::new();
    fold(word, &mut value);
    let mut best_distance = 3;
    let mut found: Option<String> = None;
    // One buffer for every candidate: this runs for each unset variable of a large file.
    let mut option = Vec::new();
    for candidate in candidates {
        fold(candidate, &mut option);
        if option == value {
            return None;
        }
        // The lengths alone already differ by that many edits.
        if option.len().abs_diff(value.len()) >= best_distance {
            continue;
        }
        let distance = levenshtein(&value, &option);
        if distance < best_distance {
            best_distance = distance;
            found = Some(option.iter().collect());
        }
    }
    let found = found?;
    if case_sensitive {
        return Some(found);
    }
    // BuildKit's matchCase: follow the original's case only when it is uniformly upper or
    // lower; otherwise the (already lowercased) option is printed as is.
    if word == word.to_lowercase() {
        Some(found.to_lowercase())
    } else if word == word.to_uppercase() {
        Some(found.to_uppercase())
    } else {
        Some(found)
    }
}

fn lowercase_chars(s: &str) -> Vec<char> {
    s.chars().flat_map(char::to_lowercase).collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

fn osa_distance(a: &[char], b: &[char]) -> usize {
    // Three rows are enough: a transposition looks two rows back.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("RNU", "RUN"), 1);
        assert_eq!(levenshtein_distance("RNU", "RUN"), 2);
        assert_eq!(edit_distance("ca", "abc"), 3);
        assert_eq!(levenshtein_distance("flaw", "lawn"), 2);
        assert_eq!(edit_distance("héllo", "hello"), 1);
    }

    #[test]
    fn suggests_close_words() {
        let instructions = ["FROM", "RUN", "CMD", "COPY", "ADD"];
        assert_eq!(did_you_mean("RUNN", instructions), Some("RUN"));
        assert_eq!(did_you_mean("runn", instructions), Some("RUN"));
        assert_eq!(did_you_mean("FORM", instructions), Some("FROM"));
        assert_eq!(did_you_mean("cpoy", instructions), Some("COPY"));
        assert_eq!(did_you_mean("copy", instructions), Some("COPY"));
        let flags = ["mount", "network", "security", "device"];
        assert_eq!(did_you_mean("mout", flags), Some("mount"));
        assert_eq!(did_you_mean("netwrok", flags), Some("network"));
    }

    #[test]
    fn no_suggestion_for_far_words() {
        let instructions = ["FROM", "RUN", "CMD", "COPY", "ADD"];
        assert_eq!(did_you_mean("XYZZY", instructions), None);
        assert_eq!(did_you_mean("HELLO", instructions), None);
        assert_eq!(did_you_mean("", instructions), None);
        assert_eq!(did_you_mean("RUN", std::iter::empty()), None);
        assert_eq!(did_you_mean("mnt", ["mount"]), None);
    }

    #[test]
    fn ties_go_to_the_first_candidate() {
        assert_eq!(did_you_mean("cat", ["bat", "car"]), Some("bat"));
        assert_eq!(did_you_mean("cat", ["car", "bat"]), Some("car"));
        assert_eq!(did_you_mean("cat", ["cot", "CAT"]), Some("CAT"));
    }

    #[test]
    fn buildkit_compatible_suggestions() {
        let keys = ["type", "from", "source", "target", "readonly"];
        assert_eq!(
            buildkit_suggestion("tagret", keys, true).as_deref(),
            Some("target")
        );
        assert_eq!(buildkit_suggestion("target", keys, true), None);
        assert_eq!(buildkit_suggestion("qqqqqq", keys, true), None);
        let types = ["bind", "cache", "tmpfs", "secret", "ssh"];
        assert_eq!(
            buildkit_suggestion("CACH", types, false).as_deref(),
            Some("CACHE")
        );
        assert_eq!(
            buildkit_suggestion("Cach", types, false).as_deref(),
            Some("cache")
        );
        assert_eq!(
            buildkit_suggestion("cach", types, false).as_deref(),
            Some("cache")
        );
        assert_eq!(buildkit_suggestion("CACHE", types, false), None);
    }
}
