//! Models: metadata, kind, capabilities, examples and field-name checks.

use std::collections::{BTreeMap, BTreeSet};

use super::budget::Charge;
use super::{Lowerer, unknown};
use crate::diagnostic::Subject;
use crate::ir::{Capability, Field, FieldType, Model, ModelKind, RequestExample};
use crate::naming;
use crate::spec::{ExampleDef, ModelDef, Named, ParamDef, Spec};
use crate::yaml::Loc;

impl Lowerer<'_> {
    /// Lowers one model: its metadata, its own fields, then the shared
    /// `every_model` fields, then its examples.
    pub(super) fn model(&mut self, named: &Named<ModelDef>, spec: &Spec) -> Option<Model> {
        let id = &named.name.value;
        let subject = Subject::model(id);
        let def = &named.def;
        let id_ok = !id.is_empty()
            && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c));
        if !id_ok {
            self.sink.error(
                named.name.loc,
                subject,
                "a model id is lowercase letters, digits, `-`, `.` and `_`, starting with a letter or digit",
            );
        }
        let rust_name = naming::type_name(id);
        let module = naming::module_name(id);
        if id_ok && (rust_name.is_none() || module.is_none()) {
            self.sink.error(
                named.name.loc,
                subject,
                "the model id gives no Rust type name (it must start with a letter)",
            );
        }
        let kind = def.kind.as_ref().and_then(|k| {
            let found = ModelKind::from_spec_name(&k.value);
            if found.is_none() {
                let names = ModelKind::ALL.map(ModelKind::as_str);
                unknown(
                    self.sink,
                    &mut self.budget,
                    k,
                    subject,
                    "model kind",
                    &names,
                );
            }
            found
        });
        let mut capabilities = Vec::new();
        for cap in def.capabilities.iter().flatten() {
            match Capability::from_spec_name(&cap.value) {
                Some(c) if capabilities.contains(&c) => {
                    self.sink.error(
                        cap.loc,
                        subject,
                        format!("duplicate capability `{}`", cap.value),
                    );
                }
                Some(c) => capabilities.push(c),
                None => {
                    let names = Capability::ALL.map(Capability::as_str);
                    unknown(
                        self.sink,
                        &mut self.budget,
                        cap,
                        subject,
                        "capability",
                        &names,
                    );
                }
            }
        }
        let max_duration = def.max_duration.as_ref().and_then(|d| match d.value {
            None => None,
            Some(seconds) => match u32::try_from(seconds) {
                Ok(s) if s > 0 => Some(s),
                _ => {
                    self.sink.error(
                        d.loc,
                        subject,
                        format!("max_duration must be a positive number of seconds or null, got {seconds}"),
                    );
                    None
                }
            },
        });
        let mut fields: Vec<Field> = Vec::new();
        for param in &def.params {
            let field_subject = subject.field(&param.name.value);
            let field = match &param.def.use_ {
                Some(used) => self.use_shared(param, used, spec, field_subject),
                None => self.field(&param.name, &param.def, field_subject),
            };
            if let Some(field) = field {
                if !self.charge(&field, named) {
                    return None;
                }
                fields.push(field);
            }
        }
        let own_params: BTreeMap<&str, &Named<ParamDef>> = def
            .params
            .iter()
            .map(|p| (p.name.value.as_str(), p))
            .collect();
        for place in self.shared.use_every_model() {
            let Some(shared_param) = spec.shared_params.get(place) else {
                continue;
            };
            if let Some(own) = own_params.get(shared_param.name.value.as_str()) {
                self.sink.error(
                    own.name.loc,
                    subject.field(&own.name.value),
                    format!(
                        "`{}` is a shared parameter with `every_model: true`; every model gets it, remove it here",
                        own.name.value
                    ),
                );
            } else if let Some(field) = self.shared.lowered(place).cloned() {
                if !self.charge(&field, named) {
                    return None;
                }
                fields.push(field);
            }
        }
        self.field_names(def, &fields, subject);
        let examples = def
            .examples
            .iter()
            .filter_map(|example| self.example(example, &fields, subject))
            .collect();
        let (name, vendor, description) = (
            def.name.as_ref()?.value.clone(),
            def.vendor.as_ref()?.value.clone(),
            def.description.as_ref()?.value.clone(),
        );
        Some(Model {
            id: id.clone(),
            rust_name: rust_name?,
            module: module?,
            name,
            vendor,
            description,
            kind: kind?,
            max_duration,
            capabilities,
            fields,
            examples,
        })
    }

    /// One example request: every key a field of the model, every value valid
    /// for its field, every required field present.
    pub(super) fn example(
        &mut self,
        named: &Named<ExampleDef>,
        fields: &[Field],
        subject: Subject<'_>,
    ) -> Option<RequestExample> {
        let name = &named.name.value;
        let def = &named.def;
        let errors_before = self.sink.len();
        // Maps, so that a body of n keys against n fields costs n·log n.
        let mut by_wire: BTreeMap<&str, &Field> = BTreeMap::new();
        for field in fields {
            by_wire.entry(field.wire_name.as_str()).or_insert(field);
        }
        let written: BTreeSet<&str> = def.body.iter().map(|e| e.name.value.as_str()).collect();
        let mut values = Vec::new();
        for entry in &def.body {
            let key = &entry.name;
            let field_subject = subject.field(&key.value);
            let Some(field) = by_wire.get(key.value.as_str()) else {
                let hint = if key.value == "model" {
                    "; the model is implied by where the example is written".to_owned()
                } else {
                    let names: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
                    self.budget
                        .hint(&key.value, &names)
                        .map(|near| format!("; did you mean `{near}`?"))
                        .unwrap_or_default()
                };
                self.sink.error(
                    key.loc,
                    field_subject,
                    format!("example `{name}` has a key the model does not accept{hint}"),
                );
                continue;
            };
            let what = format!("example `{name}`: value");
            if let Some(literal) = self.literal(&entry.def, &field.ty, field_subject, &what) {
                values.push((key.value.clone(), literal));
            }
        }
        for field in fields.iter().filter(|f| f.required) {
            if !written.contains(field.wire_name.as_str()) {
                self.sink.error(
                    def.loc,
                    subject.field(&field.wire_name),
                    format!("example `{name}` lacks the required field"),
                );
            }
        }
        let summary = def.summary.as_ref()?.value.trim().to_owned();
        if summary.is_empty() {
            self.sink.error(
                def.loc,
                subject,
                format!("example `{name}` has an empty summary"),
            );
        }
        (self.sink.len() == errors_before).then(|| RequestExample {
            name: name.clone(),
            summary,
            values,
        })
    }

    /// Two fields of one model must not share a Rust name (`imageUrl`, `image_url`).
    pub(super) fn field_names(&mut self, def: &ModelDef, fields: &[Field], subject: Subject<'_>) {
        let mut first: BTreeMap<&str, &Field> = BTreeMap::new();
        let places: BTreeMap<&str, Loc> = def
            .params
            .iter()
            .map(|p| (p.name.value.as_str(), p.name.loc))
            .collect();
        for field in fields {
            if let Some(other) = first.get(field.rust_name.as_str()) {
                let loc = places
                    .get(field.wire_name.as_str())
                    .copied()
                    .unwrap_or(def.loc);
                self.sink.error(
                    loc,
                    subject.field(&field.wire_name),
                    format!(
                        "fields `{}` and `{}` both become the Rust field `{}`",
                        other.wire_name, field.wire_name, field.rust_name
                    ),
                );
            } else {
                first.insert(&field.rust_name, field);
            }
            if field.wire_name == "model" {
                self.sink.error(
                    def.loc,
                    subject.field("model"),
                    "`model` is the request's discriminator, not a parameter",
                );
            }
        }
    }

    /// Counts one more generated field against [`SpecLimits::max_fields`]
    /// and [`SpecLimits::max_allowed_values`]. `false` once either is
    /// exceeded; that is reported once, at the model where it happened, and
    /// no later model is expanded.
    ///
    /// [`SpecLimits::max_fields`]: crate::SpecLimits::max_fields
    /// [`SpecLimits::max_allowed_values`]: crate::SpecLimits::max_allowed_values
    pub(super) fn charge(&mut self, field: &Field, model: &Named<ModelDef>) -> bool {
        let values = match field.ty {
            FieldType::Enum(id) => self.value_sets.len_of(id),
            _ => 0,
        };
        match self.budget.charge(values) {
            Charge::Within => true,
            Charge::ExceededNow(message) => {
                self.sink
                    .error(model.name.loc, Subject::model(&model.name.value), message);
                false
            }
            Charge::ExceededBefore => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_spec::model;
    use crate::limits::SpecLimits;

    /// Two `every_model` parameters around a shared one that is `use`d.
    const SHARED: &str = "\
version: 1
shared_params:
  webhook_url: {type: url, every_model: true, description: W.}
  prompt: {type: string, required: true, example: a boat, description: P.}
  seed_note: {type: string, every_model: true, description: S.}
models:
";

    fn wire_names(model: &crate::ir::Model) -> Vec<&str> {
        model.fields.iter().map(|f| f.wire_name.as_str()).collect()
    }

    #[test]
    fn every_model_params_come_last_in_spec_order() {
        let text = format!(
            "{SHARED}{}{}",
            model(
                "a",
                &[
                    "style: {type: boolean, description: B.}",
                    "prompt: {use: prompt}"
                ]
            ),
            model("b", &[]),
        );
        let ir = crate::load(&text, "t.yaml").unwrap_or_else(|e| panic!("{:?}", e.errors));
        assert_eq!(
            wire_names(&ir.models[0]),
            ["style", "prompt", "webhook_url", "seed_note"]
        );
        assert_eq!(wire_names(&ir.models[1]), ["webhook_url", "seed_note"]);
    }

    #[test]
    fn a_model_may_not_list_an_every_model_param_itself() {
        let text = format!(
            "{SHARED}{}",
            model(
                "a",
                &[
                    "prompt: {use: prompt}",
                    "seed_note: {type: string, description: Mine.}"
                ]
            ),
        );
        let errors = crate::load(&text, "t.yaml").expect_err("listed twice");
        let [error] = errors.errors.as_slice() else {
            panic!("one error: {:?}", errors.errors);
        };
        assert_eq!(
            error.message,
            "`seed_note` is a shared parameter with `every_model: true`; every model gets it, remove it here"
        );
        assert_eq!((error.loc.line, error.loc.column), (16, 7));
        assert_eq!(error.field.as_deref(), Some("seed_note"));
        // A `use:` of one is told so as well.
        let text = text.replace(
            "seed_note: {type: string, description: Mine.}",
            "seed_note: {use: seed_note}",
        );
        let errors = crate::load(&text, "t.yaml").expect_err("listed twice");
        let messages: Vec<&str> = errors.errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages.contains(&"`seed_note` is added to every model already; remove this entry"),
            "{messages:?}"
        );
    }

    #[test]
    fn expansion_past_max_fields_is_one_error_at_the_model_that_crosses_it() {
        // Each model costs its own field plus the two `every_model` ones.
        let text = format!(
            "{SHARED}{}{}{}",
            model("a", &["prompt: {use: prompt}"]),
            model("b", &["prompt: {use: prompt}"]),
            model("c", &["prompt: {use: prompt}"]),
        );
        let limits = SpecLimits {
            max_fields: 4,
            ..SpecLimits::default()
        };
        let errors = crate::load_with_limits(&text, "t.yaml", &limits).expect_err("over the cap");
        // `a` costs 3, `b` crosses 4; `c` is not expanded and draws nothing.
        let [error] = errors.errors.as_slice() else {
            panic!("one error: {:?}", errors.errors);
        };
        assert_eq!(error.model.as_deref(), Some("b"));
        assert!(
            error.message.contains("limit of 4 parameters"),
            "{}",
            error.message
        );
        let roomy = SpecLimits {
            max_fields: 9,
            ..SpecLimits::default()
        };
        assert!(crate::load_with_limits(&text, "t.yaml", &roomy).is_ok());
    }
}
