//! `orux` on a real pseudo-terminal, where colour is on: text from a body
//! still reaches the terminal only escaped, and the only escape sequences in
//! the output are our own styles (SGR, `ESC [ … m`).

#![cfg(unix)]

mod support;

use std::fs::File;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rustix::fs::{Mode, OFlags};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use support::run;

/// How long one run may take before the test fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `orux ARGS` with `stdin` piped in and standard output and error on
/// one pseudo-terminal; returns the exit code and what the terminal got,
/// with the terminal's `\r\n` turned back into `\n`.
fn in_terminal(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>) {
    in_terminal_with(args, stdin, &[])
}

/// [`in_terminal`] with extra environment variables.
fn in_terminal_with(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> (i32, Vec<u8>) {
    let (master, slave) = pseudo_terminal();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("orux"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .spawn()
        .unwrap();
    // The command above owned the only other copies of the terminal's
    // slave side; once the child exits, reading the master side ends.
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    let (sender, receiver) = mpsc::channel();
    let mut master = master;
    std::thread::spawn(move || {
        let mut output = Vec::new();
        let mut chunk = [0; 1 << 16];
        loop {
            match master.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => output.extend_from_slice(&chunk[..n]),
                // Linux answers EIO once the slave side is closed.
                Err(_) => break,
            }
        }
        let _ = sender.send(output);
    });
    let output = receiver
        .recv_timeout(TIMEOUT)
        .expect("orux finished writing to the terminal");
    let status = child.wait().unwrap();
    let text = String::from_utf8(output).unwrap().replace("\r\n", "\n");
    (status.code().unwrap(), text.into_bytes())
}

/// A new pseudo-terminal: its master side (what a terminal emulator reads
/// and writes) and its slave side (what a program gets as its terminal).
fn pseudo_terminal() -> (File, File) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = rustix::fs::open(
        name.as_c_str(),
        OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap();
    (File::from(master), File::from(slave))
}

/// `output` without our SGR styles; fails on any other escape sequence or
/// control character (newlines aside).
fn without_styles(output: &[u8]) -> String {
    let text = std::str::from_utf8(output).unwrap();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        plain.push_str(&rest[..at]);
        let sequence = &rest[at + 1..];
        let end = sequence
            .find('m')
            .unwrap_or_else(|| panic!("unfinished escape in {text:?}"));
        assert!(
            sequence.starts_with('[')
                && sequence[1..end]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b';'),
            "an escape other than a style: {text:?}"
        );
        rest = &sequence[end + 1..];
    }
    plain.push_str(rest);
    for c in plain.chars() {
        assert!(
            c == '\n' || !orux_models::display::is_unsafe(c),
            "{c:?} reached the terminal raw: {plain:?}"
        );
    }
    plain
}

/// Bodies whose keys, values, directives and model ids try to take over the
/// terminal: clear it, set its title, reverse the line.
const HOSTILE: &[&str] = &[
    r#"{"model": "sora2", "prompt": "p", "\u001b[2Jx": 1}"#,
    r#"{"model": "sora2", "prompt": "p", "\u001b]0;owned\u0007": 1, "a\u202eb": 2}"#,
    r#"{"model": "sora2", "prompt": "p", "aspect_ratio": "16:9\u202e\u009b2J"}"#,
    r#"{"model": "hailuo-02", "prompt": "[Pan\u001b(0Right] [\u2066x\u2069] []"}"#,
    r#"{"model": "sora2\u001b[2J\u0085", "prompt": "p"}"#,
];

#[test]
fn hostile_text_reaches_a_terminal_escaped_and_reads_as_when_piped() {
    for body in HOSTILE {
        let (code, output) = in_terminal(&["validate"], body.as_bytes());
        let piped = run(&["validate"], body.as_bytes());
        assert_eq!(code, support::code(&piped), "{body}");
        assert!(output.contains(&0x1b), "a terminal gets colour: {body}");
        let shown = without_styles(&output);
        // Off the terminal the same text, escapes and all, not stripped.
        assert_eq!(shown, support::stdout(&piped), "{body}");
        assert!(shown.contains("\\u"), "{body}: {shown}");
    }
}

#[test]
fn escapes_are_shown_not_dropped() {
    let (_, output) = in_terminal(&["validate"], HOSTILE[0].as_bytes());
    let shown = without_styles(&output);
    assert!(
        shown.starts_with("/\\u001b[2Jx: unknown field \"\\u001b[2Jx\" for sora2;"),
        "{shown}"
    );
    let (_, output) = in_terminal(&["validate"], HOSTILE[3].as_bytes());
    let shown = without_styles(&output);
    assert!(
        shown.contains("unknown camera directive \"Pan\\u001b(0Right\""),
        "{shown}"
    );
    assert!(
        shown.contains("unknown camera directive \"\\u2066x\\u2069\""),
        "{shown}"
    );
    assert!(shown.contains("empty camera directive"), "{shown}");
}

