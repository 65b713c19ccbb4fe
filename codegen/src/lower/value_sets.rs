//! Value sets: their members, Rust names and twins, and the table fields
//! resolve `values:` against.

use std::collections::{BTreeMap, BTreeSet};

use super::{Budget, description, unknown};
use crate::diagnostic::{Sink, Subject};
use crate::ir::{Literal, SetKind, ValueSet, ValueSetId, Variant};
use crate::naming;
use crate::spec::{Named, Scalar, ValueSetDef};
use crate::yaml::{Loc, Located};

/// Most allowed values quoted in one message; the rest are counted.
const LISTED_VALUES: usize = 20;

/// One lowered value set.
struct Entry {
    set: ValueSet,
    /// Where its id is written.
    loc: Loc,
    /// Its members, sorted, so that membership costs log n rather than n.
    members: Vec<Literal>,
    /// Whether some field uses it.
    used: bool,
}

/// The value sets of a spec, as lowering finds them.
#[derive(Default)]
pub(super) struct ValueSetTable {
    /// In spec order; a [`ValueSetId`] is a place here.
    entries: Vec<Entry>,
    by_name: BTreeMap<String, ValueSetId>,
    /// The set holding exactly these sorted members, to find twins in log n.
    by_members: BTreeMap<Vec<Literal>, ValueSetId>,
    /// Sets whose own definition had errors: a use of one is not "unknown".
    broken: BTreeSet<String>,
}

impl ValueSetTable {
    /// Checks one `value_sets:` entry and adds it when it is right.
    pub(super) fn define(&mut self, named: &Named<ValueSetDef>, sink: &mut Sink) {
        let errors_before = sink.len();
        self.define_checked(named, sink);
        if sink.len() > errors_before {
            self.broken.insert(named.name.value.clone());
        }
    }

    fn define_checked(&mut self, named: &Named<ValueSetDef>, sink: &mut Sink) {
        let id = &named.name.value;
        let subject = Subject::item(id);
        let def = &named.def;
        let Some(rust_name) = naming::type_name(id) else {
            sink.error(
                named.name.loc,
                subject,
                "value set id must start with a letter and give a Rust type name",
            );
            return;
        };
        let description = description(sink, def.description.as_ref(), def.loc, subject);
        if def.values.is_empty() {
            sink.error(def.loc, subject, "a value set needs at least one value");
            return;
        }
        let Some((kind, variants, members)) = variants(def, subject, sink) else {
            return;
        };
        if let Some(twin) = self.by_members.get(&members).and_then(|&t| self.get(t)) {
            sink.error(
                named.name.loc,
                subject,
                format!(
                    "has the same values as value set `{}`; identical sets share one type, use `{}`",
                    twin.id, twin.id
                ),
            );
            return;
        }
        let set_id = ValueSetId::new(self.entries.len());
        self.by_name.insert(id.clone(), set_id);
        self.by_members.insert(members.clone(), set_id);
        self.entries.push(Entry {
            set: ValueSet {
                id: id.clone(),
                rust_name,
                description,
                kind,
                variants,
            },
            loc: named.name.loc,
            members,
            used: false,
        });
    }

    /// The set a field's `values:` names, now counted as used. An unknown
    /// name is reported with a hint; a set whose own definition had errors
    /// is `None` without another message.
    pub(super) fn resolve(
        &mut self,
        name: &Located<String>,
        subject: Subject<'_>,
        sink: &mut Sink,
        budget: &mut Budget,
    ) -> Option<ValueSetId> {
        if let Some(&id) = self.by_name.get(&name.value)
            && let Some(entry) = self.entries.get_mut(id.index())
        {
            entry.used = true;
            return Some(id);
        }
        if !self.broken.contains(&name.value) {
            let names: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
            unknown(sink, budget, name, subject, "value set", &names);
        }
        None
    }

    /// The set `id` names.
    pub(super) fn get(&self, id: ValueSetId) -> Option<&ValueSet> {
        self.entries.get(id.index()).map(|e| &e.set)
    }

    /// How many values the set `id` allows (0 for an id it did not hand out).
    pub(super) fn len_of(&self, id: ValueSetId) -> usize {
        self.get(id).map_or(0, |set| set.variants.len())
    }

