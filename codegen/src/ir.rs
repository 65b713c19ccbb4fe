//! The checked spec: plain Rust data that every emitter reads.
//!
//! Nothing here refers to YAML. Wire names (what goes on the JSON wire) and Rust
//! names sit side by side, and every constraint is data, so the Rust validator and
//! the JSON Schema are emitted from the same values and cannot drift apart. All
//! lists keep the spec's order, which is what output order follows.

/// Everything the emitters need.
#[derive(Clone, Debug, PartialEq)]
pub struct Ir {
    /// Closed value sets, each one Rust enum; a field names one by
    /// [`ValueSetId`], looked up with [`Ir::value_set`].
    pub value_sets: Vec<ValueSet>,
    /// Inline prompt directive sets; a field names one by [`DirectiveSetId`],
    /// looked up with [`Ir::directive_set`].
    pub directive_sets: Vec<DirectiveSet>,
    /// The models, in spec order.
    pub models: Vec<Model>,
}

/// Which value set of an [`Ir`] an enum field takes its values from.
///
/// Only lowering hands out ids (like typify's `TypeId`), so an id from a
/// lowered IR always resolves in that IR. The lookup still answers `None`
/// for an id of another IR, or for an IR edited after lowering, so that an
/// emitter reports the impossible case instead of panicking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ValueSetId(usize);

/// Which directive set of an [`Ir`] a string field's directives come from.
/// Handed out by lowering, like [`ValueSetId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DirectiveSetId(usize);

impl ValueSetId {
    /// The id of the value set at `index` of [`Ir::value_sets`].
    pub(crate) fn new(index: usize) -> ValueSetId {
        ValueSetId(index)
    }

    /// Its place in [`Ir::value_sets`].
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

impl DirectiveSetId {
    /// The id of the directive set at `index` of [`Ir::directive_sets`].
    pub(crate) fn new(index: usize) -> DirectiveSetId {
        DirectiveSetId(index)
    }

    /// Its place in [`Ir::directive_sets`].
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

impl Ir {
    /// The value set `id` names; `None` only for an id this IR did not hand out.
    pub fn value_set(&self, id: ValueSetId) -> Option<&ValueSet> {
        self.value_sets.get(id.0)
    }

    /// The directive set `id` names; `None` only for an id this IR did not hand out.
    pub fn directive_set(&self, id: DirectiveSetId) -> Option<&DirectiveSet> {
        self.directive_sets.get(id.0)
    }
}

/// A scalar written in the spec: an allowed value, a default or an example.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Literal {
    /// A JSON string.
    String(String),
    /// A JSON integer.
    Integer(i64),
    /// A JSON boolean.
    Bool(bool),
}

impl Literal {
    /// The literal as JSON text (`"16:9"`, `5`, `true`).
    pub fn to_json(&self) -> String {
        match self {
            Literal::String(s) => serde_json::Value::String(s.clone()).to_string(),
            Literal::Integer(i) => i.to_string(),
            Literal::Bool(b) => b.to_string(),
        }
    }
}

/// The JSON type of a value set's members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetKind {
    /// Members are JSON strings.
    String,
    /// Members are JSON integers.
    Integer,
}

/// A closed set of values: one Rust enum, one JSON Schema `enum`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueSet {
    /// The id in the spec (`aspect_ratio`).
    pub id: String,
    /// The Rust enum name (`AspectRatio`).
    pub rust_name: String,
    /// What the values mean.
    pub description: String,
    /// The members' JSON type.
    pub kind: SetKind,
    /// The members, in spec order.
    pub variants: Vec<Variant>,
}

/// One member of a value set.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The value on the wire.
    pub wire: Literal,
    /// The Rust variant name (`Ratio16_9`).
    pub rust_name: String,
}

/// A set of inline directives a string field may contain (`[Pan Right]`).
#[derive(Clone, Debug, PartialEq)]
pub struct DirectiveSet {
    /// The id in the spec (`camera`).
    pub id: String,
    /// The Rust constant holding the set (`CAMERA_DIRECTIVES`).
    pub rust_const: String,
    /// What the directives do.
    pub description: String,
    /// The directives, in spec order.
    pub values: Vec<String>,
}

// A model's kind and capabilities are the runtime's own types: the catalog the
// generator writes names them, and the generator reads their spellings.
pub use orux_runtime::{Capability, ModelKind};

use orux_runtime::FieldKind;

/// One model and its parameter table.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The wire id sent as `"model"` (`veo-3.1-quality`).
    pub id: String,
    /// PascalCase name (`Veo31Quality`): the `TaskRequest` variant; the request
    /// struct is this plus `Request`.
    pub rust_name: String,
    /// snake_case name of the model's generated module (`veo_3_1_quality`).
    pub module: String,
    /// Display name.
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// One line.
    pub description: String,
    /// What it does.
    pub kind: ModelKind,
    /// Longest clip in seconds, if the model has length control.
    pub max_duration: Option<u32>,
    /// Extra capabilities.
    pub capabilities: Vec<Capability>,
    /// The parameter table, in spec order (shared `every_model` fields last).
    pub fields: Vec<Field>,
    /// Named example requests (the upstream docs' examples), in spec order.
    pub examples: Vec<RequestExample>,
}

impl Model {
    /// The request struct's name (`Sora2Request`).
    pub fn struct_name(&self) -> String {
        format!("{}Request", self.rust_name)
    }
}

/// A named, checked example request for one model (its `model` is implied).
#[derive(Clone, Debug, PartialEq)]
pub struct RequestExample {
    /// The key it is written under (`submit-with-webhook`).
    pub name: String,
    /// One line saying what it shows.
    pub summary: String,
    /// The body's fields in spec order: wire name and value.
    pub values: Vec<(String, Literal)>,
}

/// One request parameter of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The JSON key.
    pub wire_name: String,
    /// The Rust field name (snake_case, `r#` escaped when a keyword).
    pub rust_name: String,
    /// Whether a request must carry it.
    pub required: bool,
    /// The documented default, applied by typed accessors.
    pub default: Option<Literal>,
    /// What it means.
    pub description: String,
    /// A valid example value.
    pub example: Option<Literal>,
    /// Its type and constraints.
    pub ty: FieldType,
}

/// A field's type, with its constraints as data.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    /// A JSON string.
    String(StringRules),
    /// An absolute https URL with a host.
    Url,
    /// JSON `true` / `false`.
    Boolean,
    /// One member of a value set ([`Ir::value_set`]).
    Enum(ValueSetId),
    /// An https URL, an image data URI, or `{"task_id": …}`.
    ImageInput,
}

/// Constraints on a string field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringRules {
    /// Least number of characters.
    pub min_length: Option<u64>,
    /// Most number of characters.
    pub max_length: Option<u64>,
    /// Inline directives checked inside the text ([`Ir::directive_set`]).
    pub directives: Option<DirectiveSetId>,
}

impl FieldType {
    /// The type's name as written in the spec: the runtime's spelling.
    pub fn spec_name(&self) -> &'static str {
        let kind = match self {
            FieldType::String(_) => FieldKind::String,
            FieldType::Url => FieldKind::Url,
            FieldType::Boolean => FieldKind::Boolean,
            FieldType::Enum(_) => FieldKind::Enum {
                set: "",
                rust_type: "",
            },
            FieldType::ImageInput => FieldKind::ImageInput,
        };
        kind.as_str()
    }
}
