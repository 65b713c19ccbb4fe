//! The broken-spec corpus (`tests/broken-specs/*.yaml`, one mistake each):
//! every file is rejected, every error names `file:line:col`, and the full
//! diagnostics are snapshotted.

use std::path::{Path, PathBuf};

fn broken_specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("broken-specs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("broken-specs dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_broken_spec_is_rejected_with_places() {
    let paths = broken_specs();
    assert!(paths.len() >= 20, "only {} broken specs", paths.len());
    for path in paths {
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let shown = format!("broken-specs/{stem}.yaml");
        let text = std::fs::read_to_string(&path).expect("readable");
        let errors = match orux_codegen::generate(&text, &shown) {
            Ok(_) => panic!("{shown} was accepted"),
            Err(orux_codegen::GenerateError::Spec(errors)) => errors,
            Err(other) => panic!("{shown}: {other}"),
        };
        assert!(!errors.errors.is_empty(), "{shown}");
        let rendered = errors.to_string();
        for line in rendered.lines().take(errors.errors.len()) {
            let place = line
                .strip_prefix(&format!("{shown}:"))
                .unwrap_or_else(|| panic!("no file in {line:?}"));
            let mut parts = place.splitn(3, ':');
            let (line_no, col) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            assert!(
                line_no.parse::<u64>().is_ok_and(|n| n > 0)
                    && col.parse::<u64>().is_ok_and(|n| n > 0),
                "no line:col in {line:?}"
            );
        }
        insta::with_settings!({ snapshot_path => "../snapshots/broken-specs", prepend_module_to_snapshot => false, description => text.clone() }, {
            insta::assert_snapshot!(stem, rendered);
        });
    }
}

/// All problems are reported in one run, not one per run.
#[test]
fn several_mistakes_are_reported_together() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("broken-specs/many-errors.yaml");
    let text = std::fs::read_to_string(path).expect("readable");
    let errors = orux_codegen::load(&text, "many-errors.yaml").expect_err("broken");
    assert!(errors.errors.len() >= 4, "{errors}");
}

/// The real spec loads without a single diagnostic.
#[test]
fn the_real_spec_is_clean() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models.yaml");
    let text = std::fs::read_to_string(path).expect("readable");
    let ir = orux_codegen::load(&text, "models.yaml").unwrap_or_else(|e| panic!("{e}"));
    // The models the generated crate was built from, in spec order: the
    // list is the catalog's, so adding a model changes nothing here.
    let loaded: Vec<&str> = ir.models.iter().map(|m| m.id.as_str()).collect();
    let catalog: Vec<&str> = orux_models::catalog::MODELS.iter().map(|m| m.id).collect();
    assert_eq!(loaded, catalog);
}

/// The collision fixture: every item `orux-models` re-exports from the
/// runtime (`REEXPORTED_NAMES`, the list its re-exports are made from), and
/// the two types the emitters always write, is refused as the Rust name of
/// a value set, with the fixture's place. Names no value set can produce
/// (constants, functions) are checked to be such.
#[test]
fn every_reexported_name_is_reserved() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("broken-specs/reserved-type-name.yaml");
    let fixture = std::fs::read_to_string(path).expect("readable");
    assert_eq!(
        fixture.matches("task_request").count(),
        2,
        "the fixture changed"
    );
    let names = orux_runtime::__private::REEXPORTED_NAMES
        .iter()
        .chain(&orux_codegen::emit::FIXED_TYPE_NAMES);
    let mut checked = 0;
    for name in names {
        let id = snake_case(name);
        if orux_codegen::naming::type_name(&id).as_deref() != Some(*name) {
            // Only `UPPER_CASE` constants and `snake_case` functions are
            // out of a value set's reach; a type name must be reachable.
            assert!(
                name.contains('_') || name.starts_with(|c: char| c.is_ascii_lowercase()),
                "{name} should be reachable from the value set id {id}"
            );
            continue;
        }
        let text = fixture.replace("task_request", &id);
        let errors = orux_codegen::load(&text, "collision.yaml")
            .err()
            .unwrap_or_else(|| panic!("a value set `{id}` was accepted: it would shadow {name}"));
        let expected = format!(
            "collision.yaml:4:3: `{id}`: Rust name `{name}` is already a type the crate defines by hand"
        );
        assert!(errors.to_string().starts_with(&expected), "{errors}");
        checked += 1;
    }
    assert!(checked > 20, "only {checked} names checked");
}

/// `UrlError` → `url_error`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