    /// Why `literal` (a default or example, `what`) is not a member of the
    /// set `id`; `None` when it is.
    pub(super) fn not_a_member(
        &self,
        id: ValueSetId,
        literal: &Literal,
        what: &str,
    ) -> Option<String> {
        let Some(entry) = self.entries.get(id.index()) else {
            return Some(format!("{what} {} names no value set", literal.to_json()));
        };
        if entry.members.binary_search(literal).is_ok() {
            return None;
        }
        let set = &entry.set;
        let mut listed: Vec<String> = set
            .variants
            .iter()
            .take(LISTED_VALUES)
            .map(|v| v.wire.to_json())
            .collect();
        if set.variants.len() > LISTED_VALUES {
            listed.push(format!("… {} in all", set.variants.len()));
        }
        Some(format!(
            "{what} {} is not one of the allowed values ({}) of value set `{}`",
            literal.to_json(),
            listed.join(", "),
            set.id
        ))
    }

    /// Every set with where its id is written, in spec order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&ValueSet, Loc)> {
        self.entries.iter().map(|e| (&e.set, e.loc))
    }

    /// The sets no field uses, with where their ids are written.
    pub(super) fn unused(&self) -> impl Iterator<Item = (&ValueSet, Loc)> {
        self.entries
            .iter()
            .filter(|e| !e.used)
            .map(|e| (&e.set, e.loc))
    }

    /// The sets, in spec order (a [`ValueSetId`] is a place in it).
    pub(super) fn into_sets(self) -> Vec<ValueSet> {
        self.entries.into_iter().map(|e| e.set).collect()
    }
}

