//! The local sources of `COPY` and `ADD` in the build context: which exist (for links),
//! which match nothing (a warning), and what can be typed (completion).

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::BuildContext;
use crate::analysis::cursor::clamp;
use crate::analysis::{CompletionItem, CompletionKind, Diagnostic, Severity, Snapshot};
use crate::model::{Arguments, InstructionKind};

/// A local source of a `COPY` or `ADD` without `--from`, written plainly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopySource {
    pub instruction: usize,
    /// As written (for JSON, without the quotes).
    pub path: String,
    pub range: Range<usize>,
}

/// Every local source of the document: not the destination, not a URL, a Git address, a
/// heredoc or a path with a variable, and nothing of a `COPY --from`.
pub fn copy_sources(snapshot: &Snapshot) -> Vec<CopySource> {
    let text = snapshot.text();
    let mut out = Vec::new();
    for (i, inst) in snapshot.model.instructions.iter().enumerate() {
        let command = inst.command();
        if !matches!(command.kind, InstructionKind::Copy | InstructionKind::Add)
            || command.flag("from").is_some()
        {
            continue;
        }
        let (words, json) = match &command.args {
            Arguments::List(words) => (words, false),
            Arguments::Json(words) => (words, true),
            _ => continue,
        };
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        for w in sources {
            let mut range = inst.abs(&w.range);
            if json {
                range = range.start + 1..range.end.saturating_sub(1);
            }
            let path = w.value.as_str();
            let local = !path.is_empty()
                && !path.starts_with("<<")
                && !path.contains("://")
                && !path.starts_with("git@")
                && !path.contains('$');
            if local && text.get(range.clone()) == Some(path) {
                out.push(CopySource {
                    instruction: i,
                    path: path.to_string(),
                    range,
                });
            }
        }
    }
    out
}

fn is_glob(path: &str) -> bool {
    path.contains(['*', '?', '['])
}

/// The context-relative form of a source (`./a/b/` → `a/b`); `None` when it leaves the
/// context (BuildKit keeps such paths inside it, so they name nothing useful to link).
fn relative(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The file or folder a plain source names, if it is in the context and not ignored.
pub fn source_path(ctx: &BuildContext, source: &str) -> Option<PathBuf> {
    if is_glob(source) {
        return None;
    }
    let rel = relative(source)?;
    if !rel.is_empty() && ctx.ignore.excludes(&rel) {
        return None;
    }
    let path = ctx.dir.join(&rel);
    path.exists().then_some(path)
}

/// Whether a glob source matches at least one path of the context that is not ignored.
fn glob_matches(ctx: &BuildContext, source: &str) -> bool {
    let Some(rel) = relative(source) else {
        return false;
    };
    let Ok(glob) = globset::GlobBuilder::new(&rel)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
    else {
        return true; // A pattern we cannot read: say nothing rather than guess.
    };
    // Only as deep as the pattern has parts: `*` never crosses a `/` in BuildKit.
    let depth = rel.split('/').count();
    let mut stack = vec![(ctx.dir.clone(), String::new(), 1)];
    while let Some((dir, prefix, level)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if ctx.ignore.excludes(&path) {
                continue;
            }
            if level == depth && glob.is_match(&path) {
                return true;
            }
            if level < depth && entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((entry.path(), path, level + 1));
            }
        }
    }
    false
}

/// A warning for each local source that matches nothing in the build context, when the
/// context is known (from compose, bake or the setting): a guessed context would make
/// false alarms.
pub fn missing_sources(snapshot: &Snapshot, ctx: &BuildContext) -> Vec<Diagnostic> {
    if !ctx.is_known() {
        return Vec::new();
    }
    copy_sources(snapshot)
        .into_iter()
        .filter(|s| {
            if is_glob(&s.path) {
                !glob_matches(ctx, &s.path)
            } else {
                source_path(ctx, &s.path).is_none()
            }
        })
        .map(|s| Diagnostic {
            message: format!(
                "`{}` matches no file in the build context {}{}",
                s.path,
                ctx.dir.display(),
                match &ctx.origin {
                    super::Origin::Compose(f) | super::Origin::Bake(f) =>
                        format!(" (from {})", f.display()),
                    _ => " (from the buildContext setting)".to_string(),
                }
            ),
            range: s.range,
            severity: Severity::Warning,
            code: "copy-source-missing".into(),
            related: Vec::new(),
            tags: Vec::new(),
        })
        .collect()
}

