//! Emits `models/<model>.rs`: the request struct of one model, its constructor,
//! default-applying accessors and its validator; and `models/mod.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    EmitError, allowed_values_doc, directive_set, doc, field_type, ident, info_static, value_set,
};
use crate::ir::{Field, FieldType, Ir, Literal, Model};

pub(super) fn emit_index(ir: &Ir) -> TokenStream {
    let modules: Vec<_> = ir.models.iter().map(|m| ident(&m.module)).collect();
    let structs = ir.models.iter().map(|m| ident(&m.struct_name()));
    quote! {
        //! One module per model: its request struct and validator.
        #(pub(crate) mod #modules;)*
        #(pub use #modules::#structs;)*
    }
}

/// The file `name` (under the generated directory) of one model.
pub(super) fn emit_model(ir: &Ir, model: &Model, name: &str) -> Result<TokenStream, EmitError> {
    let struct_name = ident(&model.struct_name());
    let variant = ident(&model.rust_name);
    let id = &model.id;
    let max = model
        .max_duration
        .map_or("no length control".to_owned(), |s| format!("at most {s} s"));
    let struct_docs = doc(&format!(
        "A `{id}` request: {}.\n\n{}\n\nVendor: {}. Kind: {}; {max}.\n\n\
         Build one with `new` and set optional fields after it. The derived \
         `Deserialize` is only a shape check (no string lengths, no duplicate \
         keys, no warnings); check a body from elsewhere with \
         [`TaskRequest::from_json`](crate::TaskRequest::from_json).",
        model.name,
        model.description,
        model.vendor,
        model.kind.as_str()
    ));
    let impossible = |message: String| EmitError::impossible(name, format!("{id}.{message}"));
    let mut accessors = Vec::new();
    for field in &model.fields {
        if let Some(default) = &field.default {
            accessors.push(
                accessor(ir, field, default)
                    .map_err(|message| impossible(format!("{}: {message}", field.wire_name)))?,
            );
        }
    }
    let fields = model
        .fields
        .iter()
        .map(|field| {
            struct_field(ir, field)
                .map_err(|message| impossible(format!("{}: {message}", field.wire_name)))
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let constructor =
        constructor(ir, model).map_err(|message| impossible(format!("new: {message}")))?;
    let validator = validator(model);
    let module_doc = format!(" `{id}`: {}.", model.name);
    Ok(quote! {
        #![doc = #module_doc]

        #struct_docs
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub struct #struct_name {
            #(#fields,)*
        }

        impl #struct_name {
            /// The model this request is for.
            pub const MODEL: crate::Model = crate::Model::#variant;

            #constructor
            #(#accessors)*
        }

        impl ::std::convert::From<#struct_name> for crate::TaskRequest {
            fn from(request: #struct_name) -> Self {
                crate::TaskRequest::#variant(request)
            }
        }

        #validator
    })
}

