//! The answer cache: memory (`DashMap`) in front of JSON files on disk, with a time to live
//! and stale-while-revalidate (a stale answer is served at once while one background fetch
//! refreshes it), single flight (concurrent askers of one key share one in-flight fetch),
//! and a short memory of failures so that a failing registry is not asked on every
//! keystroke. A failure never replaces a good answer (no cache poisoning). "Not found" is
//! remembered on disk too, for `negative_ttl`, so that another process (an editor window,
//! `pin`) does not ask about a missing repository again.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dashmap::DashMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use tokio::runtime::Handle;
use tokio::sync::watch;

use super::error::RegistryError;
use super::events::{FetchPhase, Observer};

/// How current a cached answer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Younger than its time to live.
    Fresh,
    /// Older: still served, and a refresh has been (or is being) asked for.
    Stale,
}

type Shared<V> = Option<Result<Arc<V>, RegistryError>>;

struct Entry<V> {
    value: Arc<V>,
    fetched_ms: u64,
}

impl<V> Clone for Entry<V> {
    fn clone(&self) -> Self {
        Entry {
            value: self.value.clone(),
            fetched_ms: self.fetched_ms,
        }
    }
}

#[derive(Serialize)]
struct DiskOut<'a, V> {
    key: &'a str,
    fetched_ms: u64,
    value: &'a V,
}

#[derive(Deserialize)]
struct DiskIn<V> {
    key: String,
    fetched_ms: u64,
    value: V,
}

/// A remembered "not found", beside the answers on disk.
#[derive(Serialize, Deserialize)]
struct Missing {
    key: String,
    at_ms: u64,
    error: RegistryError,
}

/// Time limits of one cache.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub ttl: Duration,
    pub max_stale: Duration,
    pub error_ttl: Duration,
    pub negative_ttl: Duration,
}

pub(crate) struct Cache<V> {
    limits: Limits,
    /// `<cache dir>/<kind>-v1`, or `None` for a memory-only cache.
    disk: Option<PathBuf>,
    mem: DashMap<String, Entry<V>>,
    /// Keys whose file was missing when last looked for, and when: the rule checks ask
    /// for every base image on every keystroke, and a file another process may have
    /// written since is looked for again only after [`ABSENT_RECHECK`].
    absent: DashMap<String, Instant>,
    inflight: DashMap<String, watch::Receiver<Shared<V>>>,
    failures: DashMap<String, (Instant, RegistryError)>,
    /// Fetches started, for statistics and tests.
    fetches: AtomicU64,
    /// Answers stored, so that a reader can tell the cache changed (see
    /// [`Registry::generation`](super::Registry::generation)).
    inserts: AtomicU64,
    /// Told when a fetch starts and ends (see [`super::events`]).
    observer: Option<Observer>,
}

