//! The spec as written: the located YAML tree read into plain structs.
//!
//! This stage checks *shape* only (every key known, every value of the right YAML
//! kind, no key written twice) and reports all such problems at once. Literals
//! (allowed values, defaults, examples, example bodies) leave it typed, as
//! [`Scalar`]s, so no later stage reads YAML nodes. Meaning
//! (references, allowed values, names) is checked when lowering, in
//! [`crate::lower`].

use std::collections::BTreeMap;

use crate::diagnostic::{Sink, Subject};
use crate::yaml::{Loc, Located, Node};

/// A named entry of one of the spec's maps (a model, a value set, a parameter).
#[derive(Clone, Debug)]
pub struct Named<T> {
    /// The key it is written under.
    pub name: Located<String>,
    /// What is written there.
    pub def: T,
}

/// The whole file.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// `version:`; only 1 exists.
    pub version: Option<Located<i64>>,
    /// `value_sets:`.
    pub value_sets: Vec<Named<ValueSetDef>>,
    /// `directive_sets:`.
    pub directive_sets: Vec<Named<DirectiveSetDef>>,
    /// `shared_params:`.
    pub shared_params: Vec<Named<ParamDef>>,
    /// `models:`.
    pub models: Vec<Named<ModelDef>>,
}

/// A closed value set.
#[derive(Clone, Debug)]
pub struct ValueSetDef {
    /// Where the set's mapping starts.
    pub loc: Loc,
    /// Rustdoc of the enum.
    pub description: Option<Located<String>>,
    /// Prepended to each Rust variant name.
    pub variant_prefix: Option<Located<String>>,
    /// The values, as written.
    pub values: Vec<Located<Scalar>>,
}

/// A literal written in the spec (an allowed value, a default, an example
/// value), typed when the spec is read so that lowering never matches on YAML.
///
/// Which scalars a place accepts is a question of meaning (a value set takes
/// strings and integers, a default anything its field's type allows), so a
/// node that is no scalar at all is kept as [`Scalar::NotScalar`] and reported
/// by lowering, at its [`Located::loc`], in the words of that place.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A string (plain or quoted).
    String(String),
    /// An integer.
    Integer(i64),
    /// `true` / `false`.
    Bool(bool),
    /// Something other than a string, integer or boolean.
    NotScalar {
        /// What was written instead, for messages ("a mapping", "null", "a number").
        found: &'static str,
    },
}

impl Scalar {
    /// Types one YAML node.
    fn from_node(node: &Located<Node>) -> Located<Scalar> {
        let value = match &node.value {
            Node::Str(s) => Scalar::String(s.clone()),
            Node::Int(i) => Scalar::Integer(*i),
            Node::Bool(b) => Scalar::Bool(*b),
            other => Scalar::NotScalar {
                found: other.kind(),
            },
        };
        Located {
            value,
            loc: node.loc,
        }
    }

    /// What kind of value this is, in the words of YAML messages ("a string",
    /// "a boolean", "a mapping").
    pub fn kind(&self) -> &'static str {
        match self {
            Scalar::String(_) => "a string",
            Scalar::Integer(_) => "an integer",
            Scalar::Bool(_) => "a boolean",
            Scalar::NotScalar { found } => found,
        }
    }
}

/// A set of inline prompt directives.
#[derive(Clone, Debug)]
pub struct DirectiveSetDef {
    /// Where the set's mapping starts.
    pub loc: Loc,
    /// What the directives are.
    pub description: Option<Located<String>>,
    /// The directives, as written.
    pub values: Vec<Located<String>>,
}

/// One parameter: a full definition, or a `use:` of a shared one with overrides.
#[derive(Clone, Debug, Default)]
pub struct ParamDef {
    /// Where the parameter's mapping starts.
    pub loc: Loc,
    /// `use:` names a shared parameter.
    pub use_: Option<Located<String>>,
    /// `type:`.
    pub ty: Option<Located<String>>,
    /// `required:`.
    pub required: Option<Located<bool>>,
    /// `default:`.
    pub default: Option<Located<Scalar>>,
    /// `description:`.
    pub description: Option<Located<String>>,
    /// `example:`.
    pub example: Option<Located<Scalar>>,
    /// `values:` names a value set (enums).
    pub values: Option<Located<String>>,
    /// `min_length:` (strings).
    pub min_length: Option<Located<i64>>,
    /// `max_length:` (strings).
    pub max_length: Option<Located<i64>>,
    /// `directives:` names a directive set (strings).
    pub directives: Option<Located<String>>,
    /// `every_model:` (shared parameters only).
    pub every_model: Option<Located<bool>>,
}

