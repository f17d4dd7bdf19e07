//! Registry credentials from Docker's `config.json` (`auths`, `credHelpers`, `credsStore`),
//! looked up the way the docker CLI does, with `docker-credential-*` helpers run under a
//! timeout. Secrets never reach a log: [`Credential`]'s `Debug` is redacted, and callers send
//! a credential only to the host it was looked up for (see `oci.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use base64::Engine as _;
use dashmap::DashMap;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The `config.json` key Docker uses for Docker Hub.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// Largest helper output accepted; helpers print one small JSON object.
const MAX_HELPER_OUTPUT: u64 = 64 * 1024;

/// A credential for one registry host.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// Username and password (or a personal access token as password).
    Basic { username: String, password: String },
    /// An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user), exchanged
    /// at the token endpoint.
    IdentityToken(String),
    /// A ready bearer token (`registrytoken`).
    RegistryToken(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Credential::Basic { .. } => "Basic",
            Credential::IdentityToken(_) => "IdentityToken",
            Credential::RegistryToken(_) => "RegistryToken",
        };
        write!(f, "Credential::{kind}(<redacted>)")
    }
}

impl Credential {
    /// `Authorization: Basic …` value for username/password credentials.
    pub fn basic_header(&self) -> Option<String> {
        match self {
            Credential::Basic { username, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
            )),
            _ => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
    #[serde(default)]
    registrytoken: Option<String>,
}

impl std::fmt::Debug for AuthEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthEntry(<redacted>)")
    }
}

#[derive(Deserialize)]
struct HelperOutput {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Credentials of the user's Docker configuration, cached per host for the session.
pub struct CredentialStore {
    file: ConfigFile,
    helper_dir: Option<PathBuf>,
    helper_timeout: Duration,
    cache: DashMap<String, Option<Credential>>,
}

impl std::fmt::Debug for CredentialStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialStore")
            .field("hosts", &self.file.auths.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl CredentialStore {
    /// Reads `config.json` from `dir`, or `$DOCKER_CONFIG`, or `~/.docker`. A missing or
    /// unreadable file means no credentials (anonymous access), with a log line.
    pub fn load(dir: Option<&Path>, helper_dir: Option<PathBuf>, helper_timeout: Duration) -> Self {
        let dir = dir.map(Path::to_path_buf).or_else(|| {
            std::env::var_os("DOCKER_CONFIG")
                .map(PathBuf::from)
                .or_else(|| std::env::home_dir().map(|h| h.join(".docker")))
        });
        let file = match dir.map(|d| d.join("config.json")) {
            Some(path) => match std::fs::read(&path) {
                Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                    tracing::warn!(path = %path.display(), "ignoring unreadable Docker config: {e}");
                    ConfigFile::default()
                }),
                Err(_) => ConfigFile::default(),
            },
            None => ConfigFile::default(),
        };
        CredentialStore {
            file,
            helper_dir,
            helper_timeout,
            cache: DashMap::new(),
        }
    }

    /// No credentials at all.
    pub fn empty() -> Self {
        CredentialStore {
            file: ConfigFile::default(),
            helper_dir: None,
            helper_timeout: Duration::from_secs(5),
            cache: DashMap::new(),
        }
    }

    /// The credential for a registry host (`host[:port]` as contacted), or `None` for
    /// anonymous access. Order: `credHelpers`, then `credsStore`, then `auths`.
    pub async fn get(&self, host: &str) -> Option<Credential> {
        let key = credential_key(host);
        if let Some(hit) = self.cache.get(&key) {
            return hit.clone();
        }
        let found = self.lookup(&key).await;
        self.cache.insert(key, found.clone());
        found
    }

    async fn lookup(&self, key: &str) -> Option<Credential> {
        if let Some(helper) = self.file.cred_helpers.get(key) {
            return self.run_helper(helper, key).await;
        }
        if let Some(store) = &self.file.creds_store
            && let Some(c) = self.run_helper(store, key).await
        {
            return Some(c);
        }
        let entry = self.file.auths.get(key).or_else(|| {
            // Legacy keys carry a scheme and a path (`https://reg.example/v1/`).
            self.file
                .auths
                .iter()
                .find(|(k, _)| credential_key(&strip_url(k)) == key)
                .map(|(_, v)| v)
        })?;
        from_entry(entry)
    }

