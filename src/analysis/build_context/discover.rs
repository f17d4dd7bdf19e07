//! Finding a Dockerfile's build context: the compose and bake files of the workspace, then
//! the `buildContext` setting, then the Dockerfile's folder.

use std::path::{Path, PathBuf};

use globset::GlobBuilder;
use serde_json::Value;

use super::compose::{Build, bake_builds, compose_builds, normalize};
use super::{BuildContext, Origin};

const COMPOSE_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];
const BAKE_FILES: [&str; 3] = [
    "docker-bake.hcl",
    "docker-bake.json",
    "docker-bake.override.hcl",
];
/// How deep below a workspace root project files are looked for.
const MAX_DEPTH: usize = 4;
/// Folders never searched: dependencies, build output, version control.
const SKIPPED: [&str; 4] = ["node_modules", "target", "vendor", "dist"];

/// Every compose and bake file below the roots, with the builds each describes.
pub fn find_project_files(roots: &[PathBuf]) -> Vec<(PathBuf, Vec<Build>)> {
    let mut out = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = roots.iter().map(|r| (r.clone(), 0)).collect();
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                if depth < MAX_DEPTH && !name.starts_with('.') && !SKIPPED.contains(&name.as_str())
                {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            let compose = COMPOSE_FILES.contains(&name.as_str());
            if !compose && !BAKE_FILES.contains(&name.as_str()) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let builds = if compose {
                compose_builds(&path, &text)
            } else {
                bake_builds(&path, &text)
            };
            out.push((path, builds));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The build context of the Dockerfile at `dockerfile`: from the project files (as found
/// by [`find_project_files`]), else from the `buildContext` setting (an object mapping a
/// glob over the Dockerfile's path, relative to a workspace root, to a folder relative to
/// that root), else its folder.
pub fn discover(
    dockerfile: &Path,
    project_files: &[(PathBuf, Vec<Build>)],
    roots: &[PathBuf],
    setting: &Value,
) -> BuildContext {
    let dockerfile = normalize(dockerfile);
    for (file, builds) in project_files {
        if let Some(b) = builds.iter().find(|b| b.dockerfile == dockerfile) {
            let origin = if file
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("docker-bake"))
            {
                Origin::Bake(file.clone())
            } else {
                Origin::Compose(file.clone())
            };
            return BuildContext::new(b.context.clone(), origin, &dockerfile);
        }
    }
    if let Some(dir) = from_setting(&dockerfile, roots, setting) {
        return BuildContext::new(dir, Origin::Setting, &dockerfile);
    }
    let dir = dockerfile
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    BuildContext::new(dir, Origin::DockerfileFolder, &dockerfile)
}

fn from_setting(dockerfile: &Path, roots: &[PathBuf], setting: &Value) -> Option<PathBuf> {
    let map = setting.as_object()?;
    for root in roots {
        let Ok(relative) = dockerfile.strip_prefix(root) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        for (glob, folder) in map {
            let Some(folder) = folder.as_str() else {
                continue;
            };
            let matcher = GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher());
            if matcher.is_ok_and(|m| m.is_match(&relative)) {
                return Some(normalize(&root.join(folder)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compose_then_setting_then_folder() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().to_path_buf();
        std::fs::create_dir_all(root.join("svc/docker")).expect("folders");
        std::fs::write(
            root.join("compose.yaml"),
            "services:\n  svc:\n    build:\n      context: svc\n      dockerfile: docker/Dockerfile\n",
        )
        .expect("compose file");
        let files = find_project_files(std::slice::from_ref(&root));
        assert_eq!(files.len(), 1);
        let roots = [root.clone()];
        let ctx = discover(
            &root.join("svc/docker/Dockerfile"),
            &files,
            &roots,
            &Value::Null,
        );
        assert_eq!(ctx.dir, root.join("svc"));
        assert_eq!(ctx.origin, Origin::Compose(root.join("compose.yaml")));
        assert!(ctx.is_known());

        let setting = json!({"images/*.Dockerfile": "."});
        let ctx = discover(
            &root.join("images/app.Dockerfile"),
            &files,
            &roots,
            &setting,
        );
        assert_eq!(
            (ctx.dir.clone(), ctx.origin.clone()),
            (root.clone(), Origin::Setting)
        );

        let ctx = discover(&root.join("other/Dockerfile"), &files, &roots, &setting);
        assert_eq!(ctx.dir, root.join("other"));
        assert!(!ctx.is_known());
    }
}