/// One model.
#[derive(Clone, Debug, Default)]
pub struct ModelDef {
    /// Where the model's mapping starts.
    pub loc: Loc,
    /// `name:`, the display name.
    pub name: Option<Located<String>>,
    /// `vendor:`.
    pub vendor: Option<Located<String>>,
    /// `description:`.
    pub description: Option<Located<String>>,
    /// `kind:`.
    pub kind: Option<Located<String>>,
    /// `max_duration:`; the outer `None` when the key is missing, the inner when null.
    pub max_duration: Option<Located<Option<i64>>>,
    /// `capabilities:`.
    pub capabilities: Option<Vec<Located<String>>>,
    /// `params:`, in file order.
    pub params: Vec<Named<ParamDef>>,
    /// `examples:`, in file order.
    pub examples: Vec<Named<ExampleDef>>,
}

/// One example request of a model.
#[derive(Clone, Debug, Default)]
pub struct ExampleDef {
    /// Where the example's mapping starts.
    pub loc: Loc,
    /// `summary:`, one line.
    pub summary: Option<Located<String>>,
    /// `body:`, the request's fields (without `model`), in file order.
    pub body: Vec<Named<Located<Scalar>>>,
}

/// Keys a full parameter definition may use.
const PARAM_KEYS: &[&str] = &[
    "type",
    "required",
    "default",
    "description",
    "example",
    "values",
    "min_length",
    "max_length",
    "directives",
];
/// Keys a `use:` of a shared parameter may add: what differs per model.
pub const OVERRIDE_KEYS: &[&str] = &["use", "description", "required", "example", "directives"];

/// Reads the tree of a whole spec file. Shape problems go to `sink`; what could
/// be read is returned either way, so that later checks still run.
pub fn read(root: &Located<Node>, sink: &mut Sink) -> Spec {
    let mut spec = Spec::default();
    let Some(mut top) = MapReader::new(root, "the spec file", Subject::TOP, sink) else {
        return spec;
    };
    spec.version = top.int("version", sink);
    if let Some(node) = top.take("value_sets") {
        spec.value_sets = named_map(node, "value set", Subject::TOP, sink, read_value_set);
    }
    if let Some(node) = top.take("directive_sets") {
        spec.directive_sets = named_map(
            node,
            "directive set",
            Subject::TOP,
            sink,
            read_directive_set,
        );
    }
    if let Some(node) = top.take("shared_params") {
        spec.shared_params = named_map(node, "shared parameter", Subject::TOP, sink, |n, s, k| {
            read_param(n, s, k, true)
        });
    }
    match top.take("models") {
        Some(node) => spec.models = named_map(node, "model id", Subject::TOP, sink, read_model),
        None => sink.error(root.loc, Subject::TOP, "missing key `models`"),
    }
    top.finish(
        &[
            "version",
            "value_sets",
            "directive_sets",
            "shared_params",
            "models",
        ],
        sink,
    );
    if spec.version.is_none() {
        sink.error(
            root.loc,
            Subject::TOP,
            "missing key `version` (write `version: 1`)",
        );
    }
    spec
}

fn read_value_set(node: &Located<Node>, subject: Subject<'_>, sink: &mut Sink) -> ValueSetDef {
    let mut def = ValueSetDef {
        loc: node.loc,
        description: None,
        variant_prefix: None,
        values: Vec::new(),
    };
    let Some(mut map) = MapReader::new(node, "a value set", subject, sink) else {
        return def;
    };
    def.description = map.string("description", sink);
    def.variant_prefix = map.string("variant_prefix", sink);
    match map.take("values") {
        Some(values) => {
            def.values = list(values, subject, sink)
                .iter()
                .map(Scalar::from_node)
                .collect();
        }
        None => sink.error(node.loc, subject, "missing key `values`"),
    }
    map.finish(&["description", "variant_prefix", "values"], sink);
    def
}

