//! Emits `catalog.rs`: every model's metadata and parameter table as static data.
//!
//! The validator reads its constraints (lengths, directives, allowed values for
//! messages) from these tables, and tools such as `orux explain` print them, so
//! both always describe the same rules.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, directive_set, doc, ident, info_static, value_set, wire_value};
use crate::ir::{Field, FieldType, Ir, Model};

pub(super) fn emit(ir: &Ir) -> Result<TokenStream, EmitError> {
    let directive_sets = ir.directive_sets.iter().map(|set| {
        let name = ident(&set.rust_const);
        let id = &set.id;
        let description = &set.description;
        let values = &set.values;
        let docs = doc(&format!("Directive set `{id}`: {description}"));
        quote! {
            #docs
            pub static #name: ::orux_runtime::DirectiveSetInfo = ::orux_runtime::DirectiveSetInfo {
                id: #id,
                description: #description,
                values: &[#(#values),*],
            };
        }
    });
    let models = ir
        .models
        .iter()
        .map(|model| model_info(ir, model))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|message| EmitError::impossible("catalog.rs", message))?;
    let statics: Vec<_> = ir.models.iter().map(info_static).collect();
    let count = proc_macro2::Literal::usize_unsuffixed(ir.models.len());
    Ok(quote! {
        //! The model catalog: metadata and parameter tables of every model.
        #(#directive_sets)*
        #(#models)*

        /// Every model, in spec order.
        pub static MODELS: [&::orux_runtime::ModelInfo; #count] = [#(&#statics),*];
    })
}

fn model_info(ir: &Ir, model: &Model) -> Result<TokenStream, String> {
    let name = info_static(model);
    let id = &model.id;
    let display = &model.name;
    let vendor = &model.vendor;
    let description = &model.description;
    let kind = ident(model.kind.rust_name());
    let max_duration = match model.max_duration {
        Some(seconds) => {
            let seconds = proc_macro2::Literal::u32_unsuffixed(seconds);
            quote! { ::std::option::Option::Some(#seconds) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let capabilities = model.capabilities.iter().map(|c| ident(c.rust_name()));
    let fields = model
        .fields
        .iter()
        .map(|field| field_info(ir, field))
        .collect::<Result<Vec<_>, String>>()?;
    let docs = doc(&format!("`{id}`: {display}."));
    Ok(quote! {
        #docs
        pub static #name: ::orux_runtime::ModelInfo = ::orux_runtime::ModelInfo {
            id: #id,
            name: #display,
            vendor: #vendor,
            description: #description,
            kind: ::orux_runtime::ModelKind::#kind,
            max_duration: #max_duration,
            capabilities: &[#(::orux_runtime::Capability::#capabilities),*],
            fields: &[#(#fields),*],
        };
    })
}

fn field_info(ir: &Ir, field: &Field) -> Result<TokenStream, String> {
    let name = &field.wire_name;
    let required = field.required;
    let description = &field.description;
    let option = |literal: &Option<crate::ir::Literal>| match literal {
        Some(l) => {
            let value = wire_value(l);
            quote! { ::std::option::Option::Some(#value) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let default = option(&field.default);
    let example = option(&field.example);
    let none = quote! { ::std::option::Option::None };
    let (kind, allowed, min_length, max_length, directives) = match &field.ty {
        FieldType::String(rules) => {
            let min = rules.min_length.map_or(none.clone(), |n| {
                let n = proc_macro2::Literal::u64_unsuffixed(n);
                quote! { ::std::option::Option::Some(#n) }
            });
            let max = rules.max_length.map_or(none.clone(), |n| {
                let n = proc_macro2::Literal::u64_unsuffixed(n);
                quote! { ::std::option::Option::Some(#n) }
            });
            let directives = match rules.directives {
                Some(id) => {
                    let set = ident(&directive_set(ir, id)?.rust_const);
                    quote! { ::std::option::Option::Some(&#set) }
                }
                None => none.clone(),
            };
            (quote! { String }, Vec::new(), min, max, directives)
        }
        FieldType::Url => (
            quote! { Url },
            Vec::new(),
            none.clone(),
            none.clone(),
            none.clone(),
        ),
        FieldType::Boolean => (
            quote! { Boolean },
            Vec::new(),
            none.clone(),
            none.clone(),
            none.clone(),
        ),
        FieldType::ImageInput => (
            quote! { ImageInput },
            Vec::new(),
            none.clone(),
            none.clone(),
            none.clone(),
        ),
        FieldType::Enum(id) => {
            let set = value_set(ir, *id)?;
            let id = &set.id;
            let rust = &set.rust_name;
            let allowed = set.variants.iter().map(|v| wire_value(&v.wire)).collect();
            (
                quote! { Enum { set: #id, rust_type: #rust } },
                allowed,
                none.clone(),
                none.clone(),
                none.clone(),
            )
        }
    };
    Ok(quote! {
        ::orux_runtime::FieldInfo {
            name: #name,
            kind: ::orux_runtime::FieldKind::#kind,
            required: #required,
            default: #default,
            allowed: &[#(#allowed),*],
            description: #description,
            example: #example,
            min_length: #min_length,
            max_length: #max_length,
            directives: #directives,
        }
    })
}
