//! The client's costs: one submission through `orux_client` against a
//! loopback server, beside a plain reqwest POST of the same bytes to the same
//! server in the same run; and Standard Webhooks verification of a 1 KB event
//! (owned and borrowed event, the signature alone, and the plain serde read).
//! Run with `cargo bench --bench client`; BENCHMARKS.md ("Client") explains
//! the rows. The summary at the end gives the ratio and the rate the targets
//! are stated in.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, Throughput};
use orux_benches::summary::{Estimates, duration};
use orux_client::webhooks::{
    Verifier, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP, WebhookEvent,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &[u8] = br#"{"model":"sora2","prompt":"A drone shot flying over Tokyo at sunset, cinematic","duration":10,"aspect_ratio":"9:16"}"#;
const SUBMITTED: &[u8] = br#"{"task_id":"task_01JABCDEFGHJKMNPQRSTVWXYZ","status":"QUEUED","submit_time":"2026-06-04T22:00:00"}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `SUBMITTED`:
/// as little server work as possible, so the client's share shows.
async fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let response = [
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            SUBMITTED.len()
        )
        .as_bytes(),
        SUBMITTED,
    ]
    .concat();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(8192);
                loop {
                    // Requests, one at a time: head, then content-length bytes.
                    let Some(end) = find(&buf, b"\r\n\r\n") else {
                        let mut chunk = [0u8; 4096];
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|line| line.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < end + 4 + length {
                        let mut chunk = [0u8; 4096];
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..end + 4 + length);
                    if stream.write_all(&response).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A task event padded with result URLs to about 1 KB.
fn event_1kb() -> Vec<u8> {
    let mut urls: Vec<String> = Vec::new();
    loop {
        let event = serde_json::json!({
            "task_id": "task_01JABCDEFGHJKMNPQRSTVWXYZ",
            "status": "SUCCESS",
            "submit_time": "2026-06-04T22:00:00",
            "result_urls": urls,
            "duration_sec": 38,
        });
        let body = serde_json::to_vec(&event).expect("serializes");
        if body.len() >= 1000 {
            return body;
        }
        urls.push(format!(
            "https://cdn.orux.example/results/task_01JABCDEFGHJKMNPQRSTVWXYZ/{:02}.mp4",
            urls.len()
        ));
    }
}

fn main() {
    let estimates = Estimates::new(Estimates::default_dir());
    let mut criterion = Criterion::default()
        .output_directory(estimates.dir())
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
        .configure_from_args();

    // One thread drives client and server alike, as a loopback benchmark on a
    // shared machine should: no cross-core handoff in either row.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let url = runtime.block_on(server());
    let client = orux_client::Client::builder("sk-app-bench")
        .base_url(&url)
        .build()
        .expect("client");
    // The plain peer gets the same TLS provider the client builds with (no
    // TLS is spoken on loopback http; reqwest wants a provider regardless).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let plain = reqwest::Client::new();
    let tasks = format!("{url}/api/v1/tasks");

    let mut group = criterion.benchmark_group("submit");
    group.throughput(Throughput::Elements(1));
    group.bench_function("orux_client", |b| {
        b.iter(|| {
            let submitted = runtime
                .block_on(client.submit_json(black_box(BODY)))
                .expect("accepted");
            black_box(submitted)
        })
    });
    group.bench_function("plain_reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = plain
                    .post(&tasks)
                    .header("authorization", "Bearer sk-app-bench")
                    .header("content-type", "application/json")
                    .body(black_box(BODY))
                    .send()
                    .await
                    .expect("sent");
                black_box(response.bytes().await.expect("body"))
            })
        })
    });
    group.finish();

    let verifier = Verifier::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").expect("secret");
    let body = event_1kb();
    let timestamp = 1_700_000_000;
    let signature = verifier.sign("msg_2bench", timestamp, &body);
    let headers = [
        (WEBHOOK_ID, "msg_2bench".to_owned()),
        (WEBHOOK_TIMESTAMP, timestamp.to_string()),
        (WEBHOOK_SIGNATURE, signature),
    ];
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(timestamp + 5);
    let mut group = criterion.benchmark_group("webhook");
    group.throughput(Throughput::Elements(1));
    group.bench_function("verify_1kb", |b| {
        b.iter(|| {
            black_box(
                verifier
                    .verify(&headers, black_box(&body), now)
                    .expect("valid"),
            )
        })
    });
    group.bench_function("verify_borrowed_1kb", |b| {
        b.iter(|| {
            black_box(
                verifier
                    .verify_borrowed(&headers, black_box(&body), now)
                    .expect("valid"),
            )
        })
    });
    group.bench_function("verify_signature_1kb", |b| {
        b.iter(|| {
            verifier
                .verify_signature(&headers, black_box(&body), now)
                .expect("valid")
        })
    });
    // The event read as `verify` did before it had its own reader: the
    // difference to `verify - verify_signature` is what that reader saves.
    group.bench_function("from_slice_event_1kb", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<WebhookEvent>(black_box(&body)).expect("event"))
        })
    });
    group.finish();
    criterion.final_summary();

    println!("\n## Client summary\n");
    println!("webhook body: {} bytes", body.len());
    println!("| row | median | per second |\n|---|---|---|");
    for (group, function) in [
        ("submit", "orux_client"),
        ("submit", "plain_reqwest"),
        ("webhook", "verify_1kb"),
        ("webhook", "verify_borrowed_1kb"),
        ("webhook", "verify_signature_1kb"),
        ("webhook", "from_slice_event_1kb"),
    ] {
        if let Some(ns) = estimates.median_ns(group, function) {
            println!(
                "| {group}/{function} | {} | {:.0} |",
                duration(ns),
                1e9 / ns
            );
        }
    }
    if let (Some(ours), Some(peer)) = (
        estimates.median_ns("submit", "orux_client"),
        estimates.median_ns("submit", "plain_reqwest"),
    ) {
        let ratio = ours / peer;
        let verdict = if ratio <= 1.10 { "met" } else { "MISSED" };
        println!("\nsubmit overhead: {ratio:.3}x plain reqwest (target <= 1.10x): {verdict}");
    }
    for function in ["verify_1kb", "verify_borrowed_1kb"] {
        if let Some(ns) = estimates.median_ns("webhook", function) {
            let rate = 1e9 / ns;
            let verdict = if rate >= 500_000.0 { "met" } else { "MISSED" };
            println!(
                "webhook {function}: {rate:.0}/s on one core (target >= 500,000/s): {verdict}"
            );
        }
    }
    if let Some(signature) = estimates.median_ns("webhook", "verify_signature_1kb") {
        for function in ["verify_1kb", "verify_borrowed_1kb"] {
            if let Some(full) = estimates.median_ns("webhook", function) {
                println!(
                    "webhook {function} / signature alone: {:.2}x (the event read costs {})",
                    full / signature,
                    duration(full - signature)
                );
            }
        }
    }
}
