//! Check the spec as written and lower it into the [`Ir`].
//!
//! Checking and lowering are one pass because nearly every check is a failed
//! resolution (a name that does not exist, a default that is not an allowed
//! value). Every problem goes to the [`Sink`]; the IR is returned only when there
//! were none, so a bad spec never reaches an emitter.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Sink, Subject};
use crate::emit;
use crate::ir::{
    Capability, DirectiveSet, Field, FieldType, Ir, Literal, Model, ModelKind, RequestExample,
    SetKind, StringRules, ValueSet, Variant,
};
use crate::limits::SpecLimits;
use crate::naming;
use crate::spec::{ExampleDef, Named, ParamDef, Spec};
use crate::yaml::{Loc, Located, Node};
// The runtime's own URL and data-URI rules check the spec's values.
use orux_runtime::{DataUri, FieldKind, HttpsUrl};

/// Edit-distance work (characters compared) that did-you-mean hints may
/// cost per spec: a spec with typos gets its hints, a hostile one with
/// thousands of long unknown names gets its errors without hints.
const HINT_BUDGET: usize = 20_000_000;

/// Most allowed values quoted in one message; the rest are counted.
const LISTED_VALUES: usize = 20;

/// Checks `spec` and lowers it. `None` when `sink` received any error.
///
/// `limits` bounds what the spec may expand to
/// ([`SpecLimits::max_fields`], [`SpecLimits::max_allowed_values`]).
pub fn lower(spec: &Spec, sink: &mut Sink, limits: &SpecLimits) -> Option<Ir> {
    if let Some(version) = &spec.version
        && version.value != 1
    {
        sink.error(
            version.loc,
            Subject::TOP,
            format!(
                "unsupported version {}; this generator reads version 1",
                version.value
            ),
        );
    }
    let mut lowerer = Lowerer {
        sink,
        value_sets: Vec::new(),
        set_index: BTreeMap::new(),
        directive_sets: Vec::new(),
        directive_index: BTreeMap::new(),
        used_sets: Vec::new(),
        used_directives: Vec::new(),
        used_shared: vec![false; spec.shared_params.len()],
        broken_sets: Vec::new(),
        set_members: Vec::new(),
        set_by_members: BTreeMap::new(),
        hint_budget: HINT_BUDGET,
        every_model: spec
            .shared_params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.def.every_model.as_ref().is_some_and(|e| e.value))
            .map(|(index, _)| index)
            .collect(),
        shared_index: spec
            .shared_params
            .iter()
            .enumerate()
            .map(|(index, p)| (p.name.value.clone(), index))
            .collect(),
        limits: *limits,
        fields_left: limits.max_fields,
        values_left: limits.max_allowed_values,
        expansion_exceeded: false,
    };
    for set in &spec.value_sets {
        lowerer.value_set(set);
    }
    for set in &spec.directive_sets {
        lowerer.directive_set(set);
    }
    lowerer.used_sets = vec![false; lowerer.value_sets.len()];
    lowerer.used_directives = vec![false; lowerer.directive_sets.len()];

    // Shared parameters are checked on their own, once, so an error in one is
    // reported at its definition rather than at every use.
    let shared: Vec<Option<Field>> = spec
        .shared_params
        .iter()
        .map(|param| lowerer.field(&param.name, &param.def, Subject::item(&param.name.value)))
        .collect();
    let models: Vec<Model> = spec
        .models
        .iter()
        .filter_map(|model| lowerer.model(model, spec, &shared))
        .collect();
    // An earlier error (a misspelt reference) would make its target look unused;
    // report unused items only when everything else is right.
    if lowerer.sink.is_empty() {
        lowerer.unused(spec);
    }
    lowerer.names(spec, &models);

    if !lowerer.sink.is_empty() {
        return None;
    }
    Some(Ir {
        value_sets: lowerer.value_sets.into_iter().map(|(set, _)| set).collect(),
        directive_sets: lowerer
            .directive_sets
            .into_iter()
            .map(|(set, _)| set)
            .collect(),
        models,
    })
}

