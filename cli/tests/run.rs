//! `orux run`, `orux download`, `--download` and `orux completions` as a user
//! runs them: the `orux` binary against the mock server (in this process,
//! on a free loopback port), with the files checked on disk by SHA-256 and
//! the mock's counters checked for what was really sent.

#![cfg(feature = "mock")]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use clap::CommandFactory;
use orux_mock::{RESULT_MP4, ResultsConfig, Server, StatsSnapshot};
use orux_models::catalog::{FieldKind, MODELS};
use serde_json::Value;
use support::{code, orux, stderr, stdout};

const KEY: &str = "sk-app-run-tests";

/// A 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";

/// The mock on its own runtime; tasks end at once (the client's first poll,
/// one second after the submit, sees them done).
struct Mock {
    server: Server,
    _runtime: tokio::runtime::Runtime,
}

fn mock(results: ResultsConfig) -> Mock {
    let (server, runtime) = support::mock_server(results);
    Mock {
        server,
        _runtime: runtime,
    }
}

impl Mock {
    /// `orux ARGS` in `dir`, with the key and this mock's URL in the environment.
    fn orux(&self, dir: &Path, args: &[&str]) -> Output {
        orux()
            .current_dir(dir)
            .env("ORUX_API_KEY", KEY)
            .env("ORUX_BASE_URL", self.server.base_url())
            .args(args)
            .output()
            .unwrap()
    }

    fn stats(&self) -> StatsSnapshot {
        self.server.stats()
    }

