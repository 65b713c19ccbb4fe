//! What a spec change does to the users of `orux-models` and the schema:
//! two [`Ir`]s compared, every change classified, and the semver bump.
//!
//! The classes follow oasdiff's rules for request bodies. A change is
//! **breaking** when a body or a Rust program that worked before may stop
//! working (a model, field, allowed value or directive removed; a field made
//! required or added as required; a type changed; a length limit tightened;
//! a default added, removed or changed, since typed accessors return it),
//! **additive** when everything that worked still works and more is accepted
//! (a model, optional field, value set, allowed value or directive added; a
//! field made optional; a limit loosened), and **docs** when only what people
//! read changes (names, vendors, descriptions, examples, summaries, and the
//! catalog metadata that no validation reads: kind, max duration,
//! capabilities). The generated types are `#[non_exhaustive]`, so an added
//! model or value really is minor.
//!
//! Pure: [`diff`] reads two IRs and returns data; the xtask prints it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use orux_runtime::display::escape;

use crate::ir::{
    DirectiveSet, DirectiveSetId, Field, FieldType, Ir, Literal, Model, StringRules, ValueSet,
};

/// How a change affects users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Only documentation text or catalog metadata changed.
    Docs,
    /// More is accepted; nothing that worked stops working.
    Additive,
    /// Something that worked may stop working.
    Breaking,
}

impl Class {
    /// The class as written in the JSON output: `breaking`, `additive`, `docs`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Class::Docs => "docs",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

/// The semver bump of `orux-models` a set of changes needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Docs only.
    Patch,
    /// At least one additive change, nothing breaking.
    Minor,
    /// At least one breaking change.
    Major,
}

impl Bump {
    /// The bump as written in the JSON output: `major`, `minor`, `patch`, `none`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// One classified change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// How it affects users.
    pub class: Class,
    /// The model's wire id, when the change is about one model.
    pub model: Option<String>,
    /// The field's wire name (or the value or directive set's id for a change
    /// to a set itself), when the change is about one.
    pub field: Option<String>,
    /// What changed, in words.
    pub message: String,
}

/// Every change between two specs, in a stable order: value sets, directive
/// sets, then models (removed ones in the old spec's order, then the new
/// spec's models in its order, each with its fields).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecDiff {
    /// The changes.
    pub changes: Vec<Change>,
}

impl SpecDiff {
    /// The bump the changes need: the highest class, or none.
    pub fn bump(&self) -> Bump {
        match self.changes.iter().map(|c| c.class).max() {
            None => Bump::None,
            Some(Class::Docs) => Bump::Patch,
            Some(Class::Additive) => Bump::Minor,
            Some(Class::Breaking) => Bump::Major,
        }
    }

    /// Whether any change is of class `threshold` or above (`--fail-on`).
    pub fn reaches(&self, threshold: Class) -> bool {
        self.changes.iter().any(|c| c.class >= threshold)
    }

    /// `{"bump": …, "changes": [{"class", "model", "field", "message"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "class": c.class.as_str(),
                    "model": c.model,
                    "field": c.field,
                    "message": c.message,
                })
            })
            .collect();
        serde_json::json!({ "bump": self.bump().as_str(), "changes": changes })
    }
}

/// One line per change (`breaking  sora2.duration: …`), then the bump with
/// the counts. Spec text is escaped: a spec cannot send terminal control.
impl fmt::Display for SpecDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for change in &self.changes {
            let place = match (&change.model, &change.field) {
                (Some(model), Some(field)) => format!("{model}.{field}: "),
                (Some(model), None) => format!("{model}: "),
                (None, Some(set)) => format!("{set}: "),
                (None, None) => String::new(),
            };
            writeln!(
                f,
                "{:<9} {}{}",
                change.class.as_str(),
                escape(&place),
                escape(&change.message)
            )?;
        }
        let count = |class| self.changes.iter().filter(|c| c.class == class).count();
        write!(
            f,
            "bump: {} ({} breaking, {} additive, {} docs)",
            self.bump().as_str(),
            count(Class::Breaking),
            count(Class::Additive),
            count(Class::Docs)
        )
    }
}

