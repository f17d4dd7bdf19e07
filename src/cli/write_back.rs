//! Writing a changed Dockerfile back (`check --fix`, and `fmt`): through a temporary file in
//! the same folder renamed over the original, so that a crash or a full disk never leaves
//! half a file, and with the original's permissions.

use std::io::{self, Write as _};
use std::path::Path;

/// Replaces the content of the file at `path` with `text`.
pub fn replace(path: &Path, text: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_replaced_with_its_permissions_and_nothing_is_left_behind() {
        use std::os::unix::fs::PermissionsExt as _;
        let tmp = tempfile::tempdir().expect("temp dir");
        let path = tmp.path().join("Dockerfile");
        std::fs::write(&path, "old").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        replace(&path, "new").expect("replaced");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(std::fs::read_dir(tmp.path()).expect("list").count(), 1);
    }

    #[test]
    fn a_missing_file_is_an_error_and_creates_nothing() {
        let tmp = tempfile::tempdir().expect("temp dir");
        assert!(replace(&tmp.path().join("nope"), "x").is_err());
        assert_eq!(std::fs::read_dir(tmp.path()).expect("list").count(), 0);
    }
}
