//! Generator scale: each stage of `models.yaml` → Rust, timed separately, on
//! the real spec (17 models) and synthetic specs of 1,000 and (with
//! `ORUX_BENCH_LARGE=1`) 10,000 models. Run with `cargo bench --bench generator`.
//!
//! Stages: `yaml::parse` (text → located tree), `spec::read` (tree → spec,
//! shape checks), `lower::lower` (spec → IR, meaning checks), `load` (the three
//! together, as `orux_codegen::load`), `emit_rust` (`emit::rust_files`: IR →
//! token streams → prettyplease-formatted files) and `generate` (everything
//! `cargo xtask regenerate` computes, all outputs included).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use orux_benches::summary::{Estimates, duration};
use orux_benches::synthetic_spec;
use orux_codegen::diagnostic::Sink;
use orux_codegen::{emit, lower, spec, yaml};

/// Set to run the 10,000-model spec too (about a minute per stage sample).
const LARGE_ENV: &str = "ORUX_BENCH_LARGE";

const STAGES: [&str; 6] = ["yaml_parse", "spec_read", "lower", "load", "emit_rust", "generate"];

struct Size {
    group: String,
    models: usize,
    text: String,
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
    let mut counts = vec![real_models, 1000];
    if std::env::var_os(LARGE_ENV).is_some() {
        counts.push(10_000);
    } else {
        eprintln!("note: set {LARGE_ENV}=1 to time the 10,000-model spec too");
    }
    let sizes: Vec<Size> = counts
        .into_iter()
        .map(|models| Size {
            group: format!("generator_{models}"),
            models,
            text: synthetic_spec::with_models(&real, models).unwrap_or_else(|e| panic!("{e}")),
        })
        .collect();

    for size in &sizes {
        let text = size.text.as_str();
        let tree = yaml::parse(text).unwrap_or_else(|e| panic!("{}", e.message));
        let mut sink = Sink::default();
        let spec = spec::read(&tree, &mut sink);
        let ir = lower::lower(&spec, &mut sink).unwrap_or_else(|| panic!("lowering failed"));
        assert!(sink.is_empty(), "the synthetic spec has errors");
        assert_eq!(ir.models.len(), size.models);

        let mut group = criterion.benchmark_group(&size.group);
        group.throughput(Throughput::Elements(size.models as u64));
        group.bench_function("yaml_parse", |b| b.iter(|| yaml::parse(black_box(text))));
        group.bench_function("spec_read", |b| {
            b.iter(|| spec::read(black_box(&tree), &mut Sink::default()))
        });
        group.bench_function("lower", |b| {
            b.iter(|| lower::lower(black_box(&spec), &mut Sink::default()))
        });
        group.bench_function("load", |b| {
            b.iter(|| orux_codegen::load(black_box(text), "models.yaml"))
        });
        group.bench_function("emit_rust", |b| b.iter(|| emit::rust_files(black_box(&ir))));
        group.bench_function("generate", |b| {
            b.iter(|| orux_codegen::generate(black_box(text), "models.yaml"))
        });
        group.finish();
    }
    criterion.final_summary();
    print_summary(&estimates, &sizes);
}

fn print_summary(estimates: &Estimates, sizes: &[Size]) {
    println!("\n## Generator: time per stage (median)\n");
    print!("| stage |");
    for size in sizes {
        print!(" {} models | per model |", size.models);
    }
    println!();
    println!("|---|{}", "---:|---:|".repeat(sizes.len()));
    for stage in STAGES {
        print!("| {stage} |");
        for size in sizes {
            match estimates.median_ns(&size.group, stage) {
                Some(ns) => print!(
                    " {} | {} |",
                    duration(ns),
                    duration(ns / size.models as f64)
                ),
                None => print!(" - | - |"),
            }
        }
        println!();
    }

    println!("\n## Generated Rust (not timed)\n");
    println!("| models | files | lines of Rust | lines per model |");
    println!("|---:|---:|---:|---:|");
    let mut lines_at = Vec::new();
    for size in sizes {
        let ir = orux_codegen::load(&size.text, "models.yaml").unwrap_or_else(|e| panic!("{e}"));
        let files = emit::rust_files(&ir).unwrap_or_else(|e| panic!("{e}"));
        let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
        lines_at.push((size.models, lines));
        println!(
            "| {} | {} | {lines} | {:.0} |",
            size.models,
            files.len(),
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
    match (generate(1000), generate(10_000)) {
        (Some(small), Some(large)) => {
            let r = large / small;
            println!(
                "- 10,000 models: {} = {r:.1}x the 1,000-model time (target <= 12x): {}",
                duration(large),
                if r <= 12.0 { "met" } else { "MISSED" }
            );
        }
        _ => println!("- 10,000 models: not measured (set {LARGE_ENV}=1)"),
    }
}
