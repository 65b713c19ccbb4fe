//! The types of the generated model catalog (`orux_models::catalog`).

use crate::value_set::WireValue;

/// What kind of job a model does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModelKind {
    /// Prompt only.
    TextToVideo,
    /// Starts from an image.
    ImageToVideo,
    /// Prompt, optionally with a starting image.
    TextOrImageToVideo,
    /// Edits an existing video.
    VideoEdit,
    /// A talking or lip-synced avatar.
    Avatar,
    /// Upscales an existing video.
    Upscale,
}

impl ModelKind {
    /// Every kind, in the order `models.yaml`'s format lists them.
    pub const ALL: [ModelKind; 6] = [
        ModelKind::TextToVideo,
        ModelKind::ImageToVideo,
        ModelKind::TextOrImageToVideo,
        ModelKind::VideoEdit,
        ModelKind::Avatar,
        ModelKind::Upscale,
    ];

    /// The kind spelled this way in `models.yaml`.
    pub fn from_spec_name(name: &str) -> Option<ModelKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The Rust variant name (`TextToVideo`), as generated code names it.
    pub const fn rust_name(self) -> &'static str {
        match self {
            ModelKind::TextToVideo => "TextToVideo",
            ModelKind::ImageToVideo => "ImageToVideo",
            ModelKind::TextOrImageToVideo => "TextOrImageToVideo",
            ModelKind::VideoEdit => "VideoEdit",
            ModelKind::Avatar => "Avatar",
            ModelKind::Upscale => "Upscale",
        }
    }

    /// The spelling used in `models.yaml` (`text-to-video`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ModelKind::TextToVideo => "text-to-video",
            ModelKind::ImageToVideo => "image-to-video",
            ModelKind::TextOrImageToVideo => "text-or-image-to-video",
            ModelKind::VideoEdit => "video-edit",
            ModelKind::Avatar => "avatar",
            ModelKind::Upscale => "upscale",
        }
    }
}

/// Something a model can do beyond its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// Produces an audio track.
    Audio,
}

impl Capability {
    /// Every capability.
    pub const ALL: [Capability; 1] = [Capability::Audio];

    /// The capability spelled this way in `models.yaml`.
    pub fn from_spec_name(name: &str) -> Option<Capability> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The Rust variant name (`Audio`), as generated code names it.
    pub const fn rust_name(self) -> &'static str {
        match self {
            Capability::Audio => "Audio",
        }
    }

    /// The spelling used in `models.yaml` (`audio`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Capability::Audio => "audio",
        }
    }
}

/// A model's metadata and parameter table.
#[derive(Debug)]
pub struct ModelInfo {
    /// The wire id sent as `"model"`.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Who makes it.
    pub vendor: &'static str,
    /// One line.
    pub description: &'static str,
    /// What it does.
    pub kind: ModelKind,
    /// Longest clip in seconds, if the model has length control.
    pub max_duration: Option<u32>,
    /// Extra capabilities.
    pub capabilities: &'static [Capability],
    /// The parameters, in the docs' order.
    pub fields: &'static [FieldInfo],
}

impl ModelInfo {
    /// The parameter with this wire name.
    pub fn field(&self, name: &str) -> Option<&'static FieldInfo> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The wire names of every parameter, plus `model`.
    pub fn field_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once("model").chain(self.fields.iter().map(|f| f.name))
    }

    /// A minimal valid request body for this model, as compact JSON: `model`,
    /// then every required field set to its `example` from `models.yaml`, in
    /// table order (`{"model":"sora2","prompt":"A drone shot …"}`). Optional
    /// fields are left out, so their documented defaults apply.
    ///
    /// `None` when a required field has no example. `models.yaml` must give one
    /// for every required field (the generator rejects a spec without, and
    /// checks each example against its field's type), so every model in
    /// `orux_models::catalog::MODELS` has a minimal body.
    pub fn minimal_body(&self) -> Option<String> {
        let required = self.fields.iter().filter(|f| f.required);
        minimal_body(
            self.id,
            required.map(|f| (f.name, f.example.map(WireValue::to_json))),
        )
    }
}

