//! `src/generated/schema.rs`: the schema files as `&'static str`, for Rust users
//! and the `orux` CLI.

use proc_macro2::TokenStream;
use quote::quote;

use super::{BUNDLE_FILE, DIR, OPENAPI_FILE, RESPONSES_FILE, TYPES_FILE, model_file};
use crate::ir::Ir;

/// The path of a schema file as `include_str!` sees it from
/// `src/generated/schema.rs`.
fn included(name: &str) -> String {
    format!("../../{DIR}/{name}")
}

/// The module's tokens: the files as constants and `model(id)`.
pub(in crate::emit) fn emit(ir: &Ir) -> TokenStream {
    let bundle = included(BUNDLE_FILE);
    let types = included(TYPES_FILE);
    let responses = included(RESPONSES_FILE);
    let openapi = included(OPENAPI_FILE);
    let arms = ir.models.iter().map(|model| {
        let id = &model.id;
        let path = included(&model_file(model));
        quote! { #id => ::std::option::Option::Some(include_str!(#path)), }
    });
    quote! {
        //! The JSON Schema (draft 2020-12) files and the OpenAPI 3.1 document in
        //! `schema/`, as text. They state the same rules as
        //! `TaskRequest::from_json`, except for the few a schema cannot express
        //! (see the README).

        /// The validation bundle `schema/orux-models.schema.json`:
        /// `TaskRequest` at the root as a dispatch on `model` (`model` must be
        /// a known id, then one `if`/`then` per model), every model's request
        /// under `$defs`. Validators report each mistake at its field's
        /// pointer with it.
        pub const BUNDLE: &str = include_str!(#bundle);

        /// The types bundle `schema/orux-models.types.schema.json`: the same
        /// rules with `TaskRequest` as `oneOf` over the requests plus an
        /// OpenAPI `discriminator`, the shape code generators turn into a
        /// tagged union. [`OPENAPI`] holds the same definitions.
        pub const TYPES_BUNDLE: &str = include_str!(#types);

        /// `schema/responses.schema.json`: the submit response, the task status
        /// response and the webhook event, under `$defs`.
        pub const RESPONSES: &str = include_str!(#responses);

        /// `schema/openapi.json`: `POST /api/v1/tasks`,
        /// `GET /api/v1/tasks/{task_id}` and the task webhook, one
        /// self-contained document: the types bundle's definitions and the
        /// responses' are under `components/schemas`.
        pub const OPENAPI: &str = include_str!(#openapi);

        /// The standalone schema of one model's request
        /// (`schema/models/<id>.schema.json`), or `None` for an unknown id.
        pub fn model(id: &str) -> ::std::option::Option<&'static str> {
            match id {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}
