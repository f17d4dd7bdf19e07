//! What compose and bake files say about builds: for each service or target, the
//! Dockerfile it builds and its context.
//!
//! Compose (`compose.yaml`, `docker-compose.yml`): `services.<name>.build` is a context path,
//! or a mapping with `context` (default `.`) and `dockerfile` (default `Dockerfile`, relative
//! to the context). Bake (`docker-bake.hcl` or `.json`): `target.<name>` with the same two
//! attributes. Paths are relative to the file's folder; URLs (a Git context) are skipped.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use serde_yaml_ng::Value as YamlValue;

/// One build a project file describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    pub dockerfile: PathBuf,
    pub context: PathBuf,
}

/// The builds of a compose file's text (its first YAML document). Aliases of anchors are
/// resolved and `<<:` merge keys applied, as Compose does. Services come in the order of
/// their names.
pub fn compose_builds(file: &Path, text: &str) -> Vec<Build> {
    let Some(doc) = first_document(text) else {
        return Vec::new();
    };
    let base = file.parent().unwrap_or(Path::new("."));
    let Some(services) = untag(&untag(&doc)["services"]).as_mapping() else {
        return Vec::new();
    };
    let mut services: Vec<(&str, &YamlValue)> = services
        .iter()
        .filter_map(|(name, service)| Some((untag(name).as_str()?, untag(service))))
        .collect();
    services.sort_by_key(|(name, _)| *name);
    services
        .into_iter()
        .filter_map(|(_, service)| match untag(&service["build"]) {
            YamlValue::String(context) => build(base, Some(context), None),
            b @ YamlValue::Mapping(_) => build(
                base,
                untag(&b["context"]).as_str(),
                untag(&b["dockerfile"]).as_str(),
            ),
            _ => None,
        })
        .collect()
}

/// The first document of a YAML stream; `None` when any document of it is malformed.
fn first_document(text: &str) -> Option<YamlValue> {
    let mut first = None;
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        let mut value = YamlValue::deserialize(doc).ok()?;
        value.apply_merge().ok()?;
        first.get_or_insert(value);
    }
    first
}

/// A value without its tag: compose's `!reset` / `!override` tags say how files combine,
/// and the value under them is what one file says.
fn untag(value: &YamlValue) -> &YamlValue {
    match value {
        YamlValue::Tagged(tagged) => untag(&tagged.value),
        other => other,
    }
}

/// The builds of a bake file's text (HCL, or JSON for `.json`).
pub fn bake_builds(file: &Path, text: &str) -> Vec<Build> {
    let value: Option<Value> = if file.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(text).ok()
    } else {
        hcl::from_str(text).ok()
    };
    let Some(targets) = value.as_ref().and_then(|v| v["target"].as_object()) else {
        return Vec::new();
    };
    let base = file.parent().unwrap_or(Path::new("."));
    targets
        .values()
        .filter_map(|t| build(base, t["context"].as_str(), t["dockerfile"].as_str()))
        .collect()
}

fn build(base: &Path, context: Option<&str>, dockerfile: Option<&str>) -> Option<Build> {
    let context = context.unwrap_or(".");
    if context.contains("://") || context.starts_with("git@") {
        return None;
    }
    let context = normalize(&base.join(context));
    let dockerfile = normalize(&context.join(dockerfile.unwrap_or("Dockerfile")));
    Some(Build {
        dockerfile,
        context,
    })
}

/// `a/./b/../c` → `a/c`, without touching the filesystem.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_services() {
        let text = "services:\n  web:\n    build:\n      context: ./web\n      dockerfile: docker/Dockerfile.prod\n  \
                    api:\n    build: ../api\n  db:\n    image: postgres\n  remote:\n    build: https://github.com/x/y.git\n";
        let builds = compose_builds(Path::new("/w/app/compose.yaml"), text);
        assert_eq!(
            builds,
            [
                Build {
                    dockerfile: "/w/api/Dockerfile".into(),
                    context: "/w/api".into()
                },
                Build {
                    dockerfile: "/w/app/web/docker/Dockerfile.prod".into(),
                    context: "/w/app/web".into()
                },
            ]
        );
        assert!(compose_builds(Path::new("/w/c.yaml"), "services: [").is_empty());
    }

    #[test]
    fn compose_anchors_aliases_and_tags() {
        let text = "x-build: &shared\n  context: ./shared\n  dockerfile: Dockerfile.dev\n\
                    services:\n  b:\n    build: *shared\n  a:\n    build: !override ./a\n  \
                    merged:\n    <<: {build: ./merged}\n---\nservices:\n  later:\n    build: ./later\n";
        let builds = compose_builds(Path::new("/w/compose.yaml"), text);
        assert_eq!(
            builds,
            [
                Build {
                    dockerfile: "/w/a/Dockerfile".into(),
                    context: "/w/a".into()
                },
                Build {
                    dockerfile: "/w/shared/Dockerfile.dev".into(),
                    context: "/w/shared".into()
                },
                Build {
                    dockerfile: "/w/merged/Dockerfile".into(),
                    context: "/w/merged".into()
                },
            ]
        );
        let duplicate = "services:\n  a:\n    build: ./a\n  a:\n    build: ./b\n";
        assert!(compose_builds(Path::new("/w/c.yaml"), duplicate).is_empty());
        let unknown_alias = "services:\n  a:\n    build: *nowhere\n";
        assert!(compose_builds(Path::new("/w/c.yaml"), unknown_alias).is_empty());
    }

    #[test]
    fn bake_targets() {
        let hcl = "group \"default\" { targets = [\"app\"] }\ntarget \"app\" {\n  context = \"src\"\n  dockerfile = \"../build/app.Dockerfile\"\n}\ntarget \"plain\" {}\n";
        let builds = bake_builds(Path::new("/w/docker-bake.hcl"), hcl);
        assert_eq!(
            builds,
            [
                Build {
                    dockerfile: "/w/build/app.Dockerfile".into(),
                    context: "/w/src".into()
                },
                Build {
                    dockerfile: "/w/Dockerfile".into(),
                    context: "/w".into()
                },
            ]
        );
        let json = r#"{"target": {"x": {"context": "ctx"}}}"#;
        assert_eq!(
            bake_builds(Path::new("/w/docker-bake.json"), json),
            [Build {
                dockerfile: "/w/ctx/Dockerfile".into(),
                context: "/w/ctx".into()
            }]
        );
    }
}
