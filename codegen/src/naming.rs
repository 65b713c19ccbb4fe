//! Wire names → Rust names. Every generated identifier goes through here,
//! and every name a schema is given (`components/schemas`, `$defs`, `title`)
//! is one of these Rust names, so that a type has one name in every language.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

pub use orux_runtime::__private::nearest;

/// Rust keywords: a field named like one is written `r#name`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
/// Keywords that cannot be raw identifiers; a field named like one gets a `_` suffix.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// PascalCase type or variant name for an id (`veo-3.1-quality` → `Veo31Quality`),
/// or `None` when the id gives no valid identifier (empty, leading digit).
///
/// A letter right after a digit is a capital (`kling-v21-master-i2v` →
/// `KlingV21MasterI2V`, not heck's `I2v`): the name is the same in every
/// language its schema is generated into. OpenAPI generators normalise names
/// their own way, and this is the form each of them leaves as it is
/// (openapi-python-client capitalises a letter after a digit even in its
/// overrides; the others keep a name whose every letter after a digit is a
/// capital). The README's versioning note says which names this changed.
pub fn type_name(id: &str) -> Option<String> {
    let mut name = String::with_capacity(id.len());
    let mut after_digit = false;
    for c in id.to_upper_camel_case().chars() {
        name.push(if after_digit {
            c.to_ascii_uppercase()
        } else {
            c
        });
        after_digit = c.is_ascii_digit();
    }
    is_identifier(&name).then_some(name)
}

/// snake_case module name for an id (`veo-3.1-quality` → `veo_3_1_quality`).
pub fn module_name(id: &str) -> Option<String> {
    let name = id.to_snake_case();
    (is_identifier(&name) && !is_keyword(&name)).then_some(name)
}

/// SCREAMING_SNAKE_CASE constant name (`camera` → `CAMERA`).
pub fn const_name(id: &str) -> Option<String> {
    let name = id.to_shouty_snake_case();
    is_identifier(&name).then_some(name)
}

/// The Rust field name for a JSON key: snake_case, `r#` for keywords.
pub fn field_name(wire: &str) -> Option<String> {
    let name = wire.to_snake_case();
    if !is_identifier(&name) {
        return None;
    }
    Some(if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    })
}

/// The Rust variant name for a value-set member: `prefix` + the value's
/// alphanumeric runs, each capitalised, with `_` kept between two digit runs so
/// that `16:9` and `1:69` stay apart (`Ratio` + `16:9` → `Ratio16_9`,
/// `Pan Right` → `PanRight`). `None` when no valid identifier results.
pub fn variant_name(prefix: Option<&str>, value: &str) -> Option<String> {
    let mut name = prefix.unwrap_or("").to_owned();
    let mut previous_ends_in_digit = false;
    for run in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|r| !r.is_empty())
    {
        let starts_with_digit = run.starts_with(|c: char| c.is_ascii_digit());
        if previous_ends_in_digit && starts_with_digit {
            name.push('_');
        }
        let mut chars = run.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
        previous_ends_in_digit = run.ends_with(|c: char| c.is_ascii_digit());
    }
    is_identifier(&name).then_some(name)
}

/// ASCII letter first, then letters, digits and `_`.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) || NON_RAW_KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids() {
        assert_eq!(
            type_name("veo-3.1-quality").as_deref(),
            Some("Veo31Quality")
        );
        assert_eq!(
            type_name("kling-v21-master-i2v").as_deref(),
            Some("KlingV21MasterI2V")
        );
        assert_eq!(
            type_name("runway-gen3-alpha-turbo").as_deref(),
            Some("RunwayGen3AlphaTurbo")
        );
        assert_eq!(
            type_name("duration_5_or_10").as_deref(),
            Some("Duration5Or10")
        );
        assert_eq!(type_name("gen3alpha-4k").as_deref(), Some("Gen3Alpha4K"));
        assert_eq!(type_name("sora2").as_deref(), Some("Sora2"));
        assert_eq!(
            module_name("veo-3.1-quality").as_deref(),
            Some("veo_3_1_quality")
        );
        assert_eq!(type_name("3d-model"), None);
        // The collision the checker must catch: two ids, one Rust name.
        assert_eq!(type_name("veo-3.1"), type_name("veo-31"));
    }

    #[test]
    fn fields() {
        assert_eq!(field_name("image_url").as_deref(), Some("image_url"));
        assert_eq!(field_name("imageUrl").as_deref(), Some("image_url"));
        assert_eq!(field_name("type").as_deref(), Some("r#type"));
        assert_eq!(field_name("self").as_deref(), Some("self_"));
        assert_eq!(field_name("9lives"), None);
    }

    #[test]
    fn variants() {
        assert_eq!(
            variant_name(Some("Ratio"), "16:9").as_deref(),
            Some("Ratio16_9")
        );
        assert_ne!(
            variant_name(Some("Ratio"), "16:9"),
            variant_name(Some("Ratio"), "1:69")
        );
        assert_eq!(
            variant_name(Some("Res"), "1080p").as_deref(),
            Some("Res1080p")
        );
        assert_eq!(
            variant_name(Some("Seconds"), "5").as_deref(),
            Some("Seconds5")
        );
        assert_eq!(variant_name(None, "Pan Right").as_deref(), Some("PanRight"));
        assert_eq!(variant_name(None, "16:9"), None);
        assert_eq!(variant_name(None, "::"), None);
    }
}
