//! `RUN --mount` types and their option keys: aliases, values, defaults and where each is valid.
//!
//! A mount is written as comma-separated `key=value` fields (CSV quoting applies); keys and
//! the `type` value are case-insensitive, and `type` defaults to `bind`. Which keys belong to
//! which type follows Docker's reference. BuildKit itself accepts most keys on every type and
//! ignores the ones that mean nothing there; it fails only in the cases listed in
//! [`MountKeyDoc::rejected_on`].

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// The kind of value a mount key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountValue {
    /// One of a fixed set of words (case-insensitive).
    Enum(&'static [&'static str]),
    /// A boolean (`true`/`false`, `1`/`0`, ... as Go's `strconv.ParseBool`); may be bare.
    Bool,
    /// A path inside the container, or inside the `from` source.
    Path,
    /// An identifier chosen by the user (cache id, secret id, SSH id).
    Id,
    /// A build stage, named context or image. Never variable-expanded.
    StageOrImage,
    /// Permission bits in octal, e.g. `0755`.
    Octal,
    /// A non-negative decimal integer (user or group ID).
    Integer,
    /// A size with an optional binary unit, e.g. `64m` or `1g`.
    Size,
    /// The name of an environment variable.
    EnvName,
}

/// One mount type, such as `cache`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountTypeDoc {
    /// The type name as written after `type=`.
    pub name: &'static str,
    /// One sentence saying what the mount provides.
    pub summary: &'static str,
    /// A short markdown paragraph (a single line).
    pub details: &'static str,
    /// A small example.
    pub example: &'static str,
    /// The section of Docker's Dockerfile reference.
    pub url: &'static str,
    /// Canonical names of the keys that apply to this type, `type` included.
    pub keys: &'static [&'static str],
    /// Whether the mount is read-only unless `rw` / `ro=false` says otherwise.
    pub read_only_by_default: bool,
}

/// One option key of `--mount`, such as `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountKeyDoc {
    /// The canonical spelling, e.g. `"target"`.
    pub name: &'static str,
    /// Other accepted spellings, e.g. `["dst", "destination"]`.
    pub aliases: &'static [&'static str],
    /// The kind of value it takes.
    pub value: MountValue,
    /// Whether it may appear without `=value` (`ro`, `rw`, `required`).
    pub may_be_bare: bool,
    /// The mount types the key applies to.
    pub types: &'static [&'static str],
    /// The mount types on which BuildKit fails with an error when the key is present.
    /// On the other types outside [`Self::types`], BuildKit accepts the key and ignores it.
    pub rejected_on: &'static [&'static str],
    /// Per-type default values, as `(type, default)` pairs.
    pub defaults: &'static [(&'static str, &'static str)],
    /// The first Dockerfile frontend version supporting the key, when later than `--mount`.
    pub min_version: Option<&'static str>,
    /// One sentence saying what the key does.
    pub summary: &'static str,
    /// A short markdown paragraph (a single line).
    pub details: &'static str,
    /// A small example of a whole `--mount` flag using the key.
    pub example: &'static str,
}

impl MountKeyDoc {
    /// The default of this key for `mount_type` (any case), if there is a simple one.
    pub fn default_for(&self, mount_type: &str) -> Option<&'static str> {
        self.defaults
            .iter()
            .find(|(ty, _)| ty.eq_ignore_ascii_case(mount_type))
            .map(|(_, value)| *value)
    }

    /// Whether the key applies to `mount_type` (any case).
    pub fn applies_to(&self, mount_type: &str) -> bool {
        self.types
            .iter()
            .any(|ty| ty.eq_ignore_ascii_case(mount_type))
    }

    /// Whether BuildKit fails when the key is used on `mount_type` (any case).
    pub fn is_rejected_on(&self, mount_type: &str) -> bool {
        self.rejected_on
            .iter()
            .any(|ty| ty.eq_ignore_ascii_case(mount_type))
    }

    /// Whether `spelling` (any case) names this key, canonically or through an alias.
    pub fn matches(&self, spelling: &str) -> bool {
        self.name.eq_ignore_ascii_case(spelling)
            || self
                .aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(spelling))
    }
}