struct Lowerer<'s> {
    sink: &'s mut Sink,
    /// Lowered value sets with where each was defined.
    value_sets: Vec<(ValueSet, Loc)>,
    set_index: BTreeMap<String, usize>,
    directive_sets: Vec<(DirectiveSet, Loc)>,
    directive_index: BTreeMap<String, usize>,
    used_sets: Vec<bool>,
    used_directives: Vec<bool>,
    used_shared: Vec<bool>,
    /// Sets whose own definition had errors: a use of one is not "unknown".
    broken_sets: Vec<String>,
    /// Each lowered value set's members, sorted (index-aligned with
    /// `value_sets`), so membership costs log n rather than n.
    set_members: Vec<Vec<Literal>>,
    /// The set holding exactly these sorted members, to find twins in log n.
    set_by_members: BTreeMap<Vec<Literal>, usize>,
    /// What is left of [`HINT_BUDGET`].
    hint_budget: usize,
    /// Indices of the shared parameters with `every_model: true`.
    every_model: Vec<usize>,
    /// Shared parameters by name.
    shared_index: BTreeMap<String, usize>,
    /// The caps on expansion.
    limits: SpecLimits,
    /// What is left of [`SpecLimits::max_fields`].
    fields_left: usize,
    /// What is left of [`SpecLimits::max_allowed_values`].
    values_left: usize,
    /// Whether a cap on expansion was exceeded (and reported).
    expansion_exceeded: bool,
}

