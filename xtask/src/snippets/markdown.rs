//! A README as the harness sees it: its fenced code blocks, in order, each
//! with its line, language, rustdoc attributes and the `<!-- snippet: … -->`
//! directive written right before it.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// One fenced code block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The line of its opening fence (1-based).
    pub line: usize,
    /// The first word of the info string (`rust` in ```` ```rust,no_run ````), lowercased.
    pub language: String,
    /// The rest of the info string, split at commas and spaces (`no_run`).
    pub attributes: Vec<String>,
    /// The block's text, as rendered (without the fences).
    pub text: String,
    /// What the directive before it says, if there is one.
    pub directive: Option<Directive>,
}

/// A `<!-- snippet: … -->` comment, on the line(s) right before a fence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `skip REASON`: the block is not run; the reason says why.
    Skip(String),
    /// `file PATH`: the block's text is written to PATH (relative, in the
    /// scratch directory) instead of being run.
    File(String),
    /// `<!-- cross-language: NAME -->`: a script under `tests/cross-language/`
    /// reads the block by that name and runs it (with tools installed there).
    CrossLanguage(String),
}

/// The README's fenced blocks, or every problem with its directives.
pub fn blocks(text: &str) -> Result<Vec<Block>, Vec<String>> {
    let mut blocks = Vec::new();
    let mut problems = Vec::new();
    // A directive waiting for its block: (line, directive, end offset).
    let mut pending: Option<(usize, Directive, usize)> = None;
    let mut html: Option<(usize, String)> = None;
    let mut open: Option<(usize, String, String)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => html = Some((range.start, String::new())),
            Event::Html(chunk) => {
                if let Some((_, collected)) = &mut html {
                    collected.push_str(&chunk);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let Some((start, collected)) = html.take() else {
                    continue;
                };
                if let Some((line, ..)) = pending.take() {
                    problems.push(format!(
                        "line {line}: a snippet directive must be right before a fenced block"
                    ));
                }
                match parse_directive(&collected) {
                    Ok(Some(directive)) => {
                        pending = Some((line_of(text, start), directive, range.end));
                    }
                    Ok(None) => {}
                    Err(problem) => {
                        problems.push(format!("line {}: {problem}", line_of(text, start)));
                    }
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some((range.start, info.into_string(), String::new()));
            }
            Event::Text(chunk) => {
                if let Some((_, _, collected)) = &mut open {
                    collected.push_str(&chunk);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((start, info, collected)) = open.take() else {
                    continue;
                };
                let directive = match pending.take() {
                    Some((_, directive, end)) if text[end..start].trim().is_empty() => {
                        Some(directive)
                    }
                    Some((line, ..)) => {
                        problems.push(format!(
                            "line {line}: a snippet directive must be right before a fenced block"
                        ));
                        None
                    }
                    None => None,
                };
                let mut words = info
                    .split([',', ' ', '\t'])
                    .filter(|word| !word.is_empty())
                    .map(str::to_owned);
                blocks.push(Block {
                    line: line_of(text, start),
                    language: words.next().unwrap_or_default().to_ascii_lowercase(),
                    attributes: words.collect(),
                    text: collected,
                    directive,
                });
            }
            _ => {}
        }
    }
    if let Some((line, ..)) = pending {
        problems.push(format!(
            "line {line}: a snippet directive must be right before a fenced block"
        ));
    }
    if problems.is_empty() {
        Ok(blocks)
    } else {
        Err(problems)
    }
}

/// The directive in an HTML block, if it is a `<!-- snippet: … -->` comment.
fn parse_directive(html: &str) -> Result<Option<Directive>, String> {
    let Some(inner) = html
        .trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
    else {
        return Ok(None);
    };
    if let Some(name) = inner.trim().strip_prefix("cross-language:") {
        let name = name.trim();
        return match name.is_empty() || name.contains(char::is_whitespace) {
            true => Err(format!(
                "`cross-language:` needs one block name, got {name:?}"
            )),
            false => Ok(Some(Directive::CrossLanguage(name.to_owned()))),
        };
    }
    let Some(body) = inner.trim().strip_prefix("snippet:") else {
        return Ok(None);
    };
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let (verb, argument) = body.split_once(' ').unwrap_or((&body, ""));
    match verb {
        "skip" if !argument.is_empty() => Ok(Some(Directive::Skip(argument.to_owned()))),
        "skip" => Err("`snippet: skip` needs a reason".to_owned()),
        "file" if is_plain_relative(argument) => Ok(Some(Directive::File(argument.to_owned()))),
        "file" => Err(format!(
            "`snippet: file` needs a relative path without `..`, got {argument:?}"
        )),
        other => Err(format!(
            "unknown snippet directive {other:?} (known: skip REASON, file PATH)"
        )),
    }
}

/// A path that stays inside the directory it is joined to.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(' ')
        && std::path::Path::new(path)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)))
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_carry_their_line_language_attributes_and_directive() {
        let text = "# T\n\n```rust,no_run\nlet x = 1;\n```\n\n<!-- snippet: skip needs a GPU -->\n```sh\nrun\n```\n\n<!-- snippet: file src/a.ts -->\n\n```ts\nlet a = 1;\n```\n";
        let blocks = blocks(text).expect("valid");
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[0].language, "rust");
        assert_eq!(blocks[0].attributes, ["no_run"]);
        assert_eq!(blocks[0].text, "let x = 1;\n");
        assert_eq!(blocks[0].directive, None);
        assert_eq!(
            blocks[1].directive,
            Some(Directive::Skip("needs a GPU".to_owned()))
        );
        assert_eq!(
            blocks[2].directive,
            Some(Directive::File("src/a.ts".to_owned()))
        );
        assert_eq!(blocks[2].line, 14);
    }

    #[test]
    fn bad_directives_are_named_with_their_line() {
        let problems = blocks("<!-- snippet: skip -->\n```sh\nx\n```\n").unwrap_err();
        assert_eq!(problems, ["line 1: `snippet: skip` needs a reason"]);
        let problems = blocks("<!-- snippet: file ../x -->\n```sh\nx\n```\n").unwrap_err();
        assert!(problems[0].contains("relative path"), "{problems:?}");
        let problems = blocks("<!-- snippet: run -->\n```sh\nx\n```\n").unwrap_err();
        assert!(
            problems[0].contains("unknown snippet directive"),
            "{problems:?}"
        );
        let problems =
            blocks("<!-- snippet: skip why -->\n\nSome text.\n\n```sh\nx\n```\n").unwrap_err();
        assert!(
            problems[0].contains("right before a fenced block"),
            "{problems:?}"
        );
        let marked = blocks("<!-- cross-language: python-generate -->\n```sh\nx\n```\n").unwrap();
        assert_eq!(
            marked[0].directive,
            Some(Directive::CrossLanguage("python-generate".to_owned()))
        );
        // Other comments are not directives.
        assert_eq!(
            blocks("<!-- a note -->\n```sh\nx\n```\n").unwrap()[0].directive,
            None
        );
    }
}