    async fn run_helper(&self, helper: &str, key: &str) -> Option<Credential> {
        // A helper name is a suffix, never a path: refuse anything that could escape.
        if helper.is_empty() || helper.contains(['/', '\\']) || helper.contains("..") {
            tracing::warn!(helper, "ignoring credential helper with an invalid name");
            return None;
        }
        let program = format!("docker-credential-{helper}");
        let path = self
            .helper_dir
            .as_ref()
            .map(|d| d.join(&program))
            .filter(|p| p.is_file())
            .unwrap_or_else(|| PathBuf::from(&program));
        let run = async {
            let mut child = tokio::process::Command::new(&path)
                .arg("get")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .ok()?;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(key.as_bytes()).await.ok()?;
            }
            let mut out = Vec::new();
            if let Some(stdout) = child.stdout.take() {
                stdout
                    .take(MAX_HELPER_OUTPUT)
                    .read_to_end(&mut out)
                    .await
                    .ok()?;
            }
            let status = child.wait().await.ok()?;
            // Non-zero is "credentials not found": anonymous, not an error.
            if !status.success() {
                return None;
            }
            let parsed: HelperOutput = serde_json::from_slice(&out).ok()?;
            Some(parsed)
        };
        match tokio::time::timeout(self.helper_timeout, run).await {
            Ok(Some(out)) if out.username == "<token>" => {
                Some(Credential::IdentityToken(out.secret))
            }
            Ok(Some(out)) if !out.secret.is_empty() => Some(Credential::Basic {
                username: out.username,
                password: out.secret,
            }),
            Ok(_) => None,
            Err(_) => {
                tracing::warn!(helper = %program, "credential helper timed out; continuing anonymously");
                None
            }
        }
    }
}

fn from_entry(entry: &AuthEntry) -> Option<Credential> {
    if let Some(token) = entry.identitytoken.as_ref().filter(|t| !t.is_empty()) {
        return Some(Credential::IdentityToken(token.clone()));
    }
    if let Some(auth) = entry.auth.as_ref().filter(|a| !a.is_empty()) {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (user, pass) = text.split_once(':')?;
        return Some(Credential::Basic {
            username: user.to_string(),
            password: pass.trim_end_matches('\0').to_string(),
        });
    }
    if let (Some(u), Some(p)) = (&entry.username, &entry.password) {
        return Some(Credential::Basic {
            username: u.clone(),
            password: p.clone(),
        });
    }
    entry
        .registrytoken
        .as_ref()
        .filter(|t| !t.is_empty())
        .map(|t| Credential::RegistryToken(t.clone()))
}

/// The key credentials are stored under for a host: Docker Hub's legacy URL for its hosts,
/// otherwise the host itself.
pub fn credential_key(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    match host.as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB_KEY.to_string(),
        _ => host,
    }
}

fn strip_url(key: &str) -> String {
    if key == DOCKER_HUB_KEY {
        return "docker.io".to_string();
    }
    let rest = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    rest.split('/').next().unwrap_or(rest).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_redaction() {
        assert_eq!(credential_key("registry-1.docker.io"), DOCKER_HUB_KEY);
        assert_eq!(credential_key("ghcr.io"), "ghcr.io");
        assert_eq!(
            strip_url("https://reg.example:5000/v1/"),
            "reg.example:5000"
        );
        let c = Credential::Basic {
            username: "alice".into(),
            password: "s3cret".into(),
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("alice"),
            "{shown}"
        );
        assert_eq!(c.basic_header().as_deref(), Some("Basic YWxpY2U6czNjcmV0"));
    }

    #[test]
    fn auth_entries() {
        let file: ConfigFile = serde_json::from_str(
            r#"{"auths": {"https://reg.example/v1/": {"auth": "YWxpY2U6czNjcmV0"},
                          "tok.example": {"identitytoken": "idt"}}}"#,
        )
        .expect("test JSON");
        let store = CredentialStore {
            file,
            ..CredentialStore::empty()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            assert_eq!(
                store.get("reg.example").await,
                Some(Credential::Basic {
                    username: "alice".into(),
                    password: "s3cret".into()
                })
            );
            assert_eq!(
                store.get("tok.example").await,
                Some(Credential::IdentityToken("idt".into()))
            );
            assert_eq!(store.get("other.example").await, None);
        });
    }
}
