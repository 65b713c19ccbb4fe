//! `orux mock`: runs `orux_mock::Server` until Ctrl-C or SIGTERM.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use clap::Args;
use orux_mock::outcomes::{Outcome, PromptRule, RateLimit, Script, Shares};
use orux_mock::{Config, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_TASKS, ResultsConfig, Server};

use crate::stop_signal::StopSignal;
use crate::{Error, Verdict};

/// `orux mock`.
#[derive(Debug, Args)]
#[command(after_help = "\
Prints `listening on http://ADDR:PORT` on standard error when ready, then one
log line per request. Stops cleanly on Ctrl-C or SIGTERM.

A successful task's result_urls point at the mock itself: signed URLs under
/_mock/results/, served with Content-Length, ETag, Last-Modified, Range and
If-Range. GET /_mock/stats counts tasks, replays, rejected submits, file
requests, bytes served and webhooks delivered.

Request headers for tests: X-Orux-Mock-Outcome: success|failed|expired picks a
task's ending; X-Orux-Mock-Fault: 500|503|429|reset|slow injects a failure;
X-Orux-Mock-Results: N gives a task N results; X-Orux-Mock-Download-Faults:
SCRIPT makes its downloads fail (see --download-faults); Idempotency-Key
makes a submit safe to repeat.

Without a header, the --fail-…/--expire-… flags choose endings (a prompt rule
first, then the shares, picked by the body's SHA-256 so the same body always
ends the same way), and --rate-limit-share answers a share of submits with 429
and Retry-After (exactly: 0.25 refuses every fourth submit).")]
pub struct MockArgs {
    /// Address to listen on
    #[arg(long, value_name = "IP", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,

    /// Port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// Seconds from submit to the terminal state (queued for the first fifth, then running)
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub task_seconds: f64,

    /// Accept only this bearer key [default: any `sk-app-…` key]
    #[arg(long, value_name = "KEY", hide_default_value = true)]
    pub api_key: Option<String>,

    /// Standard Webhooks secret that signs deliveries [default: a published test secret, see the README]
    #[arg(long, value_name = "whsec_…")]
    pub webhook_secret: Option<String>,

    /// Send every webhook delivery to this URL instead of the task's webhook_url
    /// (https, or http on a loopback host)
    #[arg(long, value_name = "URL")]
    pub webhook_target: Option<String>,

    /// Deliver to a task's webhook_url whatever its host [default: only to
    /// hosts that are, or resolve only to, loopback addresses; others are
    /// skipped and logged]
    #[arg(long)]
    pub webhook_allow_any_host: bool,

    /// Most connections served at once; more are answered 429 with Retry-After (up to 64 at once) or wait until one closes
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,

    /// Most tasks kept in memory; past that the oldest (terminal ones first) are forgotten
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_TASKS)]
    pub max_tasks: usize,

    /// Serve N deterministic pseudo-random bytes per result instead of the
    /// small MP4 [default: the MP4]
    #[arg(long, value_name = "N")]
    pub result_bytes: Option<u64>,

    /// Result URLs answer 403 this many seconds after they were issued; reading
    /// the task again gives fresh URLs for the same content [default: never]
    #[arg(long, value_name = "SECS")]
    pub result_ttl: Option<u64>,

    /// Results per successful task, 1 to 16
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub results: u8,

    /// Make downloads fail: one step per GET of each result file, in order,
    /// comma-separated: ok, drop=N (close after N body bytes), stall=N (send
    /// nothing after N bytes), ignore-range, new-etag (a new version from
    /// then on), lie-length=N (declare N bytes more, then close),
    /// status=NNN. Applies to every task without X-Orux-Mock-Download-Faults
    #[arg(long, value_name = "SCRIPT")]
    pub download_faults: Option<String>,
    /// Tasks whose prompt contains TEXT end failed (repeatable)
    #[arg(long, value_name = "TEXT")]
    pub fail_if_prompt_contains: Vec<String>,

    /// Tasks whose prompt contains TEXT end expired (repeatable)
    #[arg(long, value_name = "TEXT")]
    pub expire_if_prompt_contains: Vec<String>,

    /// This share (0 to 1) of the other bodies ends failed
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub fail_share: f64,

    /// This share (0 to 1) of the other bodies ends expired
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub expire_share: f64,

    /// This share (0 to 1) of submits is answered 429 rate_limited
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub rate_limit_share: f64,

    /// The Retry-After of those 429 answers
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    pub rate_limit_retry_after: u64,

    /// Hold back the answer to each successful submit this long (the task
    /// already exists): a window for crash tests
    #[arg(long, value_name = "SECONDS", default_value_t = 0.0)]
    pub submit_answer_delay: f64,
}

