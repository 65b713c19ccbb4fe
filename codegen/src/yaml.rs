//! YAML text → a located node tree.
//!
//! The spec is first read into this generic tree, with a line and column on every
//! key and value, and only then interpreted (see [`crate::spec`]). Reading the tree
//! ourselves, instead of deriving `Deserialize` for the spec types, is what lets the
//! checker report *every* unknown key, duplicate key and wrong type at once instead
//! of stopping at serde's first error.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use serde_saphyr::options::{DuplicateKeyPolicy, Options};

/// A 1-based line and column in the spec file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it starts in the file.
    pub loc: Loc,
}

/// One YAML node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer scalar.
    Int(i64),
    /// A floating-point scalar.
    Float(f64),
    /// A string scalar (plain or quoted).
    Str(String),
    /// A sequence.
    Seq(Vec<Located<Node>>),
    /// A mapping, in file order. Duplicate keys are kept (the checker reports them).
    Map(Vec<(Located<String>, Located<Node>)>),
}

impl Node {
    /// What kind of node this is, for messages ("a mapping", "a string", …).
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

/// Why the file cannot be read as a tree at all: a YAML syntax error, or
/// one of the limits below.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// Where the parser stopped, when it knows.
    pub loc: Option<Loc>,
    /// The whole message (`invalid YAML: …`, or the limit exceeded).
    pub message: String,
}

// Upper bounds that keep a hostile spec from costing more than a moment: the
// whole pipeline after this stage is linear or n·log n in the size of the
// tree, so capping the text, its nesting and its alias expansion bounds every
// run. Each is far above what the format needs; exceeding one is a spec error
// naming it.

/// Deepest nesting of mappings and sequences accepted. The format needs 6
/// (the top level → `models` → a model → `examples` → an example → its
/// `body`). Deserializing one level costs tens of kilobytes of stack in a
/// debug build, so the cap keeps a hostile spec well inside a 2 MiB thread
/// stack (serde-saphyr's default of 64 levels did not).
pub const MAX_DEPTH: usize = 16;

/// Most alias uses (`*name`) accepted.
pub const MAX_ALIASES: usize = 1_000;

/// Most YAML events that aliases may replay in total: a billion-laughs bomb
/// stops here after a few thousand nodes, not after millions.
pub const MAX_ALIAS_EVENTS: usize = 10_000;

/// Parses YAML text into a located tree.
///
/// Duplicate keys are passed through so that the checker can report each of
/// them with both places. The text's size (at most `max_bytes`, see
/// [`crate::limits::SpecLimits::max_spec_bytes`]), its nesting and its alias
/// expansion are bounded (see [`MAX_DEPTH`] and the constants beside it).
pub fn parse(text: &str, max_bytes: usize) -> Result<Located<Node>, SyntaxError> {
    if text.len() > max_bytes {
        return Err(SyntaxError {
            loc: None,
            message: format!(
                "the spec is {} bytes, over the limit of {max_bytes} bytes (max_spec_bytes)",
                text.len()
            ),
        });
    }
    let mut options = Options::default();
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    // YAML 1.2 booleans only: `true` / `false`. Under YAML 1.1 spellings a
    // value set of `[Y, N]` or a default of `no` would silently turn into
    // booleans (the "Norway problem"); here they stay the strings written.
    options.strict_booleans = true;
    options.alias_limits.max_total_replayed_events = MAX_ALIAS_EVENTS;
    if let Some(budget) = options.budget.as_mut() {
        budget.max_aliases = MAX_ALIASES;
        budget.max_depth = MAX_DEPTH;
        budget.flow_nesting_limit = MAX_DEPTH;
        // The reader's size budgets follow the size cap instead of refusing
        // a large spec that is within it: without aliases (capped above),
        // every node and event takes at least one byte of text.
        let per_byte = max_bytes.saturating_add(16);
        budget.max_nodes = budget.max_nodes.max(per_byte);
        budget.max_events = budget.max_events.max(per_byte);
        budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(max_bytes);
    }
    match serde_saphyr::from_str_with_options::<Spanned<Node>>(text, options) {
        Ok(spanned) => Ok(located(spanned)),
        Err(error) => Err(SyntaxError {
            loc: error.location().map(|l| Loc {
                line: l.line(),
                column: l.column(),
            }),
            message: limit_message(&error)
                .unwrap_or_else(|| format!("invalid YAML: {}", first_line(&error.to_string()))),
        }),
    }
}

