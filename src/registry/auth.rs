//! Registry authentication: parsing `WWW-Authenticate` challenges (RFC 7235, several per
//! header), and the bearer-token flow — anonymous, with Basic credentials, or with an
//! identity token (OAuth2 refresh grant) — with tokens cached per realm, service and scope
//! until shortly before they expire.

use std::time::{Duration, Instant};

use dashmap::DashMap;
use reqwest::header::AUTHORIZATION;
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;

use super::config::host_port;
use super::credentials::Credential;
use super::error::RegistryError;
use super::http::{Http, Request};

/// A token's lifetime when the server does not say (the spec's default).
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(60);
/// Tokens are renewed this long before they expire.
const TOKEN_MARGIN: Duration = Duration::from_secs(30);

/// One challenge of a `WWW-Authenticate` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// Lowercased scheme: `bearer`, `basic`, ...
    pub scheme: String,
    /// Parameters with lowercased names.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a `WWW-Authenticate` value into its challenges:
/// `Bearer realm="https://auth.docker.io/token",service="registry.docker.io"`, or several
/// (`Bearer realm="…",scope="*",Basic realm="…"`). Unparseable pieces are skipped.
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let bytes = header.as_bytes();
    let mut i = 0;
    let is_token = |b: u8| !matches!(b, b' ' | b'\t' | b',' | b'=' | b'"');
    while i < bytes.len() {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b',') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && is_token(bytes[i]) {
            i += 1;
        }
        if start == i {
            // A stray character; skip it so that the loop always advances.
            i += 1;
            continue;
        }
        let word = &header[start..i];
        let mut j = i;
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'=' {
            // `name=value`: a parameter of the current challenge.
            j += 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
                j += 1;
            }
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'"' {
                j += 1;
                let mut chars = header[j..].char_indices();
                let mut end = header.len();
                while let Some((k, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, n)) = chars.next() {
                                value.push(n);
                            }
                        }
                        '"' => {
                            end = j + k + 1;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                j = end;
            } else {
                let vs = j;
                while j < bytes.len() && !matches!(bytes[j], b',' | b' ' | b'\t') {
                    j += 1;
                }
                value.push_str(&header[vs..j]);
            }
            if let Some(current) = out.last_mut() {
                current.params.push((word.to_ascii_lowercase(), value));
            }
            i = j;
        } else {
            out.push(Challenge {
                scheme: word.to_ascii_lowercase(),
                params: Vec::new(),
            });
        }
    }
    out
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Clone)]
struct CachedToken {
    value: String,
    renew_at: Instant,
}

/// Bearer tokens, cached per (realm, service, scope).
#[derive(Default)]
pub(crate) struct TokenCache {
    tokens: DashMap<(String, String, String), CachedToken>,
}

impl TokenCache {
    pub fn get(&self, realm: &str, service: &str, scope: &str) -> Option<String> {
        let key = (realm.to_string(), service.to_string(), scope.to_string());
        let t = self.tokens.get(&key)?;
        (Instant::now() < t.renew_at).then(|| t.value.clone())
    }

    pub fn forget(&self, realm: &str, service: &str, scope: &str) {
        self.tokens
            .remove(&(realm.to_string(), service.to_string(), scope.to_string()));
    }

