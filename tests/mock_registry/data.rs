//! The mock registry's data: official-images `library/*` files (and their `history/` copies)
//! turned into deterministic OCI manifests, indexes and Docker Hub tag records. Tags of one
//! entry share one index digest; a `SharedTags` tag gets the index of all its entries; tags
//! found only in an older copy stay, with their old digest and date (stale tags).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::fixtures;

pub const INDEX_TYPE: &str = "application/vnd.oci.image.index.v1+json";
pub const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";

/// Unix time of the current snapshot (2026-08-21T00:00:00Z).
pub const CURRENT_BASE: i64 = 1_787_270_400;

/// `$DOCKERFILE_LS_SHARED` or `../shared` beside the crate. Panics with a clear message when
/// the registry data is missing, so that no test passes without it.
pub fn official_images_dir() -> PathBuf {
    dockerfile_ls::shared_data::dir_with("registry/official-images/library")
        .join("registry/official-images")
}

/// One entry of a library file.
#[derive(Clone, Debug, Default)]
pub struct LibEntry {
    pub tags: Vec<String>,
    pub shared_tags: Vec<String>,
    pub architectures: Vec<String>,
    pub constraints: String,
    pub git_commit: String,
    pub directory: String,
}

/// Parses the RFC 2822-like library format: blank-line separated entries, the first one
/// holding defaults, continuation lines starting with whitespace.
pub fn parse_library(text: &str) -> Vec<LibEntry> {
    let mut blocks: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = block.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            block.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    blocks.retain(|b| !b.is_empty());
    let mut blocks = blocks.into_iter();
    let defaults: HashMap<String, String> = blocks.next().unwrap_or_default().into_iter().collect();
    let list = |v: &str| -> Vec<String> {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    blocks
        .map(|b| {
            let mut fields = defaults.clone();
            fields.extend(b);
            let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
            let mut architectures = list(&get("Architectures"));
            if architectures.is_empty() {
                architectures.push("amd64".to_string());
            }
            LibEntry {
                tags: list(&get("Tags")),
                shared_tags: list(&get("SharedTags")),
                architectures,
                constraints: get("Constraints"),
                git_commit: get("GitCommit"),
                directory: get("Directory"),
            }
        })
        .filter(|e| !e.tags.is_empty())
        .collect()
}

/// A platform of an index.
#[derive(Clone, Debug)]
pub struct PlatformRec {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
    pub os_version: Option<String>,
    pub size: u64,
    /// The platform manifest's digest (Docker Hub's `images[].digest`).
    pub digest: String,
}

/// One tag as both APIs see it.
#[derive(Clone, Debug)]
pub struct TagRec {
    pub name: String,
    pub digest: String,
    pub last_updated: i64,
    pub platforms: Vec<PlatformRec>,
    pub full_size: u64,
    pub id: u64,
}

/// A repository at one point in time.
#[derive(Clone, Debug, Default)]
pub struct RepoData {
    pub tags: BTreeMap<String, TagRec>,
    /// digest → (media type, bytes), for indexes and platform manifests.
    pub manifests: HashMap<String, (String, Arc<Vec<u8>>)>,
}

/// Every repository, now and (where a history copy exists) back then.
pub struct Dataset {
    pub current: BTreeMap<String, Arc<RepoData>>,
    pub old: BTreeMap<String, Arc<RepoData>>,
}

fn sha(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

fn platform_of(arch: &str, constraints: &str) -> (String, String, Option<String>, Option<String>) {
    let (os, a, v) = match arch {
        "amd64" => ("linux", "amd64", None),
        "arm32v5" => ("linux", "arm", Some("v5")),
        "arm32v6" => ("linux", "arm", Some("v6")),
        "arm32v7" => ("linux", "arm", Some("v7")),
        "arm64v8" => ("linux", "arm64", Some("v8")),
        "i386" => ("linux", "386", None),
        "windows-amd64" => ("windows", "amd64", None),
        other => ("linux", other, None),
    };
    let os_version = (os == "windows").then(|| {
        if constraints.contains("ltsc2025") {
            "10.0.26100.0"
        } else if constraints.contains("ltsc2022") {
            "10.0.20348.0"
        } else {
            "10.0.17763.0"
        }
        .to_string()
    });
    (
        os.to_string(),
        a.to_string(),
        v.map(String::from),
        os_version,
    )
}

/// Builds one snapshot of a repository; `base` is its Unix time.
pub fn build(repo: &str, entries: &[LibEntry], base: i64, into: &mut RepoData) {
    let mut entry_children: Vec<Vec<Value>> = Vec::new();
    let mut entry_platforms: Vec<Vec<PlatformRec>> = Vec::new();
    for e in entries {
        let first = e.tags.first().cloned().unwrap_or_default();
        let mut children = Vec::new();
        let mut platforms = Vec::new();
        for arch in &e.architectures {
            let seed = format!("{repo}|{first}|{arch}|{}|{}", e.git_commit, e.directory);
            let layer_digest = sha(format!("layer|{seed}").as_bytes());
            let size = 1_000_000 + u64::from(Sha256::digest(seed.as_bytes())[0]) * 100_000;
            let manifest = json!({
                "schemaVersion": 2,
                "mediaType": MANIFEST_TYPE,
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                           "digest": sha(format!("config|{seed}").as_bytes()), "size": 1500},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                            "digest": layer_digest, "size": size}],
            });
            let bytes = serde_json::to_vec(&manifest).unwrap_or_default();
            let digest = sha(&bytes);
            let platform_digest = digest.clone();
            let (os, architecture, variant, os_version) = platform_of(arch, &e.constraints);
            let mut platform = json!({"architecture": architecture, "os": os});
            if let Some(v) = &variant {
                platform["variant"] = json!(v);
            }
            if let Some(v) = &os_version {
                platform["os.version"] = json!(v);
            }
            children.push(json!({"mediaType": MANIFEST_TYPE, "digest": digest,
                                 "size": bytes.len(), "platform": platform}));
            into.manifests
                .insert(digest, (MANIFEST_TYPE.to_string(), Arc::new(bytes)));
            platforms.push(PlatformRec {
                os,
                architecture,
                variant,
                os_version,
                size,
                digest: platform_digest,
            });
        }
        entry_children.push(children);
        entry_platforms.push(platforms);
    }
    let mut index = |members: &[usize]| -> (String, Vec<PlatformRec>) {
        let manifests: Vec<Value> = members
            .iter()
            .flat_map(|&i| entry_children[i].iter().cloned())
            .collect();
        let body = json!({"schemaVersion": 2, "mediaType": INDEX_TYPE, "manifests": manifests});
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let digest = sha(&bytes);
        into.manifests
            .insert(digest.clone(), (INDEX_TYPE.to_string(), Arc::new(bytes)));
        let platforms = members
            .iter()
            .flat_map(|&i| entry_platforms[i].iter().cloned())
            .collect();
        (digest, platforms)
    };
    let mut add = |name: &str, digest: String, platforms: Vec<PlatformRec>, time: i64| {
        let full_size = platforms.iter().map(|p| p.size).max().unwrap_or(0);
        let h = Sha256::digest(format!("{repo}|{name}").as_bytes());
        let id = h.iter().take(6).fold(0u64, |a, b| (a << 8) | u64::from(*b));
        into.tags.insert(
            name.to_string(),
            TagRec {
                name: name.to_string(),
                digest,
                last_updated: time,
                platforms,
                full_size,
                id,
            },
        );
    };
    let mut shared: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let (digest, platforms) = index(&[i]);
        let time = base - 37 * i as i64;
        for t in &e.tags {
            add(t, digest.clone(), platforms.clone(), time);
        }
        for s in &e.shared_tags {
            shared.entry(s.clone()).or_default().push(i);
        }
    }
    for (name, members) in shared {
        let (digest, platforms) = index(&members);
        let time = members
            .iter()
            .map(|&i| base - 37 * i as i64)
            .max()
            .unwrap_or(base);
        add(&name, digest, platforms, time);
    }
}

