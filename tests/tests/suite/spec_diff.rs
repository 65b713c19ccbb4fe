//! `orux_codegen::diff` on a corpus of spec pairs: each case is one small
//! edit of `models.yaml`, and its classification (every change and the
//! semver bump) is snapshotted under `snapshots/spec-diffs/`.

use std::path::Path;

use orux_codegen::diff::{Bump, diff};

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models.yaml");
    std::fs::read_to_string(path).expect("models.yaml is readable")
}

/// A case: its name, the bump it must need, and the text edits (each must
/// apply) that turn the old spec into the new one.
struct Case {
    name: &'static str,
    bump: Bump,
    edits: &'static [(&'static str, &'static str)],
}

const SORA_ASPECT: &str = "        values: aspect_ratio_no_square\n        default: \"16:9\"\n";
const SORA_DURATION: &str =
    "      duration: {use: duration_5_or_10, description: Length in seconds.}\n";

const CASES: &[Case] = &[
    Case {
        name: "no_change",
        bump: Bump::None,
        edits: &[],
    },
    Case {
        name: "model_renamed_is_removed_and_added",
        bump: Bump::Major,
        edits: &[("\n  topaz-upscale:\n", "\n  topaz-upscale-v2:\n")],
    },
    Case {
        name: "optional_field_removed",
        bump: Bump::Major,
        edits: &[(SORA_DURATION, "")],
    },
    Case {
        name: "field_made_required",
        bump: Bump::Major,
        edits: &[(
            SORA_DURATION,
            "      duration: {type: enum, values: duration_5_or_10, required: true, example: 5, description: Length in seconds.}\n",
        )],
    },
    Case {
        name: "required_field_made_optional",
        bump: Bump::Minor,
        edits: &[(
            "      video_url: {use: video_url, required: true}\n      target_resolution:",
            "      video_url: {use: video_url}\n      target_resolution:",
        )],
    },
    Case {
        name: "allowed_value_removed",
        bump: Bump::Major,
        edits: &[(r#"values: ["16:9", "9:16"]"#, r#"values: ["16:9"]"#)],
    },
    Case {
        name: "allowed_value_added",
        bump: Bump::Minor,
        edits: &[(
            r#"values: ["16:9", "9:16"]"#,
            r#"values: ["16:9", "9:16", "4:3"]"#,
        )],
    },
    Case {
        name: "type_changed",
        bump: Bump::Major,
        edits: &[(
            "  image_url:\n    type: url\n",
            "  image_url:\n    type: string\n",
        )],
    },
    Case {
        name: "enum_type_changed",
        bump: Bump::Major,
        edits: &[
            (
                SORA_ASPECT,
                "        values: aspect_ratio\n        default: \"16:9\"\n",
            ),
            // The set would be unused, which the spec forbids.
            (
                "  aspect_ratio_no_square:\n    description: Output aspect ratio, width:height, without the square format.\n    variant_prefix: Ratio\n    values: [\"16:9\", \"9:16\"]\n",
                "",
            ),
        ],
    },
    Case {
        name: "limit_tightened",
        bump: Bump::Major,
        edits: &[("    max_length: 10000\n", "    max_length: 5000\n")],
    },
    Case {
        name: "limit_loosened",
        bump: Bump::Minor,
        edits: &[("    max_length: 10000\n", "    max_length: 20000\n")],
    },
    Case {
        name: "default_changed",
        bump: Bump::Major,
        edits: &[(
            SORA_ASPECT,
            "        values: aspect_ratio_no_square\n        default: \"9:16\"\n",
        )],
    },
    Case {
        name: "optional_field_added",
        bump: Bump::Minor,
        edits: &[(
            SORA_DURATION,
            "      duration: {use: duration_5_or_10, description: Length in seconds.}\n      seed: {type: string, description: Reproducibility seed.}\n",
        )],
    },
    Case {
        name: "docs_only",
        bump: Bump::Patch,
        edits: &[
            (
                "description: Length in seconds.}",
                "description: Clip length in seconds.}",
            ),
            ("    name: Sora 2\n", "    name: Sora Two\n"),
            (
                "summary: The docs' \"Hailuo 02 with camera directives in prompt\" example",
                "summary: Camera directives in the prompt",
            ),
        ],
    },
    Case {
        name: "directive_removed",
        bump: Bump::Major,
        edits: &[("      - Handheld\n", "")],
    },
];

fn apply(case: &Case) -> String {
    let mut text = spec_text();
    for (from, to) in case.edits {
        assert!(
            text.contains(from),
            "{}: the edit {from:?} must apply",
            case.name
        );
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn every_spec_pair_is_classified_as_snapshotted() {
    let old = orux_codegen::load(&spec_text(), "models.yaml").expect("models.yaml loads");
    for case in CASES {
        let new = orux_codegen::load(&apply(case), "new.yaml")
            .unwrap_or_else(|e| panic!("{}: the edited spec must load:\n{e}", case.name));
        let changes = diff(&old, &new);
        assert_eq!(changes.bump(), case.bump, "{}:\n{changes}", case.name);
        insta::with_settings!({ snapshot_path => "../snapshots/spec-diffs", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(case.name, changes.to_string());
        });
    }
}

/// The classification is not symmetric: undoing an additive change is
/// breaking, and undoing a docs change is docs.
#[test]
fn reversing_a_change_reverses_its_class() {
    for (name, reverse) in [
        ("allowed_value_added", Bump::Major),
        ("limit_loosened", Bump::Major),
        ("required_field_made_optional", Bump::Major),
        ("limit_tightened", Bump::Minor),
        ("docs_only", Bump::Patch),
    ] {
        let case = CASES.iter().find(|c| c.name == name).expect("case exists");
        let old = orux_codegen::load(&apply(case), "old.yaml").expect("loads");
        let new = orux_codegen::load(&spec_text(), "models.yaml").expect("loads");
        assert_eq!(diff(&old, &new).bump(), reverse, "{name} reversed");
    }
}

/// The OpenAPI document generated from a spec.
fn openapi(text: &str, name: &str) -> serde_json::Value {
    let files = orux_codegen::generate(text, name).expect("the spec generates");
    let file = files
        .iter()
        .find(|f| f.path == Path::new("schema/openapi.json"))
        .expect("an OpenAPI document");
    serde_json::from_str(&file.contents).expect("JSON")
}

/// `value` without what only people read: descriptions, summaries and
/// examples (keys inside `properties` are field names, and stay).
fn rules_only(value: &serde_json::Value, in_properties: bool) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| {
                    in_properties
                        || !matches!(
                            key.as_str(),
                            "description" | "summary" | "examples" | "example"
                        )
                })
                .map(|(key, item)| {
                    (
                        key.clone(),
                        rules_only(item, !in_properties && key == "properties"),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| rules_only(i, false)).collect()),
        other => other.clone(),
    }
}

/// The OpenAPI document's parts change as the diff classifies the spec
/// change: not at all without a change, and only in what people read for a
/// docs change. A change of its rules (schemas, names, required lists,
/// defaults, the discriminator) is always additive or breaking. (Some
/// breaking changes show in annotations only: a directive removed is a
/// warning, written in a description, and a Rust constant.)
#[test]
fn the_openapi_document_changes_as_classified() {
    let old_text = spec_text();
    let old = openapi(&old_text, "models.yaml");
    let mut rules_changed = 0;
    for case in CASES {
        let new = openapi(&apply(case), "new.yaml");
        if case.bump == Bump::None {
            assert_eq!(old, new, "{}", case.name);
            continue;
        }
        assert_ne!(old, new, "{}: the document shows the change", case.name);
        if rules_only(&old, false) != rules_only(&new, false) {
            rules_changed += 1;
            assert!(case.bump >= Bump::Minor, "{}: a rule changed", case.name);
        }
    }
    assert!(rules_changed >= 10, "{rules_changed} cases change a rule");
}