/// How long a key found neither in memory nor on disk is taken to be missing from disk.
const ABSENT_RECHECK: Duration = Duration::from_secs(5);

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl<V> Cache<V>
where
    V: Serialize + DeserializeOwned + Send + Sync + 'static,
{
    pub fn new(kind: &str, limits: Limits, cache_dir: Option<&Path>) -> Self {
        Cache {
            limits,
            disk: cache_dir.map(|d| d.join(format!("{kind}-v1"))),
            mem: DashMap::new(),
            absent: DashMap::new(),
            inflight: DashMap::new(),
            failures: DashMap::new(),
            fetches: AtomicU64::new(0),
            inserts: AtomicU64::new(0),
            observer: None,
        }
    }

    /// The cache, telling `observer` when each of its fetches starts and ends.
    pub fn observed(mut self, observer: Observer) -> Self {
        self.observer = Some(observer);
        self
    }

    fn notify(&self, key: &str, phase: FetchPhase) {
        if let Some(observer) = &self.observer {
            observer(key, phase);
        }
    }

    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// How many answers were stored so far.
    pub fn insert_count(&self) -> u64 {
        self.inserts.load(Ordering::Acquire)
    }

    fn freshness(&self, e: &Entry<V>) -> Option<Freshness> {
        let age = Duration::from_millis(now_ms().saturating_sub(e.fetched_ms));
        if age < self.limits.ttl {
            Some(Freshness::Fresh)
        } else if age < self.limits.max_stale {
            Some(Freshness::Stale)
        } else {
            None
        }
    }

    /// Any cached value (memory, else disk), however old.
    fn entry(&self, key: &str) -> Option<Entry<V>> {
        if let Some(e) = self.mem.get(key) {
            return Some(e.clone());
        }
        if self
            .absent
            .get(key)
            .is_some_and(|at| at.elapsed() < ABSENT_RECHECK)
        {
            return None;
        }
        let Some(e) = self.read_disk(key) else {
            self.absent.insert(key.to_string(), Instant::now());
            return None;
        };
        self.absent.remove(key);
        self.mem.insert(key.to_string(), e.clone());
        Some(e)
    }

    /// The cached answer if it is not too old to show, without any network.
    pub fn peek(&self, key: &str) -> Option<(Arc<V>, Freshness)> {
        let e = self.entry(key)?;
        self.freshness(&e).map(|f| (e.value, f))
    }

    pub fn in_flight(&self, key: &str) -> bool {
        self.inflight.contains_key(key)
    }

    /// The failure of the last fetch, while it is remembered; a "not found" another process
    /// wrote to disk counts too.
    pub fn recent_failure(&self, key: &str) -> Option<RegistryError> {
        if let Some(f) = self.failures.get(key) {
            let (at, err) = &*f;
            let keep = if err.is_not_found() {
                self.limits.negative_ttl
            } else {
                self.limits.error_ttl
            };
            return (at.elapsed() < keep).then(|| err.clone());
        }
        let (age, err) = self.read_missing(key)?;
        let at = Instant::now().checked_sub(age)?;
        self.failures.insert(key.to_string(), (at, err.clone()));
        Some(err)
    }

    pub fn insert(&self, key: &str, value: V) -> Arc<V> {
        let e = Entry {
            value: Arc::new(value),
            fetched_ms: now_ms(),
        };
        self.write_disk(key, &e);
        self.mem.insert(key.to_string(), e.clone());
        self.inserts.fetch_add(1, Ordering::Release);
        self.failures.remove(key);
        // It exists after all (the marker may be another process's).
        if let Some(path) = self.missing_path(key) {
            let _ = std::fs::remove_file(path);
        }
        e.value
    }

    /// The answer for `key`: a fresh cached one at once; a stale one at once with a
    /// background refresh; otherwise the result of the (shared) fetch. A transient failure
    /// falls back to whatever is cached, however old; a remembered failure is returned
    /// without asking the network again.
    pub async fn get<F, Fut>(
        self: &Arc<Self>,
        rt: &Handle,
        key: &str,
        fetch: F,
    ) -> Result<Arc<V>, RegistryError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, RegistryError>> + Send + 'static,
    {
        match self.peek(key) {
            Some((v, Freshness::Fresh)) => return Ok(v),
            Some((v, Freshness::Stale)) => {
                if self.recent_failure(key).is_none() {
                    self.flight(rt, key, fetch);
                }
                return Ok(v);
            }
            None => {}
        }
        if let Some(err) = self.recent_failure(key) {
            return self.fallback(key, err);
        }
        self.wait(self.flight(rt, key, fetch))
            .await
            .or_else(|e| self.fallback(key, e))
    }

    /// Fetches now even if a fresh answer is cached (joining a fetch already running).
    pub async fn get_fresh<F, Fut>(
        self: &Arc<Self>,
        rt: &Handle,
        key: &str,
        fetch: F,
    ) -> Result<Arc<V>, RegistryError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, RegistryError>> + Send + 'static,
    {
        self.wait(self.flight(rt, key, fetch)).await
    }

    /// Starts a background refresh unless the answer is fresh, a fetch is running, or the
    /// last one failed recently.
    pub fn refresh<F, Fut>(self: &Arc<Self>, rt: &Handle, key: &str, fetch: F)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, RegistryError>> + Send + 'static,
    {
        let fresh = matches!(self.peek(key), Some((_, Freshness::Fresh)));
        if !fresh && !self.in_flight(key) && self.recent_failure(key).is_none() {
            self.flight(rt, key, fetch);
        }
    }

    fn fallback(&self, key: &str, err: RegistryError) -> Result<Arc<V>, RegistryError> {
        // Offline, anything known beats nothing, however old.
        if (err.is_transient() || err == RegistryError::Offline)
            && let Some(e) = self.entry(key)
        {
            tracing::debug!(%err, "serving a stale registry answer");
            return Ok(e.value);
        }
        Err(err)
    }

    async fn wait(&self, mut rx: watch::Receiver<Shared<V>>) -> Result<Arc<V>, RegistryError> {
        match rx.wait_for(Option::is_some).await {
            Ok(done) => done
                .clone()
                .unwrap_or_else(|| Err(RegistryError::Internal("empty fetch result".into()))),
            Err(_) => Err(RegistryError::Internal(
                "the registry fetch ended without an answer".to_string(),
            )),
        }
    }

    /// Joins the fetch running for `key`, or starts one on the runtime. The fetch runs to
    /// completion even if every asker goes away (an editor cancelling a completion), so
    /// that the next keystroke finds the answer.
    fn flight<F, Fut>(
        self: &Arc<Self>,
        rt: &Handle,
        key: &str,
        fetch: F,
    ) -> watch::Receiver<Shared<V>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, RegistryError>> + Send + 'static,
    {
        match self.inflight.entry(key.to_string()) {
            dashmap::Entry::Occupied(o) => o.get().clone(),
            dashmap::Entry::Vacant(v) => {
                let (tx, rx) = watch::channel(None);
                v.insert(rx.clone());
                self.fetches.fetch_add(1, Ordering::Relaxed);
                self.notify(key, FetchPhase::Started);
                let fut = fetch();
                let this = self.clone();
                let key = key.to_string();
                rt.spawn(async move {
                    let result = match fut.await {
                        Ok(value) => Ok(this.insert(&key, value)),
                        Err(e) => {
                            tracing::debug!(key = %key, error = %e, "registry fetch failed");
                            if e.is_not_found() {
                                this.write_missing(&key, &e);
                            }
                            this.failures
                                .insert(key.clone(), (Instant::now(), e.clone()));
                            Err(e)
                        }
                    };
                    // The cache is written first, so a new asker finds the answer there and
                    // never starts a second fetch for it.
                    this.inflight.remove(&key);
                    let ok = result.is_ok();
                    let _ = tx.send(Some(result));
                    // Last: a listener reacting to the end finds the answer in the cache
                    // and no fetch in flight.
                    this.notify(&key, FetchPhase::Finished { ok });
                });
                rx
            }
        }
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        self.file(key, "json")
    }

    fn missing_path(&self, key: &str) -> Option<PathBuf> {
        self.file(key, "missing.json")
    }

    fn file(&self, key: &str, extension: &str) -> Option<PathBuf> {
        let dir = self.disk.as_ref()?;
        let hash = Sha256::digest(key.as_bytes());
        let name: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
        Some(dir.join(format!("{name}.{extension}")))
    }

    /// A "not found" written by any process, with its age, while it is remembered.
    fn read_missing(&self, key: &str) -> Option<(Duration, RegistryError)> {
        let bytes = std::fs::read(self.missing_path(key)?).ok()?;
        let m: Missing = serde_json::from_slice(&bytes).ok()?;
        let age = Duration::from_millis(now_ms().saturating_sub(m.at_ms));
        (m.key == key && m.error.is_not_found() && age < self.limits.negative_ttl)
            .then_some((age, m.error))
    }

    fn write_missing(&self, key: &str, error: &RegistryError) {
        let Some(path) = self.missing_path(key) else {
            return;
        };
        let m = Missing {
            key: key.to_string(),
            at_ms: now_ms(),
            error: error.clone(),
        };
        if let Ok(bytes) = serde_json::to_vec(&m) {
            write_atomic(&path, &bytes);
        }
    }

    fn read_disk(&self, key: &str) -> Option<Entry<V>> {
        let path = self.path(key)?;
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice::<DiskIn<V>>(&bytes) {
            Ok(d) if d.key == key => Some(Entry {
                value: Arc::new(d.value),
                fetched_ms: d.fetched_ms,
            }),
            Ok(_) => None,
            Err(e) => {
                tracing::debug!(path = %path.display(), "ignoring unreadable cache file: {e}");
                None
            }
        }
    }

    fn write_disk(&self, key: &str, e: &Entry<V>) {
        let Some(path) = self.path(key) else {
            return;
        };
        let out = DiskOut {
            key,
            fetched_ms: e.fetched_ms,
            value: &*e.value,
        };
        match serde_json::to_vec(&out) {
            Ok(bytes) => write_atomic(&path, &bytes),
            Err(err) => tracing::debug!("cannot encode a registry cache entry: {err}"),
        }
    }
}

