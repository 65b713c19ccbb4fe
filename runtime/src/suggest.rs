//! "Did you mean …?" suggestions for unknown model ids, field names and
//! prompt directives.

/// Inputs (and candidates) longer than this many characters get no
/// suggestion: nobody mistypes a 300-character id, and it bounds the
/// quadratic edit-distance work per candidate.
const MAX_CHARS: usize = 256;

/// The candidate that `input` most plausibly means, or `None`.
///
/// Strings are compared case-insensitively with the separators `-`, `_`,
/// `.` and space removed (`Pan right` ≈ `Pan Right`, `sora-2` ≈ `sora2`).
/// A candidate is plausible when one of these holds:
/// - the Levenshtein distance is at most `max(2, longer_len / 3)` and below
///   the longer length (replacing every character is not a typo);
/// - one normalized string is a prefix of the other (`image` → `image_url`,
///   `hailuo-02-i2v-pro` → `hailuo-02`);
/// - the input is a word of at least 3 letters plus only a version (digits
///   and separators), and the candidate starts with that word: a model
///   family (`kling-3.0` → a `kling-…` id, `veo3` → a `veo-…` id). Without
///   the version condition `Pan Up` would suggest `Pan Left`.
///
/// A candidate that the input is a prefix of (`runway-gen3` →
/// `runway-gen3-alpha-turbo`: the input is a known id without its suffix)
/// wins over every other, however close by edit distance (`runway-gen4`).
/// Otherwise, and among such candidates, the smallest distance wins, then
/// the earliest. An input that normalizes to nothing gets no suggestion.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // The buffers are kept per thread: one body can ask for dozens of
    // suggestions (one per unknown key), and their three allocations were a
    // good part of each. A nested call (none today), or one while the
    // thread's locals are being torn down, gets fresh ones.
    let mut candidates = Some(candidates);
    // Runs once: `candidates` is taken by whichever call gets buffers.
    let mut search = |scratch: &mut Scratch| {
        let candidates = candidates.take()?;
        nearest_with(input, candidates, scratch)
    };
    let kept = SCRATCH.try_with(|cell| cell.try_borrow_mut().ok().map(|mut s| search(&mut s)));
    match kept {
        Ok(Some(found)) => found,
        _ => search(&mut Scratch::default()),
    }
}

/// The buffers of one [`nearest`] search. Bounded: `normalize_into` fills
/// them only for strings of at most [`MAX_CHARS`] characters.
#[derive(Default)]
struct Scratch {
    wanted: Vec<char>,
    norm: Vec<char>,
    row: Vec<usize>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// [`nearest`], with its buffers given.
fn nearest_with<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    scratch: &mut Scratch,
) -> Option<&'a str> {
    let Scratch { wanted, norm, row } = scratch;
    if !normalize_into(input, wanted) {
        return None;
    }
    let wanted_family = versioned_family(input);
    // Buffers reused for every candidate: the search allocates nothing per
    // candidate (it used to allocate two or three each, most of the cost of
    // an unknown-field error).
    // (distance, candidate, whether the input is a prefix of it)
    let mut best: Option<(usize, &'a str, bool)> = None;
    for candidate in candidates {
        if !normalize_into(candidate, norm) {
            continue;
        }
        let extends = norm.starts_with(wanted);
        let best_extends = best.is_some_and(|(_, _, extends)| extends);
        if best_extends && !extends {
            continue;
        }
        // The candidate to beat: none when this one is the first the input
        // is a prefix of, as that outranks any distance.
        let rival = if extends && !best_extends { None } else { best };
        let longer = wanted.len().max(norm.len());
        let threshold = (longer / 3).max(2);
        let prefix = extends || wanted.starts_with(norm);
        let same_family = wanted_family
            .as_deref()
            .is_some_and(|family| is_leading_word(family, candidate));
        // A candidate can only be picked with a distance below the best so
        // far, and, when neither a prefix nor a family makes it plausible,
        // at most `threshold`: past that bound the exact distance does not
        // matter, and the table stops as soon as it is exceeded.
        let mut bound = rival.map_or(usize::MAX, |(least, ..)| least.saturating_sub(1));
        if !prefix && !same_family {
            bound = bound.min(threshold);
        }
        // The distance is at least the length difference, and a prefix's
        // distance is exactly that difference: the table is needed only
        // when neither settles it.
        let length_gap = wanted.len().abs_diff(norm.len());
        let distance = if length_gap > bound || prefix {
            length_gap
        } else {
            levenshtein_bounded(wanted, norm, bound, row)
        };
        let close = distance <= threshold && distance < longer;
        if (close || prefix || same_family) && rival.is_none_or(|(least, ..)| distance < least) {
            best = Some((distance, candidate, extends));
        }
    }
    best.map(|(_, candidate, _)| candidate)
}

