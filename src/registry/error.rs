//! The registry layer's error type: one enum whose messages can be shown to users as they
//! are (in hovers, diagnostics and logs), and never contain credentials.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Why a registry question could not be answered.
///
/// The enum is `Clone` because one fetch answers every caller waiting on it (single flight).
///
/// Serializable so that a "not found" can be remembered on disk (negative caching).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RegistryError {
    #[error("registry access is turned off (registry.offline)")]
    Offline,
    #[error("invalid registry configuration: {0}")]
    Config(String),
    #[error(
        "refusing plain HTTP to {host}: only loopback hosts and hosts listed in registry.insecureHosts may use http://"
    )]
    InsecureUrl { host: String },
    #[error("repository {repository} not found on {registry}")]
    RepositoryNotFound {
        registry: String,
        repository: String,
    },
    #[error("tag {tag} not found in {repository}")]
    TagNotFound { repository: String, tag: String },
    #[error("{host} needs credentials (or the image is private): {detail}")]
    Unauthorized { host: String, detail: String },
    #[error("{host} is rate limiting requests; retrying after {}s", retry_after.as_secs())]
    RateLimited { host: String, retry_after: Duration },
    #[error("{host} answered HTTP {status} for {what}")]
    Status {
        host: String,
        status: u16,
        what: String,
    },
    #[error("{host} did not answer within {}ms", timeout.as_millis())]
    Timeout { host: String, timeout: Duration },
    #[error("cannot reach {host}: {detail}")]
    Network { host: String, detail: String },
    #[error("{host} sent a response larger than {limit} bytes for {what}")]
    TooLarge {
        host: String,
        limit: usize,
        what: String,
    },
    #[error("{host} sent a response that is not the expected JSON for {what}: {detail}")]
    Malformed {
        host: String,
        what: String,
        detail: String,
    },
    #[error("{0}")]
    Internal(String),
}

impl RegistryError {
    /// Whether a later attempt may succeed without anything changing on the user's side, so
    /// that a stale cached answer is the right thing to show meanwhile.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            RegistryError::RateLimited { .. }
                | RegistryError::Timeout { .. }
                | RegistryError::Network { .. }
                | RegistryError::Malformed { .. }
                | RegistryError::TooLarge { .. }
                | RegistryError::Internal(_)
        ) || matches!(self, RegistryError::Status { status, .. } if *status >= 500)
    }

    /// The host whose every request fails the same way for now (it cannot be reached, does
    /// not answer in time, or rate limits us), for reports that say so once per host rather
    /// than once per image.
    pub fn host_wide(&self) -> Option<&str> {
        match self {
            RegistryError::Network { host, .. }
            | RegistryError::Timeout { host, .. }
            | RegistryError::RateLimited { host, .. } => Some(host),
            _ => None,
        }
    }

    /// Whether the answer is "this does not exist", which is worth remembering for a while
    /// (negative caching) rather than asking again on every keystroke.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            RegistryError::RepositoryNotFound { .. } | RegistryError::TagNotFound { .. }
        )
    }
}