fn struct_field(ir: &Ir, field: &Field) -> Result<TokenStream, String> {
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let ty = field_type(ir, &field.ty)?;
    let mut text = field.description.clone();
    text.push_str("\n\n");
    text.push_str(if field.required {
        "Required."
    } else {
        "Optional."
    });
    if let Some(default) = &field.default {
        text.push_str(&format!(" Default: `{}`.", default.to_json()));
    }
    if let FieldType::Enum(id) = &field.ty {
        let allowed = allowed_values_doc(value_set(ir, *id)?);
        text.push_str(&format!(" Allowed: {allowed}."));
    }
    match &field.ty {
        FieldType::String(rules) => {
            match rules.min_length {
                Some(1) => text.push_str(" Must not be empty."),
                Some(min) => text.push_str(&format!(" At least {min} characters.")),
                None => {}
            }
            if let Some(max) = rules.max_length {
                text.push_str(&format!(" At most {max} characters."));
            }
            if let Some(id) = rules.directives {
                let set = directive_set(ir, id)?;
                text.push_str(&format!(
                    " Inline directives: {}.",
                    set.values
                        .iter()
                        .map(|v| format!("`[{v}]`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        FieldType::Url => text.push_str(" An absolute https URL."),
        _ => {}
    }
    let docs = doc(&text);
    let rename = (field.rust_name.trim_start_matches("r#") != wire)
        .then(|| quote! { #[serde(rename = #wire)] });
    Ok(if field.required {
        quote! { #docs #rename pub #name: #ty }
    } else {
        quote! {
            #docs
            #rename
            #[serde(
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                deserialize_with = "::orux_runtime::__private::present"
            )]
            pub #name: ::std::option::Option<#ty>
        }
    })
}

/// `Request::new(required…)`: every required field set, every optional one absent.
fn constructor(ir: &Ir, model: &Model) -> Result<TokenStream, String> {
    let required: Vec<&Field> = model.fields.iter().filter(|f| f.required).collect();
    let params = required
        .iter()
        .map(|f| {
            let name = ident(&f.rust_name);
            Ok(match &f.ty {
                FieldType::String(_) => {
                    quote! { #name: impl ::std::convert::Into<::std::string::String> }
                }
                ty => {
                    let ty = field_type(ir, ty)?;
                    quote! { #name: #ty }
                }
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let inits = model.fields.iter().map(|f| {
        let name = ident(&f.rust_name);
        match (&f.ty, f.required) {
            (FieldType::String(_), true) => quote! { #name: #name.into() },
            (_, true) => quote! { #name },
            (_, false) => quote! { #name: ::std::option::Option::None },
        }
    });
    let text = if required.is_empty() {
        "A request with every optional field absent.".to_owned()
    } else {
        format!(
            "A request with the required fields ({}) set and every optional field absent.",
            required
                .iter()
                .map(|f| format!("`{}`", f.wire_name))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let docs = doc(&text);
    Ok(quote! {
        #docs
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    })
}

/// `request.field()`: the value, or its documented default when absent.
/// Err: a default the checker should have refused (its message).
fn accessor(ir: &Ir, field: &Field, default: &Literal) -> Result<TokenStream, String> {
    let name = ident(&field.rust_name);
    let docs = doc(&format!(
        "`{}`, or its documented default `{}` when absent.",
        field.wire_name,
        default.to_json()
    ));
    let body = match (&field.ty, default) {
        (FieldType::Enum(id), literal) => {
            let set = value_set(ir, *id)?;
            let set_name = ident(&set.rust_name);
            let variant = set
                .variants
                .iter()
                .find(|v| &v.wire == literal)
                .ok_or_else(|| {
                    format!(
                        "the default {} is no member of value set `{}`",
                        literal.to_json(),
                        set.id
                    )
                })?;
            let variant = ident(&variant.rust_name);
            quote! {
                pub fn #name(&self) -> crate::generated::value_sets::#set_name {
                    self.#name.unwrap_or(crate::generated::value_sets::#set_name::#variant)
                }
            }
        }
        (FieldType::Boolean, Literal::Bool(b)) => quote! {
            pub fn #name(&self) -> bool {
                self.#name.unwrap_or(#b)
            }
        },
        (FieldType::String(_), Literal::String(s)) => quote! {
            pub fn #name(&self) -> &str {
                self.#name.as_deref().unwrap_or(#s)
            }
        },
        (ty, literal) => {
            return Err(format!(
                "a `{}` field cannot default to {}",
                ty.spec_name(),
                literal.to_json()
            ));
        }
    };
    Ok(quote! { #docs #body })
}

/// `validate(entries, reader)`: every field of a scanned body, checked against the
/// catalog's table; all problems go to the reader.
fn validator(model: &Model) -> TokenStream {
    let struct_name = ident(&model.struct_name());
    let info = info_static(model);
    let locals: Vec<_> = model
        .fields
        .iter()
        .map(|f| ident(&format!("field_{}", f.rust_name.trim_start_matches("r#"))))
        .collect();
    let arms = model.fields.iter().enumerate().map(|(index, field)| {
        let wire = &field.wire_name;
        let local = &locals[index];
        let method = match &field.ty {
            FieldType::String(_) => quote! { string },
            FieldType::Url => quote! { url },
            FieldType::Boolean => quote! { boolean },
            FieldType::Enum(_) => quote! { closed_set },
            FieldType::ImageInput => quote! { image },
        };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote! { #wire => #local = reader.#method(entry, &fields[#index]) }
    });
    let requires = model
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.required)
        .map(|(index, _)| {
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote! { reader.require(entries, &fields[#index]); }
        });
    let inits = model.fields.iter().zip(&locals).map(|(field, local)| {
        let name = ident(&field.rust_name);
        if field.required {
            quote! { #name: #local? }
        } else {
            quote! { #name: #local }
        }
    });
    quote! {
        /// Checks the top-level entries of a body whose `model` named this model.
        pub(crate) fn validate(
            entries: &[::orux_runtime::__private::Entry<'_>],
            reader: &mut ::orux_runtime::__private::FieldReader<'_>,
        ) -> ::std::option::Option<#struct_name> {
            let fields = crate::generated::catalog::#info.fields;
            #(let mut #locals = ::std::option::Option::None;)*
            for entry in entries {
                match entry.key.as_ref() {
                    "model" => {}
                    #(#arms,)*
                    _ => reader.unknown_field(entry),
                }
            }
            #(#requires)*
            if reader.has_errors() {
                return ::std::option::Option::None;
            }
            ::std::option::Option::Some(#struct_name { #(#inits),* })
        }
    }
}
