//! Check the spec as written and lower it into the [`Ir`].
//!
//! Checking and lowering are one pass because nearly every check is a failed
//! resolution (a name that does not exist, a default that is not an allowed
//! value). Every problem goes to the [`Sink`]; the IR is returned only when there
//! were none, so a bad spec never reaches an emitter.
//!
//! One concern per submodule: `value_sets` (value and directive sets),
//! `fields` (parameters, types, literals), `models` (model metadata and
//! examples) and `names` (crate-wide names, unused items); this module
//! holds the shared state and the message helpers.

mod fields;
mod models;
mod names;
mod value_sets;

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
            format!(
                "unknown {noun} `{}`{hint}",
                orux_runtime::display::excerpt(&name.value)
            ),
        );
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
}
