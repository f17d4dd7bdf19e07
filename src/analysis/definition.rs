//! Go to definition and go to declaration, read from the symbol index.
//!
//! Definition goes to the declaration a name resolves to where it is used (the nearest
//! `ARG`/`ENV` in scope, the stage's `AS name`, the heredoc's marker); declaration goes to
//! where the symbol is first declared (for an `ARG NAME` that brings a global ARG into a
//! stage, the global `ARG`). They differ only for redeclared variables.

use std::ops::Range;

use super::Snapshot;

/// Where the name at `offset` is defined.
pub fn definition(snapshot: &Snapshot, offset: usize) -> Option<Range<usize>> {
    let index = snapshot.index();
    let (i, _) = index.at(offset)?;
    index.definition(i)
}

/// Where the symbol at `offset` is first declared.
pub fn declaration(snapshot: &Snapshot, offset: usize) -> Option<Range<usize>> {
    let index = snapshot.index();
    let (_, o) = index.at(offset)?;
    index.declaration(o.symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text at the definition and declaration of the `$0` cursor, with the line.
    fn go(fixture: &str) -> (Option<String>, Option<String>) {
        let offset = fixture.find("$0").expect("a $0 cursor");
        let text = fixture.replacen("$0", "", 1);
        let snapshot = Snapshot::new(text.as_str());
        let show = |r: Range<usize>| {
            let line = snapshot.doc.line_index().line_of(r.start) + 1;
            format!("{}@{line}", &text[r])
        };
        (
            definition(&snapshot, offset).map(show),
            declaration(&snapshot, offset).map(show),
        )
    }

    #[test]
    fn stages_variables_and_heredocs() {
        let some = |d: &str, l: &str| (Some(d.to_string()), Some(l.to_string()));
        assert_eq!(
            go("FROM a AS build\nFROM bu$0ild\n"),
            some("build@1", "build@1")
        );
        assert_eq!(
            go("FROM a AS build\nFROM b\nCOPY --from=0$0 /a /b\n"),
            some("build@1", "build@1")
        );
        assert_eq!(
            go("FROM a\nFROM b\nCOPY --from=$00 /a /b\n"),
            some("FROM a@1", "FROM a@1")
        );
        assert_eq!(
            go("ARG V=1\nFROM a\nARG V\nRUN echo $V$0\n"),
            some("V@3", "V@1")
        );
        assert_eq!(go("ARG V=1\nFROM a\nARG $0V\n"), some("V@1", "V@1"));
        assert_eq!(
            go("FROM a AS p\nENV P=1\nFROM p\nRUN echo ${P$0:-x}\n"),
            some("P@2", "P@2")
        );
        assert_eq!(go("FROM a\nRUN <<EOF\nx\nE$0OF\n"), some("EOF@2", "EOF@2"));
        assert_eq!(go("FROM a\nRUN echo $HO$0ME\n"), (None, None));
        assert_eq!(go("FROM a\nRU$0N x\n"), (None, None));
    }
}
