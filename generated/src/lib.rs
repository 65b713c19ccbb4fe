//! Typed, validating request types for the Orux AI video task API
//! (`POST /api/v1/tasks`), generated from `models.yaml`.
//!
//! - [`TaskRequest`]: a request for any model, (de)serialized with `model` as the
//!   discriminator. [`TaskRequest::from_json`] checks a raw body against the spec
//!   and reports **every** problem at once, each with a JSON pointer.
//! - One struct per model ([`Sora2Request`], …), whose closed value sets are enums
//!   ([`Duration5Or10`], [`AspectRatio`], …), so invalid states cannot be built.
//! - [`catalog`]: every model's metadata and parameter table, as data.
//! - [`schema`]: the same rules as a JSON Schema bundle (and an OpenAPI
//!   document), for clients in other languages; [`responses`]: what the API
//!   sends back; [`wire`]: the paths, header names and error codes of the API.
//!
//! ```
//! use orux_models::{TaskRequest, Sora2Request, Duration5Or10};
//!
//! // Validate a body from elsewhere: all errors at once, with JSON pointers.
//! let body = br#"{"model": "sora2", "prompt": "", "duration": 8}"#;
//! let errors = TaskRequest::from_json(body).unwrap_err();
//! assert_eq!(errors.errors[0].path, "/prompt");
//! assert_eq!(errors.errors[1].message, "duration must be 5 or 10 for sora2, got 8");
//!
//! // Build one in Rust: the types only admit allowed values.
//! let mut request = Sora2Request::new("A paper boat on a rainy street");
//! request.duration = Some(Duration5Or10::Seconds10);
//! let json = TaskRequest::from(request).to_json()?;
//! assert_eq!(json, r#"{"model":"sora2","prompt":"A paper boat on a rainy street","duration":10}"#);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The modules under `generated` are written by `cargo xtask regenerate`; the
//! hand-written support they call is the `orux-runtime` crate.

#[rustfmt::skip]
mod generated;

/// The model reference: every model's parameter table, its examples and the
/// directive sets, as generated into `MODELS.md`.
#[doc = include_str!("../MODELS.md")]
pub mod reference {}

// The crate's README (its crates.io page) holds a Rust example: doctested so
// it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
mod request;

/// The model catalog: every model's metadata and parameter table, as data
/// ([`MODELS`](catalog::MODELS)), and the types that describe them
/// (`ModelInfo`, `FieldInfo`, …, listed once in the runtime, so the
/// generator never gives a generated type one of their names).
pub mod catalog {
    pub use crate::generated::catalog::*;
    pub use orux_runtime::__private::catalog_exports::*;
}
pub use orux_runtime::responses;
pub use orux_runtime::wire;

pub use generated::models::*;
pub use generated::schema;
pub use generated::task_request::{Model, TaskRequest};
pub use generated::value_sets::*;
pub use orux_runtime::display;
// `ImageInput`, `ValidationErrors`, `HttpsUrl`, … : the runtime lists them
// once (`REEXPORTED_NAMES` is the same list), so a value set can never
// take one of their names and shadow it.
pub use orux_runtime::__private::root_exports::*;

#[cfg(test)]
mod tests {
    use crate::{Model, TaskRequest};

    #[test]
    fn every_models_minimal_body_is_valid_and_minimal() {
        for info in crate::catalog::MODELS {
            let body = info
                .minimal_body()
                .unwrap_or_else(|| panic!("{}: a required field has no example", info.id));
            let valid = TaskRequest::from_json(body.as_bytes())
                .unwrap_or_else(|e| panic!("{}: {body} is invalid: {e}", info.id));
            assert_eq!(valid.request.model().id(), info.id, "{body}");
            assert_eq!(valid.warnings, [], "{body}");
            // Exactly `model` and the required fields, in table order.
            let object =
                orux_runtime::__private::parse_body(body.as_bytes(), &Default::default()).unwrap();
            let keys: Vec<&str> = object.entries.iter().map(|e| e.key.as_ref()).collect();
            let required: Vec<&str> = std::iter::once("model")
                .chain(info.fields.iter().filter(|f| f.required).map(|f| f.name))
                .collect();
            assert_eq!(keys, required, "{body}");
        }
    }

    #[test]
    fn minimal_body_is_compact_json_with_model_first() {
        assert_eq!(
            Model::RunwayAleph.info().minimal_body().as_deref(),
            Some(
                r#"{"model":"runway-aleph","prompt":"A drone shot flying over Tokyo at sunset, cinematic","video_url":"https://example.com/clips/source.mp4"}"#
            )
        );
    }
}
