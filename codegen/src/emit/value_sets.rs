//! Emits `value_sets.rs`: one enum per closed value set.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, doc, ident, wire_value};
use crate::ir::{Ir, Literal, SetKind, ValueSet};

/// The file this module writes, under the generated directory.
pub(super) const FILE: &str = "value_sets.rs";

pub(super) fn emit(ir: &Ir) -> Result<TokenStream, EmitError> {
    let sets = ir
        .value_sets
        .iter()
        .map(value_set)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote! {
        //! Closed value sets: aspect ratios, durations, resolutions. Each is an enum,
        //! so a value outside the set cannot be represented; integer sets serialize
        //! as JSON numbers.
        #(#sets)*
    })
}

/// A member whose wire value is not of its set's kind (lowering checks it).
fn wrong_kind(set: &ValueSet, wire: &Literal) -> EmitError {
    EmitError::impossible(
        FILE,
        format!(
            "value set `{}` is of {:?} values but has the member {}",
            set.id,
            set.kind,
            wire.to_json()
        ),
    )
}

fn value_set(set: &ValueSet) -> Result<TokenStream, EmitError> {
    let name = ident(&set.rust_name);
    let wire_list = set
        .variants
        .iter()
        .map(|v| format!("`{}`", v.wire.to_json()))
        .collect::<Vec<_>>()
        .join(", ");
    let docs = doc(&format!(
        "{}\n\nWire values: {wire_list} (value set `{}` in models.yaml).",
        set.description, set.id
    ));
    let variants: Vec<_> = set.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let variant_docs = set
        .variants
        .iter()
        .map(|v| doc(&format!("`{}`", v.wire.to_json())));
    let count = proc_macro2::Literal::usize_unsuffixed(set.variants.len());
    let wires = set.variants.iter().map(|v| wire_value(&v.wire));
    let accessor = match set.kind {
        SetKind::String => {
            let texts = set
                .variants
                .iter()
                .map(|v| match &v.wire {
                    Literal::String(s) => Ok(s.clone()),
                    other => Err(wrong_kind(set, other)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            quote! {
                /// The value as sent on the wire.
                pub const fn as_str(self) -> &'static str {
                    match self { #(Self::#variants => #texts,)* }
                }
            }
        }
        SetKind::Integer => {
            let numbers = set
                .variants
                .iter()
                .map(|v| match &v.wire {
                    Literal::Integer(i) => Ok(*i),
                    other => Err(wrong_kind(set, other)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            quote! {
                /// The value as sent on the wire (a JSON number).
                pub const fn value(self) -> i64 {
                    match self { #(Self::#variants => #numbers,)* }
                }
            }
        }
    };
    Ok(quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
        }

        impl #name {
            /// Every value, in spec order.
            pub const ALL: [Self; #count] = [#(Self::#variants),*];

            #accessor
        }

        impl ::orux_runtime::ClosedSet for #name {
            const ALL: &'static [Self] = &Self::ALL;

            fn wire(self) -> ::orux_runtime::WireValue {
                match self { #(Self::#variants => #wires,)* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&::orux_runtime::ClosedSet::wire(*self), f)
            }
        }

        /// The inverse of `Display`: the value's plain text (`16:9`, `5`).
        impl ::std::str::FromStr for #name {
            type Err = ::orux_runtime::UnknownValue;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                ::orux_runtime::__private::parse_member(text)
            }
        }

        impl ::std::convert::TryFrom<&str> for #name {
            type Error = ::orux_runtime::UnknownValue;

            fn try_from(text: &str) -> ::std::result::Result<Self, Self::Error> {
                ::orux_runtime::__private::parse_member(text)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::orux_runtime::__private::serialize_member(*self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::orux_runtime::__private::deserialize_member(deserializer)
            }
        }
    })
}
