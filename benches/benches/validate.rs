//! Validation throughput: the generated validator against the serde floors and
//! the `jsonschema` crate (per model, with the generated dispatching bundle,
//! and with the pre-dispatch `oneOf` bundle), on the same bytes, in one
//! process. Run with `cargo bench --bench validate`; BENCHMARKS.md explains
//! every row. The summary at the end gives ns per request, MB/s and the ratios
//! the targets are stated in.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use orux_benches::summary::{Estimates, duration};
use orux_benches::{floor, mix, schema};
use orux_models::TaskRequest;
use orux_spec_tests::corpus;

/// One set of bodies, validated as a whole per iteration.
struct Input {
    /// The criterion group name.
    name: &'static str,
    /// What it is, for the summary.
    what: String,
    bodies: Vec<Vec<u8>>,
}

impl Input {
    fn bytes(&self) -> u64 {
        self.bodies.iter().map(|b| b.len() as u64).sum()
    }
}

/// The ways of getting from bytes to a verdict, in summary order.
const ORUX: &str = "orux";
const SERDE_TYPED: &str = "serde_typed";
const SERDE_PLAIN: &str = "serde_plain";
/// The pre-dispatch bundle (`benches/fixtures/pre-dispatch.schema.json`:
/// a root `oneOf` over every model), as these rows measured before the
/// generated bundle became a dispatch.
const JS_IS_VALID: &str = "jsonschema_bundle_is_valid";
const JS_ITER_ERRORS: &str = "jsonschema_bundle_iter_errors";
/// Each model's own schema, picked by the body's `model`: the best-configured peer.
const JS_MODEL_IS_VALID: &str = "jsonschema_model_is_valid";
const JS_MODEL_ITER_ERRORS: &str = "jsonschema_model_iter_errors";
/// The generated validation bundle, `orux-models.schema.json`, whose root
/// dispatches on `model` with if/then/else: one document, no Rust dispatch.
const JS_DISPATCH_IS_VALID: &str = "jsonschema_dispatch_is_valid";
const JS_DISPATCH_ITER_ERRORS: &str = "jsonschema_dispatch_iter_errors";
const FUNCTIONS: [&str; 9] = [
    ORUX,
    SERDE_TYPED,
    SERDE_PLAIN,
    JS_MODEL_IS_VALID,
    JS_MODEL_ITER_ERRORS,
    JS_DISPATCH_IS_VALID,
    JS_DISPATCH_ITER_ERRORS,
    JS_IS_VALID,
    JS_ITER_ERRORS,
];

fn inputs() -> Vec<Input> {
    let cases = corpus::load();
    let corpus_valid = cases.iter().filter(|c| c.valid).count();
    let corpus = Input {
        name: "corpus",
        what: format!(
            "the request corpus: {} bodies, {corpus_valid} valid",
            cases.len()
        ),
        bodies: cases.into_iter().map(|c| c.body).collect(),
    };
    vec![
        Input {
            name: "valid",
            what: "512 valid bodies over all models".to_owned(),
            bodies: mix::valid_bodies(512, 1),
        },
        Input {
            name: "invalid",
            what: "512 invalid bodies, 1 to 3 mistakes each".to_owned(),
            bodies: mix::invalid_bodies(512, 2),
        },
        Input {
            name: "image_100kb",
            what: "one Veo body with a 100 KB base64 PNG data URI".to_owned(),
            bodies: vec![mix::image_body(3)],
        },
        Input {
            name: "realistic",
            what: "1,000 bodies: 90% valid, 9% invalid, 1% with a 100 KB image".to_owned(),
            bodies: mix::realistic_mix(1000, 4),
        },
        corpus,
    ]
}

