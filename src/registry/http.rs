//! The HTTP transport every registry request goes through: offline mode and the plain-HTTP
//! rule, timeouts, bounded response bodies (a huge body is an error, not an allocation),
//! retries of 5xx and dropped connections, and a per-host circuit breaker that honours
//! `429` with `Retry-After` (seconds or a date) or Docker Hub's `X-Retry-After` (a Unix time).
//! Request and response headers are never logged: they can carry credentials.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dashmap::DashMap;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use super::config::{RegistryConfig, host_port};
use super::error::RegistryError;

/// One request, described so that it can be re-sent on a retry.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<(String, Vec<u8>)>,
    /// What the request is for, in error messages ("tags of docker.io/library/python").
    pub what: String,
}

impl Request {
    pub fn new(method: Method, url: Url, what: impl Into<String>) -> Self {
        Request {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            what: what.into(),
        }
    }

    pub fn header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.insert(name, v);
        }
        self
    }

    /// Adds a header whose value is secret: marked sensitive so that no debug output of the
    /// HTTP stack prints it.
    pub fn secret_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(mut v) = HeaderValue::from_str(value) {
            v.set_sensitive(true);
            self.headers.insert(name, v);
        }
        self
    }
}

/// A response whose body has been read completely (within the size limit).
#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The URL that answered, after redirects; relative `Link`s resolve against it.
    pub url: Url,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Parses the body as JSON, mapping failure to [`RegistryError::Malformed`].
    pub fn json<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T, RegistryError> {
        serde_json::from_slice(&self.body).map_err(|e| RegistryError::Malformed {
            host: host_port(&self.url),
            what: what.to_string(),
            detail: e.to_string(),
        })
    }
}

/// Per-host state of the circuit breaker.
#[derive(Clone, Copy, Debug)]
struct Backoff {
    until: Instant,
    /// The wait that set `until`, doubled on the next 429 without a usable header.
    last: Duration,
}

pub(crate) struct Http {
    client: reqwest::Client,
    config: Arc<RegistryConfig>,
    backoff: DashMap<String, Backoff>,
    /// Hosts a connection could not be made to, with the error, until `unreachable_ttl`
    /// has passed: every other request to them fails at once with the same error, instead
    /// of each trying (and timing out) in turn.
    unreachable: DashMap<String, (Instant, RegistryError)>,
}

