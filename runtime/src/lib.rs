//! Hand-written support that the generated `orux-models` crate calls: the JSON
//! scanner, the URL and data-URI rules, diagnostics and how untrusted text is
//! shown, the catalog types, the response types and the words of the wire
//! ([`wire`]). Nothing in here is generated; nothing in here knows any
//! particular model. Users depend on `orux-models`, which re-exports what they
//! need from here.

/// `format!` for diagnostic messages: the same text, written into a buffer
/// sized for a typical message. `format!` sizes its buffer from the literal
/// parts alone (nothing when the message starts with an argument), so a
/// message of 60 to 120 bytes was reallocated three to five times; on the
/// invalid mix that was a tenth of the validation time.
macro_rules! message {
    ($($arg:tt)*) => {{
        let mut text = String::with_capacity(128);
        // Writing into a String cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!($($arg)*));
        text
    }};
}

// The modules are private: users get the types re-exported below (through
// `orux-models`), generated code gets its helpers from `__private`.
mod catalog;
mod data_uri;
mod directives;
pub mod display;
mod fields;
mod image;
mod json;
mod report;
pub mod responses;
mod serde_support;
mod suggest;
mod url;
mod validate;
mod value_set;
pub mod wire;

pub use catalog::{Capability, DirectiveSetInfo, FieldInfo, FieldKind, ModelInfo, ModelKind};
pub use data_uri::{DataUri, DataUriError, image_media_type};
pub use image::{ImageError, ImageInput, TaskRef};
pub use json::Limits;
pub use report::{
    Diagnostic, DiagnosticKind, EMPTY_DIRECTIVE, INVALID_PARAM, MAX_WARNINGS, UNKNOWN_DIRECTIVE,
    Validated, ValidationErrors, WARNINGS_OMITTED,
};
pub use url::{HttpsUrl, UrlError};
pub use validate::UnknownModel;
pub use value_set::{ClosedSet, UnknownValue, WireValue, describe_values};

/// What generated code and the generator need from the runtime, not part of
/// its API: no semver promise, may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::catalog::minimal_body;
    pub use crate::data_uri::{DATA_URI_PATTERN, check_base64};
    pub use crate::fields::FieldReader;
    pub use crate::json::{Entry, Object, Value, parse_body};
    pub use crate::serde_support::present;
    pub use crate::suggest::nearest;
    pub use crate::url::HTTPS_URL_PATTERN;
    pub use crate::validate::validate_body;
    pub use crate::value_set::{
        deserialize as deserialize_member, parse_member, serialize as serialize_member,
    };

    /// Lists, once, the runtime items `orux-models` re-exports: the macro
    /// makes the modules `orux-models` glob-imports them from and the list
    /// of their names, which the generator keeps generated types from
    /// taking. An item re-exported any other way could be shadowed by a
    /// generated type of the same name without a word (a value set
    /// `url_error` would silently hide `UrlError`).
    macro_rules! reexported {
        (root: [$($root:ident),* $(,)?], catalog: [$($catalog:ident),* $(,)?] $(,)?) => {
            /// What `orux-models` re-exports at its root.
            pub mod root_exports {
                pub use crate::{$($root),*};
            }
            /// What `orux-models` re-exports in its `catalog` module.
            pub mod catalog_exports {
                pub use crate::{$($catalog),*};
            }
            /// The name of every item above: no model or value set may
            /// give a generated type one of these names.
            pub const REEXPORTED_NAMES: &[&str] = &[$(stringify!($root),)* $(stringify!($catalog),)*];
        };
    }

    reexported! {
        root: [
            ClosedSet, DataUri, DataUriError, Diagnostic, DiagnosticKind, EMPTY_DIRECTIVE,
            HttpsUrl, INVALID_PARAM, ImageError, ImageInput, Limits, MAX_WARNINGS, TaskRef,
            UNKNOWN_DIRECTIVE, UnknownModel, UnknownValue, UrlError, Validated,
            ValidationErrors, WARNINGS_OMITTED, WireValue, image_media_type,
        ],
        catalog: [
            Capability, DirectiveSetInfo, FieldInfo, FieldKind, ModelInfo, ModelKind,
            describe_values,
        ],
    }
}
