//! `wait` on 1,000 concurrent 30-second tasks against the mock server: polls
//! per task and the client's CPU time (issue 12's last client target).
//!
//! Run with `cargo bench -p orux-benches --bench client_wait` (about 82 s of
//! wall time); BENCHMARKS.md ("Client") has the numbers and how to read them.
//! CI builds it and never runs it.
//!
//! The mock server (`orux_mock::Server`, 30-second tasks) runs in a child
//! process: this same executable started again with `ORUX_WAIT_BENCH_SERVER`
//! set, so its CPU time is not the client's. The child counts the requests it
//! serves (from the mock's own per-request log events) and prints the counts
//! when its standard input closes, which also stops it if this process dies.
//!
//! The client side, on one current-thread tokio runtime: one `orux_client::Client`,
//! 1,000 submissions, then 1,000 concurrent waits with the default
//! `WaitOptions`, in two rounds, each against a fresh server:
//! - `watch`, drained to its terminal status: exactly what `Client::wait`
//!   (and `orux wait`) does, polling at once and then on the schedule;
//! - `watch_submitted`: what `Client::submit_and_wait` (and `orux submit
//!   --wait`) does for a task just submitted, first poll 1 s later, which
//!   is the schedule as the API decisions give it (about 7 polls for 30 s).
//!
//! CPU is `getrusage(RUSAGE_SELF)` user + system of this process only.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use orux_client::{Client, WaitOptions};
use orux_models::responses::TaskStatus;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Set in the child's environment: run the mock server instead of the bench.
const SERVER_ENV: &str = "ORUX_WAIT_BENCH_SERVER";
const TASKS: usize = 1_000;
const TASK_DURATION: Duration = Duration::from_secs(30);
const BODY: &[u8] =
    br#"{"model":"sora2","prompt":"A paper boat on a pond, morning light","duration":5}"#;

fn main() {
    if std::env::var_os(SERVER_ENV).is_some() {
        if let Err(message) = serve() {
            eprintln!("client_wait server: {message}");
            std::process::exit(1);
        }
        return;
    }
    // `cargo bench -- NAME` runs every bench target with the filter: this
    // one runs only when it is named or nothing is.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| "client_wait".contains(f.as_str())) {
        return;
    }
    for first_poll in [FirstPoll::AtOnce, FirstPoll::AfterOneSecond] {
        if let Err(message) = bench(first_poll) {
            eprintln!("client_wait: {message}");
            std::process::exit(1);
        }
    }
}

// ---- The child: the mock server and its request counter. ----

/// Requests served, by method, counted from the mock's `request` log events.
#[derive(Default)]
struct Served {
    gets: AtomicU64,
    posts: AtomicU64,
    /// Requests answered with anything but 2xx.
    failed: AtomicU64,
}

struct CountRequests(Arc<Served>);

/// The `method` and `status` fields of one log event.
#[derive(Default)]
struct RequestFields {
    method: String,
    status: u64,
}

