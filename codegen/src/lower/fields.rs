//! Fields: shared parameters, types, lengths and literal values.

use super::{Lowerer, description, unknown};
use crate::diagnostic::Subject;
use crate::ir::{Field, FieldType, Literal, StringRules};
use crate::naming;
use crate::spec::{Named, ParamDef, Scalar, Spec};
use crate::yaml::Located;
// The runtime's own URL and data-URI rules check the spec's values.
use orux_runtime::{DataUri, FieldKind, HttpsUrl};

impl Lowerer<'_> {
    /// A model's `{use: shared}` entry: the shared parameter, with this model's
    /// overrides, checked again as a whole (an override can break a rule).
    pub(super) fn use_shared(
        &mut self,
        param: &Named<ParamDef>,
        used: &Located<String>,
        spec: &Spec,
        subject: Subject<'_>,
    ) -> Option<Field> {
        let Some(place) = self.shared.use_named(&used.value) else {
            let names: Vec<&str> = spec
                .shared_params
                .iter()
                .map(|s| s.name.value.as_str())
                .collect();
            unknown(
                self.sink,
                &mut self.budget,
                used,
                subject,
                "shared parameter",
                &names,
            );
            return None;
        };
        let base = &spec.shared_params.get(place)?.def;
        if base.every_model.as_ref().is_some_and(|e| e.value) {
            self.sink.error(
                used.loc,
                subject,
                format!(
                    "`{}` is added to every model already; remove this entry",
                    used.value
                ),
            );
            return None;
        }
        // An error in the shared definition itself was reported there.
        self.shared.lowered(place)?;
        let overrides = &param.def;
        let merged = ParamDef {
            loc: param.def.loc,
            use_: None,
            required: overrides.required.clone().or_else(|| base.required.clone()),
            description: overrides
                .description
                .clone()
                .or_else(|| base.description.clone()),
            example: overrides.example.clone().or_else(|| base.example.clone()),
            directives: overrides
                .directives
                .clone()
                .or_else(|| base.directives.clone()),
            every_model: None,
            ..base.clone()
        };
        self.field(&param.name, &merged, subject)
    }

    /// Lowers one full parameter definition.
    pub(super) fn field(
        &mut self,
        name: &Located<String>,
        def: &ParamDef,
        subject: Subject<'_>,
    ) -> Option<Field> {
        let wire_name = name.value.clone();
        let rust_name = naming::field_name(&wire_name);
        if rust_name.is_none() {
            self.sink.error(
                name.loc,
                subject,
                "a field name must start with a letter and hold only letters, digits and `_`",
            );
        }
        let description = description(self.sink, def.description.as_ref(), def.loc, subject);
        let required = def.required.as_ref().is_some_and(|r| r.value);
        let ty = match &def.ty {
            None => {
                self.sink.error(def.loc, subject, "missing key `type`");
                None
            }
            Some(ty) => self.field_type(ty, def, subject),
        };
        if !matches!(ty, Some(FieldType::Enum(_)) | None)
            && let Some(values) = &def.values
        {
            self.sink
                .error(values.loc, subject, "`values` is only for `type: enum`");
        }
        if !matches!(ty, Some(FieldType::String(_)) | None) {
            for (key, present) in [
                ("min_length", def.min_length.as_ref().map(|l| l.loc)),
                ("max_length", def.max_length.as_ref().map(|l| l.loc)),
                ("directives", def.directives.as_ref().map(|l| l.loc)),
            ] {
                if let Some(loc) = present {
                    self.sink
                        .error(loc, subject, format!("`{key}` is only for `type: string`"));
                }
            }
        }
        let default = match (&def.default, required) {
            (Some(default), true) => {
                self.sink.error(
                    default.loc,
                    subject,
                    "a required field has no default; remove `default` or `required: true`",
                );
                None
            }
            (Some(default), false) => ty
                .as_ref()
                .and_then(|ty| self.literal(default, ty, subject, "default")),
            (None, _) => None,
        };
        if let (Some(ty @ (FieldType::ImageInput | FieldType::Url)), Some(default)) =
            (&ty, &def.default)
        {
            self.sink.error(
                default.loc,
                subject,
                format!("a `{}` field has no default", ty.spec_name()),
            );
        }
        let example = match &def.example {
            Some(example) => ty
                .as_ref()
                .and_then(|ty| self.literal(example, ty, subject, "example")),
            None => {
                if required {
                    self.sink.error(
                        def.loc,
                        subject,
                        "a required field needs an `example` (used to build minimal valid requests)",
                    );
                }
                None
            }
        };
        Some(Field {
            wire_name,
            rust_name: rust_name?,
            required,
            default,
            description,
            example,
            ty: ty?,
        })
    }

    pub(super) fn field_type(
        &mut self,
        ty: &Located<String>,
        def: &ParamDef,
        subject: Subject<'_>,
    ) -> Option<FieldType> {
        match ty.value.as_str() {
            "string" => {
                let min_length = self.length(def.min_length.as_ref(), subject);
                let max_length = self.length(def.max_length.as_ref(), subject);
                if let (Some(min), Some(max), Some(loc)) =
                    (min_length, max_length, def.max_length.as_ref())
                    && min > max
                {
                    self.sink.error(
                        loc.loc,
                        subject,
                        format!("max_length {max} is below min_length {min}"),
                    );
                }
                let directives = def.directives.as_ref().and_then(|d| {
                    self.directives
                        .resolve(d, subject, self.sink, &mut self.budget)
                });
                Some(FieldType::String(StringRules {
                    min_length,
                    max_length,
                    directives,
                }))
            }
            "url" => Some(FieldType::Url),
            "boolean" => Some(FieldType::Boolean),
            "image_input" => Some(FieldType::ImageInput),
            "enum" => {
                let Some(values) = &def.values else {
                    self.sink
                        .error(ty.loc, subject, "`type: enum` needs `values: <value set>`");
                    return None;
                };
                self.value_sets
                    .resolve(values, subject, self.sink, &mut self.budget)
                    .map(FieldType::Enum)
            }
            _ => {
                unknown(
                    self.sink,
                    &mut self.budget,
                    ty,
                    subject,
                    "type",
                    &FieldKind::SPEC_NAMES,
                );
                None
            }
        }
    }

    pub(super) fn length(
        &mut self,
        length: Option<&Located<i64>>,
        subject: Subject<'_>,
    ) -> Option<u64> {
        let length = length?;
        match u64::try_from(length.value) {
            Ok(n) => Some(n),
            Err(_) => {
                self.sink.error(
                    length.loc,
                    subject,
                    format!("a length cannot be negative, got {}", length.value),
                );
                None
            }
        }
    }

    /// A default or example, checked against the field's type and constraints.
    pub(super) fn literal(
        &mut self,
        node: &Located<Scalar>,
        ty: &FieldType,
        subject: Subject<'_>,
        what: &str,
    ) -> Option<Literal> {
        let literal = match &node.value {
            Scalar::String(s) => Literal::String(s.clone()),
            Scalar::Integer(i) => Literal::Integer(*i),
            Scalar::Bool(b) => Literal::Bool(*b),
            Scalar::NotScalar { found } => {
                self.sink.error(
                    node.loc,
                    subject,
                    format!("{what} must be a scalar, found {found}"),
                );
                return None;
            }
        };
        let problem = match (ty, &literal) {
            (FieldType::Enum(id), _) => self.value_sets.not_a_member(*id, &literal, what),
            (FieldType::Boolean, Literal::Bool(_)) => None,
            (FieldType::String(rules), Literal::String(s)) => {
                let chars = s.chars().count() as u64;
                if rules.min_length.is_some_and(|min| chars < min)
                    || rules.max_length.is_some_and(|max| chars > max)
                {
                    Some(format!(
                        "{what} {} breaks the field's length limits",
                        literal.to_json()
                    ))
                } else {
                    None
                }
            }
            (FieldType::Url, Literal::String(s)) => HttpsUrl::parse(s)
                .err()
                .map(|e| format!("{what} {} is not a valid https URL: {e}", literal.to_json())),
            // The runtime's `ImageInput::parse` dispatch: `data:` means a data
            // URI, anything else must be an https URL.
            (FieldType::ImageInput, Literal::String(s)) if s.starts_with("data:") => {
                DataUri::parse(s).err().map(|e| {
                    format!(
                        "{what} {} is not a valid image data URI: {e}",
                        literal.to_json()
                    )
                })
            }
            (FieldType::ImageInput, Literal::String(s)) => HttpsUrl::parse(s)
                .err()
                .map(|e| format!("{what} {} is not a valid https URL: {e}", literal.to_json())),
            _ => Some(format!(
                "{what} {} does not have the field's type `{}`",
                literal.to_json(),
                ty.spec_name()
            )),
        };
        match problem {
            Some(message) => {
                self.sink.error(node.loc, subject, message);
                None
            }
            None => Some(literal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_spec::model;

    /// The messages lowering gives a model with the one parameter `param`,
    /// beside a value set `duration` of 5 and 10.
    fn messages(param: &str) -> Vec<String> {
        let text = format!(
            "version: 1\nvalue_sets:\n  \
             duration: {{description: D., variant_prefix: S, values: [5, 10]}}\n\
             models:\n{}",
            model(
                "m",
                &[
                    "length: {type: enum, values: duration, description: L.}",
                    param
                ]
            )
        );
        match crate::load(&text, "t.yaml") {
            Ok(_) => Vec::new(),
            Err(errors) => errors.errors.into_iter().map(|e| e.message).collect(),
        }
    }

    #[test]
    fn an_enum_default_must_be_a_member_of_the_right_json_type() {
        assert_eq!(
            messages("other: {type: enum, values: duration, default: 10, description: O.}"),
            Vec::<String>::new()
        );
        // "10" is the right text in the wrong JSON type.
        assert_eq!(
            messages("other: {type: enum, values: duration, default: \"10\", description: O.}"),
            [r#"default "10" is not one of the allowed values (5, 10) of value set `duration`"#]
        );
    }

    #[test]
    fn a_literal_of_another_type_than_its_field_is_refused() {
        assert_eq!(
            messages("flag: {type: boolean, example: 1, description: F.}"),
            ["example 1 does not have the field's type `boolean`"]
        );
        assert_eq!(
            messages("text: {type: string, max_length: 3, example: abcd, description: T.}"),
            [r#"example "abcd" breaks the field's length limits"#]
        );
        // Length counts characters, not bytes.
        assert_eq!(
            messages("text: {type: string, max_length: 3, example: été, description: T.}"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn url_and_image_literals_follow_the_runtime_rules() {
        let http = messages("hook: {type: url, example: \"http://a.example\", description: H.}");
        let [message] = http.as_slice() else {
            panic!("one error: {http:?}");
        };
        assert!(
            message.starts_with(r#"example "http://a.example" is not a valid https URL: "#),
            "{message}"
        );
        let data = messages(
            "image: {type: image_input, example: \"data:text/plain;base64,AA==\", description: I.}",
        );
        let [message] = data.as_slice() else {
            panic!("one error: {data:?}");
        };
        assert!(
            message.contains("is not a valid image data URI"),
            "{message}"
        );
        assert_eq!(
            messages("hook: {type: url, default: \"https://a.example\", description: H.}"),
            ["a `url` field has no default"]
        );
    }
}
