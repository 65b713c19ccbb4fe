//! `orux mock` as a process, as users run it: on a free loopback port, its
//! log read line by line (so it never blocks writing it), killed when the
//! test ends however it ends; and plain HTTP/1.1 exchanges with it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The API key the exchanges send (the mock takes any `sk-app-` key).
pub const KEY: &str = "sk-app-mock-process-test";

/// An `orux mock` process; killed when dropped.
pub struct MockProcess {
    /// The process, for tests that signal it.
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its base URL, `http://ADDR`, from its ready line.
    pub base_url: String,
    /// Its log lines after the ready line, until [`MockProcess::close_log`].
    log: Option<mpsc::Receiver<String>>,
}

/// One answer: the status code, the head after the status line (the mock
/// writes header names in lowercase) and the body.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl MockProcess {
    /// Starts `orux mock --port 0 ARGS` and waits for its ready line.
    pub fn start(args: &[&str]) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_orux"))
            .args(["mock", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("orux mock runs");
        let stderr = child.stderr.take().expect("piped");
        let (lines, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break; // the log was closed: so is the pipe, from here
                }
            }
        });
        let ready = log
            .recv_timeout(Duration::from_secs(60))
            .expect("a ready line in time");
        let base_url = ready
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("not a ready line: {ready:?}"))
            .to_owned();
        let addr = base_url
            .strip_prefix("http://")
            .and_then(|addr| addr.parse().ok())
            .expect("http://ADDR:PORT");
        MockProcess {
            child,
            addr,
            base_url,
            log: Some(log),
        }
    }

    /// The log lines written so far.
    pub fn log(&self) -> Vec<String> {
        self.log
            .as_ref()
            .map_or_else(Vec::new, |log| log.try_iter().collect())
    }

    /// Stops reading the log: the pipe closes at the next line, as when
    /// whoever read the ready line (`orux mock 2>&1 | head -1`) goes away.
    pub fn close_log(&mut self) {
        self.log = None;
    }

    /// Sends SIGTERM and waits (at most 20 s) for the process to end.
    pub fn terminate(&mut self) -> ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        wait(&mut self.child, Duration::from_secs(20))
    }

    /// `POST /api/v1/tasks` with `body`, and an `Idempotency-Key` if given.
    pub fn post(&self, body: &str, idempotency_key: Option<&str>) -> Answer {
        let key_header = idempotency_key
            .map(|key| format!("idempotency-key: {key}\r\n"))
            .unwrap_or_default();
        self.exchange(&format!(
            "POST /api/v1/tasks HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {KEY}\r\n\
             content-type: application/json\r\n{key_header}content-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        ))
    }

    /// `GET PATH` with the key.
    pub fn get(&self, path: &str) -> Answer {
        self.exchange(&format!(
            "GET {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {KEY}\r\n\
             connection: close\r\n\r\n",
            self.addr
        ))
    }

    /// `GET /_mock/stats`.
    pub fn stats(&self) -> serde_json::Value {
        let answer = self.get("/_mock/stats");
        assert_eq!(answer.status, 200, "{}", answer.body);
        serde_json::from_str(&answer.body).expect("stats JSON")
    }

    /// Tasks the mock created so far.
    pub fn tasks_created(&self) -> u64 {
        self.stats()["tasks_created"].as_u64().expect("a count")
    }

    /// One HTTP/1.1 exchange on a new connection.
    pub fn exchange(&self, request: &str) -> Answer {
        let mut stream = TcpStream::connect(self.addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("an answer");
        let status = answer
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        Answer {
            status,
            head: head.to_owned(),
            body: body.to_owned(),
        }
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for `child` to end; past `within` it is killed and the test fails.
pub fn wait(child: &mut Child, within: Duration) -> ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("waitable") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not end within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
