//! DL3064: Potentially sensitive data in ARG or ENV.

use super::{Cx, Finding};
use crate::model::Arguments;
use crate::syntax::InstructionKind;

/// What the rule guards against and how to satisfy it (`rules`, hover, SARIF help).
pub const EXPLANATION: &str = "ARG and ENV values are stored in the image metadata and the build history, so a name that \
        looks like a secret (a password, token or key) set there leaks it to anyone with the \
        image. Pass secrets with `RUN --mount=type=secret` instead.";

/// DL3064: ARG or ENV names that look like secrets (they stay in the image's history).
pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for (_, inst) in cx.indexed() {
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

/// Names known to hold credentials in CI systems and cloud tools.
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

/// Parts of a name that suggest a secret.
const SUSPICIOUS: &[&str] = &[
    "api_key",
    "client_key",
    "password",
    "private",
    "secret",
    "token",
    "username",
];

/// Whether a variable of this name likely holds a secret.
fn sensitive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SENSITIVE_NAMES.contains(&name.to_ascii_uppercase().as_str())
        || SUSPICIOUS.iter().any(|s| lower.contains(s))
}