fn read_directive_set(
    node: &Located<Node>,
    subject: Subject<'_>,
    sink: &mut Sink,
) -> DirectiveSetDef {
    let mut def = DirectiveSetDef {
        loc: node.loc,
        description: None,
        values: Vec::new(),
    };
    let Some(mut map) = MapReader::new(node, "a directive set", subject, sink) else {
        return def;
    };
    def.description = map.string("description", sink);
    match map.take("values") {
        Some(values) => {
            def.values = list(values, subject, sink)
                .iter()
                .filter_map(|v| string(v, subject, sink))
                .collect();
        }
        None => sink.error(node.loc, subject, "missing key `values`"),
    }
    map.finish(&["description", "values"], sink);
    def
}

fn read_model(node: &Located<Node>, subject: Subject<'_>, sink: &mut Sink) -> ModelDef {
    let mut def = ModelDef {
        loc: node.loc,
        ..ModelDef::default()
    };
    let Some(mut map) = MapReader::new(node, "a model", subject, sink) else {
        return def;
    };
    def.name = map.string("name", sink);
    def.vendor = map.string("vendor", sink);
    def.description = map.string("description", sink);
    def.kind = map.string("kind", sink);
    def.max_duration = map.take("max_duration").and_then(|n| match &n.value {
        Node::Null => Some(Located {
            value: None,
            loc: n.loc,
        }),
        _ => keyed(
            "max_duration",
            int(n, subject, &mut Sink::default()),
            n,
            subject,
            sink,
            "an integer or null",
        )
        .map(|i| Located {
            value: Some(i.value),
            loc: i.loc,
        }),
    });
    def.capabilities = map.take("capabilities").map(|n| {
        list(n, subject, sink)
            .iter()
            .filter_map(|v| string(v, subject, sink))
            .collect()
    });
    match map.take("params") {
        Some(params) => {
            def.params = named_map(params, "field name", subject, sink, |n, s, k| {
                read_param(n, s, k, false)
            });
        }
        None => sink.error(node.loc, subject, "missing key `params`"),
    }
    if let Some(examples) = map.take("examples") {
        def.examples = named_map(examples, "example", subject, sink, read_example);
    }
    for (key, value) in [
        ("name", def.name.is_some()),
        ("vendor", def.vendor.is_some()),
        ("description", def.description.is_some()),
        ("kind", def.kind.is_some()),
        ("max_duration", def.max_duration.is_some()),
        ("capabilities", def.capabilities.is_some()),
    ] {
        if !value && !map.had(key) {
            sink.error(node.loc, subject, format!("missing key `{key}`"));
        }
    }
    map.finish(
        &[
            "name",
            "vendor",
            "description",
            "kind",
            "max_duration",
            "capabilities",
            "params",
            "examples",
        ],
        sink,
    );
    def
}

fn read_example(node: &Located<Node>, subject: Subject<'_>, sink: &mut Sink) -> ExampleDef {
    let mut def = ExampleDef {
        loc: node.loc,
        ..ExampleDef::default()
    };
    let Some(mut map) = MapReader::new(node, "an example", subject, sink) else {
        return def;
    };
    def.summary = map.string("summary", sink);
    match map.take("body") {
        Some(body) => {
            def.body = named_map(body, "field name", subject, sink, |n, _, _| {
                Scalar::from_node(n)
            });
        }
        None => sink.error(node.loc, subject, "missing key `body`"),
    }
    if def.summary.is_none() && !map.had("summary") {
        sink.error(node.loc, subject, "missing key `summary`");
    }
    map.finish(&["summary", "body"], sink);
    def
}

