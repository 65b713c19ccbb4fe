//! Inline prompt directives such as Hailuo's `[Pan Right]` camera moves.
//!
//! An unknown directive is a warning, not an error: the prompt is still
//! valid text, and the model simply will not act on the token.

use super::suggest;

/// A bracketed token that is not one of the known directives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownDirective<'p> {
    /// The token, trimmed; `""` for an empty one (`[]`, `[Pan Right,]`).
    pub token: &'p str,
    /// Byte offset of the token in the prompt (for an empty token, where it
    /// would start).
    pub offset: usize,
    /// The known directive the token most likely means.
    pub suggestion: Option<&'static str>,
}

/// Every bracketed token in `prompt` that is not exactly (case-sensitively)
/// one of `known`, in prompt order.
///
/// A bracket is `[`, then text without `[` or `]`, then `]`: brackets do not
/// nest, and a `[` or `]` without its partner is plain text (in `a [b [c]`
/// only `[c]` is a bracket). A bracket holds one or more comma-separated
/// tokens, each trimmed of whitespace. The scan is linear in the prompt's
/// length.
///
/// `known` need not be `'static` itself, only its entries, so a suggestion
/// can outlive the call.
pub fn unknown_directives<'p>(
    prompt: &'p str,
    known: &[&'static str],
) -> Vec<UnknownDirective<'p>> {
    let mut unknown = Vec::new();
    // Byte index just past the latest `[` not yet closed.
    let mut open: Option<usize> = None;
    for (i, byte) in prompt.bytes().enumerate() {
        match byte {
            b'[' => open = Some(i + 1),
            b']' => {
                if let Some(start) = open.take() {
                    check_bracket(prompt, start, i, known, &mut unknown);
                }
            }
            _ => {}
        }
    }
    unknown
}

/// Reports the unknown tokens of the bracket whose contents are
/// `prompt[start..end]`. Both ends sit next to ASCII brackets, so they are
/// character boundaries.
fn check_bracket<'p>(
    prompt: &'p str,
    start: usize,
    end: usize,
    known: &[&'static str],
    unknown: &mut Vec<UnknownDirective<'p>>,
) {
    let Some(contents) = prompt.get(start..end) else {
        return;
    };
    let mut segment_start = start;
    for segment in contents.split(',') {
        let token = segment.trim();
        if !known.contains(&token) {
            let leading = segment.len() - segment.trim_start().len();
            unknown.push(UnknownDirective {
                token,
                offset: segment_start + leading,
                suggestion: suggest::nearest(token, known.iter().copied()),
            });
        }
        segment_start += segment.len() + 1; // past the comma
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAMERA: &[&str] = &[
        "Pan Right",
        "Pan Left",
        "Tilt Up",
        "Tilt Down",
        "Zoom In",
        "Zoom Out",
        "Tracking Shot",
        "Dolly In",
        "Dolly Out",
        "Static",
        "Handheld",
    ];

    fn unknown(prompt: &str) -> Vec<(&str, usize, Option<&'static str>)> {
        let found = unknown_directives(prompt, CAMERA);
        for directive in &found {
            assert_eq!(
                prompt.get(directive.offset..directive.offset + directive.token.len()),
                Some(directive.token)
            );
        }
        found
            .into_iter()
            .map(|d| (d.token, d.offset, d.suggestion))
            .collect()
    }

    #[test]
    fn known_directives_pass() {
        assert!(unknown("A cat [Pan Right] walks [Tracking Shot, Pan Right].").is_empty());
        assert!(unknown("[ Zoom In ,Static,  Handheld ]").is_empty());
        assert!(unknown("no brackets at all").is_empty());
        assert!(unknown("").is_empty());
    }

    #[test]
    fn unknown_tokens_are_reported_with_suggestions() {
        assert_eq!(
            unknown("x [Pan right]"),
            [("Pan right", 3, Some("Pan Right"))]
        );
        assert_eq!(
            unknown("[Tracking Shot, pan left, Crane Up]"),
            [("pan left", 16, Some("Pan Left")), ("Crane Up", 26, None)]
        );
        assert_eq!(unknown("[zoom-in]"), [("zoom-in", 1, Some("Zoom In"))]);
    }

    #[test]
    fn empty_tokens_are_reported() {
        assert_eq!(unknown("[]"), [("", 1, None)]);
        assert_eq!(unknown("[ ]"), [("", 2, None)]);
        assert_eq!(unknown("[Pan Right,]"), [("", 11, None)]);
        assert_eq!(unknown("[,Static]"), [("", 1, None)]);
        assert_eq!(unknown("[Static,,Static]"), [("", 8, None)]);
    }

    #[test]
    fn brackets_do_not_nest_and_unclosed_ones_are_text() {
        assert_eq!(unknown("a [b [Static] c"), []);
        assert_eq!(unknown("a [b [c] d]"), [("c", 6, None)]);
        assert_eq!(unknown("a ] b [Pan Right"), []);
        assert_eq!(unknown("[x][y]"), [("x", 1, None), ("y", 4, None)]);
        assert_eq!(unknown("]]][[[Static]]]"), []);
    }

    #[test]
    fn offsets_are_bytes_in_unicode_prompts() {
        assert_eq!(
            unknown("Ünïcödé 🎥 [Pan rïght]"),
            [("Pan rïght", 18, Some("Pan Right"))]
        );
    }

    #[test]
    fn large_prompts_scan_in_linear_time() {
        let prompt =
            "[Pan Rigth] ".repeat(1_000) + &"[".repeat(1_000_000) + &"x".repeat(1_000_000) + "]";
        let found = unknown_directives(&prompt, CAMERA);
        assert_eq!(found.len(), 1_001);
        assert_eq!(found[0].suggestion, Some("Pan Right"));
        assert_eq!(found[1_000].token.len(), 1_000_000);
        assert_eq!(found[1_000].suggestion, None);
    }

    #[test]
    fn suggestions_outlive_a_non_static_list() {
        let owned: Vec<&'static str> = vec!["Static"];
        let found = unknown_directives("[static]", &owned);
        drop(owned);
        assert_eq!(found[0].suggestion, Some("Static"));
    }
}
