//! The comments that switch formatting off: `# dockerfile-ls: fmt off` … `# dockerfile-ls:
//! fmt on` around a region, and `# dockerfile-ls: fmt skip` before one instruction.

/// What a top-level comment asks of the formatter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Switch {
    Off,
    On,
    Skip,
}

/// The switch a comment line (`#` and all) holds, if any. Spaces around the words and the
/// case of the letters do not matter.
pub(crate) fn switch(comment: &str) -> Option<Switch> {
    let body = comment.trim().strip_prefix('#')?.trim_start();
    let (tool, rest) = body.split_once(':')?;
    if !tool.trim_end().eq_ignore_ascii_case("dockerfile-ls") {
        return None;
    }
    let mut words = rest.split_whitespace();
    let fmt = words.next()?;
    let what = words.next()?;
    if !fmt.eq_ignore_ascii_case("fmt") || words.next().is_some() {
        return None;
    }
    match what.to_ascii_lowercase().as_str() {
        "off" => Some(Switch::Off),
        "on" => Some(Switch::On),
        "skip" => Some(Switch::Skip),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches() {
        assert_eq!(switch("# dockerfile-ls: fmt off"), Some(Switch::Off));
        assert_eq!(switch("  #dockerfile-ls:fmt   ON  "), Some(Switch::On));
        assert_eq!(switch("# DOCKERFILE-LS: fmt skip"), Some(Switch::Skip));
        assert_eq!(switch("# dockerfile-ls: fmt offx"), None);
        assert_eq!(switch("# dockerfile-ls: fmt off please"), None);
        assert_eq!(switch("# prettier-ignore"), None);
    }
}
