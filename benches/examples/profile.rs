//! Runs one validator over one bench input many times, for a profiler:
//!
//! ```sh
//! cargo build --release -p orux-benches --example profile
//! valgrind --tool=callgrind --toggle-collect='*profile::run*' \
//!     target/release/examples/profile valid orux 20
//! ```
//!
//! `--toggle-collect` counts only the validation loop, so the instruction
//! total divided by (rounds x bodies) is the cost of one request, the same on
//! every run whatever else the machine is doing. Inputs: `valid`, `invalid`,
//! `image_100kb`, `realistic`; validators: `orux`, `serde_typed`,
//! `serde_plain`, `jsonschema_is_valid`, `jsonschema_iter_errors`.
//!
//! The generator: `profile generator:MODELS STAGE ROUNDS`, with a synthetic
//! spec of MODELS models (loaded with `synthetic_spec::limits`) and STAGE one
//! of `load`, `emit_rust`, `emit_all`, `generate`.

use std::hint::black_box;
use std::process::ExitCode;

use orux_benches::{floor, mix, schema};
use orux_models::TaskRequest;

/// A validator under test: body → verdict.
type Check = Box<dyn Fn(&[u8]) -> bool>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, validator, rounds] = &args[..] else {
        eprintln!("usage: profile INPUT VALIDATOR ROUNDS");
        return ExitCode::from(2);
    };
    let Ok(rounds) = rounds.parse::<usize>() else {
        eprintln!("ROUNDS must be a number");
        return ExitCode::from(2);
    };
    if let Some(models) = input.strip_prefix("generator:") {
        return generator(models, validator, rounds);
    }
    let bodies = match input.as_str() {
        "valid" => mix::valid_bodies(512, 1),
        "invalid" => mix::invalid_bodies(512, 2),
        "image_100kb" => vec![mix::image_body(3)],
        "realistic" => mix::realistic_mix(1000, 4),
        other => {
            eprintln!("unknown input {other}");
            return ExitCode::from(2);
        }
    };
    let peer = || {
        let bundle = schema::bundle()
            .ok_or("no bundle")
            .and_then(|b| b.map_err(|_| "unreadable bundle"));
        bundle.and_then(|b| schema::compile(&b).map_err(|_| "bundle does not compile"))
    };
    let check: Check = match validator.as_str() {
        "orux" => Box::new(|b| TaskRequest::from_json(b).is_ok()),
        "serde_typed" => Box::new(|b| floor::typed(b).is_ok()),
        "serde_plain" => Box::new(|b| floor::plain(b).is_ok()),
        "jsonschema_is_valid" | "jsonschema_iter_errors" => match peer() {
            Ok(compiled) if validator == "jsonschema_is_valid" => {
                Box::new(move |b| schema::is_valid(&compiled, b))
            }
            Ok(compiled) => Box::new(move |b| schema::error_paths(&compiled, b).is_empty()),
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::from(2);
            }
        },
        other => {
            eprintln!("unknown validator {other}");
            return ExitCode::from(2);
        }
    };
    let valid = run(&bodies, rounds, &*check);
    eprintln!(
        "{input}/{validator}: {} requests, {valid} valid",
        bodies.len() * rounds
    );
    ExitCode::SUCCESS
}

/// The measured loop; its name is what `--toggle-collect` matches.
#[inline(never)]
fn run(bodies: &[Vec<u8>], rounds: usize, check: &dyn Fn(&[u8]) -> bool) -> usize {
    let mut valid = 0;
    for _ in 0..rounds {
        for body in bodies {
            valid += usize::from(black_box(check(black_box(body))));
        }
    }
    valid
}

fn generator(models: &str, stage: &str, rounds: usize) -> ExitCode {
    use orux_benches::synthetic_spec;
    let loaded = models
        .parse::<usize>()
        .map_err(|e| e.to_string())
        .and_then(|models| synthetic_spec::with_models(&synthetic_spec::real()?, models))
        .and_then(|text| Ok((synthetic_spec::load(&text)?, text)));
    let (ir, text) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let work: Box<dyn Fn() -> bool> = match stage {
        "load" => Box::new(|| synthetic_spec::load(&text).is_ok()),
        "emit_rust" => Box::new(|| orux_codegen::emit::rust_files(&ir).is_ok()),
        "emit_all" => Box::new(|| orux_codegen::emit::all_files(&ir).is_ok()),
        "generate" => Box::new(|| {
            orux_codegen::generate_with_limits(&text, "synthetic.yaml", &synthetic_spec::limits())
                .is_ok()
        }),
        other => {
            eprintln!("unknown stage {other}");
            return ExitCode::from(2);
        }
    };
    let ok = run_stage(rounds, &*work);
    eprintln!("generator:{models}/{stage}: {rounds} rounds, {ok} ok");
    ExitCode::SUCCESS
}

/// The measured loop of a generator stage; matched by `--toggle-collect='*profile::run*'`.
#[inline(never)]
fn run_stage(rounds: usize, work: &dyn Fn() -> bool) -> usize {
    (0..rounds).filter(|_| black_box(work())).count()
}
