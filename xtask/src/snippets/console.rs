//! Console blocks: `$ ` commands, each followed by the output it shows, and
//! how an actual output is compared with the README's.

/// One command of a console block and the output the README shows for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcript {
    /// The line of the command in the block (0-based).
    pub offset: usize,
    /// The command, continuation lines (`\` at the end) joined as bash would read them.
    pub command: String,
    /// The output lines shown after it.
    pub expected: Vec<String>,
}

/// The commands of a console block. Every line before the first `$ ` is an error.
pub fn transcripts(text: &str) -> Result<Vec<Transcript>, String> {
    let mut out: Vec<Transcript> = Vec::new();
    let mut continued = false;
    for (offset, line) in text.lines().enumerate() {
        if continued {
            let last = out
                .last_mut()
                .ok_or("a continuation line without a command")?;
            last.command.push('\n');
            last.command.push_str(line);
            continued = line.ends_with('\\');
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            continued = command.ends_with('\\');
            out.push(Transcript {
                offset,
                command: command.to_owned(),
                expected: Vec::new(),
            });
        } else {
            match out.last_mut() {
                Some(last) => last.expected.push(line.to_owned()),
                None => {
                    return Err(format!(
                        "a console block starts with a `$ ` command, not {line:?}"
                    ));
                }
            }
        }
    }
    if out.is_empty() {
        return Err("a console block holds at least one `$ ` command".to_owned());
    }
    Ok(out)
}

/// Whether `actual` is what the README shows: line by line, trailing blanks
/// ignored; in an expected line, `…` stands for any text (a line that is
/// equal as written always matches, so an ellipsis the program prints
/// itself matches too). The error shows both sides.
pub fn compare(expected: &[String], actual: &str) -> Result<(), String> {
    let expected = trimmed(expected.iter().map(String::as_str));
    let actual = trimmed(actual.lines());
    let same = expected.len() == actual.len()
        && expected
            .iter()
            .zip(&actual)
            .all(|(wanted, got)| line_matches(wanted, got));
    if same {
        return Ok(());
    }
    let show = |lines: &[&str]| {
        if lines.is_empty() {
            "      (nothing)".to_owned()
        } else {
            lines
                .iter()
                .map(|line| format!("      {line}"))
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    Err(format!(
        "the output differs from the README\n    README:\n{}\n    actual:\n{}",
        show(&expected),
        show(&actual)
    ))
}

fn trimmed<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut lines: Vec<&str> = lines.map(str::trim_end).collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    lines
}

/// One line against its expected form, `…` matching any text.
pub fn line_matches(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    let mut parts = expected.split('…');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return false; // no `…`, and not equal
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_their_output() {
        let block = "$ echo a \\\n    b\na b\n$ true\n$ printf 'x\\ny'\nx\ny\n";
        let parsed = transcripts(block).expect("valid");
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[0].command, "echo a \\\n    b");
        assert_eq!(parsed[0].expected, ["a b"]);
        assert!(parsed[1].expected.is_empty());
        assert_eq!(parsed[2].offset, 4);
        assert_eq!(parsed[2].expected, ["x", "y"]);
        assert!(transcripts("output first\n$ x\n").is_err());
        assert!(transcripts("").is_err());
    }

    #[test]
    fn an_ellipsis_stands_for_any_text() {
        assert!(line_matches("task_…", "task_01JABC"));
        assert!(line_matches(r#"{"a":1,…]}}"#, r#"{"a":1,"b":[2,3]}}"#));
        assert!(line_matches("a…b…c", "a-x-b-y-c"));
        assert!(!line_matches("a…b…c", "a-x-c-y-b"));
        assert!(!line_matches("task_…", "job_1"));
        assert!(!line_matches("ab", "abc"));
        // An ellipsis the program printed itself matches as written.
        assert!(line_matches(
            "unknown model \"aaa…\"",
            "unknown model \"aaa…\""
        ));
        assert!(line_matches("…", ""));
    }

    #[test]
    fn outputs_compare_line_by_line() {
        let expected = ["one".to_owned(), "two…".to_owned(), String::new()];
        assert!(compare(&expected, "one\ntwo and more  \n\n").is_ok());
        let error = compare(&expected, "one\n").unwrap_err();
        assert!(error.contains("README:\n      one\n      two…"), "{error}");
        assert!(compare(&[], "").is_ok());
        assert!(compare(&[], "surprise\n").is_err());
    }
}
