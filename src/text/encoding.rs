//! Position encodings (what an LSP `character` counts) and their negotiation with the client.

/// The unit a client counts `Position::character` in.
///
/// LSP 3.17 lets client and server agree on one; UTF-16 is mandatory for every client, so
/// it is also what we assume when the client says nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    /// Bytes of UTF-8: no conversion at all, since our offsets are bytes.
    Utf8,
    /// UTF-16 code units: a char outside the BMP (e.g. an emoji) counts 2.
    #[default]
    Utf16,
    /// Unicode scalar values: every char counts 1.
    Utf32,
}

impl PositionEncoding {
    /// Picks the encoding to use from the client's `general.positionEncodings`.
    ///
    /// UTF-8 wins because it needs no conversion; UTF-32 next because it is still cheaper
    /// to count than UTF-16; UTF-16 otherwise, including when nothing usable is offered,
    /// because every client must support it.
    pub fn negotiate<I, S>(offered: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut best = PositionEncoding::Utf16;
        for name in offered {
            match PositionEncoding::from_lsp_name(name.as_ref()) {
                Some(PositionEncoding::Utf8) => return PositionEncoding::Utf8,
                Some(PositionEncoding::Utf32) => best = PositionEncoding::Utf32,
                _ => {}
            }
        }
        best
    }

    /// Parses an LSP `PositionEncodingKind` string ("utf-8", "utf-16", "utf-32").
    ///
    /// Case is ignored: the spec only defines lowercase names, and accepting a sloppy
    /// client costs nothing.
    pub fn from_lsp_name(name: &str) -> Option<Self> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("utf-8") {
            Some(PositionEncoding::Utf8)
        } else if name.eq_ignore_ascii_case("utf-16") {
            Some(PositionEncoding::Utf16)
        } else if name.eq_ignore_ascii_case("utf-32") {
            Some(PositionEncoding::Utf32)
        } else {
            None
        }
    }

    /// The LSP `PositionEncodingKind` string to announce in the server capabilities.
    pub fn lsp_name(self) -> &'static str {
        match self {
            PositionEncoding::Utf8 => "utf-8",
            PositionEncoding::Utf16 => "utf-16",
            PositionEncoding::Utf32 => "utf-32",
        }
    }

    /// How many units of this encoding `c` takes.
    #[inline]
    pub fn units(self, c: char) -> usize {
        match self {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
            PositionEncoding::Utf32 => 1,
        }
    }

    /// How many units of this encoding `s` takes.
    pub fn len_of(self, s: &str) -> usize {
        match self {
            PositionEncoding::Utf8 => s.len(),
            // An ASCII string is one unit per byte in every encoding; checking that is far
            // cheaper than decoding chars.
            _ if s.is_ascii() => s.len(),
            PositionEncoding::Utf16 => s.chars().map(char::len_utf16).sum(),
            PositionEncoding::Utf32 => s.chars().count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PositionEncoding::{self, Utf8, Utf16, Utf32};

    #[test]
    fn default_is_utf16() {
        assert_eq!(PositionEncoding::default(), Utf16);
    }

    #[test]
    fn negotiate_prefers_utf8_then_utf32_then_utf16() {
        let none: [&str; 0] = [];
        assert_eq!(PositionEncoding::negotiate(none), Utf16);
        assert_eq!(PositionEncoding::negotiate(["utf-16"]), Utf16);
        assert_eq!(PositionEncoding::negotiate(["utf-16", "utf-32"]), Utf32);
        assert_eq!(
            PositionEncoding::negotiate(["utf-32", "utf-16", "utf-8"]),
            Utf8
        );
        assert_eq!(PositionEncoding::negotiate(["utf-8", "utf-32"]), Utf8);
        // Order of the client's list does not express preference for us: UTF-8 always wins.
        assert_eq!(
            PositionEncoding::negotiate(vec!["utf-16".to_string(), "utf-8".to_string()]),
            Utf8
        );
    }

    #[test]
    fn negotiate_ignores_unknown_and_tolerates_case() {
        assert_eq!(PositionEncoding::negotiate(["latin-1", "ucs-2", ""]), Utf16);
        assert_eq!(PositionEncoding::negotiate(["UTF-8"]), Utf8);
        assert_eq!(PositionEncoding::negotiate(["utf8"]), Utf16);
    }

    #[test]
    fn lsp_names_round_trip() {
        for enc in [Utf8, Utf16, Utf32] {
            assert_eq!(PositionEncoding::from_lsp_name(enc.lsp_name()), Some(enc));
        }
    }

    #[test]
    fn unit_counts() {
        let s = "aé中😀";
        assert_eq!(Utf8.len_of(s), 1 + 2 + 3 + 4);
        assert_eq!(Utf16.len_of(s), 1 + 1 + 1 + 2);
        assert_eq!(Utf32.len_of(s), 4);
        assert_eq!(Utf16.units('😀'), 2);
        assert_eq!(Utf32.units('😀'), 1);
        assert_eq!(Utf8.units('é'), 2);
        assert_eq!(Utf16.len_of("plain"), 5);
    }
}