/// Lowercased characters of `s` without separators, into `out` (cleared
/// first); `false` when `s` is too long or nothing is left.
fn normalize_into(s: &str, out: &mut Vec<char>) -> bool {
    out.clear();
    if s.len() > MAX_CHARS && s.chars().nth(MAX_CHARS).is_some() {
        return false;
    }
    let separator = |c: &char| matches!(c, '-' | '_' | '.' | ' ');
    // Ids and field names are ASCII, and lowercasing ASCII needs no Unicode
    // tables (they were most of the cost of an unknown-field error).
    if s.is_ascii() {
        out.reserve(s.len());
        for byte in s.bytes() {
            let c = char::from(byte.to_ascii_lowercase());
            if !separator(&c) {
                out.push(c);
            }
        }
    } else {
        out.extend(
            s.chars()
                .filter(|c| !separator(c))
                .flat_map(char::to_lowercase),
        );
    }
    !out.is_empty()
}

/// The leading run of letters of `s`, lowercased, when it is at least 3
/// letters long (`kling-v21` → `kling`, `veo3` → `veo`, `Pan Right` → `pan`).
fn leading_word(s: &str) -> Option<String> {
    let letters = s.chars().take(MAX_CHARS).take_while(|c| c.is_alphabetic());
    // As in `normalize_into`: ASCII needs no Unicode lowercasing tables.
    let word: String = if s.is_ascii() {
        letters.map(|c| c.to_ascii_lowercase()).collect()
    } else {
        letters.flat_map(char::to_lowercase).collect()
    };
    (word.chars().count() >= 3).then_some(word)
}

/// Whether [`leading_word`] of `s` is `word`, without building it when `s`
/// is ASCII (every candidate the catalog gives).
fn is_leading_word(word: &str, s: &str) -> bool {
    if !s.is_ascii() {
        return leading_word(s).as_deref() == Some(word);
    }
    let letters = s
        .bytes()
        .take(MAX_CHARS)
        .take_while(u8::is_ascii_alphabetic);
    word.len() >= 3
        && letters.clone().count() == word.len()
        && letters
            .zip(word.bytes())
            .all(|(a, b)| a.to_ascii_lowercase() == b)
}

/// The leading word of `s` when all that follows it is a version: no more
/// letters (`kling-3.0`, `veo3`, `hailuo 03`, but not `Pan Up`).
fn versioned_family(s: &str) -> Option<String> {
    let word = leading_word(s)?;
    let rest = s.chars().skip_while(|c| c.is_alphabetic());
    rest.take(MAX_CHARS)
        .all(|c| !c.is_alphabetic())
        .then_some(word)
}

/// Levenshtein distance over characters, keeping one row of the table in
/// `row` (reused across calls to avoid an allocation per candidate).
#[cfg(test)]
fn levenshtein(a: &[char], b: &[char], row: &mut Vec<usize>) -> usize {
    levenshtein_bounded(a, b, usize::MAX, row)
}

