//! ExposeProtoCasing: `EXPOSE 80/TCP`.

use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    fix: Some("Lower-cases the protocol"),
    safe_fix: true,
    ..Rule::buildkit("ExposeProtoCasing", EXPLANATION, check)
};

const EXPLANATION: &str = "BuildKit accepts `TCP` and `tcp` alike and stores the protocol in \
lower case; the upper-case spelling only makes the file inconsistent with the image it \
produces.";

fn check(cx: &Cx, out: &mut Emit) {
    for (_, value, range, exact) in super::expose::ports(cx) {
        let Some(parts) = super::expose::split(&value) else {
            continue;
        };
        let Some((proto, at)) = parts.proto else {
            continue;
        };
        let lower = proto.to_lowercase();
        if lower == proto {
            continue;
        }
        let found = out.report(
            &RULE,
            range.clone(),
            format!("Defined protocol '{value}' in EXPOSE instruction should be lowercase"),
        );
        if exact {
            let start = range.start + at;
            found.fix(
                format!("Change to {lower}"),
                start..start + proto.len(),
                lower,
            );
        }
    }
}