/// The mount type used when `type=` is absent.
pub const DEFAULT_MOUNT_TYPE: &str = "bind";

/// Looks a mount type up by name, ignoring case.
pub fn mount_type(name: &str) -> Option<&'static MountTypeDoc> {
    MOUNT_TYPES
        .iter()
        .find(|doc| doc.name.eq_ignore_ascii_case(name))
}

/// All five mount types.
pub fn mount_types() -> &'static [MountTypeDoc] {
    &MOUNT_TYPES
}

/// Looks up `key` (canonical or alias, any case) for the mount type `type_name` (any case).
/// Returns `None` when the type is unknown, the key is unknown, or the key does not apply to
/// that type; use [`any_mount_key`] to tell the last two apart.
pub fn mount_key(type_name: &str, key: &str) -> Option<&'static MountKeyDoc> {
    let ty = mount_type(type_name)?;
    any_mount_key(key).filter(|doc| ty.keys.contains(&doc.name))
}

/// Looks up `key` (canonical or alias, any case) regardless of the mount type.
pub fn any_mount_key(key: &str) -> Option<&'static MountKeyDoc> {
    // Diagnostics look up every field of every mount: a map from every spelling (all in
    // lower case in the table), built once, beats comparing with each name and alias in
    // turn. The test `key_lookup_agrees_with_the_table` checks it against `matches`.
    static BY_SPELLING: LazyLock<FxHashMap<&'static [u8], &'static MountKeyDoc>> =
        LazyLock::new(|| {
            MOUNT_KEYS
                .iter()
                .flat_map(|doc| {
                    let spellings = std::iter::once(doc.name).chain(doc.aliases.iter().copied());
                    spellings.map(move |s| (s.as_bytes(), doc))
                })
                .collect()
        });
    // Lowered on the stack: no spelling is longer than this.
    let mut buffer = [0u8; 16];
    let lower = buffer.get_mut(..key.len())?;
    lower.copy_from_slice(key.as_bytes());
    lower.make_ascii_lowercase();
    BY_SPELLING.get(&*lower).copied()
}

/// The canonical spelling of `key` (e.g. `"dst"` gives `"target"`), or `None` if unknown.
pub fn canonical_key(key: &str) -> Option<&'static str> {
    any_mount_key(key).map(|doc| doc.name)
}

/// Every mount key.
pub fn mount_keys() -> &'static [MountKeyDoc] {
    &MOUNT_KEYS
}

/// The keys that apply to `type_name` (any case), in the type's order.
pub fn keys_for(type_name: &str) -> impl Iterator<Item = &'static MountKeyDoc> + use<> {
    let keys = mount_type(type_name).map_or(&[][..], |ty| ty.keys);
    keys.iter().filter_map(|name| any_mount_key(name))
}

/// Every accepted spelling of every key (canonical names and aliases), for "did you mean".
pub fn all_key_spellings() -> impl Iterator<Item = &'static str> {
    MOUNT_KEYS
        .iter()
        .flat_map(|doc| std::iter::once(doc.name).chain(doc.aliases.iter().copied()))
}

const ALL_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];

