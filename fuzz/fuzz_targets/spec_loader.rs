//! The spec loader: YAML text → every generated file, or diagnostics.
//!
//! `orux_codegen::generate` runs the whole pipeline (YAML tree, shape
//! checks, lowering, emission through prettyplease). Oracles: a spec is
//! either generated or rejected with at least one located error; an emitter
//! never emits Rust that `syn` cannot parse (a syntax check, not a compile;
//! that is a generator bug, whatever the spec);
//! every generated Rust file carries the generated-file notice.

#![no_main]

use libfuzzer_sys::fuzz_target;
use orux_codegen::GenerateError;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match orux_codegen::generate(text, "fuzz.yaml") {
        Ok(files) => {
            assert!(!files.is_empty());
            for file in &files {
                if file.path.extension().is_some_and(|e| e == "rs") {
                    assert!(
                        file.contents.starts_with("// @generated"),
                        "{:?}",
                        file.path
                    );
                }
            }
        }
        Err(GenerateError::Spec(errors)) => {
            assert!(
                !errors.errors.is_empty(),
                "a spec rejected without an error"
            );
            for error in &errors.errors {
                assert!(error.loc.line >= 1 && error.loc.column >= 1, "{error:?}");
                assert!(!error.message.is_empty(), "{error:?}");
            }
            let _ = errors.to_string();
        }
        Err(GenerateError::Emit(error)) => panic!("an emitter produced invalid Rust: {error}"),
    }
});
