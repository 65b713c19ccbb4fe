//! One README's blocks, run in order in one scratch directory, the way a
//! reader follows it from the top: files written by one block are there for
//! the next, `export` and `cd` carry over, servers started with `&` keep
//! running until the README is done.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::console;
use super::markdown::{Block, Directive};

/// How long one command or block may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a server started with `&` has to print `listening on http://…`.
const SERVER_READY_TIMEOUT: Duration = Duration::from_secs(90);
/// How often a running command or a starting server is looked at.
const POLL: Duration = Duration::from_millis(50);

/// What the commands of every README find on `PATH` before the inherited one.
pub struct Tools {
    /// A directory holding `orux`, built as users build it.
    pub bin: PathBuf,
    /// The Python virtual environment's `bin` (python3, datamodel-codegen, …).
    pub python_bin: PathBuf,
    /// The pinned npm packages (`tests/cross-language/ts/node_modules`).
    pub node_modules: PathBuf,
}

/// What became of one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Run: console commands compared, a shell or Python block exited 0.
    Ran,
    /// Written to the file its directive names (and parsed, for JSON and TOML).
    Written,
    /// Parsed (JSON, TOML, YAML): the syntax holds.
    Parsed,
    /// A Rust block: compiled and run by rustdoc as a doc test.
    DocTest,
    /// Prose in a box (`text`): nothing to run.
    Prose,
    /// Run by a cross-language test that reads the block by its name.
    CrossLanguage,
    /// Not run, for the reason its directive gives.
    Skipped,
}

/// Why a block failed, and the README line it failed at.
#[derive(Debug)]
pub struct Failure {
    /// The line of the block, or of the command in a console block.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// A README's scratch directory, its shell state and its servers.
pub struct Scenario {
    dir: PathBuf,
    state: PathBuf,
    path: std::ffi::OsString,
    /// README port → the real one, for every server started so far.
    ports: Vec<(String, String)>,
    servers: Vec<Child>,
}

impl Scenario {
    /// A fresh scratch directory at `dir`, laid out like the repository's
    /// root: a link to each top-level entry of `root` except `target`,
    /// hidden ones and the Cargo manifest and lock (so that `cargo` run in
    /// it finds the real workspace above it), plus `node_modules`.
    pub fn new(root: &Path, dir: PathBuf, tools: &Tools) -> Result<Scenario, String> {
        let io = |what: &str, path: &Path, error: std::io::Error| {
            format!("cannot {what} {}: {error}", path.display())
        };
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io("clear", &dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| io("create", &dir, e))?;
        let entries = std::fs::read_dir(root).map_err(|e| io("read", root, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io("read", root, e))?;
            let name = entry.file_name();
            let shown = name.to_string_lossy();
            if shown.starts_with('.') || ["target", "Cargo.toml", "Cargo.lock"].contains(&&*shown) {
                continue;
            }
            let link = dir.join(&name);
            std::os::unix::fs::symlink(entry.path(), &link).map_err(|e| io("link", &link, e))?;
        }
        let link = dir.join("node_modules");
        std::os::unix::fs::symlink(&tools.node_modules, &link).map_err(|e| io("link", &link, e))?;
        let state = dir.join(".snippet-shell-state");
        let cd = format!(
            "cd -- '{}'\n",
            dir.display().to_string().replace('\'', r"'\''")
        );
        std::fs::write(&state, cd).map_err(|e| io("write", &state, e))?;
        let mut path = std::ffi::OsString::new();
        for dir in [
            &tools.bin,
            &tools.python_bin,
            &tools.node_modules.join(".bin"),
        ] {
            path.push(dir);
            path.push(":");
        }
        path.push(std::env::var_os("PATH").unwrap_or_default());
        Ok(Scenario {
            dir,
            state,
            path,
            ports: Vec::new(),
            servers: Vec::new(),
        })
    }

    /// Runs (or writes, parses, skips) one block.
    pub fn run(&mut self, block: &Block) -> Result<Outcome, Failure> {
        if block.language == "console" && block.directive.is_none() {
            return self.console_block(block).map(|()| Outcome::Ran);
        }
        self.run_other(block).map_err(|message| Failure {
            line: block.line,
            message,
        })
    }