static MOUNT_TYPES: [MountTypeDoc; 5] = [
    MountTypeDoc {
        name: "bind",
        summary: "Mounts files from the build context, another stage, a named context or an image.",
        details: "This is the default type. The mount is read-only unless `rw` is given, and even then anything written is discarded when the step ends. Without `from`, the build context is mounted; `source` selects a path inside it.",
        example: "RUN --mount=type=bind,from=build,source=/out,target=/dist ls /dist",
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypebind",
        keys: &["type", "target", "source", "from", "ro", "rw"],
        read_only_by_default: true,
    },
    MountTypeDoc {
        name: "cache",
        summary: "Mounts a persistent directory for compiler and package-manager caches.",
        details: "The contents outlive the build without affecting the step's cache key, but they can be cleared at any time, so the build must work with an empty cache. Mounts with the same `id` (by default the target path) share one cache; `sharing` controls concurrent use.",
        example: "RUN --mount=type=cache,target=/root/.cache/go-build go build ./...",
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypecache",
        keys: &[
            "type", "id", "target", "ro", "rw", "sharing", "from", "source", "mode", "uid", "gid",
        ],
        read_only_by_default: false,
    },
    MountTypeDoc {
        name: "tmpfs",
        summary: "Mounts an empty in-memory filesystem.",
        details: "Handy for scratch files that must never reach the layer. `size` caps how large it may grow.",
        example: "RUN --mount=type=tmpfs,target=/tmp,size=512m make test",
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypetmpfs",
        keys: &["type", "target", "size"],
        read_only_by_default: false,
    },
    MountTypeDoc {
        name: "secret",
        summary: "Exposes a build secret to the command without storing it in the image.",
        details: "The secret is supplied with `docker build --secret id=<id>,...`. It appears as the file `/run/secrets/<id>` unless `target` or `env` says otherwise (with both, it is available both ways). A secret that was not supplied is skipped silently unless `required=true`.",
        example: "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci",
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypesecret",
        keys: &[
            "type", "id", "source", "target", "env", "required", "mode", "uid", "gid",
        ],
        read_only_by_default: true,
    },
    MountTypeDoc {
        name: "ssh",
        summary: "Forwards an SSH agent socket or key to the command.",
        details: "The agent or key is supplied with `docker build --ssh <id>=...` (`default` when no id is given), so `ssh` and `git` can authenticate during the step while the key never enters the image.",
        example: "RUN --mount=type=ssh git clone git@github.com:example/private.git",
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypessh",
        keys: &["type", "id", "target", "required", "mode", "uid", "gid"],
        read_only_by_default: true,
    },
];