/// Our own words for a parser error caused by one of the limits above,
/// naming the limit; `None` for any other error.
fn limit_message(error: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error;
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::granit_parser::ErrorKind;
    use serde_saphyr::localizer::ExternalMessageSource;

    let mut error = error;
    while let Error::WithSnippet { error: inner, .. } | Error::AliasError { error: inner, .. } =
        error
    {
        error = inner;
    }
    let too_deep = || {
        format!(
            "YAML nesting deeper than the limit of {MAX_DEPTH} levels (MAX_DEPTH); \
             the spec format needs 6"
        )
    };
    let aliases = || {
        format!(
            "YAML aliases expand to more than the limit of {MAX_ALIASES} alias uses or \
             {MAX_ALIAS_EVENTS} replayed events (MAX_ALIASES, MAX_ALIAS_EVENTS)"
        )
    };
    match error {
        Error::Budget {
            breach: BudgetBreach::Depth { .. },
            ..
        } => Some(too_deep()),
        Error::ExternalMessage { source, .. }
            if matches!(
                source.as_ref(),
                ExternalMessageSource::Parser(scan)
                    if matches!(scan.kind(), ErrorKind::RecursionLimitExceeded)
            ) =>
        {
            Some(too_deep())
        }
        Error::Budget {
            breach:
                BudgetBreach::Aliases { .. }
                | BudgetBreach::AliasAnchorRatio { .. }
                | BudgetBreach::RecordedAnchorEvents { .. }
                | BudgetBreach::RecordedAnchorBytes { .. },
            ..
        }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => Some(aliases()),
        // The reader's other budgets (nodes, events, text bytes) grow with
        // `max_bytes` (see `parse`), so a spec within it does not reach them.
        Error::Budget { breach, .. } => {
            Some(format!("the spec exceeds a YAML reader limit: {breach:?}"))
        }
        _ => None,
    }
}

/// serde-saphyr renders a code snippet under its message; we print our own
/// `file:line:col`, so only the message itself is kept.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    // "error: line 3 column 7: illegal …" → "illegal …": the place is printed already.
    match line
        .strip_prefix("error: line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((place, text)) if place.contains("column") => text.to_owned(),
        _ => line.to_owned(),
    }
}

fn located<T>(spanned: Spanned<T>) -> Located<T> {
    Located {
        loc: Loc {
            line: spanned.referenced.line(),
            column: spanned.referenced.column(),
        },
        value: spanned.value,
    }
}

/// Deserialization target used only to build the tree; `Spanned` supplies places.
struct SpannedNode(Node);

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(SpannedNode)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        i64::try_from(v)
            .map(Node::Int)
            .map_err(|_| E::custom(format!("integer {v} is too large")))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        i64::try_from(v)
            .map(Node::Int)
            .map_err(|_| E::custom(format!("integer {v} is too large")))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        i64::try_from(v)
            .map(Node::Int)
            .map_err(|_| E::custom(format!("integer {v} is too large")))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<SpannedNode>>()? {
            items.push(unwrap_node(item));
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Spanned<SpannedNode>>()?;
            let key = located(key);
            entries.push((
                Located {
                    value: key.value.0,
                    loc: key.loc,
                },
                unwrap_node(value),
            ));
        }
        Ok(Node::Map(entries))
    }
}

fn unwrap_node(spanned: Spanned<SpannedNode>) -> Located<Node> {
    let located = located(spanned);
    Located {
        value: located.value.0,
        loc: located.loc,
    }
}

/// A mapping key, read as text whatever its YAML type (`5: x` has the key "5").
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = match Node::deserialize(deserializer)? {
            Node::Null => "null".to_owned(),
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => f.to_string(),
            Node::Str(s) => s,
            Node::Seq(_) | Node::Map(_) => {
                return Err(de::Error::custom("a mapping key must be a scalar"));
            }
        };
        Ok(KeyText(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_SPEC_BYTES;

    #[test]
    fn keeps_places_types_and_duplicate_keys() {
        let tree = parse(
            "a: 1\nb:\n  c: \"16:9\"\n  c: [5, x]\nd: null\n",
            MAX_SPEC_BYTES,
        )
        .expect("parses");
        let Node::Map(entries) = tree.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.value, "a");
        assert_eq!(entries[0].1.value, Node::Int(1));
        let Node::Map(inner) = &entries[1].1.value else {
            panic!("not a map")
        };
        assert_eq!(inner.len(), 2, "duplicate key kept");
        assert_eq!(inner[1].0.loc, Loc { line: 4, column: 3 });
        assert_eq!(inner[0].1.value, Node::Str("16:9".into()));
        assert_eq!(entries[2].1.value, Node::Null);
    }

    #[test]
    fn only_yaml_1_2_spellings_are_booleans() {
        let tree =
            parse("[true, false, yes, no, on, off, Y, N]\n", MAX_SPEC_BYTES).expect("parses");
        let Node::Seq(items) = tree.value else {
            panic!("not a list")
        };
        let values: Vec<Node> = items.into_iter().map(|item| item.value).collect();
        let mut expected = vec![Node::Bool(true), Node::Bool(false)];
        expected.extend(["yes", "no", "on", "off", "Y", "N"].map(|s| Node::Str(s.into())));
        assert_eq!(values, expected);
    }

    #[test]
    fn syntax_error_has_a_place() {
        let error = parse("a: [1, 2\nb: 3\n", MAX_SPEC_BYTES).expect_err("unclosed list");
        assert!(error.loc.is_some(), "{error:?}");
    }

    #[test]
    fn reader_budgets_follow_the_size_cap() {
        // 300,000 nodes in 600 KB: past serde-saphyr's default of 250,000
        // nodes, within the default size cap.
        let text = format!("a: [{}1]\n", "1,".repeat(299_999));
        assert!(text.len() < MAX_SPEC_BYTES);
        let tree = parse(&text, MAX_SPEC_BYTES).unwrap_or_else(|e| panic!("{}", e.message));
        let Node::Map(entries) = tree.value else {
            panic!("not a map")
        };
        assert!(matches!(&entries[0].1.value, Node::Seq(items) if items.len() == 300_000));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&text, MAX_SPEC_BYTES).is_err());
    }
}
