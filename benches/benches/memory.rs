//! Heap use per request (not timed): peak bytes and allocations of each
//! validator on the 100 KB image body and on the valid mix, measured with a
//! counting global allocator. Run with `cargo bench --bench memory`.
//!
//! The image body's data URI is 102,734 bytes; a validator that keeps the
//! image in its typed result must copy it once, and should not copy it twice.
//! Each closure returns only the verdict, so the result is dropped inside the
//! measurement: "held after the call" is what the validator itself keeps.

use orux_benches::alloc::{Counting, Usage, measure};
use orux_benches::{floor, mix, schema};
use orux_models::TaskRequest;

#[global_allocator]
static ALLOC: Counting = Counting;

type Run<'a> = Box<dyn Fn(&[u8]) -> bool + 'a>;

fn main() {
    let validator = schema::bundle().map(|bundle| {
        bundle
            .and_then(|bundle| schema::compile(&bundle))
            .unwrap_or_else(|error| panic!("{error}"))
    });
    let mut runs: Vec<(&str, Run)> = vec![
        ("orux", Box::new(|b| TaskRequest::from_json(b).is_ok())),
        ("serde_typed", Box::new(|b| floor::typed(b).is_ok())),
        ("serde_plain", Box::new(|b| floor::plain(b).is_ok())),
    ];
    if let Some(validator) = &validator {
        runs.push((
            "jsonschema_is_valid",
            Box::new(|b| schema::is_valid(validator, b)),
        ));
        runs.push((
            "jsonschema_iter_errors",
            Box::new(|b| schema::error_paths(validator, b).is_empty()),
        ));
    } else {
        eprintln!("note: no bundle yet; the jsonschema rows are skipped");
    }

    let image = mix::image_body(3);
    let uri_len = image_uri_len(&image);
    println!(
        "\n## Heap per request: 100 KB image body ({} bytes, data URI {uri_len} bytes)\n",
        image.len()
    );
    println!("| validator | peak heap | peak / data URI | allocations | held after the call |");
    println!("|---|---:|---:|---:|---:|");
    for (name, run) in &runs {
        // Once first, so that lazily built caches (compiled regexes) are
        // not counted as the cost of a request.
        run(&image);
        let (valid, usage) = measure(|| run(&image));
        assert!(valid, "{name} rejects the image body");
        println!(
            "| {name} | {} B | {:.2} | {} | {} B |",
            usage.peak_bytes,
            usage.peak_bytes as f64 / uri_len as f64,
            usage.allocations,
            usage.retained_bytes
        );
    }

    let valid = mix::valid_bodies(512, 1);
    let bytes: usize = valid.iter().map(Vec::len).sum();
    println!(
        "\n## Heap per request: valid mix (512 bodies, {:.0} bytes on average)\n",
        bytes as f64 / valid.len() as f64
    );
    println!(
        "| validator | allocations per request | bytes allocated per request | largest peak |"
    );
    println!("|---|---:|---:|---:|");
    for (name, run) in &runs {
        let mut total = Usage::default();
        for body in &valid {
            let (_, usage) = measure(|| run(body));
            total.allocations += usage.allocations;
            total.allocated_bytes += usage.allocated_bytes;
            total.peak_bytes = total.peak_bytes.max(usage.peak_bytes);
        }
        let n = valid.len() as f64;
        println!(
            "| {name} | {:.1} | {:.0} | {} B |",
            total.allocations as f64 / n,
            total.allocated_bytes as f64 / n,
            total.peak_bytes
        );
    }
}

/// The length of the body's `image` string.
fn image_uri_len(body: &[u8]) -> usize {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    value["image"].as_str().map_or(0, str::len)
}
