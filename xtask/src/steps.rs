//! A task as a list of named steps, run in order: each is announced, timed,
//! and the run ends with one summary line of everything it ran.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// What a step reports when it passes: a short detail for the summary
/// ("1,234 passed"), or nothing.
pub type Detail = Option<String>;

/// One step of a task.
pub struct Step<'a> {
    /// Shown in the progress lines and the summary ("cargo test").
    pub name: String,
    /// The word `--skip` takes ("cargo-test").
    pub key: &'static str,
    /// The work: a detail when it passed, the reason when it failed.
    pub run: Box<dyn FnOnce() -> Result<Detail, String> + 'a>,
}

impl<'a> Step<'a> {
    /// A step from a closure.
    pub fn new(
        key: &'static str,
        name: impl Into<String>,
        run: impl FnOnce() -> Result<Detail, String> + 'a,
    ) -> Step<'a> {
        Step {
            name: name.into(),
            key,
            run: Box::new(run),
        }
    }

    /// A step that runs one command, which must exit 0.
    pub fn command(key: &'static str, name: impl Into<String>, command: Command) -> Step<'a> {
        Step::new(key, name, move || run_command(command).map(|()| None))
    }
}

/// Runs `steps` in order, except those whose key is in `skip`; stops at the
/// first that fails. Prints `==> NAME` before each step and, last, one line
/// naming every step with its time and outcome.
pub fn run(task: &str, steps: Vec<Step<'_>>, skip: &[String]) -> ExitCode {
    let started = Instant::now();
    let mut passed: Vec<String> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut failure = None;
    let mut not_run: Vec<String> = Vec::new();
    for step in steps {
        if failure.is_some() {
            not_run.push(step.name);
            continue;
        }
        if skip.iter().any(|key| key == step.key) {
            skipped.push(step.name);
            continue;
        }
        eprintln!("==> {}", step.name);
        let step_started = Instant::now();
        let outcome = (step.run)();
        let took = format_duration(step_started.elapsed());
        match outcome {
            Ok(detail) => {
                let shown = match detail {
                    Some(detail) => format!("{} ({took}; {detail})", step.name),
                    None => format!("{} ({took})", step.name),
                };
                eprintln!("==> {shown}: ok");
                passed.push(shown);
            }
            Err(reason) => {
                eprintln!("==> {} failed after {took}: {reason}", step.name);
                failure = Some(format!("{} ({took}): {reason}", step.name));
            }
        }
    }
    let total = format_duration(started.elapsed());
    let mut line = match &failure {
        None => format!("{task}: ok in {total}: {}", list(&passed)),
        Some(failed) => format!(
            "{task}: FAILED in {total} at {failed}; passed: {}",
            list(&passed)
        ),
    };
    if !skipped.is_empty() {
        line.push_str(&format!("; skipped (--skip): {}", skipped.join(", ")));
    }
    if !not_run.is_empty() {
        line.push_str(&format!("; not run: {}", not_run.join(", ")));
    }
    // The summary is the last line, after everything the steps printed.
    let _ = std::io::stdout().flush();
    eprintln!("==> {line}");
    if failure.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// `4m05s`, `12s`, `0.4s`.
pub fn format_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else if secs >= 10 {
        format!("{secs}s")
    } else {
        format!("{:.1}s", duration.as_secs_f64())
    }
}

/// Runs a command with the terminal's streams; an exit status other than 0
/// is the error.
pub fn run_command(mut command: Command) -> Result<(), String> {
    let shown = describe(&command);
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{shown}` exited with {status}")),
        Err(error) => Err(format!("cannot run `{shown}`: {error}")),
    }
}

/// `cargo` as the one that started us (`CARGO`), else from `PATH`.
pub fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

/// A command as a person would type it (for messages).
pub fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    std::iter::once(program)
        .chain(
            command
                .get_args()
                .map(|arg| arg.to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

/// Test counts summed over every `test result:` line libtest printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestCounts {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
    /// Tests marked `#[ignore]`.
    pub ignored: u64,
}

impl TestCounts {
    /// Adds the counts of one `test result: ok. 12 passed; 0 failed; 1 ignored; …` line.
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim_start().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(what), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match what {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.ignored += number,
                _ => {}
            }
        }
    }
}

impl std::fmt::Display for TestCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} passed", self.passed)?;
        if self.failed > 0 {
            write!(f, ", {} failed", self.failed)?;
        }
        if self.ignored > 0 {
            write!(f, ", {} ignored", self.ignored)?;
        }
        Ok(())
    }
}

/// Runs `cargo test …`, passing its output through, and sums its counts.
pub fn run_cargo_test(mut command: Command) -> Result<TestCounts, String> {
    let shown = describe(&command);
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run `{shown}`: {error}"))?;
    let mut counts = TestCounts::default();
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout().lock();
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(line) = line else { break };
            counts.add_line(&String::from_utf8_lossy(&line));
            let _ = out.write_all(&line);
            let _ = out.write_all(b"\n");
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("`{shown}`: {error}"))?;
    if status.success() {
        Ok(counts)
    } else {
        Err(format!("`{shown}` exited with {status} ({counts})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_add_up_over_result_lines() {
        let mut counts = TestCounts::default();
        for line in [
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 3 filtered out; finished in 0.30s",
            "running 4 tests",
            "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
            "test result: ok. all 7 doctests",
        ] {
            counts.add_line(line);
        }
        assert_eq!(
            counts,
            TestCounts {
                passed: 15,
                failed: 1,
                ignored: 1
            }
        );
        assert_eq!(counts.to_string(), "15 passed, 1 failed, 1 ignored");
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(format_duration(Duration::from_millis(400)), "0.4s");
        assert_eq!(format_duration(Duration::from_secs(12)), "12s");
        assert_eq!(format_duration(Duration::from_secs(245)), "4m05s");
    }
}