/// The Levenshtein distance when it is at most `bound`; otherwise some
/// value above `bound` (the table stops once a whole row exceeds it, since
/// the distance is at least the smallest value of any row).
fn levenshtein_bounded(a: &[char], b: &[char], bound: usize, row: &mut Vec<usize>) -> usize {
    row.clear();
    row.extend(0..=b.len());
    for (i, &ca) in a.iter().enumerate() {
        // `diagonal` is the previous row's value one column to the left.
        let mut diagonal = i;
        let mut left = i + 1;
        let mut smallest = left;
        for (cell, &cb) in row.iter_mut().skip(1).zip(b) {
            let substitution = diagonal + usize::from(ca != cb);
            let value = substitution.min(*cell + 1).min(left + 1);
            diagonal = *cell;
            *cell = value;
            left = value;
            smallest = smallest.min(value);
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        if smallest > bound {
            return smallest;
        }
    }
    row.last().copied().unwrap_or(a.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODELS: &[&str] = &[
        "veo-3.1-quality",
        "veo-3.1-fast",
        "sora2",
        "runway-gen3-alpha-turbo",
        "runway-gen4",
        "runway-aleph",
        "kling-v21-master-i2v",
        "kling-v21-master-t2v",
        "kling-v25-i2v-pro",
        "kling-v25-t2v-pro",
        "kling-avatar-std",
        "kling-avatar-pro",
        "hailuo-02",
        "grok-imagine-t2v",
        "grok-imagine-i2v",
        "topaz-upscale",
        "infinitalk-audio",
    ];

    const DIRECTIVES: &[&str] = &[
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

    fn model(input: &str) -> Option<&'static str> {
        nearest(input, MODELS.iter().copied())
    }

    #[test]
    fn model_ids() {
        assert_eq!(model("sora-2-pro"), Some("sora2"));
        assert_eq!(model("kling-3.0"), Some("kling-v25-i2v-pro"));
        assert_eq!(model("veo3"), Some("veo-3.1-fast"));
        assert_eq!(model("veo-3.1"), Some("veo-3.1-fast"));
        assert_eq!(model("hailuo-02-i2v-pro"), Some("hailuo-02"));
        assert_eq!(model("Hailuo 02"), Some("hailuo-02"));
        assert_eq!(model("runway-gen-4"), Some("runway-gen4"));
        assert_eq!(model("runway-gen5"), Some("runway-gen4"));
        // A known id without its suffix: that id, not the one a letter away.
        assert_eq!(model("runway-gen3"), Some("runway-gen3-alpha-turbo"));
        assert_eq!(model("runway gen3 alpha"), Some("runway-gen3-alpha-turbo"));
        assert_eq!(model("kling-v21-master"), Some("kling-v21-master-i2v"));
        assert_eq!(model("kling-avatar"), Some("kling-avatar-std"));
        // Among ids the input starts, the closest: a prefix of both.
        assert_eq!(model("runway-gen"), Some("runway-gen4"));
        assert_eq!(model("kling-v2.1-master-i2v"), Some("kling-v21-master-i2v"));
        assert_eq!(model("topaz"), Some("topaz-upscale"));
        assert_eq!(model("hailuo-03"), Some("hailuo-02"));
        assert_eq!(model("grok"), Some("grok-imagine-t2v"));
        assert_eq!(model("kling 2.6"), Some("kling-v25-i2v-pro"));
        assert_eq!(model("VEO-3.1-QUALITY"), Some("veo-3.1-quality"));
        // Nothing like these exists: no Wan model, no such text.
        assert_eq!(model("wan-26-i2v"), None);
        assert_eq!(model("xyz123"), None);
        assert_eq!(model("gpt-4"), None);
        assert_eq!(model(""), None);
        assert_eq!(model("--"), None);
    }

    #[test]
    fn field_names() {
        let fields = ["prompt", "image_url", "duration", "webhook_url"];
        let field = |input| nearest(input, fields);
        assert_eq!(field("image"), Some("image_url"));
        assert_eq!(field("durration"), Some("duration"));
        assert_eq!(field("imageUrl"), Some("image_url"));
        assert_eq!(field("webhook"), Some("webhook_url"));
        assert_eq!(field("Prompt"), Some("prompt"));
        assert_eq!(field("seed"), None);
        assert_eq!(field("negative_prompt"), None);
        assert_eq!(nearest("video_length", ["video_url", "prompt"]), None);
    }

    #[test]
    fn directives() {
        let directive = |input| nearest(input, DIRECTIVES.iter().copied());
        assert_eq!(directive("Pan right"), Some("Pan Right"));
        assert_eq!(directive("pan-left"), Some("Pan Left"));
        assert_eq!(directive("Zoom in"), Some("Zoom In"));
        assert_eq!(directive("Zoom"), Some("Zoom In"));
        assert_eq!(directive("Tracking"), Some("Tracking Shot"));
        assert_eq!(directive("Hand held"), Some("Handheld"));
        assert!(directive("Dolly Zoom").is_some_and(|d| d.starts_with("Dolly")));
        assert_eq!(directive("Crane Up"), None);
        assert_eq!(directive("Pan Up"), None);
        assert_eq!(directive("slow motion"), None);
        assert_eq!(directive(""), None);
    }

    #[test]
    fn reused_buffers_give_the_same_answers_as_fresh_ones() {
        // Long then short inputs, so stale contents would show.
        let inputs = [
            "kling-v21-master-i2v-extra-long-name",
            "sora",
            "",
            "veo3",
            "Kling-V25-T2V-Pro",
            "x",
            "hailuo 03",
            "grok-imagine",
        ];
        for input in inputs.iter().chain(inputs.iter().rev()) {
            let fresh = nearest_with(input, MODELS.iter().copied(), &mut Scratch::default());
            assert_eq!(nearest(input, MODELS.iter().copied()), fresh, "{input}");
        }
        assert_eq!(model("kling-v25-t2v-pr"), Some("kling-v25-t2v-pro"));
    }

    #[test]
    fn ties_go_to_the_earlier_candidate() {
        assert_eq!(nearest("ab", ["ax", "xb"]), Some("ax"));
        assert_eq!(nearest("ab", ["xb", "ax"]), Some("xb"));
        assert_eq!(nearest("x", ["y"]), None);
    }

    #[test]
    fn distance() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let mut row = Vec::new();
        for (a, b, d) in [
            ("", "", 0),
            ("", "abc", 3),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
            ("flaw", "lawn", 2),
            ("durration", "duration", 1),
            ("é", "e", 1),
        ] {
            assert_eq!(levenshtein(&chars(a), &chars(b), &mut row), d, "{a} {b}");
            assert_eq!(levenshtein(&chars(b), &chars(a), &mut row), d, "{b} {a}");
        }
    }

    #[test]
    fn a_bounded_distance_is_exact_up_to_its_bound_and_above_it_past() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let mut row = Vec::new();
        for (a, b) in [
            ("kitten", "sitting"),
            ("durration", "duration"),
            ("abc", "xyz"),
        ] {
            let exact = levenshtein(&chars(a), &chars(b), &mut row);
            for bound in 0..6 {
                let got = levenshtein_bounded(&chars(a), &chars(b), bound, &mut row);
                if exact <= bound {
                    assert_eq!(got, exact, "{a} {b} bound {bound}");
                } else {
                    assert!(got > bound, "{a} {b} bound {bound}: {got}");
                }
            }
        }
    }

    #[test]
    fn leading_words_compare_without_building_them() {
        assert!(is_leading_word("kling", "kling-v21-master-i2v"));
        assert!(is_leading_word("veo", "VEO-3.1-fast"));
        assert!(!is_leading_word("veo", "veox-1"));
        assert!(!is_leading_word("kling", "kli"));
        assert!(is_leading_word("émile", "Émile-1"));
    }

    #[test]
    fn long_inputs_are_skipped() {
        let long = "a".repeat(MAX_CHARS + 1);
        assert_eq!(nearest(&long, [long.as_str()]), None);
        let limit = "a".repeat(MAX_CHARS);
        assert_eq!(nearest(&limit, [limit.as_str()]), Some(limit.as_str()));
        assert_eq!(
            nearest(&"x".repeat(10_000_000), MODELS.iter().copied()),
            None
        );
    }
}