/// Writes then renames, so that a reader (another server process) never sees half a file.
/// Failure only loses the cache entry.
fn write_atomic(path: &Path, bytes: &[u8]) {
    let result = (|| -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{}.{n}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(err) = result {
        tracing::debug!(path = %path.display(), "cannot write the registry cache: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn limits(ttl_ms: u64) -> Limits {
        Limits {
            ttl: Duration::from_millis(ttl_ms),
            max_stale: Duration::from_secs(3600),
            error_ttl: Duration::from_secs(60),
            negative_ttl: Duration::from_secs(60),
        }
    }

    #[test]
    fn single_flight_and_stale_while_revalidate() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let handle = rt.handle().clone();
        rt.block_on(async {
            let cache: Arc<Cache<Vec<u32>>> = Arc::new(Cache::new("t", limits(50), None));
            let calls = Arc::new(AtomicUsize::new(0));
            let mut joins = Vec::new();
            for _ in 0..20 {
                let (cache, calls, handle) = (cache.clone(), calls.clone(), handle.clone());
                joins.push(tokio::spawn(async move {
                    cache
                        .get(&handle, "k", move || async move {
                            calls.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok(vec![1, 2, 3])
                        })
                        .await
                }));
            }
            for j in joins {
                assert_eq!(j.await.expect("task").map(|v| v.len()), Ok(3));
            }
            assert_eq!(calls.load(Ordering::SeqCst), 1);

            // Stale: served at once, refreshed behind.
            tokio::time::sleep(Duration::from_millis(60)).await;
            assert!(matches!(cache.peek("k"), Some((_, Freshness::Stale))));
            let v = cache
                .get(&handle, "k", || async { Ok(vec![9]) })
                .await
                .expect("stale answer");
            assert_eq!(*v, vec![1, 2, 3]);
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert_eq!(cache.peek("k").map(|(v, _)| v.len()), Some(1));

            // A failure does not replace the answer, and is remembered.
            let e = cache
                .get_fresh(&handle, "k", || async {
                    Err(RegistryError::Internal("boom".into()))
                })
                .await;
            assert!(e.is_err());
            assert_eq!(cache.peek("k").map(|(v, _)| v.len()), Some(1));
            assert!(cache.recent_failure("k").is_some());
        });
    }

    #[test]
    fn not_found_is_remembered_on_disk_by_another_process() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let dir = tempfile::tempdir().expect("temporary directory");
        let missing = RegistryError::RepositoryNotFound {
            registry: "docker.io".into(),
            repository: "library/ubun".into(),
        };
        let handle = rt.handle().clone();
        rt.block_on(async {
            let first: Arc<Cache<Vec<u32>>> =
                Arc::new(Cache::new("t", limits(1000), Some(dir.path())));
            let err = missing.clone();
            let got = first
                .get(&handle, "ubun", move || async move { Err(err) })
                .await;
            assert_eq!(got, Err(missing.clone()));
            // A new cache on the same directory (another process) knows without asking.
            let second: Arc<Cache<Vec<u32>>> =
                Arc::new(Cache::new("t", limits(1000), Some(dir.path())));
            let asked = Arc::new(AtomicUsize::new(0));
            let counter = asked.clone();
            let got = second
                .get(&handle, "ubun", move || async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    Ok(vec![1])
                })
                .await;
            assert_eq!(got, Err(missing.clone()));
            assert_eq!(asked.load(Ordering::SeqCst), 0);
            // Other failures are not written down.
            let third: Arc<Cache<Vec<u32>>> =
                Arc::new(Cache::new("u", limits(1000), Some(dir.path())));
            let _ = third
                .get(&handle, "x", || async {
                    Err(RegistryError::Internal("boom".into()))
                })
                .await;
            let fourth: Arc<Cache<Vec<u32>>> =
                Arc::new(Cache::new("u", limits(1000), Some(dir.path())));
            assert_eq!(fourth.recent_failure("x"), None);
        });
    }
}