fn main() {
    let estimates = Estimates::new(Estimates::default_dir());
    let mut criterion = Criterion::default()
        .output_directory(estimates.dir())
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
        .configure_from_args();
    let inputs = inputs();
    let compile = |bundle: Option<Result<serde_json::Value, String>>, path: std::path::PathBuf| {
        match bundle {
            None => {
                eprintln!(
                    "note: {} does not exist; its jsonschema rows are skipped",
                    path.display()
                );
                None
            }
            Some(bundle) => Some(
                bundle
                    .and_then(|bundle| schema::compile(&bundle))
                    .unwrap_or_else(|error| panic!("{error}")),
            ),
        }
    };
    let peer = compile(schema::pre_dispatch(), schema::pre_dispatch_path());
    let dispatch = compile(schema::bundle(), schema::bundle_path());
    if let Some(validator) = &peer {
        print_agreement(&inputs, validator, "the pre-dispatch bundle (root oneOf)");
    }
    if let Some(validator) = &dispatch {
        print_agreement(
            &inputs,
            validator,
            "the generated bundle (if/then/else dispatch)",
        );
    }
    let per_model = schema::PerModel::compile().unwrap_or_else(|error| panic!("{error}"));

    for input in &inputs {
        let mut group = criterion.benchmark_group(input.name);
        group.throughput(Throughput::BytesDecimal(input.bytes()));
        let bodies = &input.bodies;
        group.bench_function(ORUX, |b| {
            b.iter(|| {
                for body in bodies {
                    black_box(TaskRequest::from_json(black_box(body)).is_ok());
                }
            })
        });
        group.bench_function(SERDE_TYPED, |b| {
            b.iter(|| {
                for body in bodies {
                    black_box(floor::typed(black_box(body)).is_ok());
                }
            })
        });
        group.bench_function(SERDE_PLAIN, |b| {
            b.iter(|| {
                for body in bodies {
                    black_box(floor::plain(black_box(body)).is_ok());
                }
            })
        });
        group.bench_function(JS_MODEL_IS_VALID, |b| {
            b.iter(|| {
                for body in bodies {
                    black_box(per_model.is_valid(black_box(body)));
                }
            })
        });
        group.bench_function(JS_MODEL_ITER_ERRORS, |b| {
            b.iter(|| {
                for body in bodies {
                    black_box(per_model.error_paths(black_box(body)));
                }
            })
        });
        if let Some(validator) = &dispatch {
            group.bench_function(JS_DISPATCH_IS_VALID, |b| {
                b.iter(|| {
                    for body in bodies {
                        black_box(schema::is_valid(validator, black_box(body)));
                    }
                })
            });
            group.bench_function(JS_DISPATCH_ITER_ERRORS, |b| {
                b.iter(|| {
                    for body in bodies {
                        black_box(schema::error_paths(validator, black_box(body)));
                    }
                })
            });
        }
        if let Some(validator) = &peer {
            group.bench_function(JS_IS_VALID, |b| {
                b.iter(|| {
                    for body in bodies {
                        black_box(schema::is_valid(validator, black_box(body)));
                    }
                })
            });
            group.bench_function(JS_ITER_ERRORS, |b| {
                b.iter(|| {
                    for body in bodies {
                        black_box(schema::error_paths(validator, black_box(body)));
                    }
                })
            });
        }
        group.finish();
    }
    bench_image_parts(&mut criterion);
    criterion.final_summary();
    print_summary(&estimates, &inputs);
    print_image_parts(&estimates);
}

/// The pieces of the 100 KB image case, each timed alone, to show where the
/// time goes on both sides.
const IMAGE_PARTS: [(&str, &str); 6] = [
    (
        "orux_scan",
        "orux: scan the body (JSON grammar, UTF-8, borrowed strings)",
    ),
    ("orux_check_base64", "orux: check_base64 on the payload"),
    (
        "copy_uri",
        "copy the data URI into a String (what the typed request keeps)",
    ),
    (
        "serde_value",
        "serde_json::from_slice::<Value> (the peer's first step)",
    ),
    (
        "jsonschema_pattern",
        "jsonschema: the bundle's DataUri pattern alone",
    ),
    (
        "jsonschema_pattern_no_lookahead",
        "jsonschema: the same pattern without its trailing (?![\\s\\S])",
    ),
];

fn bench_image_parts(criterion: &mut Criterion) {
    use orux_runtime::__private::{DATA_URI_PATTERN, check_base64, parse_body};
    use serde_json::{Value, json};

    let body = mix::image_body(3);
    let value: Value = serde_json::from_slice(&body).unwrap_or_default();
    let uri = value["image"].as_str().unwrap_or_default().to_owned();
    let payload = uri.split_once(',').map_or("", |(_, p)| p).to_owned();
    let string = Value::from(uri.as_str());
    let pattern = |pattern: &str| {
        jsonschema::draft202012::new(&json!({"type": "string", "pattern": pattern}))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let with_lookahead = pattern(DATA_URI_PATTERN);
    let plain_end = DATA_URI_PATTERN.replace(r"$(?![\s\S])", "$");
    let without_lookahead = pattern(&plain_end);
    assert!(with_lookahead.is_valid(&string) && without_lookahead.is_valid(&string));
    let limits = orux_models::Limits::default();

    let mut group = criterion.benchmark_group("image_parts");
    group.throughput(Throughput::BytesDecimal(body.len() as u64));
    group.bench_function("orux_scan", |b| {
        b.iter(|| parse_body(black_box(&body), &limits).is_ok())
    });
    group.bench_function("orux_check_base64", |b| {
        b.iter(|| check_base64(black_box(payload.as_bytes())).is_ok())
    });
    group.bench_function("copy_uri", |b| {
        b.iter(|| black_box(uri.as_str()).to_owned())
    });
    group.bench_function("serde_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&body)).is_ok())
    });
    group.bench_function("jsonschema_pattern", |b| {
        b.iter(|| with_lookahead.is_valid(black_box(&string)))
    });
    group.bench_function("jsonschema_pattern_no_lookahead", |b| {
        b.iter(|| without_lookahead.is_valid(black_box(&string)))
    });
    group.finish();
}

fn print_image_parts(estimates: &Estimates) {
    let body_len = mix::image_body(3).len() as f64;
    println!("\n## Where the time goes: 100 KB image ({body_len} bytes)\n");
    println!("| part | time | MB/s of body |");
    println!("|---|---:|---:|");
    for (function, what) in IMAGE_PARTS {
        if let Some(ns) = estimates.median_ns("image_parts", function) {
            println!("| {what} | {} | {:.0} |", duration(ns), body_len / ns * 1e3);
        }
    }
}