/// The one definition of a model's minimal body, for the catalog and for the
/// generator's schema examples: `{"model":<id>` then each required field's
/// example (given as JSON text) in table order, compact. `None` when a
/// required field has no example.
pub fn minimal_body<'a>(
    id: &str,
    required: impl IntoIterator<Item = (&'a str, Option<String>)>,
) -> Option<String> {
    let mut body = String::from("{");
    push_member(&mut body, "model", &serde_json::Value::from(id).to_string());
    for (name, example) in required {
        body.push(',');
        push_member(&mut body, name, &example?);
    }
    body.push('}');
    Some(body)
}

/// Appends `"key":value` to a JSON object being written.
fn push_member(body: &mut String, key: &str, value: &str) {
    body.push_str(&serde_json::Value::from(key).to_string());
    body.push(':');
    body.push_str(value);
}

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A JSON string.
    String,
    /// An absolute https URL with a host.
    Url,
    /// JSON `true` / `false`.
    Boolean,
    /// One of [`FieldInfo::allowed`].
    Enum {
        /// The value set's id in `models.yaml`.
        set: &'static str,
        /// The generated Rust enum.
        rust_type: &'static str,
    },
    /// An https URL, an image data URI, or `{"task_id": "…"}`.
    ImageInput,
}

impl FieldKind {
    /// Every type name `models.yaml` may give a parameter.
    pub const SPEC_NAMES: [&'static str; 5] = [
        FieldKind::String.as_str(),
        FieldKind::Url.as_str(),
        FieldKind::Boolean.as_str(),
        FieldKind::Enum {
            set: "",
            rust_type: "",
        }
        .as_str(),
        FieldKind::ImageInput.as_str(),
    ];

    /// The type's name as written in `models.yaml`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FieldKind::String => "string",
            FieldKind::Url => "url",
            FieldKind::Boolean => "boolean",
            FieldKind::Enum { .. } => "enum",
            FieldKind::ImageInput => "image_input",
        }
    }
}

/// One parameter of one model.
#[derive(Debug)]
pub struct FieldInfo {
    /// The JSON key.
    pub name: &'static str,
    /// Its type.
    pub kind: FieldKind,
    /// Whether a request must carry it.
    pub required: bool,
    /// The documented default, applied by typed accessors.
    pub default: Option<WireValue>,
    /// The allowed values of an enum (empty for other kinds).
    pub allowed: &'static [WireValue],
    /// What it means.
    pub description: &'static str,
    /// A valid example value.
    pub example: Option<WireValue>,
    /// Least number of characters (strings).
    pub min_length: Option<u64>,
    /// Most number of characters (strings).
    pub max_length: Option<u64>,
    /// Inline directives checked inside the text (strings).
    pub directives: Option<&'static DirectiveSetInfo>,
}

/// A set of inline directives (`[Pan Right]`) a string field may contain.
#[derive(Debug)]
pub struct DirectiveSetInfo {
    /// The set's id in `models.yaml`.
    pub id: &'static str,
    /// What the directives do.
    pub description: &'static str,
    /// The directives.
    pub values: &'static [&'static str],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_names_and_rust_names_round_trip() {
        for kind in ModelKind::ALL {
            assert_eq!(ModelKind::from_spec_name(kind.as_str()), Some(kind));
            assert_eq!(format!("{kind:?}"), kind.rust_name());
        }
        for capability in Capability::ALL {
            assert_eq!(
                Capability::from_spec_name(capability.as_str()),
                Some(capability)
            );
            assert_eq!(format!("{capability:?}"), capability.rust_name());
        }
        assert_eq!(ModelKind::from_spec_name("TextToVideo"), None);
        assert_eq!(
            FieldKind::SPEC_NAMES,
            ["string", "url", "boolean", "enum", "image_input"]
        );
    }

    #[test]
    fn a_required_field_without_an_example_has_no_minimal_body() {
        static FIELDS: [FieldInfo; 1] = [FieldInfo {
            name: "prompt",
            kind: FieldKind::String,
            required: true,
            default: None,
            allowed: &[],
            description: "",
            example: None,
            min_length: None,
            max_length: None,
            directives: None,
        }];
        let info = ModelInfo {
            id: "custom",
            name: "Custom",
            vendor: "",
            description: "",
            kind: ModelKind::TextToVideo,
            max_duration: None,
            capabilities: &[],
            fields: &FIELDS,
        };
        assert_eq!(info.minimal_body(), None);
    }
}
