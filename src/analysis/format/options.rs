//! What the formatter can be told: the rules people disagree about, each with its default.

/// The case instruction keywords (and `AS` in `FROM … AS name`) are printed in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeywordCase {
    #[default]
    Upper,
    Lower,
    /// As written.
    Keep,
}

/// What happens to a shell-form RUN that is already written on several lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MultilineRun {
    /// Laid out by the formatter: chains one command per line, package lists one per line.
    #[default]
    Format,
    /// Laid out by hand: the user's line breaks and relative indentation are kept.
    Keep,
}

/// Every option of the formatter, with the defaults the documentation names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    pub keyword_case: KeywordCase,
    /// Columns of one continuation indent (spaces, or the width a tab counts for).
    pub indent_width: usize,
    /// Indent continuation lines with tabs.
    pub use_tabs: bool,
    /// Blank lines kept between instructions at most.
    pub max_blank_lines: usize,
    /// Where a shell-form RUN is broken into one command per line.
    pub line_width: usize,
    /// Rewrite legacy `ENV k v` / `LABEL k v` as `k=v`.
    pub normalize_key_value: bool,
    /// Order builder flags by name (a stable sort: repeated flags keep their order).
    pub sort_flags: bool,
    pub multiline_run: MultilineRun,
    /// Sort the packages of `apt-get install`, `apk add`, `pip install` and friends.
    pub sort_packages: bool,
    /// Remove trailing whitespace from comment lines (instruction lines never keep any).
    pub trim_trailing_whitespace: bool,
    /// End the file with exactly one line break.
    pub insert_final_newline: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            keyword_case: KeywordCase::Upper,
            indent_width: 4,
            use_tabs: false,
            max_blank_lines: 1,
            line_width: 100,
            normalize_key_value: true,
            sort_flags: false,
            multiline_run: MultilineRun::Format,
            sort_packages: false,
            trim_trailing_whitespace: true,
            insert_final_newline: true,
        }
    }
}

impl FormatOptions {
    /// The whitespace for `columns` of indentation: tabs for whole units when asked, spaces
    /// for the rest.
    pub(crate) fn indent(&self, columns: usize) -> String {
        let mut s = String::with_capacity(columns);
        self.push_indent(&mut s, columns);
        s
    }

    /// [`FormatOptions::indent`] written at the end of `out`.
    pub(crate) fn push_indent(&self, out: &mut String, columns: usize) {
        let spaces = if self.use_tabs {
            let unit = self.unit();
            out.extend(std::iter::repeat_n('\t', columns / unit));
            columns % unit
        } else {
            columns
        };
        out.extend(std::iter::repeat_n(' ', spaces));
    }

    /// An indent width a person could mean: a zero or absurd width falls back to the default.
    pub(crate) fn unit(&self) -> usize {
        if (1..=16).contains(&self.indent_width) {
            self.indent_width
        } else {
            4
        }
    }
}