fn read_param(
    node: &Located<Node>,
    subject: Subject<'_>,
    sink: &mut Sink,
    shared: bool,
) -> ParamDef {
    let mut def = ParamDef {
        loc: node.loc,
        ..ParamDef::default()
    };
    let Some(mut map) = MapReader::new(node, "a parameter", subject, sink) else {
        return def;
    };
    def.use_ = map.string("use", sink);
    def.ty = map.string("type", sink);
    def.required = map.boolean("required", sink);
    def.default = map.take("default").map(Scalar::from_node);
    def.description = map.string("description", sink);
    def.example = map.take("example").map(Scalar::from_node);
    def.values = map.string("values", sink);
    def.min_length = map.int("min_length", sink);
    def.max_length = map.int("max_length", sink);
    def.directives = map.string("directives", sink);
    def.every_model = map.boolean("every_model", sink);
    let allowed: Vec<&str> = if def.use_.is_some() {
        OVERRIDE_KEYS.to_vec()
    } else if shared {
        PARAM_KEYS.iter().copied().chain(["every_model"]).collect()
    } else {
        PARAM_KEYS.iter().copied().chain(["use"]).collect()
    };
    map.finish(&allowed, sink);
    def
}

/// Reads a mapping of named entries, reporting keys written twice; only the
/// first of a repeated key is kept.
fn named_map<T>(
    node: &Located<Node>,
    noun: &str,
    subject: Subject<'_>,
    sink: &mut Sink,
    read_one: impl Fn(&Located<Node>, Subject<'_>, &mut Sink) -> T,
) -> Vec<Named<T>> {
    let Node::Map(entries) = &node.value else {
        sink.error(
            node.loc,
            subject,
            format!("expected a mapping of {noun}s, found {}", node.value.kind()),
        );
        return Vec::new();
    };
    let mut out: Vec<Named<T>> = Vec::with_capacity(entries.len());
    // First place of each key: a map, so that a hostile spec with many keys
    // costs n·log n, not n².
    let mut first_at: BTreeMap<&str, Loc> = BTreeMap::new();
    for (key, value) in entries {
        if let Some(first) = first_at.get(key.value.as_str()) {
            let inner = inner_subject(subject, noun, &key.value);
            sink.error(
                key.loc,
                inner,
                format!(
                    "duplicate {noun} `{}` (first written at {first})",
                    key.value
                ),
            );
            continue;
        }
        first_at.insert(&key.value, key.loc);
        let inner = inner_subject(subject, noun, &key.value);
        out.push(Named {
            name: key.clone(),
            def: read_one(value, inner, sink),
        });
    }
    out
}

/// The subject of an entry of a named map: a model id names the model, any other
/// key names the field (or set) within the current subject.
fn inner_subject<'a>(subject: Subject<'a>, noun: &str, key: &'a str) -> Subject<'a> {
    if noun == "model id" {
        Subject::model(key)
    } else {
        subject.field(key)
    }
}

/// Reads the keys of one mapping and reports the keys nobody asked for.
struct MapReader<'t> {
    entries: &'t [(Located<String>, Located<Node>)],
    taken: Vec<bool>,
    subject: Subject<'t>,
}

impl<'t> MapReader<'t> {
    fn new(
        node: &'t Located<Node>,
        what: &str,
        subject: Subject<'t>,
        sink: &mut Sink,
    ) -> Option<Self> {
        match &node.value {
            Node::Map(entries) => Some(MapReader {
                entries,
                taken: vec![false; entries.len()],
                subject,
            }),
            other => {
                sink.error(
                    node.loc,
                    subject,
                    format!("expected {what} (a mapping), found {}", other.kind()),
                );
                None
            }
        }
    }