/// Loads every repository once per test process.
pub fn dataset() -> Arc<Dataset> {
    static DATA: OnceLock<Arc<Dataset>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(load(&official_images_dir())))
        .clone()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn load(dir: &Path) -> Dataset {
    let mut history: BTreeMap<String, Vec<(i64, PathBuf)>> = BTreeMap::new();
    for e in std::fs::read_dir(dir.join("history"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some((repo, _)) = name.split_once('@') {
            // The README dates the copies: python 2025-02-04, golang 2025-02-11.
            let base = match repo {
                "python" => 1_738_627_200,
                _ => 1_739_232_000,
            };
            history
                .entry(repo.to_string())
                .or_default()
                .push((base, e.path()));
        }
    }
    let mut current = BTreeMap::new();
    let mut old = BTreeMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("library"))
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let repo = format!("library/{name}");
        let mut now = RepoData::default();
        if let Some(copies) = history.get(&name) {
            let mut then = RepoData::default();
            for (base, p) in copies {
                build(&repo, &parse_library(&read(p)), *base, &mut then);
            }
            now = then.clone();
            old.insert(repo.clone(), Arc::new(then));
        }
        for (base, text) in fixtures::history(&repo) {
            build(&repo, &parse_library(&text), base, &mut now);
        }
        build(&repo, &parse_library(&read(&path)), CURRENT_BASE, &mut now);
        current.insert(repo, Arc::new(now));
    }
    for (repo, snapshots) in fixtures::repositories() {
        let mut data = RepoData::default();
        for (base, text) in snapshots {
            build(&repo, &parse_library(&text), base, &mut data);
        }
        current.insert(repo, Arc::new(data));
    }
    Dataset { current, old }
}

/// RFC 3339 UTC text of a Unix time.
pub fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000000Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}