impl Http {
    pub fn new(config: Arc<RegistryConfig>) -> Result<Self, RegistryError> {
        let redirect_config = config.clone();
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("dockerfile-ls/", env!("CARGO_PKG_VERSION")))
            // reqwest drops Authorization when a redirect leaves the host; we also refuse
            // redirects to plain HTTP that the user did not allow.
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= 5 {
                    attempt.error("too many redirects")
                } else if redirect_config.check_url(attempt.url()).is_err() {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }))
            .build()
            .map_err(|e| RegistryError::Internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(Http {
            client,
            config,
            backoff: DashMap::new(),
            unreachable: DashMap::new(),
        })
    }

    /// The connection failure remembered for `host`, while it is.
    fn unreachable(&self, host: &str) -> Option<RegistryError> {
        let found = self.unreachable.get(host)?;
        let (at, err) = &*found;
        (at.elapsed() < self.config.unreachable_ttl).then(|| err.clone())
    }

    /// The circuit breaker's answer for a host: the remaining wait, if any.
    pub fn blocked_for(&self, host: &str) -> Option<Duration> {
        let b = self.backoff.get(host)?;
        b.until.checked_duration_since(Instant::now())
    }

    /// Sends a request: refuses it offline, on a disallowed URL, while the host is rate
    /// limited or after a connection to it failed (for `unreachable_ttl`); retries 5xx and
    /// dropped connections per `retry_delays`, but not a connection that could not be made;
    /// reads the body up to `max_body_bytes`. Non-success statuses other than 429 come back
    /// as a [`Response`] for the caller to interpret.
    pub async fn send(&self, req: Request) -> Result<Response, RegistryError> {
        if self.config.offline {
            return Err(RegistryError::Offline);
        }
        self.config.check_url(&req.url)?;
        let host = host_port(&req.url);
        if let Some(wait) = self.blocked_for(&host) {
            return Err(RegistryError::RateLimited {
                host,
                retry_after: round_up(wait),
            });
        }
        if let Some(err) = self.unreachable(&host) {
            return Err(err);
        }
        let mut attempt = 0;
        loop {
            let result = self.send_once(&req, &host).await;
            let retry = match &result {
                Ok(resp) => resp.status.is_server_error(),
                Err(RegistryError::Network { .. } | RegistryError::Timeout { .. })
                    if self.unreachable(&host).is_some() =>
                {
                    false
                }
                Err(RegistryError::Network { .. }) => true,
                Err(_) => false,
            };
            match self.config.retry_delays.get(attempt) {
                Some(delay) if retry => {
                    tracing::debug!(%host, what = %req.what, attempt, "retrying registry request");
                    tokio::time::sleep(*delay).await;
                    attempt += 1;
                }
                _ => return result,
            }
        }
    }

    async fn send_once(&self, req: &Request, host: &str) -> Result<Response, RegistryError> {
        let mut builder = self
            .client
            .request(req.method.clone(), req.url.clone())
            .headers(req.headers.clone());
        if let Some((content_type, body)) = &req.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                .body(body.clone());
        }
        tracing::debug!(method = %req.method, url = %req.url, "registry request");
        let mut resp = builder.send().await.map_err(|e| self.map_error(e, host))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let url = resp.url().clone();

        if status == StatusCode::TOO_MANY_REQUESTS {
            let wait = self.note_rate_limit(host, &headers);
            return Err(RegistryError::RateLimited {
                host: host.to_string(),
                retry_after: round_up(wait),
            });
        }
        let limit = self.config.max_body_bytes;
        let too_large = || RegistryError::TooLarge {
            host: host.to_string(),
            limit,
            what: req.what.clone(),
        };
        if resp.content_length().is_some_and(|n| n > limit as u64) && req.method != Method::HEAD {
            return Err(too_large());
        }
        let mut body = Vec::new();
        if req.method != Method::HEAD {
            // Read chunk by chunk: the limit holds for what is decompressed, whatever the
            // headers claim.
            while let Some(chunk) = resp.chunk().await.map_err(|e| self.map_error(e, host))? {
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
        }
        Ok(Response {
            status,
            headers,
            body,
            url,
        })
    }

    fn map_error(&self, e: reqwest::Error, host: &str) -> RegistryError {
        let connect = e.is_connect();
        let err = self.describe(e, host);
        if connect {
            tracing::debug!(%host, error = %err, "registry host unreachable");
            self.unreachable
                .insert(host.to_string(), (Instant::now(), err.clone()));
        }
        err
    }

    fn describe(&self, e: reqwest::Error, host: &str) -> RegistryError {
        if e.is_timeout() {
            RegistryError::Timeout {
                host: host.to_string(),
                timeout: self.config.request_timeout,
            }
        } else if e.is_redirect() {
            RegistryError::Network {
                host: host.to_string(),
                detail: "too many redirects".to_string(),
            }
        } else {
            // Without the URL: it is already in the message's host, and reqwest's chain can be
            // long; the root cause is what users need.
            let e = e.without_url();
            let mut detail = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                detail = s.to_string();
                source = s.source();
            }
            RegistryError::Network {
                host: host.to_string(),
                detail,
            }
        }
    }

    /// Opens the circuit breaker for `host` after a 429 and returns how long it stays open.
    fn note_rate_limit(&self, host: &str, headers: &HeaderMap) -> Duration {
        let now = SystemTime::now();
        let from_header = retry_after(headers, now);
        let previous = self.backoff.get(host).map(|b| b.last);
        let wait = match (from_header, previous) {
            (Some(w), _) => w,
            (None, Some(last)) => last * 2,
            (None, None) => self.config.rate_limit_default,
        }
        .min(self.config.rate_limit_max);
        tracing::info!(%host, wait_secs = wait.as_secs_f64(), "registry rate limited");
        self.backoff.insert(
            host.to_string(),
            Backoff {
                until: Instant::now() + wait,
                last: wait,
            },
        );
        wait
    }
}

fn round_up(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs() + u64::from(d.subsec_nanos() > 0))
}

/// The wait a 429 asks for: `Retry-After` in seconds or as an HTTP date, or Docker Hub's
/// `X-Retry-After` as a Unix time.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let now_secs = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    if let Some(v) = get("retry-after") {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Some(at) = parse_http_date(v) {
            return Some(Duration::from_secs(at.saturating_sub(now_secs)));
        }
    }
    let at = get("x-retry-after")?.parse::<u64>().ok()?;
    Some(Duration::from_secs(at.saturating_sub(now_secs)))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (the IMF-fixdate form HTTP/1.1 senders must use).
fn parse_http_date(s: &str) -> Option<u64> {
    let mut parts = s.split_whitespace().skip(1);
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u32 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    let text = format!("{year:04}-{month:02}-{day:02}T{time}Z");
    super::tags::parse_rfc3339(&text).and_then(|t| u64::try_from(t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_700);
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        h.insert(
            "retry-after",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(77)));
        let mut h = HeaderMap::new();
        h.insert("x-retry-after", HeaderValue::from_static("784111760"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(60)));
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }
}