impl Visit for RequestFields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "status" {
            self.status = value;
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "method" {
            self.method = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for CountRequests {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "orux_mock" {
            return;
        }
        let mut fields = RequestFields::default();
        event.record(&mut fields);
        let counter = match fields.method.as_str() {
            "GET" => &self.0.gets,
            "POST" => &self.0.posts,
            _ => return,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if !(200..300).contains(&fields.status) {
            self.0.failed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn serve() -> Result<(), String> {
    let served = Arc::new(Served::default());
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(CountRequests(Arc::clone(&served))),
    )
    .map_err(|error| format!("cannot install the request counter: {error}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start a runtime: {error}"))?;
    runtime.block_on(async {
        let config = orux_mock::Config {
            addr: "127.0.0.1:0".parse().map_err(|_| "bad address")?,
            task_duration: TASK_DURATION,
            ..orux_mock::Config::default()
        };
        let server = orux_mock::Server::bind(config)
            .await
            .map_err(|error| error.to_string())?;
        println!("{}", server.base_url());
        std::io::stdout()
            .flush()
            .map_err(|error| error.to_string())?;
        // Serve until the parent closes our standard input (or dies).
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
        server.shutdown().await;
        Ok::<(), String>(())
    })?;
    println!(
        "served GET={} POST={} failed={}",
        served.gets.load(Ordering::Relaxed),
        served.posts.load(Ordering::Relaxed),
        served.failed.load(Ordering::Relaxed)
    );
    Ok(())
}

// ---- The parent: the client under measurement. ----

/// The mock server process; killed if the bench stops early.
struct ServerProcess {
    child: Child,
    stdout: BufReader<std::process::ChildStdout>,
}

impl ServerProcess {
    fn start() -> Result<(ServerProcess, String), String> {
        let exe = std::env::current_exe().map_err(|error| error.to_string())?;
        let mut child = Command::new(exe)
            .env(SERVER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start the server process: {error}"))?;
        let stdout = child.stdout.take().ok_or("no server stdout")?;
        let mut server = ServerProcess {
            child,
            stdout: BufReader::new(stdout),
        };
        let url = server.line()?;
        if !url.starts_with("http://127.0.0.1:") {
            return Err(format!("the server said {url:?}, not its URL"));
        }
        Ok((server, url))
    }

    fn line(&mut self) -> Result<String, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(0) => Err("the server process exited".to_owned()),
            Ok(_) => Ok(line.trim().to_owned()),
            Err(error) => Err(error.to_string()),
        }
    }

    /// Closes its standard input and reads its request counts: `(GET, POST, failed)`.
    fn stop(mut self) -> Result<(u64, u64, u64), String> {
        drop(self.child.stdin.take());
        let counts = self.line()?;
        let _ = self.child.wait();
        let mut numbers = counts
            .strip_prefix("served ")
            .ok_or_else(|| format!("unexpected server output {counts:?}"))?
            .split(' ')
            .filter_map(|part| part.split_once('=')?.1.parse::<u64>().ok());
        match (numbers.next(), numbers.next(), numbers.next()) {
            (Some(gets), Some(posts), Some(failed)) => Ok((gets, posts, failed)),
            _ => Err(format!("unexpected server output {counts:?}")),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // After `stop` it has exited and this does nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User + system CPU time of this process, and its peak RSS in KiB.
fn usage() -> (Duration, u64) {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage, and RUSAGE_SELF is always valid.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return (Duration::ZERO, 0);
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    (
        time(usage.ru_utime) + time(usage.ru_stime),
        u64::try_from(usage.ru_maxrss).unwrap_or(0),
    )
}

/// Open file descriptors of this process (sockets included).
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |dir| dir.count())
}

/// The 1-, 5- and 15-minute load averages.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split(' ').take(3).collect::<Vec<_>>().join(" ")
}

/// When a wait polls first.
#[derive(Clone, Copy, Debug)]
enum FirstPoll {
    /// `Client::watch` / `Client::wait`: at once.
    AtOnce,
    /// `Client::watch_submitted` / `Client::submit_and_wait`: 1 s later.
    AfterOneSecond,
}

impl FirstPoll {
    fn describe(self) -> &'static str {
        match self {
            FirstPoll::AtOnce => "`watch` (as `wait`: first poll at once)",
            FirstPoll::AfterOneSecond => {
                "`watch_submitted` (as `submit_and_wait`: first poll 1 s after submit)"
            }
        }
    }
}

fn bench(first_poll: FirstPoll) -> Result<(), String> {
    // Each round counts its own descriptors (peak RSS is the process's
    // lifetime peak, so the second round's is the larger of the two).
    PEAK_FDS.store(0, Ordering::Relaxed);
    let load_before = load_average();
    let (server, url) = ServerProcess::start()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start a runtime: {error}"))?;
    let client = Client::builder("sk-app-bench")
        .base_url(&url)
        .build()
        .map_err(|error| error.to_string())?;
    let options = WaitOptions::default();

    let (cpu_start, _) = usage();
    let started = Instant::now();
    let ids = runtime.block_on(async {
        let mut submits = tokio::task::JoinSet::new();
        for _ in 0..TASKS {
            let client = client.clone();
            submits.spawn(async move { client.submit_json(BODY).await });
        }
        let mut ids = Vec::with_capacity(TASKS);
        while let Some(joined) = submits.join_next().await {
            let submitted = joined
                .map_err(|error| error.to_string())?
                .map_err(|error| format!("submit failed: {error}"))?;
            ids.push(submitted.task_id);
        }
        Ok::<_, String>(ids)
    })?;
    let submit_wall = started.elapsed();
    let (cpu_submitted, _) = usage();

    let waited = Instant::now();
    let (polls, peak_fds) = runtime.block_on(async {
        let mut waits = tokio::task::JoinSet::new();
        for id in ids {
            let mut watch = match first_poll {
                FirstPoll::AtOnce => client.watch(&id, &options),
                FirstPoll::AfterOneSecond => client.watch_submitted(&id, &options),
            };
            waits.spawn(async move {
                let mut last = None;
                while let Some(change) = watch.next().await {
                    last = Some(change?);
                }
                Ok::<_, orux_client::Error>((last, watch.polls()))
            });
        }
        // Open descriptors, sampled once a second: how many connections the
        // pool held at the polling peaks. (About 40 reads of /proc/self/fd:
        // counted in the client's CPU, a small part of it.)
        let sampler = tokio::spawn(async {
            loop {
                PEAK_FDS.fetch_max(open_fds() as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        let mut polls = Vec::with_capacity(TASKS);
        while let Some(joined) = waits.join_next().await {
            let (last, count) = joined
                .map_err(|error| error.to_string())?
                .map_err(|error| format!("wait failed: {error}"))?;
            match last {
                Some(status) if status.status == TaskStatus::Success => polls.push(count),
                other => return Err(format!("a task ended as {other:?}, not success")),
            }
        }
        sampler.abort();
        Ok::<_, String>((
            polls,
            PEAK_FDS.load(Ordering::Relaxed).max(open_fds() as u64),
        ))
    })?;
    let wait_wall = waited.elapsed();
    let (cpu_end, peak_rss_kib) = usage();
    let (gets, posts, failed) = server.stop()?;

    let wait_cpu = cpu_end.saturating_sub(cpu_submitted);
    let submit_cpu = cpu_submitted.saturating_sub(cpu_start);
    let client_polls: u64 = polls.iter().map(|&p| u64::from(p)).sum();
    let (min, max) = (
        polls.iter().min().copied().unwrap_or(0),
        polls.iter().max().copied().unwrap_or(0),
    );

    println!("\n## client_wait summary: {}\n", first_poll.describe());
    println!(
        "{TASKS} tasks of {} s, default WaitOptions, one current-thread runtime; load average before: {load_before}, after: {}",
        TASK_DURATION.as_secs(),
        load_average()
    );
    println!("| measure | value |\n|---|---:|");
    println!("| submit: wall | {:.2} s |", submit_wall.as_secs_f64());
    println!(
        "| submit: client CPU (user+sys) | {:.3} s |",
        submit_cpu.as_secs_f64()
    );
    println!(
        "| wait: wall, first wait to last | {:.2} s |",
        wait_wall.as_secs_f64()
    );
    println!(
        "| wait: client CPU (user+sys) | {:.3} s |",
        wait_cpu.as_secs_f64()
    );
    println!(
        "| wait: client CPU per task | {:.0} µs |",
        wait_cpu.as_secs_f64() * 1e6 / TASKS as f64
    );
    println!(
        "| polls per task, server count (GETs / tasks) | {:.2} |",
        gets as f64 / TASKS as f64
    );
    println!(
        "| polls per task, client count: mean (min–max) | {:.2} ({min}–{max}) |",
        client_polls as f64 / TASKS as f64
    );
    println!(
        "| wait: client CPU per poll | {:.0} µs |",
        wait_cpu.as_secs_f64() * 1e6 / client_polls.max(1) as f64
    );
    println!("| server: POSTs / GETs / non-2xx | {posts} / {gets} / {failed} |");
    println!(
        "| client: peak RSS | {:.1} MiB |",
        peak_rss_kib as f64 / 1024.0
    );
    println!("| client: peak open descriptors (sampled 1/s) | {peak_fds} |");
    Ok(())
}

/// The most descriptors the sampler saw open.
static PEAK_FDS: AtomicU64 = AtomicU64::new(0);