    /// The value of `key`, if written.
    fn take(&mut self, key: &str) -> Option<&'t Located<Node>> {
        let index = self.entries.iter().position(|(k, _)| k.value == key)?;
        self.taken[index] = true;
        Some(&self.entries[index].1)
    }

    /// The string value of `key`, if written; an error names the key otherwise.
    fn string(&mut self, key: &str, sink: &mut Sink) -> Option<Located<String>> {
        let node = self.take(key)?;
        keyed(
            key,
            string(node, self.subject, &mut Sink::default()),
            node,
            self.subject,
            sink,
            "a string",
        )
    }

    /// The integer value of `key`, if written.
    fn int(&mut self, key: &str, sink: &mut Sink) -> Option<Located<i64>> {
        let node = self.take(key)?;
        keyed(
            key,
            int(node, self.subject, &mut Sink::default()),
            node,
            self.subject,
            sink,
            "an integer",
        )
    }

    /// The boolean value of `key`, if written.
    fn boolean(&mut self, key: &str, sink: &mut Sink) -> Option<Located<bool>> {
        let node = self.take(key)?;
        keyed(
            key,
            boolean(node, self.subject, &mut Sink::default()),
            node,
            self.subject,
            sink,
            "true or false",
        )
    }

    /// Whether `key` was written (even with a value of the wrong kind).
    fn had(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.value == key)
    }

    /// Reports keys written twice and keys not in `allowed`.
    fn finish(self, allowed: &[&str], sink: &mut Sink) {
        let mut first_at: BTreeMap<&str, Loc> = BTreeMap::new();
        for (index, (key, _)) in self.entries.iter().enumerate() {
            if let Some(first) = first_at.get(key.value.as_str()) {
                sink.error(
                    key.loc,
                    self.subject,
                    format!(
                        "duplicate key `{}` (first written at {first})",
                        orux_runtime::display::excerpt(&key.value)
                    ),
                );
                continue;
            }
            first_at.insert(&key.value, key.loc);
            if !self.taken[index] || !allowed.contains(&key.value.as_str()) {
                let hint = crate::naming::nearest(&key.value, allowed.iter().copied())
                    .map(|near| format!("; did you mean `{near}`?"))
                    .unwrap_or_else(|| format!("; expected one of: {}", allowed.join(", ")));
                sink.error(
                    key.loc,
                    self.subject,
                    format!(
                        "unknown key `{}`{hint}",
                        orux_runtime::display::excerpt(&key.value)
                    ),
                );
            }
        }
    }
}

fn list<'t>(node: &'t Located<Node>, subject: Subject<'_>, sink: &mut Sink) -> &'t [Located<Node>] {
    match &node.value {
        Node::Seq(items) => items,
        other => {
            sink.error(
                node.loc,
                subject,
                format!("expected a list, found {}", other.kind()),
            );
            &[]
        }
    }
}

/// A value read for `key`, or an error that names the key.
fn keyed<T>(
    key: &str,
    value: Option<Located<T>>,
    node: &Located<Node>,
    subject: Subject<'_>,
    sink: &mut Sink,
    expected: &str,
) -> Option<Located<T>> {
    if value.is_none() {
        sink.error(
            node.loc,
            subject,
            format!("`{key}` must be {expected}, found {}", node.value.kind()),
        );
    }
    value
}

/// The node's value when it is of the wanted kind; otherwise an error naming
/// what was expected and what was found.
fn expect_kind<T>(
    node: &Located<Node>,
    subject: Subject<'_>,
    sink: &mut Sink,
    expected: &str,
    read: impl Fn(&Node) -> Option<T>,
) -> Option<Located<T>> {
    match read(&node.value) {
        Some(value) => Some(Located {
            value,
            loc: node.loc,
        }),
        None => {
            sink.error(
                node.loc,
                subject,
                format!("expected {expected}, found {}", node.value.kind()),
            );
            None
        }
    }
}

fn string(node: &Located<Node>, subject: Subject<'_>, sink: &mut Sink) -> Option<Located<String>> {
    expect_kind(node, subject, sink, "a string", |n| match n {
        Node::Str(s) => Some(s.clone()),
        _ => None,
    })
}

fn int(node: &Located<Node>, subject: Subject<'_>, sink: &mut Sink) -> Option<Located<i64>> {
    expect_kind(node, subject, sink, "an integer", |n| match n {
        Node::Int(i) => Some(*i),
        _ => None,
    })
}