/// Verdicts must agree, or the comparison is not like for like; and the
/// invalid mix shows how precise each side's error paths are.
fn print_agreement(inputs: &[Input], validator: &jsonschema::Validator, which: &str) {
    println!("\n## Verdicts and error paths (not timed), jsonschema with {which}\n");
    println!(
        "| input | bodies | orux valid | jsonschema valid | verdicts differ | orux errors | jsonschema errors | jsonschema errors at \"\" |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for input in inputs {
        let (mut ours_valid, mut theirs_valid, mut differ) = (0, 0, 0);
        let (mut ours_errors, mut theirs_errors, mut theirs_root) = (0, 0, 0);
        for body in &input.bodies {
            let ours = TaskRequest::from_json(body);
            let theirs = schema::error_paths(validator, body);
            ours_valid += usize::from(ours.is_ok());
            theirs_valid += usize::from(theirs.is_empty());
            differ += usize::from(ours.is_ok() != theirs.is_empty());
            ours_errors += ours.err().map_or(0, |e| e.errors.len());
            theirs_root += theirs.iter().filter(|path| path.is_empty()).count();
            theirs_errors += theirs.len();
        }
        println!(
            "| {} | {} | {ours_valid} | {theirs_valid} | {differ} | {ours_errors} | {theirs_errors} | {theirs_root} |",
            input.name,
            input.bodies.len()
        );
    }
}

fn print_summary(estimates: &Estimates, inputs: &[Input]) {
    println!("\n## Summary (median of each benchmark; ratio = its time / orux's time)\n");
    for input in inputs {
        let n = input.bodies.len() as f64;
        let bytes = input.bytes();
        println!("### {}: {} ({} bytes)\n", input.name, input.what, bytes);
        println!("| validator | per request | MB/s | time vs orux |");
        println!("|---|---:|---:|---:|");
        let ours = estimates.median_ns(input.name, ORUX);
        for function in FUNCTIONS {
            let Some(ns) = estimates.median_ns(input.name, function) else {
                continue;
            };
            let ratio = ours.map_or("-".to_owned(), |ours| format!("{:.2}x", ns / ours));
            println!(
                "| {function} | {} | {:.0} | {ratio} |",
                duration(ns / n),
                bytes as f64 / ns * 1e3
            );
        }
        println!();
    }
    println!("## Targets\n");
    let ratio = |group: &str, a: &str, b: &str| {
        Some(estimates.median_ns(group, a)? / estimates.median_ns(group, b)?)
    };
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    match ratio("valid", ORUX, SERDE_TYPED) {
        Some(r) => println!(
            "- valid mix: orux takes {r:.2}x the serde_typed floor (target <= 1.2x): {}",
            verdict(r <= 1.2)
        ),
        None => println!("- valid mix: not measured in this run"),
    }
    if let Some(r) = ratio("valid", ORUX, SERDE_PLAIN) {
        println!("  (and {r:.2}x the check-free serde_plain floor; no target)");
    }
    match ratio("valid", JS_MODEL_IS_VALID, ORUX) {
        Some(r) => println!(
            "- valid mix: orux is {r:.2}x faster than per-model jsonschema is_valid (target > 1x): {}",
            verdict(r > 1.0)
        ),
        None => println!("- valid mix: per-model jsonschema not measured in this run"),
    }
    match ratio("invalid", JS_MODEL_ITER_ERRORS, ORUX) {
        Some(r) => println!(
            "- invalid mix, all errors: orux is {r:.2}x faster than per-model jsonschema iter_errors (target >= 2x): {}",
            verdict(r >= 2.0)
        ),
        None => println!("- invalid mix: per-model jsonschema not measured in this run"),
    }
    if let Some(r) = ratio("invalid", JS_DISPATCH_ITER_ERRORS, ORUX) {
        println!("  (and {r:.2}x faster than iter_errors on the generated dispatching bundle)");
    }
    if let Some(r) = ratio("invalid", JS_ITER_ERRORS, ORUX) {
        println!("  (and {r:.1}x faster than iter_errors on the pre-dispatch root-oneOf bundle)");
    }
    if let Some(r) = ratio("valid", JS_DISPATCH_IS_VALID, ORUX) {
        println!(
            "- valid mix: orux is {r:.2}x faster than is_valid on the generated dispatching bundle (no target)"
        );
    }
    match ratio("image_100kb", JS_IS_VALID, ORUX) {
        Some(r) => println!(
            "- 100 KB image: orux is {r:.1}x faster than jsonschema is_valid, pre-dispatch bundle (target >= 5x): {}",
            verdict(r >= 5.0)
        ),
        None => println!("- 100 KB image: jsonschema not measured in this run"),
    }
    if let Some(r) = ratio("image_100kb", JS_ITER_ERRORS, ORUX) {
        println!("  (and {r:.1}x faster than jsonschema iter_errors)");
    }
}