    /// A console block's commands, in order; the failure names the command's line.
    fn console_block(&mut self, block: &Block) -> Result<(), Failure> {
        let transcripts = console::transcripts(&block.text).map_err(|message| Failure {
            line: block.line,
            message,
        })?;
        for transcript in transcripts {
            self.console(&transcript).map_err(|message| Failure {
                line: block.line + 1 + transcript.offset,
                message,
            })?;
        }
        Ok(())
    }

    /// Every block but a console one.
    fn run_other(&mut self, block: &Block) -> Result<Outcome, String> {
        let text = self.substitute(&block.text);
        match &block.directive {
            Some(Directive::Skip(_)) => return Ok(Outcome::Skipped),
            // The harness checks beforehand that a script reads it.
            Some(Directive::CrossLanguage(_)) => return Ok(Outcome::CrossLanguage),
            Some(Directive::File(path)) => {
                parse(&block.language, &text)?;
                let file = self.dir.join(path);
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
                }
                std::fs::write(&file, &text)
                    .map_err(|error| format!("cannot write {path}: {error}"))?;
                return Ok(Outcome::Written);
            }
            None => {}
        }
        match block.language.as_str() {
            "sh" | "bash" | "shell" => {
                let script = format!("set -eo pipefail\n{text}");
                let (status, output) = self.shell(&script)?;
                exited_zero(status, &output)?;
                Ok(Outcome::Ran)
            }
            "python" | "py" => {
                let file = format!("snippet-line-{}.py", block.line);
                std::fs::write(self.dir.join(&file), &text)
                    .map_err(|error| format!("cannot write {file}: {error}"))?;
                let (status, output) = self.shell(&format!("python3 {file}"))?;
                exited_zero(status, &output)?;
                Ok(Outcome::Ran)
            }
            "json" | "toml" | "yaml" | "yml" => {
                parse(&block.language, &text)?;
                Ok(Outcome::Parsed)
            }
            "rust" => {
                let hidden = block
                    .attributes
                    .iter()
                    .find(|attribute| ["ignore", "no_run"].contains(&attribute.as_str()));
                match hidden {
                    Some(attribute) => Err(format!(
                        "`{attribute}` keeps the block from running: make it run, or say why \
                         not in a `<!-- snippet: skip REASON -->` before it"
                    )),
                    None => Ok(Outcome::DocTest),
                }
            }
            "text" | "txt" | "plain" => Ok(Outcome::Prose),
            "ts" | "typescript" | "js" | "javascript" | "mjs" => Err(
                "a TypeScript or JavaScript block is compiled with the settings the README \
                 states: write it to a file with `<!-- snippet: file PATH -->` (the tsconfig.json \
                 too), and show the commands that compile and run it in a later console block"
                    .to_owned(),
            ),
            "" => {
                Err("a fenced block needs a language (console, sh, rust, json, text, …)".to_owned())
            }
            other => Err(format!(
                "no rule runs ```{other} blocks: use a language the harness knows, or a \
                 `<!-- snippet: skip REASON -->`"
            )),
        }
    }

    /// One `$ ` command: run, or started as a server when it ends with `&`.
    fn console(&mut self, transcript: &console::Transcript) -> Result<(), String> {
        let command = self.substitute(&transcript.command);
        if let Some(server) = command.trim_end().strip_suffix('&') {
            if !transcript.expected.is_empty() {
                return Err(format!(
                    "`{}`: a server started with `&` shows no output in the README",
                    transcript.command
                ));
            }
            return self.start_server(server);
        }
        let expected: Vec<String> = transcript
            .expected
            .iter()
            .map(|line| self.substitute(line))
            .collect();
        let (_, output) = self
            .shell(&command)
            .map_err(|problem| format!("`{command}`: {problem}"))?;
        console::compare(&expected, &output).map_err(|problem| format!("`{command}`: {problem}"))
    }

