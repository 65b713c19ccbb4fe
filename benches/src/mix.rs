//! Request bodies for the validation benchmarks, built from the model catalog.
//!
//! Bodies follow `orux_models::catalog`, so they track `models.yaml`: a new
//! model or field shows up in the mix with no change here. Every body's
//! verdict is known by construction (and checked by `tests/inputs.rs`).

use orux_models::WireValue;
use orux_models::catalog::MODELS;
use orux_models::catalog::{FieldInfo, FieldKind, ModelInfo};
use serde_json::{Map, Value};

use crate::rng::Rng;

/// Words for prompts: what users write, at the lengths they write it.
const WORDS: &[&str] = &[
    "a",
    "the",
    "slow",
    "drone",
    "shot",
    "over",
    "Tokyo",
    "at",
    "sunset",
    "cinematic",
    "lighting",
    "golden",
    "hour",
    "close-up",
    "of",
    "an",
    "old",
    "fisherman",
    "mending",
    "nets",
    "rain",
    "neon",
    "reflections",
    "on",
    "wet",
    "asphalt",
    "35mm",
    "film",
    "grain",
    "shallow",
    "depth",
    "field",
    "camera",
    "slowly",
    "pushes",
    "in",
    "towards",
    "paper",
    "boat",
    "drifting",
    "down",
    "stream",
    "misty",
    "forest",
    "morning",
    "light",
    "through",
    "pines",
    "aerial",
    "view",
    "coastline",
    "waves",
    "crashing",
    "against",
    "cliffs",
    "portrait",
    "woman",
    "smiling",
    "wind",
    "in",
    "her",
    "hair",
    "4k",
    "photorealistic",
    "soft",
    "focus",
    "tracking",
    "cyclist",
    "city",
    "street",
    "night",
    "snow",
    "falling",
    "quietly",
    "warm",
    "window",
    "glow",
];

/// Values a user might try for an enum that are in no set.
const OUT_OF_SET_STRINGS: &[&str] = &["21:9", "4:3", "480p", "8k", "square"];
const OUT_OF_SET_INTS: &[i64] = &[3, 7, 8, 12, 15, 30];
/// Keys that belong to other APIs, sent by mistake.
const STRAY_KEYS: &[&str] = &["negative_prompt", "seed", "fps", "cfg_scale", "style"];

/// The 100 KB inline image: a 160x160 RGB PNG, 77,033 bytes, 102,712 base64 characters.
pub const IMAGE_SIDE: u32 = 160;

/// `n` valid bodies over every model, optional fields present about half the time.
pub fn valid_bodies(n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let model = pick_model(&mut rng);
            to_bytes(&valid_object(&mut rng, model))
        })
        .collect()
}

/// `n` invalid bodies: a valid body with one to three mistakes of the kinds
/// users make (value outside the set, wrong JSON type, null, unknown or
/// misspelled key, http URL, empty prompt, missing required field).
pub fn invalid_bodies(n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let model = pick_model(&mut rng);
            let mut object = valid_object(&mut rng, model);
            let wanted = 1 + rng.below(3);
            let mut applied = 0;
            // Some mistakes do not apply to every model; the unknown key always does.
            for _ in 0..16 {
                if applied == wanted {
                    break;
                }
                if mutate(&mut rng, model, &mut object) {
                    applied += 1;
                }
            }
            if applied == 0 {
                object.insert("seed".to_owned(), Value::from(42));
            }
            to_bytes(&object)
        })
        .collect()
}

/// A valid Veo 3.1 body whose `image` is a data URI of a real 160x160 PNG
/// (about 100 KB of base64).
pub fn image_body(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let png = crate::png::photo_like(IMAGE_SIDE, IMAGE_SIDE, seed);
    let mut object = Map::new();
    object.insert("model".to_owned(), Value::from("veo-3.1-quality"));
    object.insert("prompt".to_owned(), Value::from(prompt(&mut rng, None)));
    object.insert("resolution".to_owned(), Value::from("1080p"));
    object.insert("aspect_ratio".to_owned(), Value::from("16:9"));
    let uri = format!("data:image/png;base64,{}", crate::base64::encode(&png));
    object.insert("image".to_owned(), Value::from(uri));
    to_bytes(&object)
}

/// What production traffic looks like: of every 100 bodies, 90 valid, 9
/// invalid and 1 with a 100 KB inline image, shuffled.
pub fn realistic_mix(n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let images = n / 100;
    let invalid = n * 9 / 100;
    let mut bodies = valid_bodies(n - images - invalid, seed ^ 1);
    bodies.extend(invalid_bodies(invalid, seed ^ 2));
    bodies.extend((0..images).map(|i| image_body(seed ^ 3 ^ i as u64)));
    // Fisher-Yates, deterministic.
    for i in (1..bodies.len()).rev() {
        bodies.swap(i, rng.below(i + 1));
    }
    bodies
}

fn pick_model(rng: &mut Rng) -> &'static ModelInfo {
    let models: &'static [&'static ModelInfo] = &MODELS;
    rng.choose(models)
}

