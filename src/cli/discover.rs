//! Which Dockerfiles a command reads (`check`, `fmt`): the files named on the command line,
//! the Dockerfiles found in the folders named there (honouring `.gitignore`), or standard
//! input.
//!
//! ```ignore
//! let found = discover::inputs(&paths, stdin_filename.as_deref())?; // UsageError: exit 2
//! for err in &found.errors { eprintln!("error: {err}") }             // I/O: exit 2 at the end
//! for input in &found.inputs { let text = input.read_utf8()?; … }    // read() to only look
//! ```
//!
//! A changed file goes back with [`super::write_back::replace`]; its settings come from
//! `config::ProjectFiles::for_file(&input.config_path())`.

use std::ffi::OsStr;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// One file to read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file on disk, as the user or the folder search named it.
    File(PathBuf),
    /// Standard input; `--stdin-filename` names it for messages and for finding its project
    /// configuration.
    Stdin(Option<PathBuf>),
}

impl Input {
    /// How messages name it: the path, the `--stdin-filename`, or `-`.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) | Input::Stdin(Some(path)) => path.display().to_string(),
            Input::Stdin(None) => "-".to_string(),
        }
    }

    /// The path whose folder decides the project configuration: standard input without a
    /// name counts as a file in the current folder.
    pub fn config_path(&self) -> PathBuf {
        match self {
            Input::File(path) | Input::Stdin(Some(path)) => path.clone(),
            Input::Stdin(None) => PathBuf::from("-"),
        }
    }

    /// The text, read whole. Bytes that are not UTF-8 are replaced (BuildKit reads the file
    /// the same way whatever its bytes; a message about them would not help).
    pub fn read(&self) -> Result<String, InputError> {
        let bytes = self.bytes()?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// The text, refusing bytes that are not UTF-8: for a command that writes the file back
    /// (`check --fix`, `fmt`), where replacing them would change more than it means to.
    pub fn read_utf8(&self) -> Result<String, InputError> {
        let bytes = self.bytes()?;
        String::from_utf8(bytes).map_err(|e| InputError {
            name: self.name(),
            message: format!(
                "not UTF-8 (at byte {}); left as it is",
                e.utf8_error().valid_up_to()
            ),
        })
    }

    fn bytes(&self) -> Result<Vec<u8>, InputError> {
        match self {
            Input::File(path) => std::fs::read(path),
            Input::Stdin(_) => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .map(|_| bytes)
            }
        }
        .map_err(|e| InputError {
            name: self.name(),
            message: format!("cannot read: {e}"),
        })
    }
}

/// What the command line names, expanded.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Sorted by path and without repeats, so that output is in a stable order.
    pub inputs: Vec<Input>,
    /// Paths that could not be read or searched; the command goes on with the rest and
    /// exits with 2.
    pub errors: Vec<InputError>,
}

/// A path that could not be read or searched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub name: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// A command line that cannot mean anything (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Expands `paths`: `-` (alone) is standard input, a folder is searched for Dockerfiles, a
/// file is read whatever its name. No path means the current folder, or standard input when
/// `stdin_filename` is given.
pub fn inputs(paths: &[PathBuf], stdin_filename: Option<&Path>) -> Result<Found, UsageError> {
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && paths.len() > 1 {
        return Err(UsageError(
            "`-` (standard input) cannot be combined with other paths".into(),
        ));
    }
    if stdin || (paths.is_empty() && stdin_filename.is_some()) {
        return Ok(Found {
            inputs: vec![Input::Stdin(stdin_filename.map(Path::to_path_buf))],
            errors: Vec::new(),
        });
    }
    if stdin_filename.is_some() {
        return Err(UsageError(
            "--stdin-filename names standard input; pass `-` instead of paths".into(),
        ));
    }
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut found = Found::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => search(path, &mut found),
            Ok(_) => found.inputs.push(Input::File(tidy(path))),
            Err(e) => found.errors.push(InputError {
                name: path.display().to_string(),
                message: format!("cannot read: {e}"),
            }),
        }
    }
    found.inputs.sort();
    found.inputs.dedup();
    Ok(found)
}

/// Whether a file of this name is a Dockerfile: `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`,
/// `*.dockerfile`, `Containerfile`, `Containerfile.*`, but not `*.dockerignore` (the ignore
/// file BuildKit reads beside `Dockerfile.dev` is `Dockerfile.dev.dockerignore`).
pub fn is_dockerfile_name(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    if name.ends_with(".dockerignore") {
        return false;
    }
    ["Dockerfile", "Containerfile"].iter().any(|base| {
        name.strip_prefix(base)
            .is_some_and(|rest| rest.is_empty() || (rest.starts_with('.') && rest.len() > 1))
    }) || [".Dockerfile", ".dockerfile"]
        .iter()
        .any(|ext| name.len() > ext.len() && name.ends_with(ext))
}

