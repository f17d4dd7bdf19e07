//! The model's own problems (what BuildKit's parser rejects) as diagnostics.

use super::{Cx, Out};

pub(super) fn check(cx: &Cx, out: &mut Out) {
    // Sorted with everything else at the end, so no need for `Model::all_problems`.
    let problems = cx.model.problems.iter().cloned();
    let per_instruction = cx.model.instructions.iter().flat_map(|i| i.problems());
    for problem in problems.chain(per_instruction) {
        let found = out.push(
            problem.severity,
            problem.range.clone(),
            problem.code,
            problem.message.clone(),
        );
        // Only two escape characters exist, and `\` is what BuildKit uses without the
        // directive, so replacing the value keeps the file's meaning closest to the default.
        if problem.code == "invalid-escape" {
            found.fix("Use `\\` as the escape character", problem.range, "\\");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::check;

    #[test]
    fn model_problems_pass_through() {
        check("", &[("no-instructions", "")]);
        check(
            "FROM a\nRUN cat <<EOF\nbody\n",
            &[("unterminated-heredoc", "<<EOF")],
        );
        check("FROM a\nENV A\n", &[("name-val-two-arguments", "A")]);
        check(
            "FROM a\nCMD [\"a\", 1]\n",
            &[("json-not-string-array", "1")],
        );
        check("# escape=x\nFROM a\n", &[("invalid-escape", "x")]);
        check(
            "# escape=\\\n# escape=`\nFROM a\n",
            &[("duplicate-directive", "# escape=`")],
        );
    }
}
