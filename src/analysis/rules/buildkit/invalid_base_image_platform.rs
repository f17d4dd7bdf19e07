//! InvalidBaseImagePlatform: the base image is published for another platform than the
//! stage is built for.

use crate::analysis::convert::{Base, Platform};
use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    local_config: false,
    ..Rule::buildkit("InvalidBaseImagePlatform", EXPLANATION, check)
};

const EXPLANATION: &str = "When the registry has no variant of the base image for the \
platform being built, BuildKit uses what it gets, and the image then runs under emulation or \
not at all. The check needs the image's configuration from the registry (fetched in the \
background and cached); without it, nothing is reported.";

fn check(cx: &Cx, out: &mut Emit) {
    for stage in &cx.converted().stages {
        let (Base::Image { name, .. }, Some(config)) = (&stage.base, &stage.image) else {
            continue;
        };
        let Some(actual) = config
            .platform
            .as_deref()
            .and_then(|p| Platform::parse(p, &stage.platform).ok())
        else {
            continue;
        };
        let expected = &stage.platform;
        if expected.os == actual.os && expected.arch == actual.arch {
            continue;
        }
        out.report(
            &RULE,
            stage.base_value.range.clone(),
            format!(
                "Base image {name} was pulled with platform \"{}\", expected \"{}\" for current build",
                actual.normalized().format_all(),
                expected.normalized().format_all()
            ),
        );
    }
}
