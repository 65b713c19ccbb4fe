//! Check the spec as written and lower it into the [`Ir`].
//!
//! Checking and lowering are one pass because nearly every check is a failed
//! resolution (a name that does not exist, a default that is not an allowed
//! value). Every problem goes to the [`Sink`]; the IR is returned only when there
//! were none, so a bad spec never reaches an emitter.
//!
//! The state is split by concern, each part with its own small API, so that
//! a submodule changes only its own state:
//! - `value_sets`: the [`ValueSetTable`] (sets by name and by members, which
//!   are used, which were broken by their own definition), handing out
//!   [`crate::ir::ValueSetId`]s;
//! - `directive_sets`: the [`DirectiveTable`], handing out
//!   [`crate::ir::DirectiveSetId`]s;
//! - `shared`: the [`SharedParams`] (by name, `every_model`, used, lowered);
//! - `budget`: the [`Budget`] of did-you-mean work and of expansion
//!   ([`SpecLimits`]).
//!
//! `fields` (parameters, types, literals) and `models` (model metadata,
//! examples) own no state: they resolve names through the tables and count
//! through the budget. `names` checks crate-wide names and unused items once
//! everything is lowered. This module holds the message helpers.

mod budget;
mod directive_sets;
mod fields;
mod models;
mod names;
mod shared;
mod value_sets;

use budget::Budget;
use directive_sets::DirectiveTable;
use shared::SharedParams;
use value_sets::ValueSetTable;

use crate::diagnostic::{Sink, Subject};
use crate::ir::{Field, Ir, Model};
use crate::limits::SpecLimits;
use crate::spec::Spec;
use crate::yaml::{Loc, Located};

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
    let mut value_sets = ValueSetTable::default();
    for set in &spec.value_sets {
        value_sets.define(set, sink);
    }
    let mut directives = DirectiveTable::default();
    for set in &spec.directive_sets {
        directives.define(set, sink);
    }
    let mut lowerer = Lowerer {
        sink,
        value_sets,
        directives,
        shared: SharedParams::new(spec),
        budget: Budget::new(limits),
    };
    // Shared parameters are checked on their own, once, so an error in one is
    // reported at its definition rather than at every use.
    let shared: Vec<Option<Field>> = spec
        .shared_params
        .iter()
        .map(|param| lowerer.field(&param.name, &param.def, Subject::item(&param.name.value)))
        .collect();
    lowerer.shared.set_lowered(shared);
    let models: Vec<Model> = spec
        .models
        .iter()
        .filter_map(|model| lowerer.model(model, spec))
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
        value_sets: lowerer.value_sets.into_sets(),
        directive_sets: lowerer.directives.into_sets(),
        models,
    })
}

/// The parts of lowering's state, each owned by its module; `fields` and
/// `models` reach them only through their APIs.
struct Lowerer<'s> {
    sink: &'s mut Sink,
    value_sets: ValueSetTable,
    directives: DirectiveTable,
    shared: SharedParams,
    budget: Budget,
}

/// A trimmed description; an empty or missing one is reported.
fn description(
    sink: &mut Sink,
    description: Option<&Located<String>>,
    loc: Loc,
    subject: Subject<'_>,
) -> String {
    match description {
        Some(d) if !d.value.trim().is_empty() => d.value.trim().to_owned(),
        Some(d) => {
            sink.error(d.loc, subject, "description is empty");
            String::new()
        }
        None => {
            sink.error(loc, subject, "missing key `description`");
            String::new()
        }
    }
}

/// Reports the unknown `noun` `name`, with the `known` name it most plausibly
/// means while the budget's hint work lasts.
fn unknown(
    sink: &mut Sink,
    budget: &mut Budget,
    name: &Located<String>,
    subject: Subject<'_>,
    noun: &str,
    known: &[&str],
) {
    let hint = budget
        .hint(&name.value, known)
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default();
    sink.error(
        name.loc,
        subject,
        format!(
            "unknown {noun} `{}`{hint}",
            orux_runtime::display::excerpt(&name.value)
        ),
    );
}

