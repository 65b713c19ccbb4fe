//! Generator scale: each stage of `models.yaml` → generated files, timed
//! separately, on the real spec and on synthetic specs of 100 and 1,000
//! models, and (with `ORUX_BENCH_LARGE=1`, some minutes) 10,000 models. Run
//! with `cargo bench --bench generator`.
//!
//! Stages: `yaml_parse` (text → located tree), `spec_read` (tree → spec,
//! shape checks), `lower` (spec → IR, meaning checks), `load` (the three, as
//! `orux_codegen::load`), `emit_rust` (`emit::rust_files`: IR → tokens →
//! syn → prettyplease), `emit_all` (`emit::all_files`: the Rust files plus
//! the JSON Schema bundle and documents) and `generate` (`load` + `emit_all`,
//! what `cargo xtask regenerate` computes).
//!
//! Every size is loaded whole with [`synthetic_spec::limits`]: a 10,000-model
//! spec (about 6 MB, 45,000 parameters) is past the default caps against
//! hostile specs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use orux_benches::summary::{Estimates, duration};
use orux_benches::synthetic_spec;
use orux_codegen::diagnostic::Sink;
use orux_codegen::ir::Ir;
use orux_codegen::{emit, lower, spec, yaml};

/// Set to run the 10,000-model spec too.
const LARGE_ENV: &str = "ORUX_BENCH_LARGE";
const STAGES: [&str; 7] = [
    "yaml_parse",
    "spec_read",
    "lower",
    "load",
    "emit_rust",
    "emit_all",
    "generate",
];

struct Size {
    group: String,
    models: usize,
    text: String,
}

impl Size {
    fn new(real: &str, models: usize) -> Size {
        Size {
            group: format!("generator_{models}"),
            models,
            text: synthetic_spec::with_models(real, models).unwrap_or_else(|e| panic!("{e}")),
        }
    }

    fn load(&self) -> Ir {
        synthetic_spec::load(&self.text).unwrap_or_else(|e| panic!("{e}"))
    }
}

fn main() {
    let estimates = Estimates::new(Estimates::default_dir());
    let mut criterion = Criterion::default()
        .output_directory(estimates.dir())
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10)
        .configure_from_args();

    let real = synthetic_spec::real().unwrap_or_else(|e| panic!("{e}"));
    let real_models = orux_codegen::load(&real, "models.yaml")
        .unwrap_or_else(|e| panic!("{e}"))
        .models
        .len();
    let mut counts = vec![real_models, 100, 1000];
    if std::env::var_os(LARGE_ENV).is_some() {
        counts.push(10_000);
    } else {
        eprintln!("note: set {LARGE_ENV}=1 to time the 10,000-model spec too");
    }
    let sizes: Vec<Size> = counts.into_iter().map(|n| Size::new(&real, n)).collect();
    let limits = synthetic_spec::limits();

    for size in &sizes {
        let ir = size.load();
        assert_eq!(ir.models.len(), size.models);
        let mut group = criterion.benchmark_group(&size.group);
        group.throughput(Throughput::Elements(size.models as u64));
        let text = size.text.as_str();
        let tree =
            yaml::parse(text, limits.max_spec_bytes).unwrap_or_else(|e| panic!("{}", e.message));
        let mut sink = Sink::default();
        let spec = spec::read(&tree, &mut sink);
        assert!(sink.is_empty(), "the synthetic spec has errors");
        group.bench_function("yaml_parse", |b| {
            b.iter(|| yaml::parse(black_box(text), limits.max_spec_bytes))
        });
        group.bench_function("spec_read", |b| {
            b.iter(|| spec::read(black_box(&tree), &mut Sink::default()))
        });
        group.bench_function("lower", |b| {
            b.iter(|| lower::lower(black_box(&spec), &mut Sink::default(), &limits))
        });
        group.bench_function("load", |b| b.iter(|| synthetic_spec::load(black_box(text))));
        group.bench_function("emit_rust", |b| b.iter(|| emit::rust_files(black_box(&ir))));
        group.bench_function("emit_all", |b| b.iter(|| emit::all_files(black_box(&ir))));
        group.bench_function("generate", |b| {
            b.iter(|| {
                orux_codegen::generate_with_limits(black_box(text), "synthetic.yaml", &limits)
            })
        });
        group.finish();
    }
    criterion.final_summary();
    print_summary(&estimates, &sizes);
}

fn print_summary(estimates: &Estimates, sizes: &[Size]) {
    println!("\n## Generator: time per stage (median; per model in brackets)\n");
    print!("| stage |");
    for size in sizes {
        print!(" {} models |", size.models);
    }
    println!();
    println!("|---|{}", "---:|".repeat(sizes.len()));
    for stage in STAGES {
        print!("| {stage} |");
        for size in sizes {
            match estimates.median_ns(&size.group, stage) {
                Some(ns) => print!(
                    " {} ({}) |",
                    duration(ns),
                    duration(ns / size.models as f64)
                ),
                None => print!(" - |"),
            }
        }
        println!();
    }

    println!("\n## Generated files (not timed)\n");
    println!("| models | Rust files | lines of Rust | lines per model | JSON bytes |");
    println!("|---:|---:|---:|---:|---:|");
    let mut lines_at = Vec::new();
    for size in sizes {
        let files = emit::all_files(&size.load()).unwrap_or_else(|e| panic!("{e}"));
        let (rust, json): (Vec<_>, Vec<_>) = files
            .iter()
            .partition(|f| f.path.extension().is_some_and(|e| e == "rs"));
        let lines: usize = rust.iter().map(|f| f.contents.lines().count()).sum();
        let json_bytes: usize = json.iter().map(|f| f.contents.len()).sum();
        lines_at.push((size.models, lines));
        println!(
            "| {} | {} | {lines} | {:.0} | {json_bytes} |",
            size.models,
            rust.len(),
            lines as f64 / size.models as f64
        );
    }
    if let [(small, small_lines), .., (large, large_lines)] = lines_at[..] {
        println!(
            "\nMarginal: {:.1} lines of Rust per added model ({small} → {large} models).",
            (large_lines - small_lines) as f64 / (large - small) as f64
        );
    }

    println!("\n## Targets\n");
    let generate = |models: usize| estimates.median_ns(&format!("generator_{models}"), "generate");
    match generate(1000) {
        Some(ns) => println!(
            "- 1,000 models: generate takes {} (target < 1 s): {}",
            duration(ns),
            if ns < 1e9 { "met" } else { "MISSED" }
        ),
        None => println!("- 1,000 models: not measured in this run"),
    }
    for (small, large) in [(100, 1000), (1000, 10_000)] {
        match (generate(small), generate(large)) {
            (Some(a), Some(b)) => {
                let r = b / a;
                println!(
                    "- {large} models take {r:.1}x the {small}-model time (target <= 12x for 10x the models): {}",
                    if r <= 12.0 { "met" } else { "MISSED" }
                );
            }
            _ => println!("- {large} vs {small} models: not measured (10,000 needs {LARGE_ENV}=1)"),
        }
    }
}
