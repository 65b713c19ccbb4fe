//! Names across the crate (unique type and module names) and unused items.

use std::collections::BTreeMap;

use super::Lowerer;
use crate::diagnostic::Subject;
use crate::emit;
use crate::ir::Model;
use crate::spec::Spec;
use crate::yaml::Loc;

impl Lowerer<'_> {
    /// Reports every value set, directive set and shared parameter nothing uses.
    pub(super) fn unused(&mut self, spec: &Spec) {
        for (set, loc) in self.value_sets.unused() {
            self.sink.error(
                loc,
                Subject::item(&set.id),
                "value set is not used by any field",
            );
        }
        for (set, loc) in self.directives.unused() {
            self.sink.error(
                loc,
                Subject::item(&set.id),
                "directive set is not used by any field",
            );
        }
        for param in self
            .shared
            .unused()
            .filter_map(|p| spec.shared_params.get(p))
        {
            self.sink.error(
                param.name.loc,
                Subject::item(&param.name.value),
                "shared parameter is not used by any model",
            );
        }
    }

    /// Generated type and module names must be unique across the crate.
    pub(super) fn names(&mut self, spec: &Spec, models: &[Model]) {
        // The runtime's items are re-exported beside the generated ones, and
        // the emitters write `TaskRequest` and `Model` whatever the spec says.
        let mut taken: BTreeMap<String, String> = orux_runtime::__private::REEXPORTED_NAMES
            .iter()
            .chain(&emit::FIXED_TYPE_NAMES)
            .map(|name| {
                (
                    name.to_string(),
                    "a type the crate defines by hand".to_owned(),
                )
            })
            .collect();
        for (set, loc) in self.value_sets.iter() {
            if let Some(owner) = taken.get(&set.rust_name) {
                self.sink.error(
                    loc,
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