    /// Gets a token from the challenge's realm for `scope`, with `credential` if given.
    /// The realm comes from the registry's own challenge, which is the one place a registry's
    /// credentials may go besides the registry itself (docker.io → auth.docker.io).
    pub async fn fetch(
        &self,
        http: &Http,
        registry_host: &str,
        challenge: &Challenge,
        scope: &str,
        credential: Option<&Credential>,
    ) -> Result<String, RegistryError> {
        let realm_text = challenge
            .param("realm")
            .ok_or_else(|| RegistryError::Unauthorized {
                host: registry_host.to_string(),
                detail: "the registry's bearer challenge names no token realm".to_string(),
            })?;
        let realm = Url::parse(realm_text).map_err(|e| RegistryError::Unauthorized {
            host: registry_host.to_string(),
            detail: format!("invalid token realm {realm_text:?}: {e}"),
        })?;
        let service = challenge.param("service").unwrap_or_default();
        if let Some(t) = self.get(realm_text, service, scope) {
            return Ok(t);
        }
        let what = format!("a token for {scope}");
        let resp = match credential {
            Some(Credential::RegistryToken(t)) => return Ok(t.clone()),
            Some(Credential::IdentityToken(refresh)) => {
                let mut form = Url::parse("http://form.invalid/")
                    .map_err(|e| RegistryError::Internal(format!("form encoding: {e}")))?;
                form.query_pairs_mut()
                    .append_pair("grant_type", "refresh_token")
                    .append_pair("refresh_token", refresh)
                    .append_pair("service", service)
                    .append_pair("scope", scope)
                    .append_pair("client_id", "dockerfile-ls");
                let body = form.query().unwrap_or_default().as_bytes().to_vec();
                let mut req = Request::new(Method::POST, realm.clone(), what.clone());
                req.body = Some(("application/x-www-form-urlencoded".to_string(), body));
                let resp = http.send(req).await?;
                if resp.status == StatusCode::NOT_FOUND {
                    // No OAuth endpoint: the GET flow, anonymously (an identity token is not a
                    // password).
                    http.send(token_get(&realm, service, scope, None, &what))
                        .await?
                } else {
                    resp
                }
            }
            basic => {
                http.send(token_get(&realm, service, scope, basic, &what))
                    .await?
            }
        };
        if !resp.status.is_success() {
            let host = host_port(&resp.url);
            return Err(if matches!(resp.status.as_u16(), 401 | 403) {
                RegistryError::Unauthorized {
                    host,
                    detail: format!("the token service refused {scope}"),
                }
            } else {
                RegistryError::Status {
                    host,
                    status: resp.status.as_u16(),
                    what,
                }
            });
        }
        let parsed: TokenResponse = resp.json(&what)?;
        let value = parsed
            .token
            .or(parsed.access_token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| RegistryError::Malformed {
                host: host_port(&resp.url),
                what: what.clone(),
                detail: "no token in the response".to_string(),
            })?;
        let lifetime = parsed
            .expires_in
            .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs)
            .max(DEFAULT_TOKEN_LIFETIME);
        self.tokens.insert(
            (
                realm_text.to_string(),
                service.to_string(),
                scope.to_string(),
            ),
            CachedToken {
                value: value.clone(),
                renew_at: Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN),
            },
        );
        Ok(value)
    }
}

fn token_get(
    realm: &Url,
    service: &str,
    scope: &str,
    credential: Option<&Credential>,
    what: &str,
) -> Request {
    let mut url = realm.clone();
    {
        let mut q = url.query_pairs_mut();
        if !service.is_empty() {
            q.append_pair("service", service);
        }
        q.append_pair("scope", scope);
    }
    let req = Request::new(Method::GET, url, what);
    match credential.and_then(Credential::basic_header) {
        Some(h) => req.secret_header(AUTHORIZATION, &h),
        None => req,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_challenges() {
        let c = parse_challenges(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(c[0].param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c[0].param("service"), Some("registry.docker.io"));

        let c = parse_challenges(
            r#"Bearer realm="https://codeberg.org/v2/token",service="container_registry",scope="*",Basic realm="https://codeberg.org/v2",service="container_registry",scope="*""#,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].scheme, "basic");
        assert_eq!(c[1].param("realm"), Some("https://codeberg.org/v2"));

        let c = parse_challenges(r#"Basic realm="Artifactory Realm""#);
        assert_eq!(c[0].param("realm"), Some("Artifactory Realm"));
        let c = parse_challenges(r#"Bearer realm="a\"b", error=invalid_token"#);
        assert_eq!(c[0].param("realm"), Some("a\"b"));
        assert_eq!(c[0].param("error"), Some("invalid_token"));
        for s in ["", "=", "\"", "Bearer realm=\"unterminated", ",,,", "a=b"] {
            let _ = parse_challenges(s);
        }
    }
}
