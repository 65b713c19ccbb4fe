//! The generator's linear-time claims as measurements: the spec checks that
//! find duplicate model ids and twin value sets are timed on a spec of size
//! n and of size 4n, and the ratio of the medians is printed (about 4 when
//! the check is linear, about 16 when it is quadratic). The tests in
//! `tests/tests/suite/hostile_specs.rs` pin what these specs report; the
//! time is claimed here, since an untimed test passes a quadratic check,
//! only slowly.
//!
//! `cargo bench --bench linear` (seconds). No criterion: each size is run
//! a few times and the median kept, which is enough to tell 4x from 16x.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// `n` models that are not mappings, each written twice: n duplicate ids.
fn duplicate_keys(n: usize) -> String {
    let mut text = String::from("version: 1\nmodels:\n");
    for round in 1..=2 {
        for i in 0..n {
            text.push_str(&format!("  m{i}: {round}\n"));
        }
    }
    text
}

/// `n` value sets, each used by one parameter; every tenth repeats the
/// values of the one before it (a twin).
fn twin_value_sets(n: usize) -> String {
    let mut text = String::from("version: 1\nvalue_sets:\n");
    for i in 0..n {
        let value = if i % 10 == 9 { i - 1 } else { i };
        text.push_str(&format!(
            "  s{i}: {{description: d, variant_prefix: V, values: [{value}]}}\n"
        ));
    }
    text.push_str("models:\n  m:\n    name: M\n    vendor: V\n    description: d\n    kind: upscale\n    max_duration: null\n    capabilities: []\n    params:\n");
    for i in 0..n {
        text.push_str(&format!(
            "      p{i}: {{type: enum, values: s{i}, description: d}}\n"
        ));
    }
    text
}

/// Builds a spec of a given size.
type SpecOfSize = fn(usize) -> String;

/// The median time of loading (and rejecting) `text`, over `runs` runs.
fn median_load(text: &str, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let outcome = orux_codegen::load(black_box(text), "linear.yaml");
            black_box(outcome.is_err());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; a filter would be the first other argument.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let cases: [(&str, SpecOfSize, usize); 2] = [
        ("duplicate model ids", duplicate_keys, 2_500),
        ("twin value sets", twin_value_sets, 1_750),
    ];
    println!(
        "\n## Linear-time checks (median of 5 runs; ratio of 4n to n: ~4 linear, ~16 quadratic)\n"
    );
    println!("| check | n | time at n | time at 4n | ratio | |");
    println!("|---|---:|---:|---:|---:|---|");
    for (name, spec, n) in cases {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let small = spec(n);
        let large = spec(4 * n);
        median_load(&small, 1); // warm-up
        let t_small = median_load(&small, 5);
        let t_large = median_load(&large, 5);
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9);
        // Between linear (4) and quadratic (16); n·log n at these sizes is ~4.7.
        let verdict = if ratio < 8.0 { "linear" } else { "NOT LINEAR" };
        println!(
            "| {name} | {n} | {:.1} ms | {:.1} ms | {ratio:.1} | {verdict} |",
            t_small.as_secs_f64() * 1e3,
            t_large.as_secs_f64() * 1e3
        );
    }
}