static MOUNT_KEYS: [MountKeyDoc; 14] = [
    MountKeyDoc {
        name: "type",
        aliases: &[],
        value: MountValue::Enum(ALL_TYPES),
        may_be_bare: false,
        types: ALL_TYPES,
        rejected_on: &[],
        defaults: &[],
        min_version: None,
        summary: "Kind of mount: `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`.",
        details: "The value is case-insensitive. Put it first: `required` and `size` are checked against the type seen so far, which is `bind` until `type=` appears.",
        example: "--mount=type=cache,target=/root/.npm",
    },
    MountKeyDoc {
        name: "target",
        aliases: &["dst", "destination"],
        value: MountValue::Path,
        may_be_bare: false,
        types: ALL_TYPES,
        rejected_on: &[],
        defaults: &[
            ("secret", "/run/secrets/<id>"),
            ("ssh", "/run/buildkit/ssh_agent.<N>"),
        ],
        min_version: None,
        summary: "Where the mount appears inside the container.",
        details: "Required for bind, cache and tmpfs mounts. A secret defaults to `/run/secrets/<id>` (unless `env` is set) and an SSH socket to `/run/buildkit/ssh_agent.<N>`.",
        example: "--mount=type=cache,target=/var/cache/apt",
    },
    MountKeyDoc {
        name: "source",
        aliases: &["src"],
        value: MountValue::Path,
        may_be_bare: false,
        types: &["bind", "cache", "secret"],
        rejected_on: &[],
        defaults: &[],
        min_version: None,
        summary: "Path inside the `from` source to mount.",
        details: "For bind and cache mounts it picks a subdirectory of `from`, whose root is used by default. For a secret it is another way to give the secret's id and cannot be combined with `id`.",
        example: "--mount=type=bind,from=deps,source=/go/pkg,target=/go/pkg",
    },
    MountKeyDoc {
        name: "from",
        aliases: &[],
        value: MountValue::StageOrImage,
        may_be_bare: false,
        types: &["bind", "cache"],
        rejected_on: &["secret"],
        defaults: &[],
        min_version: None,
        summary: "Build stage, named context or image that provides the files.",
        details: "A bind mount uses the build context when it is omitted, a cache mount an empty directory. Variables are not expanded here; refer to a stage alias instead.",
        example: "--mount=type=bind,from=build,source=/out,target=/dist",
    },
    MountKeyDoc {
        name: "ro",
        aliases: &["readonly"],
        value: MountValue::Bool,
        may_be_bare: true,
        types: &["bind", "cache"],
        rejected_on: &[],
        defaults: &[("bind", "true"), ("cache", "false")],
        min_version: None,
        summary: "Makes the mount read-only.",
        details: "Bind mounts already are; on a cache mount it prevents the step from changing the cache. `ro=false` means the same as `rw`.",
        example: "--mount=type=cache,target=/root/.m2,ro",
    },
    MountKeyDoc {
        name: "rw",
        aliases: &["readwrite"],
        value: MountValue::Bool,
        may_be_bare: true,
        types: &["bind", "cache"],
        rejected_on: &[],
        defaults: &[("bind", "false"), ("cache", "true")],
        min_version: None,
        summary: "Makes the mount writable.",
        details: "On a bind mount the writes are thrown away when the step ends and never reach the layer. Cache and tmpfs mounts are writable anyway.",
        example: "--mount=type=bind,target=/src,rw",
    },
    MountKeyDoc {
        name: "id",
        aliases: &[],
        value: MountValue::Id,
        may_be_bare: false,
        types: &["cache", "secret", "ssh"],
        rejected_on: &[],
        defaults: &[
            ("cache", "<target>"),
            ("secret", "<basename of target>"),
            ("ssh", "default"),
        ],
        min_version: None,
        summary: "Identifier of the cache, secret or SSH agent.",
        details: "Cache mounts with the same id share their contents. For secrets and SSH it must match the id given to `docker build --secret id=...` or `--ssh <id>=...`.",
        example: "--mount=type=secret,id=aws,target=/root/.aws/credentials",
    },
    MountKeyDoc {
        name: "sharing",
        aliases: &[],
        value: MountValue::Enum(&["shared", "private", "locked"]),
        may_be_bare: false,
        types: &["cache"],
        rejected_on: &["bind", "tmpfs", "secret", "ssh"],
        defaults: &[("cache", "shared")],
        min_version: None,
        summary: "How concurrent builds share one cache.",
        details: "`shared` lets several writers use it at the same time, `private` gives a second writer a fresh cache of its own, and `locked` makes it wait until the first is done, which suits package managers such as apt.",
        example: "--mount=type=cache,target=/var/lib/apt,sharing=locked",
    },
    MountKeyDoc {
        name: "mode",
        aliases: &[],
        value: MountValue::Octal,
        may_be_bare: false,
        types: &["cache", "secret", "ssh"],
        rejected_on: &["bind", "tmpfs"],
        defaults: &[("cache", "0755"), ("secret", "0400"), ("ssh", "0600")],
        min_version: None,
        summary: "Permission bits, in octal, of the new cache directory, secret file or agent socket.",
        details: "Parsed as an octal number such as `0700` or `644`.",
        example: "--mount=type=secret,id=key,mode=0440,gid=1000",
    },
    MountKeyDoc {
        name: "uid",
        aliases: &[],
        value: MountValue::Integer,
        may_be_bare: false,
        types: &["cache", "secret", "ssh"],
        rejected_on: &["bind", "tmpfs"],
        defaults: &[("cache", "0"), ("secret", "0"), ("ssh", "0")],
        min_version: None,
        summary: "Numeric user ID owning the new cache directory, secret file or agent socket.",
        details: "Only numbers are accepted, not user names.",
        example: "--mount=type=cache,target=/home/app/.cache,uid=1000,gid=1000",
    },
    MountKeyDoc {
        name: "gid",
        aliases: &[],
        value: MountValue::Integer,
        may_be_bare: false,
        types: &["cache", "secret", "ssh"],
        rejected_on: &["bind", "tmpfs"],
        defaults: &[("cache", "0"), ("secret", "0"), ("ssh", "0")],
        min_version: None,
        summary: "Numeric group ID owning the new cache directory, secret file or agent socket.",
        details: "Only numbers are accepted, not group names.",
        example: "--mount=type=ssh,uid=1000,gid=1000",
    },
    MountKeyDoc {
        name: "required",
        aliases: &[],
        value: MountValue::Bool,
        may_be_bare: true,
        types: &["secret", "ssh"],
        rejected_on: &["bind", "cache", "tmpfs"],
        defaults: &[("secret", "false"), ("ssh", "false")],
        min_version: None,
        summary: "Fails the step when the secret or SSH agent was not supplied.",
        details: "Without it, a missing secret or agent is silently skipped. Write it after `type=`: it is checked against the type seen so far.",
        example: "--mount=type=secret,id=token,required",
    },
    MountKeyDoc {
        name: "size",
        aliases: &[],
        value: MountValue::Size,
        may_be_bare: false,
        types: &["tmpfs"],
        rejected_on: &["bind", "cache", "secret", "ssh"],
        defaults: &[],
        min_version: None,
        summary: "Upper limit on the tmpfs size.",
        details: "A number of bytes with an optional binary unit such as `512m` or `2g`. Write it after `type=tmpfs`: it is checked against the type seen so far.",
        example: "--mount=type=tmpfs,target=/tmp,size=256m",
    },
    MountKeyDoc {
        name: "env",
        aliases: &[],
        value: MountValue::EnvName,
        may_be_bare: false,
        types: &["secret"],
        rejected_on: &[],
        defaults: &[],
        min_version: Some("1.10"),
        summary: "Exposes the secret through an environment variable instead of a file.",
        details: "Names the variable that receives the secret's value. When `target` is set as well, the secret is also mounted as a file.",
        example: "--mount=type=secret,id=api_key,env=API_KEY",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mount_type_key_resolves() {
        assert_eq!(mount_types().len(), 5);
        for ty in mount_types() {
            assert!(ty.keys.contains(&"type"), "{}", ty.name);
            for key in ty.keys {
                let doc = mount_key(ty.name, key)
                    .unwrap_or_else(|| panic!("{}: key {key} does not resolve", ty.name));
                assert_eq!(doc.name, *key);
                assert!(doc.applies_to(ty.name), "{}: {key}", ty.name);
                assert!(!doc.is_rejected_on(ty.name), "{}: {key}", ty.name);
                for alias in doc.aliases {
                    assert_eq!(mount_key(ty.name, alias).map(|d| d.name), Some(*key));
                    let upper = alias.to_ascii_uppercase();
                    assert_eq!(mount_key(ty.name, &upper).map(|d| d.name), Some(*key));
                }
            }
            assert_eq!(keys_for(ty.name).count(), ty.keys.len(), "{}", ty.name);
        }
    }

    #[test]
    fn key_tables_agree_with_type_tables() {
        for key in mount_keys() {
            assert!(!key.name.is_empty());
            for ty in key.types {
                let doc = mount_type(ty).unwrap_or_else(|| panic!("{}: type {ty}", key.name));
                assert!(
                    doc.keys.contains(&key.name),
                    "{} missing from {ty}",
                    key.name
                );
            }
            for ty in key.rejected_on {
                assert!(mount_type(ty).is_some(), "{}: type {ty}", key.name);
                assert!(
                    !key.applies_to(ty),
                    "{} both allowed and rejected on {ty}",
                    key.name
                );
            }
            for (ty, _) in key.defaults {
                assert!(
                    key.applies_to(ty),
                    "{}: default for foreign type {ty}",
                    key.name
                );
            }
            assert!(
                !key.summary.is_empty() && !key.summary.contains('\n'),
                "{}",
                key.name
            );
            assert!(
                !key.details.is_empty() && !key.details.contains('\n'),
                "{}",
                key.name
            );
            assert!(key.example.starts_with("--mount="), "{}", key.name);
        }
        for ty in mount_types() {
            for key in ty.keys {
                assert!(
                    any_mount_key(key).is_some_and(|k| k.applies_to(ty.name)),
                    "{key}"
                );
            }
            assert!(
                ty.url
                    .starts_with("https://docs.docker.com/reference/dockerfile/#run---mounttype")
            );
            assert!(ty.url.ends_with(ty.name));
        }
        let mut spellings: Vec<_> = all_key_spellings().collect();
        let total = spellings.len();
        spellings.sort_unstable();
        spellings.dedup();
        assert_eq!(spellings.len(), total, "a spelling names two keys");
    }

    #[test]
    fn key_lookup_agrees_with_the_table() {
        let mut spellings: Vec<String> = all_key_spellings().map(String::from).collect();
        for s in all_key_spellings() {
            spellings.push(s.to_ascii_uppercase());
            spellings.push(s[..s.len() - 1].to_string());
            spellings.push(format!("{s}s"));
        }
        spellings.extend(
            [
                "",
                "Tagret",
                "ſize",
                "ıd",
                "destinationdestination",
                "dst\0",
                "\u{212a}ey",
            ]
            .map(String::from),
        );
        for s in &spellings {
            let by_table = MOUNT_KEYS.iter().find(|doc| doc.matches(s));
            assert_eq!(
                any_mount_key(s).map(|d| d.name),
                by_table.map(|d| d.name),
                "{s:?}"
            );
        }
    }

    #[test]
    fn aliases_resolve() {
        assert_eq!(canonical_key("dst"), Some("target"));
        assert_eq!(canonical_key("Destination"), Some("target"));
        assert_eq!(canonical_key("src"), Some("source"));
        assert_eq!(canonical_key("readonly"), Some("ro"));
        assert_eq!(canonical_key("READWRITE"), Some("rw"));
        assert_eq!(canonical_key("target"), Some("target"));
        assert_eq!(canonical_key("tagret"), None);
        assert_eq!(mount_key("CACHE", "DST").map(|k| k.name), Some("target"));
        let tmpfs_keys = {
            let name = String::from("TMPFS");
            keys_for(&name)
        };
        assert_eq!(
            tmpfs_keys.map(|k| k.name).collect::<Vec<_>>(),
            ["type", "target", "size"]
        );
    }

    #[test]
    fn validation_rules_follow_buildkit() {
        for key in ["mode", "uid", "gid"] {
            let doc = any_mount_key(key).unwrap();
            assert_eq!(doc.types, ["cache", "secret", "ssh"]);
            assert!(doc.is_rejected_on("bind") && doc.is_rejected_on("tmpfs"));
        }
        assert_eq!(any_mount_key("required").unwrap().types, ["secret", "ssh"]);
        assert_eq!(any_mount_key("size").unwrap().types, ["tmpfs"]);
        assert!(any_mount_key("from").unwrap().is_rejected_on("SECRET"));
        assert!(any_mount_key("sharing").unwrap().is_rejected_on("secret"));
        assert!(mount_key("secret", "from").is_none());
        assert!(mount_key("secret", "sharing").is_none());
        assert!(mount_key("tmpfs", "mode").is_none());
        assert!(mount_key("bind", "required").is_none());
        assert!(mount_key("nope", "target").is_none());
        assert_eq!(
            any_mount_key("sharing").unwrap().value,
            MountValue::Enum(&["shared", "private", "locked"])
        );
        let mode = any_mount_key("mode").unwrap();
        assert_eq!(mode.default_for("cache"), Some("0755"));
        assert_eq!(mode.default_for("secret"), Some("0400"));
        assert_eq!(mode.default_for("ssh"), Some("0600"));
        assert_eq!(
            any_mount_key("id").unwrap().default_for("ssh"),
            Some("default")
        );
        assert_eq!(any_mount_key("env").unwrap().min_version, Some("1.10"));
        assert!(mount_type("bind").unwrap().read_only_by_default);
        assert!(!mount_type("Cache").unwrap().read_only_by_default);
        assert_eq!(mount_type(DEFAULT_MOUNT_TYPE).map(|t| t.name), Some("bind"));
    }
}