#[test]
fn a_hostile_model_id_on_the_command_line_is_escaped_on_standard_error() {
    for command in ["explain", "example", "schema"] {
        let (code, output) = in_terminal(&[command, "\u{1b}]0;owned\u{7}sora2\u{202e}"], b"");
        assert_eq!(code, 2);
        let shown = without_styles(&output);
        assert_eq!(
            shown,
            "error: unknown model \"\\u001b]0;owned\\u0007sora2\\u202e\"; `orux models` lists the models\n",
            "{command}"
        );
    }
}

#[test]
fn explain_on_a_terminal_is_the_piped_table_with_styles() {
    let (code, output) = in_terminal(&["explain", "hailuo-02"], b"");
    assert_eq!(code, 0);
    let piped = run(&["explain", "hailuo-02"], b"");
    assert_eq!(without_styles(&output), support::stdout(&piped));
}

#[test]
fn a_usage_error_quotes_a_hostile_argument_escaped() {
    let (code, output) = in_terminal(&["validate", "--format", "j\u{1b}]0;owned\u{7}"], b"");
    assert_eq!(code, 2);
    let shown = without_styles(&output);
    assert!(
        shown.starts_with("error: invalid value 'j\\u001b]0;owned\\u0007' for '--format <FORMAT>'"),
        "{shown}"
    );
    let (code, output) = in_terminal(&["\u{1b}[2J\u{202e}"], b"");
    assert_eq!(code, 2);
    let shown = without_styles(&output);
    assert!(
        shown.starts_with("error: unrecognized subcommand '\\u001b[2J\\u202e'"),
        "{shown}"
    );
    // Piped, the same words.
    let piped = run(&["\u{1b}[2J\u{202e}"], b"");
    assert_eq!(support::stderr(&piped), shown);
}

/// `orux validate` with the terminal on standard input says, on standard
/// error, that it is waiting for a body (typed, then Ctrl-D); a pipe gets
/// no such line.
#[test]
fn validate_on_a_terminal_says_it_reads_the_body_from_it() {
    let (mut master, slave) = pseudo_terminal();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("orux"))
        .arg("validate")
        .env("NO_COLOR", "1")
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .spawn()
        .unwrap();
    let mut writer = master.try_clone().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut output = Vec::new();
        let mut chunk = [0; 1 << 16];
        loop {
            match master.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    output.extend_from_slice(&chunk[..n]);
                    let _ = sender.send(output.clone());
                }
            }
        }
    });
    // The hint comes before anything is typed.
    let hint = "orux validate: reading a request body from the terminal; end it with Ctrl-D, or give a FILE";
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains(hint) {
        seen = receiver
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|_| panic!("no hint: {:?}", String::from_utf8_lossy(&seen)));
    }
    // A body and Ctrl-D (end of input on a terminal line of its own).
    writer
        .write_all(b"{\"model\": \"sora2\", \"prompt\": \"p\"}\n\x04")
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    while let Ok(output) = receiver.recv_timeout(Duration::from_secs(1)) {
        seen = output;
    }
    let text = String::from_utf8_lossy(&seen);
    assert_eq!(text.matches(hint).count(), 1, "{text}");
    assert!(text.contains("valid sora2 request"), "{text}");

    let piped = run(&["validate"], br#"{"model": "sora2", "prompt": "p"}"#);
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("terminal"));
}

/// A download draws a progress bar (bytes, rate, ETA) on a terminal, and
/// nothing on standard error when it is not one.
#[cfg(feature = "mock")]
#[test]
fn a_download_draws_a_bar_on_a_terminal_only() {
    let (server, _runtime) = support::mock_server(orux_mock::ResultsConfig {
        bytes: Some(8_000_000),
        ..orux_mock::ResultsConfig::default()
    });
    let base = server.base_url();
    let env = [
        ("ORUX_API_KEY", "sk-app-terminal"),
        ("ORUX_BASE_URL", base.as_str()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("on-a-terminal");
    let (code, output) = in_terminal_with(
        &[
            "run",
            "sora2",
            "A paper boat",
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
        &env,
    );
    let text = String::from_utf8_lossy(&output);
    assert_eq!(code, 0, "{text}");
    // The bar is drawn once the length is known (how far it got before
    // the file was done depends on the machine's speed).
    assert!(
        text.contains(" B/7.63 MiB")
            || text.contains(" MiB/7.63 MiB")
            || text.contains(" KiB/7.63 MiB"),
        "bytes of the total: {text:?}"
    );
    assert!(
        text.contains("B/s") && text.contains("ETA"),
        "rate and ETA: {text:?}"
    );
    let piped = support::orux()
        .env("ORUX_API_KEY", "sk-app-terminal")
        .env("ORUX_BASE_URL", &base)
        .args(["run", "sora2", "A paper boat", "--out"])
        .arg(dir.path().join("piped"))
        .output()
        .unwrap();
    assert_eq!(support::code(&piped), 0, "{piped:?}");
    let stderr = support::stderr(&piped);
    assert_eq!(stderr.lines().count(), 1, "only the task id: {stderr:?}");
    assert!(stderr.starts_with("submitted task_"), "{stderr:?}");
}
