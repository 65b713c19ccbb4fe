//! Hand-written support that the generated code calls: the JSON scanner, the
//! URL and data-URI rules, diagnostics and how untrusted text is shown, and the catalog types. Nothing in here is
//! generated; nothing in here knows any particular model.

pub mod catalog;
pub mod data_uri;
pub mod directives;
pub mod display;
pub mod fields;
pub mod image;
pub mod json;
pub mod report;
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
    Diagnostic, DiagnosticKind, EMPTY_DIRECTIVE, INVALID_PARAM, MAX_WARNINGS, UNKNOWN_DIRECTIVE,
    Validated, ValidationErrors, WARNINGS_OMITTED,
};
pub use url::{HttpsUrl, UrlError};
pub use validate::{Dispatch, UnknownModel};
pub use value_set::{ClosedSet, WireValue};
