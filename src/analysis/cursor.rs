//! What is at a byte offset of a document (exploration stub).

#[cfg(test)]
mod explore {
    use crate::analysis::Snapshot;

    #[test]
    fn explore() {
        for text in [
            "FROM a\nRUN --mo",
            "FROM a\nRUN ",
            "FROM a\n\n\nRUN x\n",
            "FROM a\nR",
            "FROM a\nONBUILD ",
            "FROM a\nONBUILD RUN --mo",
            "FROM a\nRUN --mount=type=cache,ta",
            "FROM a\nCOPY --from=",
            "FROM ",
            "# syntax=docker/dockerfile:1\n# esc\nFROM a\n",
            "FROM a\nRUN --mount=type=cache,target=/x \\\n  --network=h echo\n",
            "FROM a\nRUN <<EOF\nhello\nEOF\n",
            "FROM a\nHEALTHCHECK --interval=3s CMD x\n",
            "FROM a\nCOPY --from=\"x\" a b\n",
            "FROM a\nRUN \"--mount=x\" y\n",
            "FROM a\nRUN ec\\\n# comment\n  ho --x\n",
            "FROM a\nRUN --",
            "FROM a\nRUN -",
            "FROM a\nENV A=1 B=$A\n",
            "FROM a\nONBUILD COPY --from=x a b\n",
        ] {
            let s = Snapshot::new(text);
            println!("=== {text:?}");
            println!("{}", s.doc.tree().to_sexp());
            for (i, inst) in s.model.instructions.iter().enumerate() {
                println!("#{i} range {:?} line {:?}", inst.range(), inst.line_range());
                println!("  {:?}", inst.command());
                if let Some(t) = &inst.data().trigger {
                    println!("  trigger {:?}", t);
                }
                println!("  heredocs {:?}", inst.data().heredocs);
                println!("  refs {:?}", inst.data().references);
            }
            println!("directives {:?}", s.model.directives);
        }
    }
}