/// Adds the Dockerfiles below `dir`, skipping what `.gitignore` (and `.ignore`) files say,
/// in or above it, even outside a Git repository. Hidden folders are searched
/// (`.devcontainer/Dockerfile` is common); `.git` is not.
fn search(dir: &Path, found: &mut Found) {
    let walk = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for entry in walk {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file())
                    && is_dockerfile_name(entry.file_name())
                {
                    found.inputs.push(Input::File(tidy(entry.path())));
                }
            }
            Err(e) => found.errors.push(InputError {
                name: dir.display().to_string(),
                message: format!("cannot search: {e}"),
            }),
        }
    }
}

/// `./a/Dockerfile` as `a/Dockerfile`: the name a user would type.
fn tidy(path: &Path) -> PathBuf {
    let stripped = path.strip_prefix(".").unwrap_or(path);
    if stripped.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        stripped.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "Dockerfile.dev",
            "Dockerfile.alpine.3",
            "web.Dockerfile",
            "web.dockerfile",
            "Containerfile",
            "Containerfile.fedora",
        ] {
            assert!(is_dockerfile_name(OsStr::new(yes)), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            ".dockerignore",
            "Dockerfile.",
            "dockerfile",
            ".Dockerfile",
            "Dockerfiles",
            "MyDockerfile",
            "README.md",
            "docker-compose.yml",
        ] {
            assert!(!is_dockerfile_name(OsStr::new(no)), "{no}");
        }
    }

    fn write(path: &Path, text: &str) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create folder");
        }
        std::fs::write(path, text).expect("write file");
    }

    fn names(found: &Found, root: &Path) -> Vec<String> {
        found
            .inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(root).unwrap_or(p).display().to_string(),
                Input::Stdin(_) => "-".into(),
            })
            .collect()
    }

    #[test]
    fn folders_are_searched_in_a_stable_order_honouring_gitignore() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        for name in [
            "z/Dockerfile",
            "a/Dockerfile.dev",
            "a/Dockerfile.dev.dockerignore",
            "a/app.dockerfile",
            ".devcontainer/Dockerfile",
            "build/Dockerfile",
            "vendor/x/Containerfile",
            "notes.txt",
            "Containerfile",
        ] {
            write(&root.join(name), "FROM scratch\n");
        }
        write(&root.join(".gitignore"), "/build/\n");
        write(&root.join("vendor/.gitignore"), "x/\n");
        write(&root.join(".git/Dockerfile"), "FROM scratch\n");
        let found = inputs(&[root.to_path_buf()], None).expect("usable");
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert_eq!(
            names(&found, root),
            [
                ".devcontainer/Dockerfile",
                "Containerfile",
                "a/Dockerfile.dev",
                "a/app.dockerfile",
                "z/Dockerfile"
            ]
        );
        // A file named on the command line is read whatever its name or ignore rules, once.
        let found = inputs(
            &[
                root.join("notes.txt"),
                root.join("build/Dockerfile"),
                root.join("z"),
                root.join("z/Dockerfile"),
            ],
            None,
        )
        .expect("usable");
        assert_eq!(
            names(&found, root),
            ["build/Dockerfile", "notes.txt", "z/Dockerfile"]
        );
    }

    #[test]
    fn missing_paths_are_errors_and_the_rest_is_kept() {
        let tmp = tempfile::tempdir().expect("temp dir");
        write(&tmp.path().join("Dockerfile"), "FROM scratch\n");
        let found = inputs(
            &[tmp.path().join("nope"), tmp.path().join("Dockerfile")],
            None,
        )
        .expect("usable");
        assert_eq!(found.inputs.len(), 1);
        assert_eq!(found.errors.len(), 1);
        assert!(found.errors[0].to_string().contains("nope: cannot read"));
    }

    #[test]
    fn standard_input() {
        let name = Path::new("app/Dockerfile");
        assert_eq!(
            inputs(&[PathBuf::from("-")], Some(name)).map(|f| f.inputs),
            Ok(vec![Input::Stdin(Some(name.to_path_buf()))])
        );
        assert_eq!(
            inputs(&[], Some(name)).map(|f| f.inputs),
            Ok(vec![Input::Stdin(Some(name.to_path_buf()))])
        );
        assert_eq!(
            inputs(&[PathBuf::from("-")], None).map(|f| f.inputs),
            Ok(vec![Input::Stdin(None)])
        );
        assert!(inputs(&[PathBuf::from("-"), PathBuf::from("x")], None).is_err());
        assert!(inputs(&[PathBuf::from("x")], Some(name)).is_err());
        assert_eq!(Input::Stdin(None).name(), "-");
        assert_eq!(
            Input::Stdin(Some(name.to_path_buf())).name(),
            "app/Dockerfile"
        );
    }

    #[test]
    fn tidy_drops_a_leading_dot() {
        assert_eq!(tidy(Path::new("./a/Dockerfile")), Path::new("a/Dockerfile"));
        assert_eq!(tidy(Path::new(".")), Path::new("."));
        assert_eq!(tidy(Path::new("/x/Dockerfile")), Path::new("/x/Dockerfile"));
    }
}