/// Every change from `old` to `new`, classified.
pub fn diff(old: &Ir, new: &Ir) -> SpecDiff {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
    };
    d.value_sets();
    d.directive_sets();
    d.models();
    SpecDiff { changes: d.changes }
}

struct Differ<'a> {
    old: &'a Ir,
    new: &'a Ir,
    changes: Vec<Change>,
}

/// Items matched by key across the two specs: those only in `old`, and the
/// pairs (or `None` for an addition) in `new`'s order. Hashed, so a catalog
/// of thousands of fields costs linear time.
fn matched<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> &str,
) -> (Vec<&'a T>, Vec<(Option<&'a T>, &'a T)>) {
    let old_keys: HashMap<&str, &T> = old.iter().map(|o| (key(o), o)).collect();
    let new_keys: HashSet<&str> = new.iter().map(&key).collect();
    let removed = old.iter().filter(|o| !new_keys.contains(key(o))).collect();
    let kept = new
        .iter()
        .map(|n| (old_keys.get(key(n)).copied(), n))
        .collect();
    (removed, kept)
}

impl Differ<'_> {
    fn push(&mut self, class: Class, model: Option<&str>, field: Option<&str>, message: String) {
        self.changes.push(Change {
            class,
            model: model.map(str::to_owned),
            field: field.map(str::to_owned),
            message,
        });
    }

    /// The sets as Rust enums: adding one adds a type, removing or renaming
    /// one (or a variant) removes a name programs may use. Value changes are
    /// reported per field, where the user meets them.
    fn value_sets(&mut self) {
        let (removed, kept) = matched(&self.old.value_sets, &self.new.value_sets, |s| {
            s.id.as_str()
        });
        for set in removed {
            let message = format!("value set removed (the type `{}`)", set.rust_name);
            self.push(Class::Breaking, None, Some(&set.id), message);
        }
        for (old, new) in kept {
            let Some(old) = old else {
                let message = format!("value set added (the type `{}`)", new.rust_name);
                self.push(Class::Additive, None, Some(&new.id), message);
                continue;
            };
            if old.rust_name != new.rust_name {
                let message = format!(
                    "type renamed from `{}` to `{}`",
                    old.rust_name, new.rust_name
                );
                self.push(Class::Breaking, None, Some(&new.id), message);
            }
            for variant in &old.variants {
                let renamed = new
                    .variants
                    .iter()
                    .find(|v| v.wire == variant.wire && v.rust_name != variant.rust_name);
                if let Some(renamed) = renamed {
                    let message = format!(
                        "variant `{}::{}` renamed to `{}`",
                        old.rust_name, variant.rust_name, renamed.rust_name
                    );
                    self.push(Class::Breaking, None, Some(&new.id), message);
                }
            }
            if old.description != new.description {
                let message = "description changed".to_owned();
                self.push(Class::Docs, None, Some(&new.id), message);
            }
        }
    }

    fn directive_sets(&mut self) {
        let (removed, kept) = matched(&self.old.directive_sets, &self.new.directive_sets, |s| {
            s.id.as_str()
        });
        for set in removed {
            let message = format!("directive set removed (`{}`)", set.rust_const);
            self.push(Class::Breaking, None, Some(&set.id), message);
        }
        for (old, new) in kept {
            let Some(old) = old else {
                let message = format!("directive set added (`{}`)", new.rust_const);
                self.push(Class::Additive, None, Some(&new.id), message);
                continue;
            };
            self.directives(old, new);
        }
    }

    /// A directive removed makes prompts that used it warn; one added makes
    /// more prompts clean.
    fn directives(&mut self, old: &DirectiveSet, new: &DirectiveSet) {
        let id = Some(new.id.as_str());
        if old.rust_const != new.rust_const {
            let message = format!(
                "constant renamed from `{}` to `{}`",
                old.rust_const, new.rust_const
            );
            self.push(Class::Breaking, None, id, message);
        }
        for value in old.values.iter().filter(|v| !new.values.contains(v)) {
            self.push(
                Class::Breaking,
                None,
                id,
                format!("directive {value:?} removed"),
            );
        }
        for value in new.values.iter().filter(|v| !old.values.contains(v)) {
            self.push(
                Class::Additive,
                None,
                id,
                format!("directive {value:?} added"),
            );
        }
        if old.description != new.description {
            self.push(Class::Docs, None, id, "description changed".to_owned());
        }
    }

    fn models(&mut self) {
        let (removed, kept) = matched(&self.old.models, &self.new.models, |m| m.id.as_str());
        for model in removed {
            self.push(
                Class::Breaking,
                Some(&model.id),
                None,
                "model removed".to_owned(),
            );
        }
        for (old, new) in kept {
            match old {
                None => self.push(
                    Class::Additive,
                    Some(&new.id),
                    None,
                    "model added".to_owned(),
                ),
                Some(old) => self.model(old, new),
            }
        }
    }

    fn model(&mut self, old: &Model, new: &Model) {
        let id = Some(new.id.as_str());
        for (what, before, after) in [
            ("name", &old.name, &new.name),
            ("vendor", &old.vendor, &new.vendor),
            ("description", &old.description, &new.description),
        ] {
            if before != after {
                let message = format!("{what} changed from {before:?} to {after:?}");
                self.push(Class::Docs, id, None, message);
            }
        }
        if old.kind != new.kind {
            let message = format!(
                "kind changed from {} to {} (catalog metadata)",
                old.kind.as_str(),
                new.kind.as_str()
            );
            self.push(Class::Docs, id, None, message);
        }
        if old.max_duration != new.max_duration {
            let show = |d: Option<u32>| d.map_or("none".to_owned(), |s| format!("{s} s"));
            let message = format!(
                "max duration changed from {} to {} (catalog metadata)",
                show(old.max_duration),
                show(new.max_duration)
            );
            self.push(Class::Docs, id, None, message);
        }
        if old.capabilities != new.capabilities {
            let show = |c: &[crate::ir::Capability]| {
                let names: Vec<&str> = c.iter().map(|c| c.as_str()).collect();
                format!("[{}]", names.join(", "))
            };
            let message = format!(
                "capabilities changed from {} to {} (catalog metadata)",
                show(&old.capabilities),
                show(&new.capabilities)
            );
            self.push(Class::Docs, id, None, message);
        }
        self.examples(old, new);
        let (removed, kept) = matched(&old.fields, &new.fields, |f| f.wire_name.as_str());
        for field in removed {
            let message = "field removed".to_owned();
            self.push(Class::Breaking, id, Some(&field.wire_name), message);
        }
        for (before, after) in kept {
            match before {
                None if after.required => {
                    let message = "required field added".to_owned();
                    self.push(Class::Breaking, id, Some(&after.wire_name), message);
                }
                None => {
                    let message = format!(
                        "optional field added ({})",
                        self.type_name(self.new, &after.ty)
                    );
                    self.push(Class::Additive, id, Some(&after.wire_name), message);
                }
                Some(before) => self.field(&new.id, before, after),
            }
        }
    }

    fn examples(&mut self, old: &Model, new: &Model) {
        let id = Some(new.id.as_str());
        let (removed, kept) = matched(&old.examples, &new.examples, |e| e.name.as_str());
        for example in removed {
            let message = format!("example {:?} removed", example.name);
            self.push(Class::Docs, id, None, message);
        }
        for (before, after) in kept {
            let message = match before {
                None => format!("example {:?} added", after.name),
                Some(before) if before.summary != after.summary => {
                    format!("example {:?}: summary changed", after.name)
                }
                Some(before) if before.values != after.values => {
                    format!("example {:?}: body changed", after.name)
                }
                Some(_) => continue,
            };
            self.push(Class::Docs, id, None, message);
        }
    }

    fn field(&mut self, model: &str, old: &Field, new: &Field) {
        let (m, f) = (Some(model), Some(new.wire_name.as_str()));
        match (old.required, new.required) {
            (false, true) => self.push(Class::Breaking, m, f, "made required".to_owned()),
            (true, false) => self.push(Class::Additive, m, f, "made optional".to_owned()),
            _ => {}
        }
        self.field_type(model, old, new);
        if old.default != new.default {
            let show = |d: &Option<Literal>| d.as_ref().map_or("none".to_owned(), Literal::to_json);
            let message = format!(
                "default changed from {} to {}",
                show(&old.default),
                show(&new.default)
            );
            self.push(Class::Breaking, m, f, message);
        }
        if old.description != new.description {
            self.push(Class::Docs, m, f, "description changed".to_owned());
        }
        if old.example != new.example {
            let show = |e: &Option<Literal>| e.as_ref().map_or("none".to_owned(), Literal::to_json);
            let message = format!(
                "example changed from {} to {}",
                show(&old.example),
                show(&new.example)
            );
            self.push(Class::Docs, m, f, message);
        }
    }

    /// The spec type name, with the Rust enum for an enum field.
    fn type_name(&self, ir: &Ir, ty: &FieldType) -> String {
        match ty {
            FieldType::Enum(id) => match ir.value_set(*id) {
                Some(set) => format!("enum `{}`", set.rust_name),
                None => "enum".to_owned(),
            },
            other => other.spec_name().to_owned(),
        }
    }

    fn field_type(&mut self, model: &str, old: &Field, new: &Field) {
        let (m, f) = (Some(model), Some(new.wire_name.as_str()));
        match (&old.ty, &new.ty) {
            (FieldType::String(before), FieldType::String(after)) => {
                self.string_rules(model, &new.wire_name, before, after);
            }
            (FieldType::Enum(before), FieldType::Enum(after)) => {
                let before = self.old.value_set(*before);
                let after = self.new.value_set(*after);
                if let (Some(before), Some(after)) = (before, after) {
                    self.enum_values(model, &new.wire_name, before, after);
                }
            }
            (before, after) if before == after => {}
            (before, after) => {
                let message = format!(
                    "type changed from {} to {}",
                    self.type_name(self.old, before),
                    self.type_name(self.new, after)
                );
                self.push(Class::Breaking, m, f, message);
            }
        }
    }

    /// An enum field: its Rust type (the set's enum) and its allowed values.
    fn enum_values(&mut self, model: &str, field: &str, old: &ValueSet, new: &ValueSet) {
        let (m, f) = (Some(model), Some(field));
        if old.rust_name != new.rust_name {
            let message = format!(
                "type changed from enum `{}` to enum `{}`",
                old.rust_name, new.rust_name
            );
            self.push(Class::Breaking, m, f, message);
        }
        let before: BTreeSet<&Literal> = old.variants.iter().map(|v| &v.wire).collect();
        let after: BTreeSet<&Literal> = new.variants.iter().map(|v| &v.wire).collect();
        for value in old
            .variants
            .iter()
            .map(|v| &v.wire)
            .filter(|v| !after.contains(v))
        {
            let message = format!("allowed value {} removed", value.to_json());
            self.push(Class::Breaking, m, f, message);
        }
        for value in new
            .variants
            .iter()
            .map(|v| &v.wire)
            .filter(|v| !before.contains(v))
        {
            let message = format!("allowed value {} added", value.to_json());
            self.push(Class::Additive, m, f, message);
        }
    }

    fn string_rules(&mut self, model: &str, field: &str, old: &StringRules, new: &StringRules) {
        let (m, f) = (Some(model), Some(field));
        let show = |n: Option<u64>| n.map_or("none".to_owned(), |n| n.to_string());
        if old.max_length != new.max_length {
            // No limit is the loosest; a smaller one is tighter.
            let tighter = match (old.max_length, new.max_length) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
                _ => false,
            };
            let message = format!(
                "max_length {} from {} to {}",
                if tighter { "tightened" } else { "loosened" },
                show(old.max_length),
                show(new.max_length)
            );
            let class = if tighter {
                Class::Breaking
            } else {
                Class::Additive
            };
            self.push(class, m, f, message);
        }
        if old.min_length != new.min_length {
            let tighter = new.min_length.unwrap_or(0) > old.min_length.unwrap_or(0);
            let message = format!(
                "min_length {} from {} to {}",
                if tighter { "tightened" } else { "loosened" },
                show(old.min_length),
                show(new.min_length)
            );
            let class = if tighter {
                Class::Breaking
            } else {
                Class::Additive
            };
            self.push(class, m, f, message);
        }
        let set_id = |ir: &Ir, id: Option<DirectiveSetId>| {
            id.and_then(|id| ir.directive_set(id)).map(|s| s.id.clone())
        };
        let (before, after) = (
            set_id(self.old, old.directives),
            set_id(self.new, new.directives),
        );
        if before != after {
            // Directives only ever warn: checking them is more help, dropping
            // the check loses warnings a user may rely on.
            let (class, message) = match (&before, &after) {
                (None, Some(set)) => (Class::Additive, format!("now checks `{set}` directives")),
                (Some(set), None) => (
                    Class::Breaking,
                    format!("no longer checks `{set}` directives"),
                ),
                (Some(a), Some(b)) => (
                    Class::Breaking,
                    format!("checks `{b}` directives instead of `{a}`"),
                ),
                (None, None) => return,
            };
            self.push(class, m, f, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ir() -> Ir {
        crate::spec_ir()
    }

    fn field<'a>(ir: &'a mut Ir, model: &str, name: &str) -> &'a mut Field {
        ir.models
            .iter_mut()
            .find(|m| m.id == model)
            .and_then(|m| m.fields.iter_mut().find(|f| f.wire_name == name))
            .expect("the field exists")
    }

    #[test]
    fn the_same_spec_needs_no_bump() {
        let d = diff(&ir(), &ir());
        assert_eq!(d.changes, []);
        assert_eq!(d.bump(), Bump::None);
        assert!(!d.reaches(Class::Docs));
    }

    #[test]
    fn the_highest_class_decides_the_bump() {
        let old = ir();
        let mut new = ir();
        field(&mut new, "sora2", "prompt").description = "Other words.".to_owned();
        assert_eq!(diff(&old, &new).bump(), Bump::Patch);
        field(&mut new, "sora2", "prompt").required = false;
        assert_eq!(diff(&old, &new).bump(), Bump::Minor);
        new.models.retain(|m| m.id != "topaz-upscale");
        let d = diff(&old, &new);
        assert_eq!(d.bump(), Bump::Major);
        assert!(d.reaches(Class::Additive) && d.reaches(Class::Breaking));
    }

    #[test]
    fn a_limit_removed_is_loosened_and_one_added_is_tightened() {
        let old = ir();
        let mut new = ir();
        let FieldType::String(rules) = &mut field(&mut new, "sora2", "prompt").ty else {
            panic!("prompt is a string");
        };
        rules.max_length = None;
        let d = diff(&old, &new);
        assert_eq!(d.changes[0].class, Class::Additive, "{d}");
        let d = diff(&new, &old);
        assert_eq!(d.changes[0].class, Class::Breaking, "{d}");
        assert_eq!(
            d.changes[0].message,
            "max_length tightened from none to 10000"
        );
    }

    #[test]
    fn the_json_shape_is_the_documented_one() {
        let old = ir();
        let mut new = ir();
        new.models.retain(|m| m.id != "sora2");
        let json = diff(&old, &new).to_json();
        assert_eq!(
            json,
            serde_json::json!({
                "bump": "major",
                "changes": [{"class": "breaking", "model": "sora2", "field": null, "message": "model removed"}]
            })
        );
    }

    #[test]
    fn human_output_escapes_spec_text() {
        let old = ir();
        let mut new = ir();
        new.models.retain(|m| m.id != "sora2");
        new.models[0].id = "x\u{1b}[2J".to_owned();
        let text = diff(&old, &new).to_string();
        assert!(text.contains("x\\u001b[2J: model added"), "{text}");
        assert!(!text.contains('\u{1b}'));
    }
}
