//! Directive sets: their directives and Rust constants, and the table
//! string fields resolve `directives:` against.

use std::collections::{BTreeMap, BTreeSet};

use super::{Budget, description, unknown};
use crate::diagnostic::{Sink, Subject};
use crate::ir::{DirectiveSet, DirectiveSetId};
use crate::naming;
use crate::spec::{DirectiveSetDef, Named};
use crate::yaml::{Loc, Located};

/// One lowered directive set.
struct Entry {
    set: DirectiveSet,
    /// Where its id is written.
    loc: Loc,
    /// Whether some field uses it.
    used: bool,
}

/// The directive sets of a spec, as lowering finds them.
#[derive(Default)]
pub(super) struct DirectiveTable {
    /// In spec order; a [`DirectiveSetId`] is a place here.
    entries: Vec<Entry>,
    by_name: BTreeMap<String, DirectiveSetId>,
}

impl DirectiveTable {
    /// Checks one `directive_sets:` entry and adds it unless its id or its
    /// emptiness makes it unusable (bad directives are left out of it).
    pub(super) fn define(&mut self, named: &Named<DirectiveSetDef>, sink: &mut Sink) {
        let id = &named.name.value;
        let subject = Subject::item(id);
        let def = &named.def;
        let description = description(sink, def.description.as_ref(), def.loc, subject);
        let Some(rust_const) = naming::const_name(id).map(|c| format!("{c}_DIRECTIVES")) else {
            sink.error(
                named.name.loc,
                subject,
                "directive set id must start with a letter",
            );
            return;
        };
        if def.values.is_empty() {
            sink.error(
                def.loc,
                subject,
                "a directive set needs at least one directive",
            );
            return;
        }
        let mut values: Vec<String> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for value in &def.values {
            let text = value.value.as_str();
            if text.trim().is_empty() || text.trim() != text || text.contains([',', '[', ']']) {
                sink.error(
                    value.loc,
                    subject,
                    format!(
                        "directive {text:?} must be non-empty text without surrounding spaces, commas or brackets"
                    ),
                );
            } else if !seen.insert(text) {
                sink.error(value.loc, subject, format!("duplicate directive {text:?}"));
            } else {
                values.push(text.to_owned());
            }
        }
        let set_id = DirectiveSetId::new(self.entries.len());
        self.by_name.insert(id.clone(), set_id);
        self.entries.push(Entry {
            set: DirectiveSet {
                id: id.clone(),
                rust_const,
                description,
                values,
            },
            loc: named.name.loc,
            used: false,
        });
    }

    /// The set a field's `directives:` names, now counted as used; an
    /// unknown name is reported with a hint.
    pub(super) fn resolve(
        &mut self,
        name: &Located<String>,
        subject: Subject<'_>,
        sink: &mut Sink,
        budget: &mut Budget,
    ) -> Option<DirectiveSetId> {
        if let Some(&id) = self.by_name.get(&name.value)
            && let Some(entry) = self.entries.get_mut(id.index())
        {
            entry.used = true;
            return Some(id);
        }
        let names: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
        unknown(sink, budget, name, subject, "directive set", &names);
        None
    }

    /// The sets no field uses, with where their ids are written.
    pub(super) fn unused(&self) -> impl Iterator<Item = (&DirectiveSet, Loc)> {
        self.entries
            .iter()
            .filter(|e| !e.used)
            .map(|e| (&e.set, e.loc))
    }

    /// The sets, in spec order (a [`DirectiveSetId`] is a place in it).
    pub(super) fn into_sets(self) -> Vec<DirectiveSet> {
        self.entries.into_iter().map(|e| e.set).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::SpecLimits;

    fn name(text: &str) -> Located<String> {
        Located {
            value: text.to_owned(),
            loc: Loc { line: 3, column: 9 },
        }
    }

    #[test]
    fn bad_and_repeated_directives_are_reported_and_the_rest_kept() {
        let spec = super::super::test_spec::read(
            "version: 1\nmodels: {}\ndirective_sets:\n  \
             camera: {description: C., values: [Pan Left, \" Zoom\", Pan Left, \"a,b\", Static]}\n",
        );
        let mut table = DirectiveTable::default();
        let mut sink = Sink::default();
        table.define(&spec.directive_sets[0], &mut sink);
        let errors = sink
            .finish("t.yaml")
            .expect_err("three bad directives")
            .errors;
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "directive \" Zoom\" must be non-empty text without surrounding spaces, commas or brackets",
                "duplicate directive \"Pan Left\"",
                "directive \"a,b\" must be non-empty text without surrounding spaces, commas or brackets",
            ]
        );
        let mut sink = Sink::default();
        let mut budget = Budget::new(&SpecLimits::default());
        let id = table
            .resolve(&name("camera"), Subject::TOP, &mut sink, &mut budget)
            .expect("the set is kept");
        assert!(sink.is_empty());
        assert_eq!(table.unused().count(), 0);
        let sets = table.into_sets();
        assert_eq!(sets[id.index()].values, ["Pan Left", "Static"]);
    }

    #[test]
    fn a_set_is_unused_until_a_field_resolves_it() {
        let spec = super::super::test_spec::read(
            "version: 1\nmodels: {}\ndirective_sets:\n  \
             camera: {description: C., values: [Static]}\n  \
             light: {description: L., values: [Dim]}\n",
        );
        let mut table = DirectiveTable::default();
        let mut sink = Sink::default();
        for set in &spec.directive_sets {
            table.define(set, &mut sink);
        }
        let mut budget = Budget::new(&SpecLimits::default());
        table.resolve(&name("light"), Subject::TOP, &mut sink, &mut budget);
        assert!(sink.is_empty());
        let unused: Vec<(&str, u64)> = table
            .unused()
            .map(|(set, loc)| (set.id.as_str(), loc.line))
            .collect();
        assert_eq!(unused, [("camera", 4)]);
    }
}