    /// Submits `body` with extra headers, by hand (the client sends none).
    fn submit_with(&self, body: &str, headers: &[(&str, &str)]) -> String {
        let mut stream = TcpStream::connect(self.server.local_addr()).unwrap();
        let mut request = format!(
            "POST /api/v1/tasks HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\
             authorization: Bearer {KEY}\r\ncontent-type: application/json\r\n\
             content-length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let json = answer.split_once("\r\n\r\n").unwrap().1;
        let value: Value = serde_json::from_str(json).unwrap();
        value["task_id"].as_str().unwrap().to_owned()
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {output:?}"))
}

/// The only file in `dir` (its name is the task id plus `.mp4`).
fn single_file(dir: &Path) -> std::path::PathBuf {
    let entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

#[test]
fn a_prompt_becomes_a_video_file_on_disk() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let output = mock.orux(
        dir.path(),
        &[
            "run",
            "sora2",
            "A paper boat on a rainy street",
            "--duration",
            "10",
            "--aspect-ratio",
            "9:16",
            "--out",
            "videos",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    let file = single_file(&dir.path().join("videos"));
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("task_") && name.ends_with(".mp4"),
        "{name}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), RESULT_MP4);
    let printed = stdout(&output);
    assert!(printed.contains(": success\n"), "{printed}");
    assert!(printed.contains(&format!("videos/{name}")), "{printed}");
    assert!(
        stderr(&output).contains("submitted task_"),
        "the task id at once"
    );
    let stats = mock.stats();
    assert_eq!((stats.tasks_created, stats.file_requests), (1, 1));
    assert_eq!(stats.file_requests_with_authorization, 0);
}

#[test]
fn json_output_is_the_status_plus_the_files() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let output = mock.orux(
        dir.path(),
        &["run", "kling-v25-t2v-pro", "A fox", "--format", "json"],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    let value = json(&output);
    assert_eq!(value["status"], "success");
    let task_id = value["task_id"].as_str().unwrap();
    let files = value["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], format!("./{task_id}.mp4"));
    assert_eq!(files[0]["bytes"], RESULT_MP4.len());
    assert_eq!(files[0]["sha256"], sha256(RESULT_MP4));
    assert_eq!(files[0]["url"], value["result_urls"][0]);
    assert_eq!(
        std::fs::read(dir.path().join(format!("{task_id}.mp4"))).unwrap(),
        RESULT_MP4
    );
}

#[test]
fn a_local_png_goes_to_veo_as_a_data_uri() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    // The name says JPEG; the bytes say PNG, and the bytes decide.
    std::fs::write(dir.path().join("frame.jpg"), PNG).unwrap();
    let veo = MODELS
        .iter()
        .find(|m| m.fields.iter().any(|f| f.kind == FieldKind::ImageInput))
        .expect("a model that takes an inline image");
    let dry = mock.orux(
        dir.path(),
        &[
            "run",
            veo.id,
            "A lighthouse",
            "--image",
            "frame.jpg",
            "--no-audio",
            "--dry-run",
        ],
    );
    assert_eq!(code(&dry), 0, "{dry:?}");
    let body: Value = serde_json::from_str(&stdout(&dry)).unwrap();
    use base64::Engine;
    let expected = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(PNG)
    );
    assert_eq!(body["image"], expected);
    assert_eq!(body["audio"], false);
    assert_eq!(mock.stats().tasks_created, 0, "a dry run sends nothing");

    let output = mock.orux(
        dir.path(),
        &[
            "run",
            veo.id,
            "A lighthouse",
            "--image",
            "frame.jpg",
            "--out",
            "out",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(
        std::fs::read(single_file(&dir.path().join("out"))).unwrap(),
        RESULT_MP4
    );
    assert_eq!(mock.stats().tasks_created, 1);
}

#[test]
fn a_local_path_for_a_url_field_is_refused_naming_the_models_that_take_a_file() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("frame.png"), PNG).unwrap();
    let output = mock.orux(
        dir.path(),
        &[
            "run",
            "kling-v25-i2v-pro",
            "A fox",
            "--image-url",
            "frame.png",
        ],
    );
    assert_eq!(code(&output), 2, "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("--image-url"), "{message}");
    assert!(message.contains("no upload"), "{message}");
    for model in MODELS
        .iter()
        .filter(|m| m.fields.iter().any(|f| f.kind == FieldKind::ImageInput))
    {
        assert!(message.contains(model.id), "{model:?} named: {message}");
    }
    assert_eq!(
        mock.stats().tasks_created + mock.stats().rejected_submits,
        0,
        "nothing sent"
    );
}

#[test]
fn every_problem_is_reported_at_once_by_its_flag() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let output = mock.orux(
        dir.path(),
        &[
            "run",
            "veo-3.1-fast",
            "--duration",
            "7",
            "--resolution",
            "4k",
            "--image",
            "notes.txt",
            "--webhook-url",
            "http://x.example/",
        ],
    );
    assert_eq!(code(&output), 2, "{output:?}");
    let message = stderr(&output);
    // Reading the flags: the image file is refused first (no body yet).
    assert!(
        message.contains("--image: \"notes.txt\": it is not a PNG, JPEG, WebP or GIF image"),
        "{message}"
    );
    let output = mock.orux(
        dir.path(),
        &[
            "run",
            "veo-3.1-fast",
            "--duration",
            "7",
            "--resolution",
            "4k",
            "--webhook-url",
            "http://x.example/",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&output), 2, "{output:?}");
    let value = json(&output);
    let flags: Vec<&str> = value["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["flag"].as_str().unwrap())
        .collect();
    assert_eq!(
        flags,
        ["--duration", "--resolution", "--webhook-url", "PROMPT"]
    );
    assert_eq!(mock.stats(), StatsSnapshot::default(), "nothing sent");
}

#[test]
fn no_wait_prints_the_task_id_and_download_fetches_it_later() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let output = mock.orux(
        dir.path(),
        &["run", "hailuo-02", "[Pan Right] A canyon", "--no-wait"],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    let task_id = stdout(&output).trim().to_owned();
    assert!(task_id.starts_with("task_"), "{task_id}");
    assert_eq!(mock.stats().file_requests, 0);
    std::thread::sleep(Duration::from_millis(10));
    let output = mock.orux(dir.path(), &["download", &task_id, "--out", "later"]);
    assert_eq!(code(&output), 0, "{output:?}");
    let file = dir.path().join("later").join(format!("{task_id}.mp4"));
    assert_eq!(std::fs::read(&file).unwrap(), RESULT_MP4);
    // Again: the file exists, nothing is fetched, exit status 2 names it.
    let again = mock.orux(dir.path(), &["download", &task_id, "--out", "later"]);
    assert_eq!(code(&again), 2, "{again:?}");
    assert!(
        stderr(&again).contains(&format!("{task_id}.mp4 already exists")),
        "{again:?}"
    );
    assert_eq!(mock.stats().file_requests, 1);
    let forced = mock.orux(
        dir.path(),
        &["download", &task_id, "--out", "later", "--force"],
    );
    assert_eq!(code(&forced), 0, "{forced:?}");
    assert_eq!(mock.stats().file_requests, 2);
}

#[test]
fn wait_and_submit_take_download() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"model":"sora2","prompt":"A paper boat"}"#;
    std::fs::write(dir.path().join("body.json"), body).unwrap();
    let output = mock.orux(
        dir.path(),
        &[
            "submit",
            "body.json",
            "--wait",
            "--download",
            "a",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    let value = json(&output);
    assert_eq!(value["files"][0]["sha256"], sha256(RESULT_MP4));
    assert!(
        value["files"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("a/task_")
    );

    let task_id = mock.submit_with(body, &[]);
    let output = mock.orux(dir.path(), &["wait", &task_id, "--download"]);
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(
        std::fs::read(dir.path().join(format!("{task_id}.mp4"))).unwrap(),
        RESULT_MP4
    );
}

#[test]
fn a_task_that_failed_has_nothing_to_download() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let task_id = mock.submit_with(
        r#"{"model":"sora2","prompt":"x"}"#,
        &[("x-orux-mock-outcome", "failed")],
    );
    let output = mock.orux(dir.path(), &["download", &task_id]);
    assert_eq!(code(&output), 1, "{output:?}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_network_failure_is_3_keeps_the_part_file_and_the_next_run_resumes() {
    let mock = mock(ResultsConfig {
        bytes: Some(200_000),
        ..ResultsConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    // The first download is cut after 60,000 bytes, then the URL stays gone
    // through every refresh the client makes.
    let script = "drop=60000, status=410, status=410, status=410, status=410";
    let task_id = mock.submit_with(
        r#"{"model":"sora2","prompt":"x"}"#,
        &[("x-orux-mock-download-faults", script)],
    );
    let output = mock.orux(dir.path(), &["download", &task_id, "--format", "json"]);
    assert_eq!(code(&output), 3, "{output:?}");
    let value = json(&output);
    assert_eq!(value["error"]["code"], "result_expired");
    assert_eq!(value["error"]["partial_file_kept"], true);
    let part = dir.path().join(format!("{task_id}.part"));
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 60_000);
    let output = mock.orux(dir.path(), &["download", &task_id]);
    assert_eq!(code(&output), 0, "{output:?}");
    assert!(!part.exists());
    assert_eq!(
        std::fs::metadata(dir.path().join(format!("{task_id}.bin")))
            .unwrap()
            .len(),
        200_000
    );
    assert_eq!(
        mock.stats().bytes_served,
        200_000,
        "resumed, not fetched again"
    );
}

#[test]
fn an_unwritable_out_is_a_local_error_2_naming_it() {
    let mock = mock(ResultsConfig::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken"), b"a file").unwrap();
    let output = mock.orux(
        dir.path(),
        &[
            "run",
            "sora2",
            "A boat",
            "--out",
            "taken/sub",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&output), 2, "{output:?}");
    let value = json(&output);
    assert_eq!(value["error"]["code"], "local_io");
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("taken/sub"),
        "{value}"
    );
    assert_eq!(
        mock.stats().tasks_created,
        1,
        "the task exists; its id was printed"
    );
    assert!(stderr(&output).contains("submitted task_"));
}

#[test]
fn run_help_comes_from_the_catalog_for_every_model() {
    let mut cli = orux_cli::Cli::command();
    let run = cli.find_subcommand_mut("run").expect("orux run");
    for info in MODELS.iter() {
        let model = run
            .find_subcommand_mut(info.id)
            .unwrap_or_else(|| panic!("orux run {}", info.id));
        let help = model.render_long_help().to_string();
        for field in info.fields {
            let flag = orux_cli::run_flags::shown_flag(field);
            let shown = if flag == "PROMPT" {
                "[PROMPT]".to_owned()
            } else {
                flag.clone()
            };
            assert!(help.contains(&shown), "{}: {flag}", info.id);
            if field.kind == FieldKind::Boolean {
                assert!(
                    help.contains(&flag.replace("--", "--no-")),
                    "{}: {flag}",
                    info.id
                );
            }
            assert!(
                help.contains(&format!("[type: {}", field.kind.as_str())),
                "{}: {flag}",
                info.id
            );
            if let Some(default) = field.default {
                assert!(
                    help.contains(&format!("[default: {default}]")),
                    "{}: {flag}",
                    info.id
                );
            }
            for value in field.allowed {
                assert!(
                    help.contains(&value.to_string()),
                    "{}: {flag} {value}",
                    info.id
                );
            }
        }
    }
    // And as a user sees it.
    let output = orux().args(["run", "sora2", "--help"]).output().unwrap();
    assert_eq!(code(&output), 0);
    let help = stdout(&output);
    for needle in [
        "--duration <DURATION>",
        "[possible values: 5, 10]",
        "[default: 5]",
        "--aspect-ratio",
        "16:9, 9:16",
        "--webhook-url <URL>",
        "[PROMPT]",
        "--out <DIR>",
        "--dry-run",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}

#[test]
fn completions_offer_models_flags_and_values() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = orux().args(["completions", shell]).output().unwrap();
        assert_eq!(code(&output), 0, "{shell}");
        let script = stdout(&output);
        for info in MODELS.iter() {
            assert!(script.contains(info.id), "{shell}: {}", info.id);
        }
        // zsh writes `9\:16`.
        for needle in ["aspect-ratio", "no-audio", "image-url"] {
            assert!(script.contains(needle), "{shell}: {needle}");
        }
        // clap_complete's PowerShell script completes subcommands and
        // flags, not values.
        if shell != "powershell" {
            assert!(
                script.contains("9:16") || script.contains("9\\:16"),
                "{shell}"
            );
        }
    }
    let output = orux().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(code(&output), 2);
}

/// The bash script as bash runs it: `_orux` fills `COMPREPLY` for the words
/// typed so far.
#[test]
fn bash_completes_model_ids_flags_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("orux.bash");
    let output = orux().args(["completions", "bash"]).output().unwrap();
    std::fs::write(&script, output.stdout).unwrap();
    let complete = |words: &[&str]| -> String {
        let current = words.len() - 1;
        let line = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={current}; _orux orux {} {}; echo \"${{COMPREPLY[*]}}\"",
            script.display(),
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            if words[current].is_empty() {
                "''"
            } else {
                words[current]
            },
            words[current - 1],
        );
        let output = std::process::Command::new("bash")
            .args(["-c", &line])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    assert_eq!(
        complete(&["orux", "run", "sora2", "--aspect-ratio", ""]),
        "16:9 9:16"
    );
    assert_eq!(
        complete(&["orux", "run", "sora2", "--duration", ""]),
        "5 10"
    );
    let models = complete(&["orux", "run", ""]);
    for info in MODELS.iter() {
        assert!(
            models.split(' ').any(|word| word == info.id),
            "{}: {models}",
            info.id
        );
    }
    assert_eq!(
        complete(&["orux", "run", "veo-3.1-fast", "--no"]),
        "--no-audio --no-wait"
    );
}

/// SIGINT during a download: exit 130, the `.part` file kept, the command
/// that resumes named; running that command finishes the file without
/// fetching the first bytes again.
#[cfg(unix)]
#[test]
fn an_interrupted_download_exits_130_and_the_named_command_resumes_it() {
    use std::process::Stdio;
    use std::time::Instant;

    use rustix::process::{Pid, Signal, kill_process};

    let mock = mock(ResultsConfig {
        bytes: Some(200_000),
        ..ResultsConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let task_id = mock.submit_with(
        r#"{"model":"sora2","prompt":"x"}"#,
        &[("x-orux-mock-download-faults", "stall=60000")],
    );
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("orux"))
        .current_dir(dir.path())
        .env("ORUX_API_KEY", KEY)
        .env("ORUX_BASE_URL", mock.server.base_url())
        .args(["download", &task_id, "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let part = dir.path().join(format!("{task_id}.part"));
    let started = Instant::now();
    while std::fs::metadata(&part).map_or(0, |m| m.len()) < 60_000 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no bytes arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_process(Pid::from_child(&child), Signal::INT).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 130, "{output:?}");
    let value = json(&output);
    assert_eq!(value["error"]["code"], "interrupted");
    assert_eq!(value["error"]["partial_file_kept"], true);
    let resume = value["error"]["resume"].as_str().unwrap();
    assert!(
        resume.starts_with(&format!("orux download {task_id} --out .")),
        "{resume}"
    );
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 60_000);

    let output = mock.orux(dir.path(), &["download", &task_id]);
    assert_eq!(code(&output), 0, "{output:?}");
    assert!(!part.exists());
    assert_eq!(
        mock.stats().bytes_served,
        200_000,
        "resumed, not fetched again"
    );
}
