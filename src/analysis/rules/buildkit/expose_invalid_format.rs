//! ExposeInvalidFormat: an IP address or a host port in EXPOSE (`EXPOSE 8080:80`).

use crate::analysis::rules::{Cx, Emit, Rule};

pub static RULE: Rule = Rule {
    fix: Some("Keeps the container port alone"),
    ..Rule::buildkit("ExposeInvalidFormat", EXPLANATION, check)
};

const EXPLANATION: &str = "EXPOSE documents the ports the container listens on; which host \
address and port they are published to is decided when the container runs (`docker run \
-p`). BuildKit ignores the host part and plans to refuse it: keep the container port.";

fn check(cx: &Cx, out: &mut Emit) {
    for (_, value, range, exact) in super::expose::ports(cx) {
        let Some(parts) = super::expose::split(&value) else {
            continue;
        };
        if parts.ip.is_empty() && parts.host.is_empty() {
            continue;
        }
        let found = out.report(
            &RULE,
            range.clone(),
            format!(
                "EXPOSE instruction should not define an IP address or host-port mapping, found '{value}'"
            ),
        );
        if exact {
            let container = &value[value.rfind(':').map_or(0, |i| i + 1)..];
            found.fix(
                format!("Expose {container} only"),
                range,
                container.to_string(),
            );
        }
    }
}
