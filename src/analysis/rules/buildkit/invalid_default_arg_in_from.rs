//! InvalidDefaultArgInFrom: with the defaults of its ARGs, a FROM names no valid image.

use crate::analysis::rules::{Cx, Emit, Rule};
use crate::model::image_ref;

pub static RULE: Rule = Rule {
    local_config: false,
    ..Rule::buildkit("InvalidDefaultArgInFrom", EXPLANATION, check)
};

const EXPLANATION: &str = "`ARG TAG` then `FROM alpine:${TAG}` builds only when `--build-arg \
TAG=…` is given: without it the image is `alpine:`, which is no reference. Give the ARG a \
default that works (`ARG TAG=3.20`), so that a plain build succeeds.";

fn check(cx: &Cx, out: &mut Emit) {
    let window = cx.window();
    for stage in &cx.converted().stages {
        // BuildKit stops at the first base name it cannot expand.
        let Some(result) = &stage.default_base else {
            break;
        };
        if !window.contains(&stage.instruction) || image_ref::parse(result).is_ok() {
            continue;
        }
        out.report(
            &RULE,
            stage.base_value.range.clone(),
            format!(
                "Default value for ARG {} results in empty or invalid base image name",
                stage.base_value.raw
            ),
        );
    }
}