/// The set's kind, variants in spec order and sorted members; `None` after
/// reporting any bad value.
fn variants(
    def: &ValueSetDef,
    subject: Subject<'_>,
    sink: &mut Sink,
) -> Option<(SetKind, Vec<Variant>, Vec<Literal>)> {
    let prefix = def.variant_prefix.as_ref().map(|p| p.value.as_str());
    let mut kind = None;
    let mut variants: Vec<Variant> = Vec::new();
    // What is taken so far, so that a set of n values costs n·log n.
    let mut wires: BTreeSet<Literal> = BTreeSet::new();
    let mut rust_names: BTreeMap<String, Literal> = BTreeMap::new();
    let mut ok = true;
    for value in &def.values {
        let (literal, this_kind) = match &value.value {
            Scalar::String(s) => (Literal::String(s.clone()), SetKind::String),
            Scalar::Integer(i) => (Literal::Integer(*i), SetKind::Integer),
            other => {
                sink.error(
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
                sink.error(
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
            sink.error(
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
            sink.error(
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
            sink.error(
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
        return None;
    };
    Some((kind, variants, wires.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::SpecLimits;

    /// The table of `value_sets:` lines, with the errors defining them drew.
    fn table(sets: &[&str]) -> (ValueSetTable, Sink) {
        let mut text = "version: 1\nmodels: {}\nvalue_sets:\n".to_owned();
        for set in sets {
            text.push_str(&format!("  {set}\n"));
        }
        let spec = super::super::test_spec::read(&text);
        let mut table = ValueSetTable::default();
        let mut sink = Sink::default();
        for set in &spec.value_sets {
            table.define(set, &mut sink);
        }
        (table, sink)
    }

    fn errors(sink: Sink) -> Vec<crate::SpecError> {
        sink.finish("t.yaml").err().map_or(Vec::new(), |e| e.errors)
    }

    fn name(text: &str) -> Located<String> {
        Located {
            value: text.to_owned(),
            loc: Loc { line: 9, column: 4 },
        }
    }

    #[test]
    fn a_twin_set_is_refused_and_its_uses_draw_no_second_error() {
        let (table, sink) = table(&[
            "ratio: {description: R., variant_prefix: R, values: [\"16:9\", \"1:1\"]}",
            "shape: {description: S., variant_prefix: R, values: [\"1:1\", \"16:9\"]}",
        ]);
        let [error] = errors(sink).try_into().expect("one error");
        assert_eq!(
            error.message,
            "has the same values as value set `ratio`; identical sets share one type, use `ratio`"
        );
        assert_eq!((error.loc.line, error.loc.column), (5, 3));
        assert_eq!(error.field.as_deref(), Some("shape"));
        let sets: Vec<String> = table.into_sets().into_iter().map(|s| s.id).collect();
        assert_eq!(sets, ["ratio"]);
    }

    #[test]
    fn a_use_of_a_broken_set_is_not_unknown() {
        let (mut table, _) = table(&[
            "ratio: {description: R., variant_prefix: R, values: [\"16:9\"]}",
            "shape: {description: S., variant_prefix: R, values: [\"16:9\", \"16:9\"]}",
        ]);
        let mut sink = Sink::default();
        let mut budget = Budget::new(&SpecLimits::default());
        assert_eq!(
            table.resolve(&name("shape"), Subject::TOP, &mut sink, &mut budget),
            None
        );
        assert!(sink.is_empty(), "{:?}", sink.finish("t"));
    }

    #[test]
    fn an_unknown_set_is_reported_with_the_name_it_most_likely_means() {
        let (mut table, _) = table(&[
            "aspect_ratio: {description: A., variant_prefix: R, values: [\"16:9\"]}",
            "duration: {description: D., variant_prefix: S, values: [5]}",
        ]);
        let mut sink = Sink::default();
        let mut budget = Budget::new(&SpecLimits::default());
        let subject = Subject::model("m").field("ratio");
        assert_eq!(
            table.resolve(&name("aspect_ration"), subject, &mut sink, &mut budget),
            None
        );
        assert_eq!(
            table.resolve(&name("zzz"), subject, &mut sink, &mut budget),
            None
        );
        let [near, far] = errors(sink).try_into().expect("two errors");
        assert_eq!(
            near.message,
            "unknown value set `aspect_ration`; did you mean `aspect_ratio`?"
        );
        assert_eq!((near.loc.line, near.loc.column), (9, 4));
        assert_eq!(near.model.as_deref(), Some("m"));
        assert_eq!(far.message, "unknown value set `zzz`");
    }

    #[test]
    fn resolving_marks_a_set_used_and_its_id_finds_it() {
        let (mut table, sink) = table(&[
            "ratio: {description: R., variant_prefix: R, values: [\"16:9\"]}",
            "duration: {description: D., variant_prefix: S, values: [10, 5]}",
        ]);
        assert!(sink.is_empty());
        let mut sink = Sink::default();
        let mut budget = Budget::new(&SpecLimits::default());
        let id = table
            .resolve(&name("duration"), Subject::TOP, &mut sink, &mut budget)
            .expect("duration is defined");
        assert_eq!(table.get(id).map(|s| s.id.as_str()), Some("duration"));
        assert_eq!(table.len_of(id), 2);
        let unused: Vec<&str> = table.unused().map(|(s, _)| s.id.as_str()).collect();
        assert_eq!(unused, ["ratio"]);
        assert_eq!(
            table.not_a_member(id, &Literal::Integer(5), "default"),
            None
        );
        assert_eq!(
            table.not_a_member(id, &Literal::String("5".to_owned()), "default"),
            Some(
                "default \"5\" is not one of the allowed values (10, 5) of value set `duration`"
                    .to_owned()
            )
        );
    }

    #[test]
    fn a_long_set_is_quoted_in_part_and_counted() {
        let values: Vec<String> = (1..=25).map(|i| i.to_string()).collect();
        let set = format!(
            "many: {{description: M., variant_prefix: V, values: [{}]}}",
            values.join(", ")
        );
        let (mut table, _) = table(&[&set]);
        let id = table
            .resolve(
                &name("many"),
                Subject::TOP,
                &mut Sink::default(),
                &mut Budget::new(&SpecLimits::default()),
            )
            .expect("many is defined");
        let message = table
            .not_a_member(id, &Literal::Integer(99), "example")
            .expect("99 is not a member");
        assert!(message.contains("(1, 2, "), "{message}");
        assert!(message.contains(", 20, … 25 in all)"), "{message}");
        assert!(!message.contains("21"), "{message}");
    }
}
