//! `orux batch` on a real pseudo-terminal: progress bars (rows by state,
//! redrawn), cleared before the summary.

#![cfg(all(feature = "batch", feature = "mock", unix))]

mod batch_common;
mod support;

use std::fs::File;
use std::io::Read;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use batch_common::{BatchDir, MockProcess, jsonl};
use rustix::fs::{Mode, OFlags};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};

#[test]
fn bars_show_rows_by_state_on_a_terminal() {
    let mock = MockProcess::start(&["--task-seconds", "1"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(6, |_| ""));
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = File::from(
        rustix::fs::open(
            name.as_c_str(),
            OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .unwrap(),
    );
    let mut child = batch
        .command(&mock, &["--concurrency", "3"])
        .env("TERM", "xterm-256color")
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let (send, receive) = mpsc::channel();
    let mut master = File::from(master);
    std::thread::spawn(move || {
        let mut output = Vec::new();
        let mut chunk = [0; 1 << 16];
        while let Ok(n) = master.read(&mut chunk) {
            if n == 0 {
                break;
            }
            output.extend_from_slice(&chunk[..n]);
        }
        let _ = send.send(output);
    });
    let status = batch_common::wait(&mut child, batch_common::RUN_LIMIT);
    assert_eq!(status.code(), Some(0));
    let output = receive
        .recv_timeout(Duration::from_secs(30))
        .expect("the terminal closes");
    let text = String::from_utf8_lossy(&output);
    assert!(text.contains("rows ["), "a rows bar: {text}");
    assert!(text.contains("/6 pending"), "counts of each state: {text}");
    assert!(text.contains("running"), "{text}");
    // Not the line-per-change form of a pipe.
    assert!(!text.contains("line 1: submitting"), "{text}");
    assert!(
        text.contains("6 rows: 6 "),
        "the summary after the bars: {text}"
    );
}
