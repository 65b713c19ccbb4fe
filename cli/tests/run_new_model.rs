//! A model added to `models.yaml` gets its `orux run` subcommand and flags
//! with no change to the CLI. The catalog compiled into `orux` cannot grow
//! in a test, so this test takes a copy of the spec with an 18th model
//! appended, lowers it with the generator (as `cargo xtask regenerate`
//! would), turns the new model into the catalog's own `ModelInfo`, and
//! builds `orux run` from the compiled catalog plus it, through the same
//! functions the binary uses.

use clap::Command;
use orux_cli::run_args::RunArgs;
use orux_cli::run_body::build_body;
use orux_codegen::ir::{FieldType, Ir, Literal, Model};
use orux_models::WireValue;
use orux_models::catalog::{FieldInfo, FieldKind, MODELS, ModelInfo};

/// The new model: one parameter of each kind the CLI treats differently, one
/// of them named like an option of `orux run`.
const NEW_MODEL: &str = r#"
  orux-test-model:
    name: Orux Test Model
    vendor: Orux Tests
    description: A model that exists only in this test.
    kind: text-or-image-to-video
    max_duration: 10
    capabilities: [audio]
    params:
      prompt: {use: prompt}
      aspect_ratio:
        type: enum
        values: aspect_ratio_no_square
        default: "9:16"
        description: Frame shape.
      length:
        type: enum
        values: duration_6_or_10
        description: Seconds of video.
      loop:
        type: boolean
        default: false
        description: Make the clip loop.
      format:
        type: string
        description: A parameter named like an option of orux run.
      still:
        type: image_input
        description: A starting image.
"#;

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

fn wire(literal: &Literal) -> WireValue {
    match literal {
        Literal::String(text) => WireValue::Str(leak(text)),
        Literal::Integer(number) => WireValue::Int(*number),
        Literal::Bool(flag) => WireValue::Bool(*flag),
    }
}

/// The catalog entry `cargo xtask regenerate` would write for `model`.
fn model_info(ir: &Ir, model: &Model) -> &'static ModelInfo {
    let fields: Vec<FieldInfo> = model
        .fields
        .iter()
        .map(|field| {
            let (kind, allowed, min_length, max_length) = match &field.ty {
                FieldType::String(rules) => (
                    FieldKind::String,
                    Vec::new(),
                    rules.min_length,
                    rules.max_length,
                ),
                FieldType::Url => (FieldKind::Url, Vec::new(), None, None),
                FieldType::Boolean => (FieldKind::Boolean, Vec::new(), None, None),
                FieldType::ImageInput => (FieldKind::ImageInput, Vec::new(), None, None),
                FieldType::Enum(id) => {
                    let set = ir.value_set(*id).expect("a set of this IR");
                    let kind = FieldKind::Enum {
                        set: leak(&set.id),
                        rust_type: leak(&set.rust_name),
                    };
                    (
                        kind,
                        set.variants.iter().map(|v| wire(&v.wire)).collect(),
                        None,
                        None,
                    )
                }
            };
            FieldInfo {
                name: leak(&field.wire_name),
                kind,
                required: field.required,
                default: field.default.as_ref().map(wire),
                allowed: Box::leak(allowed.into_boxed_slice()),
                description: leak(&field.description),
                example: field.example.as_ref().map(wire),
                min_length,
                max_length,
                directives: None,
            }
        })
        .collect();
    Box::leak(Box::new(ModelInfo {
        id: leak(&model.id),
        name: leak(&model.name),
        vendor: leak(&model.vendor),
        description: leak(&model.description),
        kind: model.kind,
        max_duration: model.max_duration,
        capabilities: Box::leak(model.capabilities.clone().into_boxed_slice()),
        fields: Box::leak(fields.into_boxed_slice()),
    }))
}

#[test]
fn an_eighteenth_model_gets_its_flags_with_no_cli_change() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read_to_string(root.join("models.yaml")).unwrap();
    assert!(
        spec.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("    ")),
        "models: is the last section, so a model appended at the end joins it"
    );
    let copy = format!("{}\n{NEW_MODEL}", spec.trim_end());
    let ir = orux_codegen::load(&copy, "models.yaml (copy)").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ir.models.len(), MODELS.len() + 1);
    let model = ir.models.last().expect("the new model");
    let info = model_info(&ir, model);
    assert!(
        MODELS.iter().all(|known| known.id != info.id),
        "not compiled in"
    );

    let mut models = MODELS.to_vec();
    models.push(info);
    let run = RunArgs::command(Command::new("run"), &models);
    let mut sub = run.clone();
    sub.build();
    let help = sub
        .find_subcommand_mut("orux-test-model")
        .expect("its subcommand")
        .render_long_help()
        .to_string();
    for needle in [
        "Orux Test Model (Orux Tests): text-or-image-to-video",
        "[PROMPT]",
        "--aspect-ratio <ASPECT_RATIO>",
        "[possible values: 16:9, 9:16]",
        "[default: 9:16]",
        "--length <LENGTH>",
        "[possible values: 6, 10]",
        "--loop",
        "--no-loop",
        "--field-format <TEXT>",
        "--still <IMAGE>",
        "a local PNG, JPEG, WebP or GIF file",
        "--webhook-url <URL>",
        "--out <DIR>",
    ] {
        assert!(help.contains(needle), "{needle} in:\n{help}");
    }

    let matches = run
        .try_get_matches_from([
            "run",
            "orux-test-model",
            "A lighthouse at dusk",
            "--length",
            "10",
            "--no-loop",
            "--field-format",
            "square-ish",
            "--still",
            "https://example.com/still.png",
            "--out",
            "clips",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let args = RunArgs::from_matches(&matches, &models).unwrap();
    assert_eq!(args.model.id, "orux-test-model");
    assert_eq!(args.out.as_deref(), Some(std::path::Path::new("clips")));
    let built = build_body(args.model, &args.given, &models).unwrap();
    assert_eq!(
        built.body,
        r#"{"model":"orux-test-model","prompt":"A lighthouse at dusk","length":10,"loop":false,"format":"square-ish","still":"https://example.com/still.png"}"#
    );
}
