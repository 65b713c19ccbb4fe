//! serde glue for the generated request structs.

use serde::{Deserialize, Deserializer};

/// For optional fields: a present value must be a real value. `null` is an
/// error, as in validation; an absent field is `None` through `#[serde(default)]`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}
