//! The workspace tests, one binary (one link) with a module per concern.

mod broken_specs;
mod generated_crate;
mod hostile_input;
mod hostile_specs;
mod json_schema;
mod model_reference;
mod openapi;
mod properties;
mod request_corpus;
mod spec_derived;
mod spec_diff;
mod typed_api;
mod untrusted_text;
mod url_rule;
mod wire;
