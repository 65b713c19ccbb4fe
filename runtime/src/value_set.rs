//! What every generated value-set enum implements, and its serde glue.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// A value as written on the wire: a string, an integer or a boolean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WireValue {
    /// A JSON string.
    Str(&'static str),
    /// A JSON integer.
    Int(i64),
    /// A JSON boolean.
    Bool(bool),
}

impl WireValue {
    /// The value as JSON text: `"16:9"`, `5`, `true`.
    pub fn to_json(self) -> String {
        match self {
            WireValue::Str(s) => serde_json::Value::from(s).to_string(),
            WireValue::Int(i) => i.to_string(),
            WireValue::Bool(b) => b.to_string(),
        }
    }
}

/// The plain text of the value, without JSON quotes: `16:9`, `5`, `true`.
impl fmt::Display for WireValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireValue::Str(s) => f.write_str(s),
            WireValue::Int(i) => write!(f, "{i}"),
            WireValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl Serialize for WireValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            WireValue::Str(s) => serializer.serialize_str(s),
            WireValue::Int(i) => serializer.serialize_i64(i),
            WireValue::Bool(b) => serializer.serialize_bool(b),
        }
    }
}

/// A closed set of wire values, one Rust variant each (generated enums).
pub trait ClosedSet: Sized + Copy + 'static {
    /// Every member, in spec order.
    const ALL: &'static [Self];

    /// The member's wire value.
    fn wire(self) -> WireValue;

    /// The member whose wire value is this string.
    fn from_wire_str(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|member| matches!(member.wire(), WireValue::Str(s) if s == text))
    }

    /// The member whose wire value is this integer.
    fn from_wire_int(number: i64) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|member| member.wire() == WireValue::Int(number))
    }

    /// "`5` or `10`", "`\"16:9\"`, `\"9:16\"` or `\"1:1\"`": the members for messages.
    fn describe_all() -> String {
        let values: Vec<WireValue> = Self::ALL.iter().map(|m| m.wire()).collect();
        describe_values(&values)
    }
}

/// "5 or 10", "\"16:9\", \"9:16\" or \"1:1\"": a list of values for messages.
pub fn describe_values(values: &[WireValue]) -> String {
    let texts: Vec<String> = values.iter().map(|v| v.to_json()).collect();
    match texts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// A text that is no member of a value set (from `FromStr` on a generated enum).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// The text given.
    pub value: String,
    /// The members, as in messages: "`5` or `10`".
    pub expected: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = serde_json::Value::from(self.value.as_str());
        write!(f, "expected {}, got {value}", self.expected)
    }
}

impl std::error::Error for UnknownValue {}

/// The member whose plain text (its `Display`) is `text`: `16:9`, `5`, `true`.
pub fn parse_member<E: ClosedSet>(text: &str) -> Result<E, UnknownValue> {
    E::ALL
        .iter()
        .copied()
        .find(|member| member.wire().to_string() == text)
        .ok_or_else(|| UnknownValue {
            value: text.to_owned(),
            expected: E::describe_all(),
        })
}

/// Serializes a member as its wire value (integers as JSON numbers).
pub fn serialize<E: ClosedSet, S: Serializer>(member: E, serializer: S) -> Result<S::Ok, S::Error> {
    member.wire().serialize(serializer)
}

/// Deserializes a member from its wire value. An integer member also accepts a
/// number with the same value (`5.0`), as JSON Schema does.
pub fn deserialize<'de, E: ClosedSet, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<E, D::Error> {
    deserializer.deserialize_any(MemberVisitor::<E>(std::marker::PhantomData))
}

struct MemberVisitor<E>(std::marker::PhantomData<E>);

impl<E: ClosedSet> MemberVisitor<E> {
    fn not_member<Err: de::Error>(found: impl fmt::Display) -> Err {
        Err::custom(format_args!("expected {}, got {found}", E::describe_all()))
    }
}

impl<E: ClosedSet> Visitor<'_> for MemberVisitor<E> {
    type Value = E;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of {}", E::describe_all())
    }

    fn visit_str<Err: de::Error>(self, v: &str) -> Result<E, Err> {
        E::from_wire_str(v).ok_or_else(|| Self::not_member(serde_json::Value::from(v)))
    }

    fn visit_i64<Err: de::Error>(self, v: i64) -> Result<E, Err> {
        E::from_wire_int(v).ok_or_else(|| Self::not_member(v))
    }

    fn visit_u64<Err: de::Error>(self, v: u64) -> Result<E, Err> {
        i64::try_from(v)
            .ok()
            .and_then(E::from_wire_int)
            .ok_or_else(|| Self::not_member(v))
    }

    fn visit_f64<Err: de::Error>(self, v: f64) -> Result<E, Err> {
        // Exact integers only: 5.0 is 5; 5.5 and 1e300 are nobody's member.
        let whole = v.fract() == 0.0 && v.abs() < 9.0e15;
        whole
            .then(|| E::from_wire_int(v as i64))
            .flatten()
            .ok_or_else(|| Self::not_member(v))
    }
}