/// File and folder names for a `COPY`/`ADD` source being typed at `offset`: the entries of
/// the folder typed so far that `.dockerignore` does not exclude. `None` when the cursor is
/// not on a source.
pub fn source_completion(
    snapshot: &Snapshot,
    offset: usize,
    ctx: &BuildContext,
) -> Option<Vec<CompletionItem>> {
    let text = snapshot.text();
    let offset = clamp(text, offset);
    let (_, inst) = snapshot.model.instruction_at(offset)?;
    let command = inst.command();
    if !matches!(command.kind, InstructionKind::Copy | InstructionKind::Add)
        || command.flag("from").is_some()
        || offset < inst.abs(&command.rest).start
        || offset > inst.line_range().end
    {
        return None;
    }
    let words: &[crate::model::SpannedStr] = match &command.args {
        Arguments::List(words) => words,
        Arguments::None => &[],
        _ => return None,
    };
    // The word being typed: a source unless it is the last of several (the destination).
    let at = words.iter().position(|w| {
        let r = inst.abs(&w.range);
        r.start <= offset && offset <= r.end
    });
    let typed_start = match at {
        Some(i) if i + 1 == words.len() && words.len() > 1 => return None,
        Some(i) => inst.abs(&words[i].range).start,
        None => offset,
    };
    let typed = text.get(typed_start..offset)?;
    if typed.contains(['$', '*', '?']) || typed.contains("://") {
        return None;
    }
    let (folder, _) = typed.rsplit_once('/').unwrap_or(("", typed));
    let segment_start = typed_start + typed.rfind('/').map_or(0, |i| i + 1);
    let rel_folder = relative(folder)?;
    let dir: &Path = &ctx.dir.join(&rel_folder);
    let mut items = Vec::new();
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel_folder.is_empty() {
            name.clone()
        } else {
            format!("{rel_folder}/{name}")
        };
        if ctx.ignore.excludes(&rel) {
            continue;
        }
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let label = if is_dir { format!("{name}/") } else { name };
        items.push(CompletionItem {
            detail: Some(if is_dir { "folder" } else { "file" }.to_string()),
            documentation: None,
            insert_text: label.clone(),
            is_snippet: false,
            edit_range: segment_start..offset,
            sort_text: Some(format!("{}{label}", if is_dir { 0 } else { 1 })),
            filter_text: None,
            incomplete: false,
            kind: CompletionKind::Value,
            label,
        });
    }
    items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::super::Origin;
    use super::*;

    fn context(origin: Origin) -> (tempfile::TempDir, BuildContext) {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path();
        std::fs::create_dir_all(root.join("src/app")).expect("folders");
        std::fs::create_dir_all(root.join("node_modules/x")).expect("folders");
        std::fs::write(root.join("src/app/main.py"), "").expect("file");
        std::fs::write(root.join("requirements.txt"), "").expect("file");
        std::fs::write(root.join("secret.env"), "").expect("file");
        std::fs::write(root.join(".dockerignore"), "node_modules\n*.env\n").expect("file");
        let ctx = BuildContext::new(root.to_path_buf(), origin, &root.join("Dockerfile"));
        (tmp, ctx)
    }

    #[test]
    fn sources_of_copy_and_add() {
        let snapshot = Snapshot::new(
            "FROM a AS b\nCOPY req.txt ./src/ /app/\nADD https://x/y /z\nCOPY --from=b /x /y\n\
             COPY [\"a b\", \"/c\"]\nCOPY $V <<EOF /d\nEOF\n",
        );
        let paths: Vec<String> = copy_sources(&snapshot)
            .into_iter()
            .map(|s| s.path)
            .collect();
        assert_eq!(paths, ["req.txt", "./src/", "a b"]);
    }

    #[test]
    fn missing_sources_only_with_a_known_context() {
        let text = "FROM a\nCOPY requirements.txt src/app/*.py ./missing.txt /app/\n\
                    COPY secret.env node_modules/x src/*.rs /x/\n";
        let snapshot = Snapshot::new(text);
        let (_tmp, ctx) = context(Origin::Setting);
        let missing: Vec<String> = missing_sources(&snapshot, &ctx)
            .into_iter()
            .map(|d| text[d.range].to_string())
            .collect();
        assert_eq!(
            missing,
            ["./missing.txt", "secret.env", "node_modules/x", "src/*.rs"]
        );
        let (_tmp, guessed) = context(Origin::DockerfileFolder);
        assert!(missing_sources(&snapshot, &guessed).is_empty());
        assert!(source_path(&ctx, "src/app/main.py").is_some());
        assert!(source_path(&ctx, "secret.env").is_none());
        assert!(source_path(&ctx, "../outside").is_none());
    }

    #[test]
    fn completes_folders_and_files() {
        let (_tmp, ctx) = context(Origin::DockerfileFolder);
        let labels = |text: &str| -> Option<Vec<String>> {
            let snapshot = Snapshot::new(text);
            source_completion(&snapshot, text.len() - 1, &ctx)
                .map(|items| items.into_iter().map(|i| i.label).collect())
        };
        assert_eq!(
            labels("FROM a\nCOPY \n"),
            Some(vec![
                "src/".to_string(),
                ".dockerignore".into(),
                "requirements.txt".into()
            ])
        );
        assert_eq!(
            labels("FROM a\nCOPY src/app/m\n"),
            Some(vec!["main.py".to_string()])
        );
        assert_eq!(labels("FROM a\nCOPY a /ap\n"), None);
        assert_eq!(labels("FROM a\nCOPY --from=b /x\n"), None);
        assert_eq!(labels("FROM a\nRUN x\n"), None);
    }
}
