//! Hand-written support that the generated `orux-models` crate calls: the JSON
//! scanner, the URL and data-URI rules, diagnostics, the catalog types and the
//! response types. Nothing in here is generated; nothing in here knows any
//! particular model. Users depend on `orux-models`, which re-exports what they
//! need from here.

pub mod catalog;
pub mod data_uri;
pub mod directives;
pub mod fields;
pub mod image;
pub mod json;
pub mod report;
pub mod responses;
pub mod serde_support;
pub mod suggest;
pub mod url;
pub mod validate;
pub mod value_set;

pub use catalog::{Capability, DirectiveSetInfo, FieldInfo, FieldKind, ModelInfo, ModelKind};
pub use data_uri::{DataUri, DataUriError};
pub use fields::FieldReader;
pub use image::{ImageError, ImageInput, TaskRef};
pub use json::Limits;
pub use report::{
    Diagnostic, DiagnosticKind, INVALID_PARAM, UNKNOWN_DIRECTIVE, Validated, ValidationErrors,
};
pub use url::{HttpsUrl, UrlError};
pub use validate::{Dispatch, UnknownModel};
pub use value_set::{ClosedSet, WireValue};
