//! Single-instruction rules: ports, ONBUILD triggers, ENV self-references, instruction
//! order, secrets in ARG/ENV, user ids.

use rustc_hash::FxHashSet;

use super::{Cx, Finding};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

/// DL3011: an EXPOSEd port above 65535.
pub fn dl3011(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Expose) {
        let Arguments::List(words) = &inst.command().args else {
            continue;
        };
        for w in words {
            let port = w.value.split('/').next().unwrap_or("");
            let too_big = port
                .split('-')
                .filter_map(|p| p.parse::<u64>().ok())
                .any(|p| p > 65535);
            if too_big {
                out.push(Finding::new(
                    "DL3011",
                    inst.abs(&w.range),
                    "Valid UNIX ports range from 0 to 65535",
                ));
            }
        }
    }
}

/// DL3043: ONBUILD triggering ONBUILD, FROM or MAINTAINER.
pub fn dl3043(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.instructions(InstructionKind::Onbuild) {
        let Some(trigger) = inst.data().trigger.as_deref() else {
            continue;
        };
        if matches!(
            trigger.kind,
            InstructionKind::Onbuild | InstructionKind::From | InstructionKind::Maintainer
        ) {
            out.push(Finding::new(
                "DL3043",
                inst.abs(&trigger.keyword_range),
                "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
            ));
        }
    }
}

/// Whether `$name` or `${name}` occurs in `text` (`$name` not followed by a name character).
fn references(text: &str, name: &str) -> bool {
    if text.contains(&format!("${{{name}}}")) {
        return true;
    }
    let bare = format!("${name}");
    text.match_indices(&bare).any(|(at, _)| {
        text[at + bare.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// DL3044: an ENV that uses a variable it defines itself (the value is the one from before
/// the instruction), unless an earlier ENV or ARG defined it.
pub fn dl3044(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut known: FxHashSet<String> = FxHashSet::default();
    for inst in &cx.model.instructions {
        match (inst.kind(), &inst.command().args) {
            (InstructionKind::Env, Arguments::Pairs(pairs)) => {
                let offending = pairs.iter().enumerate().any(|(i, p)| {
                    !known.contains(p.key.value.as_str())
                        && pairs
                            .iter()
                            .enumerate()
                            .any(|(j, q)| i != j && references(&q.value.value, &p.key.value))
                });
                if offending {
                    out.push(Finding::new(
                        "DL3044",
                        inst.keyword_range(),
                        "Do not refer to an environment variable within the same `ENV` statement \
                         where it is defined.",
                    ));
                }
                known.extend(pairs.iter().map(|p| p.key.value.to_string()));
            }
            (InstructionKind::Arg, Arguments::List(words)) => {
                known.extend(
                    words
                        .iter()
                        .map(|w| w.value.split('=').next().unwrap_or("").to_string()),
                );
            }
            _ => {}
        }
    }
}

/// DL3061: an instruction other than ARG before the first FROM.
pub fn dl3061(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.model.instructions {
        match inst.kind() {
            InstructionKind::From => return,
            InstructionKind::Arg => {}
            _ => out.push(Finding::new(
                "DL3061",
                inst.keyword_range(),
                "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
            )),
        }
    }
}

const SENSITIVE_NAMES: &[&str] = &[
    "ACCESS_TOKEN",
    "APPLICATION_KEY",
    "APP_SECRET",
    "AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "BITTREX_API_KEY",
    "BITTREX_API_SECRET",
    "CF_PASSWORD",
    "CF_USERNAME",
    "CIRCLE_TOKEN",
    "CI_DEPLOY_PASSWORD",
    "CI_DEPLOY_USER",
    "DOCKERHUB_PASSWORD",
    "DOCKER_EMAIL",
    "DOCKER_PASSWORD",
    "DOCKER_USERNAME",
    "FACEBOOK_ACCESS_TOKEN",
    "FACEBOOK_APP_ID",
    "FACEBOOK_APP_SECRET",
    "FIREBASE_API_TOKEN",
    "FIREBASE_TOKEN",
    "FOSSA_API_KEY",
    "GH_ENTERPRISE_TOKEN",
    "GH_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GITHUB_TOKEN",
    "HEROKU_API_KEY",
    "HEROKU_API_USER",
    "NPM_AUTH_TOKEN",
    "NPM_TOKEN",
    "OKTA_AUTHN_GROUPID",
    "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN",
    "OKTA_OAUTH2_CLIENTID",
    "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY",
    "OS_PASSWORD",
    "OS_USERNAME",
    "POSTGRES_PASSWORD",
    "SLACK_TOKEN",
    "STRIPE_API_KEY",
    "STRIPE_DEVICE_NAME",
    "TRAVIS_OS_NAME",
    "TRAVIS_SECURE_ENV_VARS",
    "TRAVIS_SUDO",
    "VAULT_CLIENT_KEY",
    "VAULT_TOKEN",
];

const SUSPICIOUS: &[&str] = &[
    "api_key",
    "client_key",
    "password",
    "private",
    "secret",
    "token",
    "username",
];

fn sensitive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SENSITIVE_NAMES.contains(&name.to_ascii_uppercase().as_str())
        || SUSPICIOUS.iter().any(|s| lower.contains(s))
}

/// DL3064: ARG or ENV names that look like secrets (they stay in the image's history).
pub fn dl3064(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.model.instructions {
        let cmd = inst.effective();
        let names: Vec<&str> = match (cmd.kind, &cmd.args) {
            (InstructionKind::Env, Arguments::Pairs(pairs)) => {
                pairs.iter().map(|p| p.key.value.as_str()).collect()
            }
            (InstructionKind::Arg, Arguments::List(words)) => words
                .iter()
                .map(|w| w.value.split('=').next().unwrap_or(""))
                .collect(),
            _ => continue,
        };
        if names.iter().any(|n| sensitive(n)) {
            out.push(Finding::new(
                "DL3064",
                inst.keyword_range(),
                "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
            ));
        }
    }
}

/// DL3066: USER with a name rather than a numeric id (unless it comes from an ARG).
pub fn dl3066(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut args: Vec<String> = Vec::new();
    for inst in &cx.model.instructions {
        match (inst.kind(), &inst.command().args) {
            (InstructionKind::Arg, Arguments::List(words)) => {
                args.extend(
                    words
                        .iter()
                        .map(|w| w.value.split('=').next().unwrap_or("").to_string()),
                );
            }
            (InstructionKind::User, Arguments::Text(user)) => {
                let uid = user.value.split(':').next().unwrap_or("");
                let from_arg = args
                    .iter()
                    .any(|a| references(uid, a) || uid.contains(&format!("${a}")));
                if !uid.chars().all(|c| c.is_ascii_digit()) && !from_arg {
                    out.push(Finding::new(
                        "DL3066",
                        inst.abs(&user.range),
                        "Non-numeric user-id may not be resolvable by host system",
                    ));
                }
            }
            _ => {}
        }
    }
}
