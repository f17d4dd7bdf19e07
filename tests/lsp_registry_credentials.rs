//! Credentials through the language server: with a Docker `config.json` holding `auths` for
//! one registry, the real binary reads a private image there, and the credentials reach
//! that registry's token service only — never Docker Hub's API, never another registry
//! (including the one serving `docker.io` images).

mod mock_registry;
mod support;

use std::time::{Duration, Instant};

use mock_registry::{MockOptions, MockRegistry, Recorded, Role};
use serde_json::{Value, json};
use support::{Client, TIMEOUT, diagnostic_codes, did_open, is_diagnostics_for, registry_env, uri};

/// `alice:s3cret`, as `docker login` stores it.
const ALICE: &str = "YWxpY2U6czNjcmV0";

fn authorizations<'a>(log: &'a [Recorded], scheme: &'a str) -> impl Iterator<Item = &'a Recorded> {
    log.iter().filter(move |r| {
        r.authorization
            .as_deref()
            .is_some_and(|a| a.starts_with(scheme))
    })
}

#[test]
fn credentials_reach_only_their_own_registry() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    // A: the registry the credentials belong to, with a private repository, and Docker
    // Hub's API. B: another registry, which also serves `docker.io` images.
    let a = rt.block_on(MockRegistry::start(MockOptions {
        bearer_auth: true,
        private: vec![("private/app".into(), "alice".into(), "s3cret".into())],
        aliases: vec![("private/app".into(), "library/alpine".into())],
        ..MockOptions::default()
    }));
    let b = rt.block_on(MockRegistry::start(MockOptions {
        bearer_auth: true,
        ..MockOptions::default()
    }));
    let dir = tempfile::tempdir().expect("temporary directory");
    let docker = dir.path().join("docker");
    std::fs::create_dir_all(&docker).expect("docker config directory");
    let config = json!({"auths": {a.registry_host.clone(): {"auth": ALICE}}});
    std::fs::write(docker.join("config.json"), config.to_string()).expect("config.json");
    let env = registry_env(&a.hub_url, &b.registry_url, dir.path());
    let (mut client, _) = Client::start_env(json!({}), Value::Null, &env);

    let text = format!(
        "FROM python:3-alpine AS hub\n\
         FROM {}/private/app:nope AS private\n\
         FROM {}/library/python:nope AS other\n\
         FROM bitnami/private AS missing\n",
        a.registry_host, b.registry_host
    );
    let u = uri("credentials");
    did_open(&mut client, &u, 1, &text);
    // Both unknown tags prove both tag lists were read: the private one with credentials.
    let found = client.wait_notification(TIMEOUT, |n| {
        let codes = diagnostic_codes(n);
        is_diagnostics_for(n, &u)
            && codes.iter().filter(|c| *c == "unknown-tag").count() == 2
            && codes.iter().any(|c| c == "floating-tag")
    });
    assert!(
        found.is_some(),
        "diagnostics never covered all images: {:?}\n{}",
        client.notifications,
        client.stderr()
    );
    // `bitnami/private` is unknown to the Hub API, so `docker.io`'s registry (B) is asked.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !b
        .log()
        .iter()
        .any(|r| r.role == Role::Registry && r.path.contains("bitnami/private"))
    {
        assert!(
            Instant::now() < deadline,
            "B was never asked: {:?}",
            b.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    client.request("shutdown", Value::Null).expect("shutdown");

    let (a_log, b_log) = (a.log(), b.log());
    let basic: Vec<(Role, &str)> = authorizations(&a_log, "Basic")
        .map(|r| (r.role, r.path.as_str()))
        .collect();
    assert!(
        !basic.is_empty(),
        "A's token service never got the credentials"
    );
    assert!(
        basic.iter().all(|b| *b == (Role::Auth, "/token")),
        "credentials only go to A's token service: {basic:?}"
    );
    assert!(
        authorizations(&a_log, "Bearer").any(|r| r.role == Role::Registry
            && r.path.contains("private/app")
            && r.authorization
                .as_deref()
                .is_some_and(|t| t.contains(".user-alice."))),
        "A's registry saw alice's token: {a_log:?}"
    );
    assert_eq!(
        authorizations(&b_log, "Basic").count(),
        0,
        "B never sees A's credentials: {b_log:?}"
    );
    assert!(
        authorizations(&b_log, "Bearer").all(|r| r
            .authorization
            .as_deref()
            .is_some_and(|t| t.contains(".anon."))),
        "B only gets anonymous tokens: {b_log:?}"
    );
    for r in a_log.iter().chain(&b_log).filter(|r| r.role == Role::Hub) {
        assert!(
            r.authorization.is_none(),
            "the Hub API gets no credentials: {r:?}"
        );
    }
}
