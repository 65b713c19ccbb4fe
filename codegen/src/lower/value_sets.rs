//! Value sets and directive sets: their members, Rust names and twins.

use super::*;

impl Lowerer<'_> {
    pub(super) fn value_set(&mut self, named: &Named<crate::spec::ValueSetDef>) {
        let errors_before = self.sink.len();
        self.value_set_inner(named);
        if self.sink.len() > errors_before {
            self.broken_sets.push(named.name.value.clone());
        }
    }

    pub(super) fn value_set_inner(&mut self, named: &Named<crate::spec::ValueSetDef>) {
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

    pub(super) fn directive_set(&mut self, named: &Named<crate::spec::DirectiveSetDef>) {
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
}