fn wire_json(value: WireValue) -> Value {
    match value {
        WireValue::Str(s) => Value::from(s),
        WireValue::Int(i) => Value::from(i),
        WireValue::Bool(b) => Value::from(b),
    }
}

fn to_bytes(object: &Map<String, Value>) -> Vec<u8> {
    // A map of strings, numbers and booleans always serializes.
    serde_json::to_vec(object).unwrap_or_default()
}

fn valid_object(rng: &mut Rng, model: &'static ModelInfo) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("model".to_owned(), Value::from(model.id));
    for field in model.fields {
        let percent = if field.name == "webhook_url" { 30 } else { 50 };
        if field.required || rng.chance(percent) {
            object.insert(field.name.to_owned(), valid_value(rng, field));
        }
    }
    object
}

fn valid_value(rng: &mut Rng, field: &FieldInfo) -> Value {
    match field.kind {
        FieldKind::String if field.min_length.is_some() || field.directives.is_some() => {
            let directives = field.directives.map(|set| set.values);
            Value::from(prompt(rng, directives))
        }
        FieldKind::String => match field.example {
            Some(WireValue::Str(example)) => Value::from(example),
            _ => Value::from(words(rng, 3)),
        },
        FieldKind::Url => Value::from(url(rng, field.name)),
        FieldKind::Boolean => Value::from(rng.chance(50)),
        FieldKind::Enum { .. } => wire_json(rng.choose(field.allowed)),
        FieldKind::ImageInput => {
            if rng.chance(60) {
                Value::from(url(rng, "image_url"))
            } else {
                let mut task = Map::new();
                task.insert(
                    "task_id".to_owned(),
                    Value::from(format!("img_{:016x}", rng.next_u64())),
                );
                Value::Object(task)
            }
        }
    }
}

/// Applies one mistake; false when the chosen kind does not apply to this body.
fn mutate(rng: &mut Rng, model: &ModelInfo, object: &mut Map<String, Value>) -> bool {
    let field = rng.pick(model.fields);
    match rng.below(7) {
        0 => {
            let value = match field.allowed.first() {
                Some(WireValue::Int(_)) => WireValue::Int(rng.choose(OUT_OF_SET_INTS)),
                Some(_) => WireValue::Str(rng.choose(OUT_OF_SET_STRINGS)),
                None => return false,
            };
            if field.allowed.contains(&value) {
                return false;
            }
            object.insert(field.name.to_owned(), wire_json(value));
        }
        1 => {
            let value = match field.kind {
                FieldKind::String | FieldKind::Url | FieldKind::ImageInput => Value::from(42),
                FieldKind::Boolean => Value::from("yes"),
                FieldKind::Enum { .. } => match field.allowed.first() {
                    Some(WireValue::Int(i)) => Value::from(i.to_string()),
                    _ => Value::from(true),
                },
            };
            object.insert(field.name.to_owned(), value);
        }
        2 => {
            object.insert(field.name.to_owned(), Value::Null);
        }
        3 => {
            // A misspelled real key ("aspect_ration"), or one from another API.
            let key = if rng.chance(50) {
                format!("{}s", field.name)
            } else {
                rng.choose(STRAY_KEYS).to_owned()
            };
            if object.contains_key(&key) {
                return false;
            }
            object.insert(key, Value::from("16:9"));
        }
        4 => {
            if !matches!(field.kind, FieldKind::Url | FieldKind::ImageInput) {
                return false;
            }
            let url = url(rng, field.name).replacen("https://", "http://", 1);
            object.insert(field.name.to_owned(), Value::from(url));
        }
        5 => {
            if field.min_length.is_none_or(|min| min == 0) {
                return false;
            }
            object.insert(field.name.to_owned(), Value::from(""));
        }
        _ => {
            if !field.required || object.shift_remove(field.name).is_none() {
                return false;
            }
        }
    }
    true
}

/// A prompt of 6 to 60 words (about 30 to 350 characters); with a directive
/// set, sometimes led by a valid directive (`[Pan Right]`).
fn prompt(rng: &mut Rng, directives: Option<&[&str]>) -> String {
    let count = 6 + rng.below(55);
    let text = words(rng, count);
    match directives {
        Some(values) if !values.is_empty() && rng.chance(40) => {
            format!("[{}] {text}", rng.pick(values))
        }
        _ => text,
    }
}

fn words(rng: &mut Rng, count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(rng.choose(WORDS));
    }
    text
}

fn url(rng: &mut Rng, field: &str) -> String {
    let id = rng.next_u64();
    if field.contains("webhook") {
        format!("https://hooks.example.com/orux/{id:016x}?source=bench")
    } else if field.contains("audio") {
        format!("https://cdn.example.com/audio/{id:016x}.mp3")
    } else if field.contains("video") {
        format!("https://cdn.example.com/clips/{id:016x}.mp4")
    } else {
        format!("https://cdn.example.com/frames/{id:016x}.png")
    }
}
