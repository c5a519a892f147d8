//! What the attestation binds besides the reports: the harness version, its git commit when
//! known, and deterministic SHA-256 tree hashes of the features and schemas it judged with.

use sha2::{Digest, Sha256};
use std::path::Path;

/// Lower-case hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The harness version (`Cargo.toml`).
pub(crate) fn harness_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The git commit of the harness: `DSOP_HARNESS_GIT_COMMIT` at build time if set, else `git
/// rev-parse HEAD` in the source checkout at run time (suffixed `-dirty` when tracked files
/// differ from it), else `None` (e.g. a binary copied away from its checkout).
pub(crate) fn git_commit() -> Option<String> {
    if let Some(commit) = option_env!("DSOP_HARNESS_GIT_COMMIT") {
        return Some(commit.to_owned());
    }
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !checkout.join(".git").exists() {
        return None;
    }
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(checkout)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let head = git(&["rev-parse", "HEAD"]).filter(|h| !h.is_empty())?;
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{head}-dirty") } else { head })
}

/// Hash of a set of files: SHA-256 over the lines `<sha256 of content>  <relative path>\n`,
/// sorted by path (`/`-separated). The same files give the same hash on any machine.
pub(crate) fn files_hash<'a>(files: impl IntoIterator<Item = (String, &'a [u8])>) -> String {
    let mut lines: Vec<(String, String)> = files
        .into_iter()
        .map(|(path, bytes)| (path, sha256_hex(bytes)))
        .collect();
    lines.sort();
    let listing: String = lines
        .iter()
        .map(|(path, hash)| format!("{hash}  {path}\n"))
        .collect();
    sha256_hex(listing.as_bytes())
}

/// Every regular file under `dir`, relative `/`-separated path and contents, sorted by path.
pub(crate) fn read_tree(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((relative, std::fs::read(&path)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// [`files_hash`] of every file under `dir`.
pub(crate) fn tree_hash(dir: &Path) -> std::io::Result<String> {
    let files = read_tree(dir)?;
    Ok(files_hash(
        files.iter().map(|(p, b)| (p.clone(), b.as_slice())),
    ))
}

/// [`files_hash`] of the schemas embedded in this binary (what it validated with).
pub(crate) fn schemas_hash() -> String {
    files_hash(crate::schema::embedded_schemas().map(|(p, c)| (p.to_owned(), c.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_hash_is_order_independent_and_content_sensitive() {
        let a = files_hash([("a".to_owned(), &b"1"[..]), ("b".to_owned(), &b"2"[..])]);
        let b = files_hash([("b".to_owned(), &b"2"[..]), ("a".to_owned(), &b"1"[..])]);
        let c = files_hash([("a".to_owned(), &b"1"[..]), ("b".to_owned(), &b"3"[..])]);
        let d = files_hash([("a".to_owned(), &b"1"[..]), ("c".to_owned(), &b"2"[..])]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_eq!(schemas_hash(), schemas_hash());
    }
}