/// Specs for the unit tests of lowering.
#[cfg(test)]
mod test_spec {
    /// `version: 1` and the text of a model `id` with these `params:` lines
    /// (each indented by six spaces in the result).
    pub(super) fn model(id: &str, params: &[&str]) -> String {
        let mut text = format!(
            "  {id}:\n    name: {id}\n    vendor: V\n    description: D.\n    \
             kind: text-to-video\n    max_duration: null\n    capabilities: []\n    params:\n"
        );
        if params.is_empty() {
            text.push_str("      {}\n");
        }
        for line in params {
            text.push_str(&format!("      {line}\n"));
        }
        text
    }

    /// The spec read from `text` (which must have the right shape).
    pub(super) fn read(text: &str) -> crate::spec::Spec {
        let tree = crate::yaml::parse(text, 1 << 20).expect("test YAML parses");
        let mut sink = super::Sink::default();
        let spec = crate::spec::read(&tree, &mut sink);
        assert!(
            sink.is_empty(),
            "test spec has shape errors: {:?}",
            sink.finish("t")
        );
        spec
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{DirectiveSetId, FieldType, ValueSetId};

    #[test]
    fn fields_name_their_sets_by_typed_ids_the_ir_resolves() {
        let text = format!(
            "version: 1\n\
             value_sets:\n  \
               first: {{description: F., values: [a, b]}}\n  \
               second: {{description: S., variant_prefix: Num, values: [1, 2]}}\n\
             directive_sets:\n  \
               camera: {{description: C., values: [Pan Left]}}\n\
             models:\n{}",
            test_spec::model(
                "m",
                &[
                    "count: {type: enum, values: second, description: N.}",
                    "letter: {type: enum, values: first, description: L.}",
                    "prompt: {type: string, directives: camera, description: P.}",
                ]
            )
        );
        let ir = crate::load(&text, "t.yaml").unwrap_or_else(|e| panic!("{:?}", e.errors));
        let fields = &ir.models[0].fields;
        let FieldType::Enum(count) = fields[0].ty else {
            panic!("count is an enum: {:?}", fields[0].ty);
        };
        let FieldType::Enum(letter) = fields[1].ty else {
            panic!("letter is an enum: {:?}", fields[1].ty);
        };
        assert_eq!(ir.value_set(count).map(|s| s.id.as_str()), Some("second"));
        assert_eq!(ir.value_set(letter).map(|s| s.id.as_str()), Some("first"));
        let FieldType::String(rules) = &fields[2].ty else {
            panic!("prompt is a string: {:?}", fields[2].ty);
        };
        let camera = rules.directives.expect("prompt has directives");
        assert_eq!(
            ir.directive_set(camera).map(|s| s.id.as_str()),
            Some("camera")
        );
        // An id this IR did not hand out resolves to nothing, not to a panic.
        assert_eq!(ir.value_set(ValueSetId::new(2)), None);
        assert_eq!(ir.directive_set(DirectiveSetId::new(1)), None);
    }

    #[test]
    fn an_unknown_directive_set_gets_a_hint_at_its_place() {
        let text = format!(
            "version: 1\n\
             directive_sets:\n  \
               camera: {{description: C., values: [Pan Left]}}\n\
             models:\n{}",
            test_spec::model(
                "m",
                &["prompt: {type: string, directives: camra, description: P.}"]
            )
        );
        let errors = crate::load(&text, "t.yaml").expect_err("camra is unknown");
        let [error] = errors.errors.as_slice() else {
            panic!("one error: {errors}");
        };
        assert_eq!(
            error.message,
            "unknown directive set `camra`; did you mean `camera`?"
        );
        assert_eq!((error.loc.line, error.loc.column), (13, 42));
        assert_eq!(error.field.as_deref(), Some("prompt"));
    }
}
