//! FromPlatformFlagConstDisallowed: `FROM --platform=linux/amd64` in a stage whose name does
//! not say it is meant for that platform.

use crate::analysis::convert::Platform;
use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule::buildkit("FromPlatformFlagConstDisallowed", EXPLANATION, check);

const EXPLANATION: &str = "A constant platform pins the stage to it whatever the build asks \
for: a multi-platform build then produces the same thing for every platform. Use \
`$BUILDPLATFORM` or `$TARGETPLATFORM`, or, when the stage really is for one platform, say so \
in its name (a stage named `build-amd64` or `linux` may use `linux/amd64`).";

fn check(cx: &Cx, out: &mut Emit) {
    let converted = cx.converted();
    for stage in &converted.stages {
        let Some(platform) = &stage.platform_value else {
            continue;
        };
        if !platform.matched.is_empty()
            || !platform.unmatched.is_empty()
            || platform.error.is_some()
        {
            continue;
        }
        let Ok(parsed) = Platform::parse(&platform.result, &stage.platform) else {
            continue;
        };
        if stage.name.contains(&parsed.os) || stage.name.contains(&parsed.arch) {
            continue;
        }
        out.report(
            &RULE,
            platform.range.clone(),
            format!(
                "FROM --platform flag should not use constant value {}",
                crate::model::go_quote::go_quote(&platform.result)
            ),
        );
    }
}