impl Lowerer<'_> {
    fn value_set(&mut self, named: &Named<crate::spec::ValueSetDef>) {
        let errors_before = self.sink.len();
        self.value_set_inner(named);
        if self.sink.len() > errors_before {
            self.broken_sets.push(named.name.value.clone());
        }
    }

    fn value_set_inner(&mut self, named: &Named<crate::spec::ValueSetDef>) {
        let id = &named.name.value;
        let subject = Subject::item(id);
        let def = &named.def;
        let Some(rust_name) = naming::type_name(id) else {
            self.sink.error(
                named.name.loc,
                subject,
                "value set id must start with a letter and give a Rust type name",
            );
            return;
        };
        let description = self.description(def.description.as_ref(), def.loc, subject);
        if def.values.is_empty() {
            self.sink
                .error(def.loc, subject, "a value set needs at least one value");
            return;
        }
        let prefix = def.variant_prefix.as_ref().map(|p| p.value.as_str());
        let mut kind = None;
        let mut variants: Vec<Variant> = Vec::new();
        // What is taken so far, so that a set of n values costs n·log n.
        let mut wires: BTreeSet<Literal> = BTreeSet::new();
        let mut rust_names: BTreeMap<String, Literal> = BTreeMap::new();
        let mut ok = true;
        for value in &def.values {
            let (literal, this_kind) = match &value.value {
                Node::Str(s) => (Literal::String(s.clone()), SetKind::String),
                Node::Int(i) => (Literal::Integer(*i), SetKind::Integer),
                other => {
                    self.sink.error(
                        value.loc,
                        subject,
                        format!(
                            "a value must be a string or an integer, found {}",
                            other.kind()
                        ),
                    );
                    ok = false;
                    continue;
                }
            };
            match kind {
                None => kind = Some(this_kind),
                Some(k) if k != this_kind => {
                    self.sink.error(
                        value.loc,
                        subject,
                        format!(
                            "value {} mixes strings and integers in one set",
                            literal.to_json()
                        ),
                    );
                    ok = false;
                    continue;
                }
                Some(_) => {}
            }
            if wires.contains(&literal) {
                self.sink.error(
                    value.loc,
                    subject,
                    format!("duplicate value {}", literal.to_json()),
                );
                ok = false;
                continue;
            }
            let text = match &literal {
                Literal::String(s) => s.clone(),
                other => other.to_json(),
            };
            let Some(rust) = naming::variant_name(prefix, &text) else {
                self.sink.error(
                    value.loc,
                    subject,
                    format!(
                        "value {} gives no Rust variant name; add a `variant_prefix` to the set",
                        literal.to_json()
                    ),
                );
                ok = false;
                continue;
            };
            if let Some(clash) = rust_names.get(&rust) {
                self.sink.error(
                    value.loc,
                    subject,
                    format!(
                        "values {} and {} both become the Rust variant `{rust}`",
                        clash.to_json(),
                        literal.to_json()
                    ),
                );
                ok = false;
                continue;
            }
            wires.insert(literal.clone());
            rust_names.insert(rust.clone(), literal.clone());
            variants.push(Variant {
                wire: literal,
                rust_name: rust,
            });
        }
        let (Some(kind), true) = (kind, ok) else {
            return;
        };
        let sorted: Vec<Literal> = wires.into_iter().collect();
        if let Some((twin, _)) = self
            .set_by_members
            .get(&sorted)
            .and_then(|&index| self.value_sets.get(index))
        {
            self.sink.error(
                named.name.loc,
                subject,
                format!(
                    "has the same values as value set `{}`; identical sets share one type, use `{}`",
                    twin.id, twin.id
                ),
            );
            return;
        }
        self.set_index.insert(id.clone(), self.value_sets.len());
        self.set_by_members
            .insert(sorted.clone(), self.value_sets.len());
        self.set_members.push(sorted);
        self.value_sets.push((
            ValueSet {
                id: id.clone(),
                rust_name,
                description,
                kind,
                variants,
            },
            named.name.loc,
        ));
    }

    fn directive_set(&mut self, named: &Named<crate::spec::DirectiveSetDef>) {
        let id = &named.name.value;
        let subject = Subject::item(id);
        let def = &named.def;
        let description = self.description(def.description.as_ref(), def.loc, subject);
        let Some(rust_const) = naming::const_name(id).map(|c| format!("{c}_DIRECTIVES")) else {
            self.sink.error(
                named.name.loc,
                subject,
                "directive set id must start with a letter",
            );
            return;
        };
        if def.values.is_empty() {
            self.sink.error(
                def.loc,
                subject,
                "a directive set needs at least one directive",
            );
            return;
        }
        let mut values: Vec<String> = Vec::new();
        for value in &def.values {
            let text = &value.value;
            if text.trim().is_empty() || text.trim() != text || text.contains([',', '[', ']']) {
                self.sink.error(
                    value.loc,
                    subject,
                    format!(
                        "directive {text:?} must be non-empty text without surrounding spaces, commas or brackets"
                    ),
                );
            } else if values.contains(text) {
                self.sink
                    .error(value.loc, subject, format!("duplicate directive {text:?}"));
            } else {
                values.push(text.clone());
            }
        }
        self.directive_index
            .insert(id.clone(), self.directive_sets.len());
        self.directive_sets.push((
            DirectiveSet {
                id: id.clone(),
                rust_const,
                description,
                values,
            },
            named.name.loc,
        ));
    }

    fn model(
        &mut self,
        named: &Named<crate::spec::ModelDef>,
        spec: &Spec,
        shared: &[Option<Field>],
    ) -> Option<Model> {
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
                self.unknown(k, subject, "model kind", &names);
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
                    self.unknown(cap, subject, "capability", &names);
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
                Some(used) => self.use_shared(param, used, spec, shared, field_subject),
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
        for index in self.every_model.clone() {
            let Some(shared_param) = spec.shared_params.get(index) else {
                continue;
            };
            self.used_shared[index] = true;
            if let Some(own) = own_params.get(shared_param.name.value.as_str()) {
                self.sink.error(
                    own.name.loc,
                    subject.field(&own.name.value),
                    format!(
                        "`{}` is a shared parameter with `every_model: true`; every model gets it, remove it here",
                        own.name.value
                    ),
                );
            } else if let Some(Some(field)) = shared.get(index) {
                if !self.charge(field, named) {
                    return None;
                }
                fields.push(field.clone());
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
    fn example(
        &mut self,
        named: &Named<ExampleDef>,
        fields: &[Field],
        subject: Subject<'_>,
    ) -> Option<RequestExample> {
        let name = &named.name.value;
        let def = &named.def;
        let errors_before = self.sink.len();
        let mut values = Vec::new();
        for entry in &def.body {
            let key = &entry.name;
            let field_subject = subject.field(&key.value);
            let Some(field) = fields.iter().find(|f| f.wire_name == key.value) else {
                let hint = if key.value == "model" {
                    "; the model is implied by where the example is written".to_owned()
                } else {
                    let names: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
                    self.hint(&key.value, &names)
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
            if !def
                .body
                .iter()
                .any(|entry| entry.name.value == field.wire_name)
            {
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

    /// A model's `{use: shared}` entry: the shared parameter, with this model's
    /// overrides, checked again as a whole (an override can break a rule).
    fn use_shared(
        &mut self,
        param: &Named<ParamDef>,
        used: &Located<String>,
        spec: &Spec,
        shared: &[Option<Field>],
        subject: Subject<'_>,
    ) -> Option<Field> {
        let Some(&index) = self.shared_index.get(used.value.as_str()) else {
            let names: Vec<&str> = spec
                .shared_params
                .iter()
                .map(|s| s.name.value.as_str())
                .collect();
            self.unknown(used, subject, "shared parameter", &names);
            return None;
        };
        self.used_shared[index] = true;
        let base = &spec.shared_params[index].def;
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
        shared.get(index)?.as_ref()?;
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
    fn field(
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
        let description = self.description(def.description.as_ref(), def.loc, subject);
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

    fn field_type(
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
                    match self.directive_index.get(&d.value) {
                        Some(&index) => {
                            self.used_directives
                                .resize(self.directive_sets.len(), false);
                            self.used_directives[index] = true;
                            Some(index)
                        }
                        None => {
                            let names: Vec<String> = self.directive_index.keys().cloned().collect();
                            let names: Vec<&str> = names.iter().map(String::as_str).collect();
                            self.unknown(d, subject, "directive set", &names);
                            None
                        }
                    }
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
                match self.set_index.get(&values.value) {
                    Some(&index) => {
                        self.used_sets.resize(self.value_sets.len(), false);
                        self.used_sets[index] = true;
                        Some(FieldType::Enum(index))
                    }
                    None if self.broken_sets.contains(&values.value) => None,
                    None => {
                        let names: Vec<String> = self.set_index.keys().cloned().collect();
                        let names: Vec<&str> = names.iter().map(String::as_str).collect();
                        self.unknown(values, subject, "value set", &names);
                        None
                    }
                }
            }
            _ => {
                self.unknown(ty, subject, "type", &FieldKind::SPEC_NAMES);
                None
            }
        }
    }

    fn length(&mut self, length: Option<&Located<i64>>, subject: Subject<'_>) -> Option<u64> {
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
    fn literal(
        &mut self,
        node: &Located<Node>,
        ty: &FieldType,
        subject: Subject<'_>,
        what: &str,
    ) -> Option<Literal> {
        let literal = match &node.value {
            Node::Str(s) => Literal::String(s.clone()),
            Node::Int(i) => Literal::Integer(*i),
            Node::Bool(b) => Literal::Bool(*b),
            other => {
                self.sink.error(
                    node.loc,
                    subject,
                    format!("{what} must be a scalar, found {}", other.kind()),
                );
                return None;
            }
        };
        let problem = match (ty, &literal) {
            (FieldType::Enum(index), _) => {
                let set = &self.value_sets[*index].0;
                let allowed = self
                    .set_members
                    .get(*index)
                    .is_some_and(|members| members.binary_search(&literal).is_ok());
                (!allowed).then(|| {
                    let mut listed: Vec<String> = set
                        .variants
                        .iter()
                        .take(LISTED_VALUES)
                        .map(|v| v.wire.to_json())
                        .collect();
                    if set.variants.len() > LISTED_VALUES {
                        listed.push(format!("… {} in all", set.variants.len()));
                    }
                    format!(
                        "{what} {} is not one of the allowed values ({}) of value set `{}`",
                        literal.to_json(),
                        listed.join(", "),
                        set.id
                    )
                })
            }
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

    fn description(
        &mut self,
        description: Option<&Located<String>>,
        loc: Loc,
        subject: Subject<'_>,
    ) -> String {
        match description {
            Some(d) if !d.value.trim().is_empty() => d.value.trim().to_owned(),
            Some(d) => {
                self.sink.error(d.loc, subject, "description is empty");
                String::new()
            }
            None => {
                self.sink.error(loc, subject, "missing key `description`");
                String::new()
            }
        }
    }

    fn unknown(
        &mut self,
        name: &Located<String>,
        subject: Subject<'_>,
        noun: &str,
        known: &[&str],
    ) {
        let hint = self
            .hint(&name.value, known)
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_default();
        self.sink.error(
            name.loc,
            subject,
            format!("unknown {noun} `{}`{hint}", name.value),
        );
    }

    /// Counts one more generated field against [`SpecLimits::max_fields`]
    /// and [`SpecLimits::max_allowed_values`]. `false` once either is
    /// exceeded; that is reported once, at the model where it happened, and
    /// no later model is expanded.
    fn charge(&mut self, field: &Field, model: &Named<crate::spec::ModelDef>) -> bool {
        if self.expansion_exceeded {
            return false;
        }
        let values = match field.ty {
            FieldType::Enum(index) => self
                .value_sets
                .get(index)
                .map_or(0, |(set, _)| set.variants.len()),
            _ => 0,
        };
        let message = match (
            self.fields_left.checked_sub(1),
            self.values_left.checked_sub(values),
        ) {
            (Some(fields_left), Some(values_left)) => {
                self.fields_left = fields_left;
                self.values_left = values_left;
                return true;
            }
            (None, _) => format!(
                "the spec expands to more than the limit of {} parameters in all models together \
                 (max_fields; an `every_model` parameter counts once per model)",
                self.limits.max_fields
            ),
            (_, None) => format!(
                "the spec expands to more than the limit of {} allowed values in all enum \
                 fields together (max_allowed_values; a value set counts once per field using it)",
                self.limits.max_allowed_values
            ),
        };
        self.expansion_exceeded = true;
        self.sink
            .error(model.name.loc, Subject::model(&model.name.value), message);
        false
    }

    /// The known name `name` most plausibly means, while [`HINT_BUDGET`]
    /// lasts: each hint costs an edit distance per known name.
    fn hint<'k>(&mut self, name: &str, known: &[&'k str]) -> Option<&'k str> {
        // What `naming::nearest` compares at most: 256 characters a side.
        let chars = |s: &str| s.len().min(256);
        let cost = known
            .iter()
            .map(|k| chars(k).saturating_mul(chars(name)).max(1))
            .fold(0usize, usize::saturating_add);
        self.hint_budget = self.hint_budget.checked_sub(cost)?;
        naming::nearest(name, known.iter().copied())
    }

    /// Two fields of one model must not share a Rust name (`imageUrl`, `image_url`).
    fn field_names(&mut self, def: &crate::spec::ModelDef, fields: &[Field], subject: Subject<'_>) {
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

    fn unused(&mut self, spec: &Spec) {
        for (index, (set, loc)) in self.value_sets.iter().enumerate() {
            if !self.used_sets.get(index).copied().unwrap_or(false) {
                self.sink.error(
                    *loc,
                    Subject::item(&set.id),
                    "value set is not used by any field",
                );
            }
        }
        for (index, (set, loc)) in self.directive_sets.iter().enumerate() {
            if !self.used_directives.get(index).copied().unwrap_or(false) {
                self.sink.error(
                    *loc,
                    Subject::item(&set.id),
                    "directive set is not used by any field",
                );
            }
        }
        for (index, param) in spec.shared_params.iter().enumerate() {
            if !self.used_shared[index] {
                self.sink.error(
                    param.name.loc,
                    Subject::item(&param.name.value),
                    "shared parameter is not used by any model",
                );
            }
        }
    }

    /// Generated type and module names must be unique across the crate.
    fn names(&mut self, spec: &Spec, models: &[Model]) {
        // The runtime's types are re-exported beside the generated ones, and
        // the emitters write `TaskRequest` and `Model` whatever the spec says.
        let mut taken: BTreeMap<String, String> = orux_runtime::__private::TYPE_NAMES
            .iter()
            .chain(&emit::FIXED_TYPE_NAMES)
            .map(|name| {
                (
                    name.to_string(),
                    "a type the crate defines by hand".to_owned(),
                )
            })
            .collect();
        for (set, loc) in &self.value_sets {
            if let Some(owner) = taken.get(&set.rust_name) {
                self.sink.error(
                    *loc,
                    Subject::item(&set.id),
                    format!("Rust name `{}` is already {owner}", set.rust_name),
                );
            } else {
                taken.insert(
                    set.rust_name.clone(),
                    format!("the type of value set `{}`", set.id),
                );
            }
        }
        let mut modules: BTreeMap<String, String> = BTreeMap::new();
        let places: BTreeMap<&str, Loc> = spec
            .models
            .iter()
            .map(|m| (m.name.value.as_str(), m.name.loc))
            .collect();
        for model in models {
            let loc = places.get(model.id.as_str()).copied().unwrap_or_default();
            // The struct name is the variant name plus `Request`: one message is enough.
            for name in [model.rust_name.clone(), model.struct_name()] {
                if let Some(owner) = taken.get(&name) {
                    self.sink.error(
                        loc,
                        Subject::model(&model.id),
                        format!("Rust name `{name}` is already {owner}"),
                    );
                    break;
                }
                taken.insert(name, format!("used by model `{}`", model.id));
            }
            if let Some(owner) = modules.get(&model.module) {
                self.sink.error(
                    loc,
                    Subject::model(&model.id),
                    format!(
                        "module name `{}` is already used by model `{owner}`",
                        model.module
                    ),
                );
            } else {
                modules.insert(model.module.clone(), model.id.clone());
            }
        }
    }
}
