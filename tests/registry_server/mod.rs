//! The real server pointed at a fresh mock registry, for the end-to-end registry tests.
//! Include it beside `mod mock_registry;` and `mod support;`.

#![allow(dead_code)]

use serde_json::Value;

use crate::mock_registry::{MockOptions, MockRegistry};
use crate::support::{Client, registry_env};

pub struct Setup {
    // Field order: the client (server process) goes before the mock's runtime.
    pub client: Client,
    pub mock: MockRegistry,
    _dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

/// A server on a fresh mock; `prepare` may add fault rules before the server starts.
pub fn setup(capabilities: Value, prepare: impl FnOnce(&MockRegistry)) -> Setup {
    setup_with(MockOptions::default(), capabilities, prepare)
}

/// [`setup`] on a mock set up with `options` (bearer tokens, page caps, …).
pub fn setup_with(
    options: MockOptions,
    capabilities: Value,
    prepare: impl FnOnce(&MockRegistry),
) -> Setup {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mock = rt.block_on(MockRegistry::start(options));
    prepare(&mock);
    let dir = tempfile::tempdir().expect("temporary directory");
    let env = registry_env(&mock.hub_url, &mock.registry_url, dir.path());
    let (client, _) = Client::start_env(capabilities, Value::Null, &env);
    Setup {
        client,
        mock,
        _dir: dir,
        _rt: rt,
    }
}