/// Longest `--task-seconds`: a day, far beyond any test.
const MAX_TASK_SECONDS: f64 = 86_400.0;

/// Runs the server on a tokio runtime of its own until a stop signal.
pub fn run(args: &MockArgs) -> Result<Verdict, Error> {
    let config = config(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            context: "cannot start the async runtime".to_owned(),
            source,
        })?;
    // Request lines go to standard error, like the ready line. A subscriber
    // already installed by an embedding program is kept. A closed standard
    // error (`orux mock 2>&1 | head -1`) loses the log lines, never the
    // server: by default the subscriber reports a failed write with
    // `eprintln!`, which panics on that same closed stream, inside every
    // request.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .log_internal_errors(false)
        .try_init();
    runtime.block_on(async {
        // Listening for the stop signals starts before the ready line: a
        // caller that reads it and sends SIGTERM at once must get a clean
        // stop, not the default action of the signal.
        let mut stop = StopSignal::listen().map_err(signal_error)?;
        let server = Server::bind(config)
            .await
            .map_err(|error| Error::Message(error.to_string()))?;
        eprintln!("listening on {}", server.base_url());
        stop.received().await.map_err(signal_error)?;
        server.shutdown().await;
        Ok(Verdict::Success)
    })
}

fn config(args: &MockArgs) -> Result<Config, Error> {
    if !(0.0..=MAX_TASK_SECONDS).contains(&args.task_seconds) {
        return Err(Error::Message(format!(
            "--task-seconds must be from 0 to {MAX_TASK_SECONDS}, got {}",
            args.task_seconds
        )));
    }
    let defaults = Config::default();
    Ok(Config {
        addr: SocketAddr::new(args.bind, args.port),
        task_duration: Duration::from_secs_f64(args.task_seconds),
        api_key: args.api_key.clone(),
        webhook_secret: args
            .webhook_secret
            .clone()
            .unwrap_or(defaults.webhook_secret.clone()),
        webhook_target: args.webhook_target.clone(),
        webhook_allow_any_host: args.webhook_allow_any_host,
        max_tasks: args.max_tasks,
        outcomes: script(args),
        max_connections: args.max_connections,
        results: ResultsConfig {
            bytes: args.result_bytes,
            ttl: args.result_ttl.map(Duration::from_secs),
            per_task: args.results,
            download_faults: args.download_faults.clone(),
        },
        ..defaults
    })
}

/// The scripted outcomes the flags ask for; their ranges are checked when
/// the server starts.
fn script(args: &MockArgs) -> Script {
    let rules = |outcome: Outcome, texts: &[String]| {
        texts
            .iter()
            .map(move |text| PromptRule {
                outcome,
                text: text.clone(),
            })
            .collect::<Vec<_>>()
    };
    let mut prompt_rules = rules(Outcome::Failed, &args.fail_if_prompt_contains);
    prompt_rules.extend(rules(Outcome::Expired, &args.expire_if_prompt_contains));
    Script {
        prompt_rules,
        shares: Shares {
            failed: args.fail_share,
            expired: args.expire_share,
        },
        rate_limit: (args.rate_limit_share > 0.0).then_some(RateLimit {
            share: args.rate_limit_share,
            retry_after: args.rate_limit_retry_after,
        }),
        answer_delay: Duration::try_from_secs_f64(args.submit_answer_delay)
            .unwrap_or(Duration::MAX),
    }
}

fn signal_error(source: std::io::Error) -> Error {
    Error::Io {
        context: "cannot listen for stop signals".to_owned(),
        source,
    }
}
