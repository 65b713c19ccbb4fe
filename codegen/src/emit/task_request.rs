//! Emits `task_request.rs`: the `Model` enum and `TaskRequest`, one variant per
//! model, with `model` as the JSON discriminator.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, info_static};
use crate::ir::Ir;

pub(super) fn emit(ir: &Ir) -> TokenStream {
    let variants: Vec<_> = ir.models.iter().map(|m| ident(&m.rust_name)).collect();
    let structs: Vec<_> = ir.models.iter().map(|m| ident(&m.struct_name())).collect();
    let modules: Vec<_> = ir.models.iter().map(|m| ident(&m.module)).collect();
    let ids: Vec<&str> = ir.models.iter().map(|m| m.id.as_str()).collect();
    let statics: Vec<_> = ir.models.iter().map(info_static).collect();
    let model_docs = ir
        .models
        .iter()
        .map(|m| doc(&format!("`{}`: {}.", m.id, m.name)));
    let request_docs = ir
        .models
        .iter()
        .map(|m| doc(&format!("`\"model\": \"{}\"`: {}.", m.id, m.name)));
    let count = proc_macro2::Literal::usize_unsuffixed(ir.models.len());
    quote! {
        //! `Model` (every model id) and `TaskRequest` (a request for any model).

        /// A model id: one of the models in `models.yaml`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Model {
            #(#model_docs #variants,)*
        }

        impl Model {
            /// Every model, in spec order.
            pub const ALL: [Model; #count] = [#(Model::#variants),*];

            /// The id sent as `"model"`.
            pub const fn id(self) -> &'static str {
                match self { #(Model::#variants => #ids,)* }
            }

            /// The model with this exact id.
            pub fn from_id(id: &str) -> ::std::option::Option<Model> {
                match id {
                    #(#ids => ::std::option::Option::Some(Model::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }

            /// Metadata and parameter table.
            pub fn info(self) -> &'static ::orux_runtime::ModelInfo {
                match self { #(Model::#variants => &crate::generated::catalog::#statics,)* }
            }
        }

        impl ::std::fmt::Display for Model {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl ::std::str::FromStr for Model {
            type Err = ::orux_runtime::UnknownModel;

            fn from_str(id: &str) -> ::std::result::Result<Self, Self::Err> {
                Model::from_id(id).ok_or_else(|| ::orux_runtime::UnknownModel::new(id, Model::ALL.map(Model::id)))
            }
        }

        impl Model {
            /// Runs this model's generated validator over a body's entries.
            pub(crate) fn validate_fields(
                self,
                entries: &[::orux_runtime::__private::Entry<'_>],
                reader: &mut ::orux_runtime::__private::FieldReader<'_>,
            ) -> ::std::option::Option<TaskRequest> {
                match self {
                    #(Model::#variants => crate::generated::models::#modules::validate(entries, reader).map(TaskRequest::#variants),)*
                }
            }
        }

        /// A request body for `POST /api/v1/tasks`, for any model.
        ///
        /// (De)serialized with `model` as the discriminator; serializing writes only
        /// the fields that were set. Build one from untrusted JSON with
        /// [`TaskRequest::from_json`], which checks every rule of the spec.
        ///
        /// The derived `Deserialize` is only a shape check: JSON types, required
        /// and unknown fields, allowed values, URL and image rules. It does not
        /// check string lengths or duplicate keys and gives no warnings, and it
        /// stops at the first problem; use [`TaskRequest::from_json`] for a body
        /// from elsewhere.
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(tag = "model")]
        #[non_exhaustive]
        pub enum TaskRequest {
            #(
                #request_docs
                #[serde(rename = #ids)]
                #variants(crate::generated::models::#structs),
            )*
        }

        impl TaskRequest {
            /// The model this request is for.
            pub fn model(&self) -> Model {
                match self { #(TaskRequest::#variants(_) => Model::#variants,)* }
            }
        }
    }
}