    /// Starts `command` in the background on a free port (its `--port N` or
    /// `-p N` run as port 0), waits until it prints `listening on
    /// http://HOST:PORT`, and from then on shows the README's `:N` as the
    /// real port.
    fn start_server(&mut self, command: &str) -> Result<(), String> {
        let (command, readme_port) = port_zero(command).ok_or_else(|| {
            format!(
                "`{command}`: a server started with `&` needs `--port N` (or `-p N`), so that \
                 the harness can run it on a free port"
            )
        })?;
        let log = self.dir.join(format!(".server-{}.log", self.servers.len()));
        let file = std::fs::File::create(&log)
            .map_err(|error| format!("cannot create {}: {error}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|error| format!("cannot open {}: {error}", log.display()))?;
        let mut child = self
            .bash(&command, false)
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|error| format!("`{command}`: cannot start: {error}"))?;
        let started = Instant::now();
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(port) = listening_port(&text) {
                self.ports.push((readme_port, port));
                self.servers.push(child);
                return Ok(());
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "`{command}` exited ({status}) before listening:\n{text}"
                ));
            }
            if started.elapsed() > SERVER_READY_TIMEOUT {
                stop(&mut child);
                return Err(format!(
                    "`{command}` printed no `listening on http://…` in {} s:\n{text}",
                    SERVER_READY_TIMEOUT.as_secs()
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    /// `bash` running `script` in the shell state of the commands before;
    /// with `save`, its own state is kept for the next.
    fn bash(&self, script: &str, save: bool) -> Command {
        // The state file restores the exported variables and the directory
        // of the previous command. A server does not save its state: it
        // ends only when the README is done.
        const SAVING: &str = r#". "$1" || exit 97
eval "$2"
status=$?
{ export -p; printf 'cd -- %q\n' "$PWD"; } > "$1"
exit "$status""#;
        const NOT_SAVING: &str = r#". "$1" || exit 97
eval "$2""#;
        let mut command = Command::new("bash");
        command
            .arg("-c")
            .arg(if save { SAVING } else { NOT_SAVING })
            .arg("bash")
            .arg(&self.state)
            .arg(script)
            .current_dir(&self.dir)
            .env("PATH", &self.path)
            // cargo's own progress is not part of what a README shows.
            .env("CARGO_TERM_QUIET", "true")
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::null())
            .process_group(0);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("ORUX_") {
                command.env_remove(name);
            }
        }
        command
    }

    /// Runs `script` to its end: its exit status and its standard output
    /// and error, interleaved as a terminal would show them.
    fn shell(&self, script: &str) -> Result<(Option<ExitStatus>, String), String> {
        let (mut reader, writer) =
            std::io::pipe().map_err(|error| format!("cannot make a pipe: {error}"))?;
        let writer_err = writer
            .try_clone()
            .map_err(|error| format!("cannot make a pipe: {error}"))?;
        let mut command = self.bash(script, true);
        command.stdout(writer).stderr(writer_err);
        let mut child = command
            .spawn()
            .map_err(|error| format!("cannot run bash: {error}"))?;
        // The pipe's write ends now live only in the child (and its children).
        drop(command);
        let reading = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = reader.read_to_end(&mut bytes);
            bytes
        });
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if started.elapsed() > COMMAND_TIMEOUT => {
                    stop(&mut child);
                    break None;
                }
                Ok(None) => std::thread::sleep(POLL),
                Err(error) => return Err(format!("cannot wait for bash: {error}")),
            }
        };
        let output = String::from_utf8_lossy(&reading.join().unwrap_or_default()).into_owned();
        match status {
            Some(status) => Ok((Some(status), output)),
            None => Err(format!(
                "still running after {} s; stopped. Output:\n{output}",
                COMMAND_TIMEOUT.as_secs()
            )),
        }
    }

    /// The README's ports replaced by the real ones.
    fn substitute(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (readme, real) in &self.ports {
            text = replace_port(&text, readme, real);
        }
        text
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        for server in &mut self.servers {
            stop(server);
        }
    }
}

