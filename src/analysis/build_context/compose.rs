//! What compose and bake files say about builds: for each service or target, the
//! Dockerfile it builds and its context.
//!
//! Compose (`compose.yaml`, `docker-compose.yml`): `services.<name>.build` is a context path,
//! or a mapping with `context` (default `.`) and `dockerfile` (default `Dockerfile`, relative
//! to the context). Bake (`docker-bake.hcl` or `.json`): `target.<name>` with the same two
//! attributes. Paths are relative to the file's folder; URLs (a Git context) are skipped.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One build a project file describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    pub dockerfile: PathBuf,
    pub context: PathBuf,
}

/// The builds of a compose file's text.
pub fn compose_builds(file: &Path, text: &str) -> Vec<Build> {
    let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(text) else {
        return Vec::new();
    };
    let Some(doc) = docs.first() else {
        return Vec::new();
    };
    let services = yaml_to_json(&doc["services"]);
    let base = file.parent().unwrap_or(Path::new("."));
    let Some(services) = services.as_object() else {
        return Vec::new();
    };
    services
        .values()
        .filter_map(|service| match &service["build"] {
            Value::String(context) => build(base, Some(context), None),
            b @ Value::Object(_) => build(base, b["context"].as_str(), b["dockerfile"].as_str()),
            _ => None,
        })
        .collect()
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

fn yaml_to_json(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::String(s) | Yaml::Real(s) => Value::String(s.clone()),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), yaml_to_json(v))))
                .collect(),
        ),
        _ => Value::Null,
    }
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
