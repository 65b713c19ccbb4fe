//! A README's Rust blocks are doc tests: some crate includes the README as
//! documentation, so `cargo test` compiles and runs them.

use std::path::{Path, PathBuf};

/// Whether a `.rs` file in the repository includes `readme` (relative to
/// `root`) in a `doc` attribute.
pub fn included(root: &Path, readme: &Path) -> Result<(), String> {
    let wanted = root.join(readme);
    let wanted = wanted.canonicalize().unwrap_or(wanted);
    for file in rust_files(root) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let dir = file.parent().unwrap_or(root);
        for line in text.lines().filter(|line| line.contains("doc")) {
            let Some(path) = included_path(line) else {
                continue;
            };
            let candidate = dir.join(path);
            if candidate.canonicalize().is_ok_and(|found| found == wanted) {
                return Ok(());
            }
        }
    }
    Err(format!(
        "its Rust blocks are not doc tests: include it in a crate's documentation, \
         `#![doc = include_str!(\"…/{}\")]` or a `#[cfg(doctest)]` item with \
         `#[doc = include_str!(…)]`",
        readme.display()
    ))
}

/// The path in `#[doc = include_str!("PATH")]` or `#![doc = …]`.
fn included_path(line: &str) -> Option<&str> {
    let attribute = line.trim_start();
    if !(attribute.starts_with("#[doc") || attribute.starts_with("#![doc")) {
        return None;
    }
    let rest = &attribute[attribute.find("include_str!(\"")? + "include_str!(\"".len()..];
    Some(&rest[..rest.find('"')?])
}

/// Every `.rs` file outside `target/`, `node_modules/` and hidden directories.
fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            if name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(_) if name.ends_with(".rs") => files.push(path),
                _ => {}
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::included_path;

    #[test]
    fn doc_attributes_name_the_file_they_include() {
        assert_eq!(
            included_path(r#"#![doc = include_str!("../README.md")]"#),
            Some("../README.md")
        );
        assert_eq!(
            included_path(r#"    #[doc = include_str!("../../README.md")]"#),
            Some("../../README.md")
        );
        assert_eq!(
            included_path(r#"const X: &str = include_str!("a.md");"#),
            None
        );
    }
}