/// Stops a child and everything it started (its process group): SIGTERM,
/// then SIGKILL if it is still there after a few seconds.
fn stop(child: &mut Child) {
    let group = format!("-{}", child.id());
    let signal = |name: &str| {
        let _ = Command::new("kill")
            .args([name, "--", &group])
            .stderr(Stdio::null())
            .status();
    };
    signal("-TERM");
    let asked = Instant::now();
    while asked.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            // The leader is gone; make sure nothing it started lingers.
            signal("-KILL");
            return;
        }
        std::thread::sleep(POLL);
    }
    signal("-KILL");
    let _ = child.wait();
}

fn exited_zero(status: Option<ExitStatus>, output: &str) -> Result<(), String> {
    match status {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(format!("exited with {status}. Output:\n{output}")),
        None => Err(format!("did not finish. Output:\n{output}")),
    }
}

/// Checks the syntax of a JSON, TOML or YAML text; other languages pass.
fn parse(language: &str, text: &str) -> Result<(), String> {
    match language {
        "json" => serde_json::from_str::<serde_json::Value>(text)
            .map(drop)
            .map_err(|error| format!("not valid JSON: {error}")),
        "toml" => text
            .parse::<toml::Table>()
            .map(drop)
            .map_err(|error| format!("not valid TOML: {error}")),
        "yaml" | "yml" => orux_codegen::yaml::parse(text, usize::MAX)
            .map(drop)
            .map_err(|error| format!("not valid YAML: {}", error.message)),
        _ => Ok(()),
    }
}

/// The command with its `--port N`, `--port=N` or `-p N` made port 0, and N.
fn port_zero(command: &str) -> Option<(String, String)> {
    let words: Vec<&str> = command.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        let (flag_end, port) = if let Some(port) = word.strip_prefix("--port=") {
            (i, port)
        } else if (*word == "--port" || *word == "-p") && i + 1 < words.len() {
            (i + 1, words[i + 1])
        } else {
            continue;
        };
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port == "0" {
            continue;
        }
        let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        out[flag_end] = if flag_end == i {
            "--port=0".to_owned()
        } else {
            "0".to_owned()
        };
        return Some((out.join(" "), port.to_owned()));
    }
    None
}

/// The port in a `listening on http://HOST:PORT` line.
fn listening_port(log: &str) -> Option<String> {
    let after = &log[log.find("listening on http://")? + "listening on http://".len()..];
    let host_end = if after.starts_with('[') {
        after.find(']')? + 1
    } else {
        after.find(':')?
    };
    let digits: String = after[host_end..]
        .strip_prefix(':')?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// Every `:PORT` not followed by another digit, with `:REAL` instead.
fn replace_port(text: &str, port: &str, real: &str) -> String {
    let needle = format!(":{port}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(&needle);
        } else {
            out.push(':');
            out.push_str(real);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_run_on_port_zero() {
        assert_eq!(
            port_zero("orux mock --port 8080 --task-seconds 1"),
            Some((
                "orux mock --port 0 --task-seconds 1".to_owned(),
                "8080".to_owned()
            ))
        );
        assert_eq!(
            port_zero("prism mock -h 127.0.0.1 -p 4010 openapi.json"),
            Some((
                "prism mock -h 127.0.0.1 -p 0 openapi.json".to_owned(),
                "4010".to_owned()
            ))
        );
        assert_eq!(
            port_zero("srv --port=9000"),
            Some(("srv --port=0".to_owned(), "9000".to_owned()))
        );
        assert_eq!(port_zero("orux mock"), None);
        assert_eq!(port_zero("orux mock --port 0"), None);
    }

    #[test]
    fn the_listening_line_gives_the_port() {
        assert_eq!(
            listening_port("x\nlistening on http://127.0.0.1:41237\n"),
            Some("41237".to_owned())
        );
        assert_eq!(
            listening_port("Prism is listening on http://[::1]:4010"),
            Some("4010".to_owned())
        );
        assert_eq!(listening_port("listening on http://127.0.0.1:"), None);
        assert_eq!(listening_port("starting"), None);
    }

    #[test]
    fn the_readme_port_becomes_the_real_one() {
        assert_eq!(
            replace_port("http://127.0.0.1:8080/x and :80801 :8080", "8080", "41237"),
            "http://127.0.0.1:41237/x and :80801 :41237"
        );
    }
}