fn boolean(node: &Located<Node>, subject: Subject<'_>, sink: &mut Sink) -> Option<Located<bool>> {
    expect_kind(node, subject, sink, "true or false", |n| match n {
        Node::Bool(b) => Some(*b),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec read from `text`, with the shape errors it drew.
    fn read_text(text: &str) -> (Spec, Vec<crate::SpecError>) {
        let tree = crate::yaml::parse(text, 1 << 20).expect("test YAML parses");
        let mut sink = Sink::default();
        let spec = read(&tree, &mut sink);
        let errors = sink.finish("t.yaml").err().map_or(Vec::new(), |e| e.errors);
        (spec, errors)
    }

    const PARAMS: &str = "\
version: 1
models: {}
shared_params:
  as_int: {type: string, default: 5}
  as_string: {type: string, default: \"5\"}
  as_bool: {type: string, default: true, example: yes}
  as_map: {type: string, default: {a: 1}}
  as_list: {type: string, example: [1]}
  as_null: {type: string, example: null}
  as_float: {type: string, example: 1.5}
";

    fn param<'s>(spec: &'s Spec, name: &str) -> &'s ParamDef {
        &spec
            .shared_params
            .iter()
            .find(|p| p.name.value == name)
            .unwrap_or_else(|| panic!("{name} was read"))
            .def
    }

    #[test]
    fn literals_are_typed_with_their_place() {
        let (spec, errors) = read_text(PARAMS);
        assert!(errors.is_empty(), "{errors:?}");
        let default = |name: &str| param(&spec, name).default.clone().expect("a default");
        let example = |name: &str| param(&spec, name).example.clone().expect("an example");
        // 5 and "5" stay apart: an integer is no string.
        assert_eq!(default("as_int").value, Scalar::Integer(5));
        assert_eq!(default("as_string").value, Scalar::String("5".to_owned()));
        assert_eq!(default("as_bool").value, Scalar::Bool(true));
        // YAML 1.2: `yes` is the string written, not YAML 1.1's true.
        assert_eq!(example("as_bool").value, Scalar::String("yes".to_owned()));
        let at = default("as_int").loc;
        assert_eq!((at.line, at.column), (4, 35));
    }

    #[test]
    fn a_node_where_a_scalar_belongs_keeps_what_it_is_and_where() {
        let (spec, errors) = read_text(PARAMS);
        assert!(errors.is_empty(), "{errors:?}");
        let map = param(&spec, "as_map").default.clone().expect("a default");
        assert_eq!(map.value, Scalar::NotScalar { found: "a mapping" });
        assert_eq!((map.loc.line, map.loc.column), (7, 35));
        for (name, found) in [
            ("as_list", "a list"),
            ("as_null", "null"),
            ("as_float", "a number"),
        ] {
            let example = param(&spec, name).example.clone().expect("an example");
            assert_eq!(example.value, Scalar::NotScalar { found }, "{name}");
            assert_eq!(example.value.kind(), found);
        }
    }

    #[test]
    fn lowering_reports_a_non_scalar_at_its_place() {
        let text = "\
version: 1
models:
  m:
    name: M
    vendor: V
    description: D.
    kind: text-to-video
    max_duration: null
    capabilities: []
    params:
      prompt: {type: string, description: P., default: [a, b]}
";
        let errors = crate::load(text, "t.yaml").expect_err("a list is no default");
        let [error] = errors.errors.as_slice() else {
            panic!("one error: {errors}");
        };
        assert_eq!(error.message, "default must be a scalar, found a list");
        assert_eq!((error.loc.line, error.loc.column), (11, 56));
        assert_eq!(error.model.as_deref(), Some("m"));
        assert_eq!(error.field.as_deref(), Some("prompt"));
    }

    #[test]
    fn value_set_members_and_example_bodies_are_typed() {
        let text = "\
version: 1
value_sets:
  s: {description: S., values: [5, \"5\", false, {a: 1}]}
models:
  m:
    params: {}
    examples:
      e: {summary: E., body: {num: 10, t: ten, b: false, l: []}}
";
        let (spec, _) = read_text(text);
        let values: Vec<&Scalar> = spec.value_sets[0]
            .def
            .values
            .iter()
            .map(|v| &v.value)
            .collect();
        assert_eq!(
            values,
            [
                &Scalar::Integer(5),
                &Scalar::String("5".to_owned()),
                &Scalar::Bool(false),
                &Scalar::NotScalar { found: "a mapping" },
            ]
        );
        let body: Vec<(&str, &Scalar)> = spec.models[0].def.examples[0]
            .def
            .body
            .iter()
            .map(|entry| (entry.name.value.as_str(), &entry.def.value))
            .collect();
        assert_eq!(
            body,
            [
                ("num", &Scalar::Integer(10)),
                ("t", &Scalar::String("ten".to_owned())),
                ("b", &Scalar::Bool(false)),
                ("l", &Scalar::NotScalar { found: "a list" }),
            ]
        );
    }
}
