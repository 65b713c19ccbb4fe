//! The URL corpus, `tests/corpus/urls.jsonl`: strings for the differential
//! tests of the URL rule, one JSON object per line, `{"url": …, "valid": …}`.
//!
//! [`cases`] generates the strings (deterministically): the IPv6 forms of
//! RFC 3986 and their near misses, IPvFuture, every ASCII character and a
//! set of non-ASCII ones in every part, `%` forms, ports, schemes, and
//! random edits of valid URLs. The verdict written into the file is that of
//! [`crate::url_oracle`]; `tests/tests/url_rule.rs` checks that the file is
//! what this module generates, and that the Rust rule, the bundle's pattern
//! under the `jsonschema` crate and the oracle all give the file's verdicts;
//! the Python and TypeScript harnesses under `tests/cross-language/` check
//! Python's `re` and JavaScript's `RegExp` against the same file.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::json;

use crate::lcg::Lcg;
use crate::spec_cases::root;
use crate::url_oracle;

/// The checked-in corpus file.
pub fn path() -> PathBuf {
    root().join("tests/corpus/urls.jsonl")
}

/// One corpus string, with the verdict stated by hand where there is one.
#[derive(Clone, Debug)]
pub struct UrlCase {
    /// The string.
    pub url: String,
    /// The verdict RFC 3986 and our rules give, written by hand (the issue's
    /// and the decision's examples); `None` for generated strings.
    pub stated: Option<bool>,
}

/// The file's text: each case once, in generation order, with the oracle's
/// verdict.
pub fn render() -> String {
    let mut out = String::new();
    for case in cases() {
        let line = json!({ "url": case.url, "valid": url_oracle::is_https_url(&case.url) });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Every case, without repeats, in a fixed order.
pub fn cases() -> Vec<UrlCase> {
    let mut cases = Cases::default();
    stated(&mut cases);
    ipv6(&mut cases);
    ipv4_and_ipvfuture(&mut cases);
    every_ascii_character(&mut cases);
    percent_forms(&mut cases);
    non_ascii(&mut cases);
    ports_and_schemes(&mut cases);
    random_edits(&mut cases);
    cases.list
}

#[derive(Default)]
struct Cases {
    list: Vec<UrlCase>,
    seen: BTreeSet<String>,
}

impl Cases {
    fn add(&mut self, url: impl Into<String>) {
        self.push(url.into(), None);
    }

    fn push(&mut self, url: String, stated: Option<bool>) {
        if self.seen.insert(url.clone()) {
            self.list.push(UrlCase { url, stated });
        }
    }
}

/// The examples of the issue and of the spec decision, verdicts by hand.
fn stated(cases: &mut Cases) {
    let valid = [
        "https://example.com/frames/start.png",
        "HTTPS://EXAMPLE.COM",
        "https://[::1]/a.png",
        "https://[2001:db8::7]/hook",
        "https://[::ffff:192.0.2.1]:8443/x",
        "https://[1::]/",
        "https://[::]/",
        "https://[1:2:3:4:5:6:7:8]/",
        "https://[v1.fe80::1+eth0]/",
        "https://a.example:/x",
        "https://a.example:65535/x",
        "https://user:pass@a.example/x?y=1#z",
        "https://xn--bcher-kva.example/",
        "https://a.example/%E8%B7%AF",
        "https://a.example/a:b@c!$&'()*+,;=-._~?/?:@#/?:@",
    ];
    let invalid = [
        "https://[1]/a.png",
        "https://[::::]/hook",
        "https://[:::]/",
        "https://[.]/",
        "https://[fe80::1%25eth0]/",
        "https://[1:2:3:4:5:6:7:8:9]/",
        "https://[1::2::3]/",
        "https://a.example/<",
        "https://a.example/>",
        "https://a.example/{}",
        "https://a.example/|",
        "https://a.example/\\",
        "https://a.example/^",
        "https://a.example/`",
        "https://a.example/\"",
        "https://a.example/a b",
        "https://a.example/%zz",
        "https://a.example/路径",
        "https://bücher.example/",
        "https://a.example:65536/",
        "http://a.example/",
        "https:/a.example/",
        "https:///x",
    ];
    for url in valid {
        cases.push(url.to_owned(), Some(true));
    }
    for url in invalid {
        cases.push(url.to_owned(), Some(false));
    }
}

/// Groups of every width, before and after `::`, with and without an IPv4
/// tail, one too many and one too few, and malformed groups.
fn ipv6(cases: &mut Cases) {
    let group = |i: usize| ["1", "ab", "FFFF", "0db8", "7", "c0a", "e", "10"][i % 8];
    let join = |from: usize, n: usize| -> String {
        (from..from + n).map(group).collect::<Vec<_>>().join(":")
    };
    for before in 0..=9 {
        for after in 0..=9 {
            for ipv4 in [false, true] {
                let tail = |n: usize| match (n, ipv4) {
                    (0, true) => "1.2.3.4".to_owned(),
                    (n, true) => format!("{}:1.2.3.4", join(4, n)),
                    (n, false) => join(4, n),
                };
                // With `::`.
                let address = format!("{}::{}", join(0, before), tail(after));
                cases.add(format!("https://[{address}]/"));
                // Without, when the widths add up to around eight.
                if before == 0 && (6..=9).contains(&after) {
                    cases.add(format!("https://[{}]/", tail(after)));
                }
            }
        }
    }
    for address in [
        "::1",
        "1::",
        "::",
        ":::",
        "::::",
        "1:::2",
        ":1::",
        "::1:",
        "1::1:",
        ":1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:",
        "12345::",
        "::12345",
        "g::",
        "::g",
        "1::2::",
        "::1::",
        "1:2",
        "::ffff:1.2.3.4",
        "::1.2.3.4",
        "1.2.3.4::",
        "::1.2.3.4:1",
        "::1.2.3",
        "::1.2.3.4.5",
        "::256.1.1.1",
        "::01.1.1.1",
        "1:2:3:4:5:6:1.2.3.4",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5::1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4",
        "::1%25eth0",
        "fe80::1%eth0",
        "[::1]",
        "::1]",
        "",
        " ::1",
        "::1 ",
        "::A:b:C:d",
        "0:0:0:0:0:0:0:0",
        "00000::",
        "::0000",
    ] {
        cases.add(format!("https://[{address}]/"));
        cases.add(format!("https://[{address}]:443"));
    }
}

/// IPv4 addresses (as reg-names and in IPv6 tails) and IPvFuture literals.
fn ipv4_and_ipvfuture(cases: &mut Cases) {
    for octet in [
        "0", "9", "10", "99", "100", "199", "200", "249", "250", "255", "256", "260", "300", "01",
        "001", "1000", "", "a", "-1",
    ] {
        cases.add(format!("https://[::ffff:{octet}.1.1.1]/"));
        cases.add(format!("https://[::ffff:1.1.1.{octet}]/"));
        cases.add(format!("https://{octet}.1.1.1/"));
    }
    for literal in [
        "v1.x",
        "V1.x",
        "vF.a:b",
        "vabc.1",
        "v1.:",
        "v.x",
        "v1.",
        "v1x",
        "vg.x",
        "v1.x%41",
        "v1.[",
        "v1.x@y",
        "v1..",
        "v1.x/y",
        "w1.x",
        "v1.~!$&'()*+,;=-._:",
    ] {
        cases.add(format!("https://[{literal}]/"));
    }
}

/// Each ASCII character, in each part of a URL that is valid without it.
fn every_ascii_character(cases: &mut Cases) {
    let templates: [(&str, &str); 12] = [
        ("", "https://x/"),
        ("https:", "//x/"),
        ("https://u", "u@x/"),
        ("https://h", "h/"),
        ("https://", "/"),
        ("https://x:8", "/"),
        ("https://x/p", "p"),
        ("https://x/?q", "q"),
        ("https://x/#f", "f"),
        ("https://[::", "1]/"),
        ("https://[v1.", "]/"),
        ("https://[::1]", "/"),
    ];
    for byte in 0u8..128 {
        let ch = char::from(byte);
        for (before, after) in templates {
            cases.add(format!("{before}{ch}{after}"));
        }
    }
}

/// `%` escapes, complete and broken, in each part that takes them and two
/// that do not.
fn percent_forms(cases: &mut Cases) {
    let forms = [
        "%", "%4", "%41", "%4g", "%g4", "%%41", "%41%", "%e9", "%E9", "%0a", "%2525", "%%", "%-1",
    ];
    let templates: [(&str, &str); 8] = [
        ("https://u", "@x/"),
        ("https://h", "/"),
        ("https://x/p", ""),
        ("https://x/?q", ""),
        ("https://x/#f", ""),
        ("https://[::1", "]/"),
        ("https://[v1.", "]/"),
        ("https://x:8", "/"),
    ];
    for form in forms {
        for (before, after) in templates {
            cases.add(format!("{before}{form}{after}"));
        }
    }
}

/// Non-ASCII characters (and their escaped forms) in each part.
fn non_ascii(cases: &mut Cases) {
    let chars = [
        "é",
        "ü",
        "路",
        "😀",
        "\u{80}",
        "\u{85}",
        "\u{a0}",
        "\u{202e}",
        "\u{feff}",
        "\u{fffd}",
        "\u{10ffff}",
        "\u{2028}",
        "ａ",
    ];
    let templates: [(&str, &str); 7] = [
        ("https://u", "@x/"),
        ("https://h", "/"),
        ("https://x/p", ""),
        ("https://x/?q", ""),
        ("https://x/#f", ""),
        ("https://[::1", "]/"),
        ("https://[v1.", "]/"),
    ];
    for ch in chars {
        for (before, after) in templates {
            cases.add(format!("{before}{ch}{after}"));
        }
    }
}

fn ports_and_schemes(cases: &mut Cases) {
    for port in [
        "", "0", "1", "80", "443", "00080", "000080", "08080", "65535", "65536", "65540", "65600",
        "66000", "70000", "99999", "100000", "-1", "+1", "8a", "1:2", ":", "00000", "000000",
    ] {
        cases.add(format!("https://x:{port}/"));
        cases.add(format!("https://[::1]:{port}"));
        cases.add(format!("https://u@x:{port}?q"));
    }
    for url in [
        "https://x",
        "HTTPS://x",
        "HtTpS://x",
        "http://x",
        "httpss://x",
        "https:",
        "https:/",
        "https://",
        "https:///",
        "https:\\\\x",
        "https//x",
        "https:/x",
        "https:x",
        "ttps://x",
        "https://x ",
        "https://a@b@c",
        "https://a:b:c@d",
        "https://@x",
        "https://x@",
        "https://[::1]",
        "https://[::1]]",
        "https://[[::1]]",
        "https://x/[::1]",
        "https://[",
        "https://]",
        "https://[]",
        "https://x?#",
        "https://x#?",
        "https://x//",
        "https://x/?/?",
        "https://x/#/#",
        "https://:@x",
        "https://x:@",
        "https://x@:1",
    ] {
        cases.add(url);
    }
}

/// One to four character edits of valid URLs, from an alphabet of the
/// characters that change the parse.
fn random_edits(cases: &mut Cases) {
    let seeds = [
        "https://example.com/frames/start.png",
        "https://user:pw@[::1]:65535/a?b#c",
        "https://a.b:00080/%41",
        "https://[2001:db8::7]/x",
        "https://[::ffff:192.0.2.1]/",
        "https://[v1.a:b]/",
        "HTTPS://x",
    ];
    let alphabet: Vec<char> = ":/?#[]@%.-_~!$&'()*+,;=09AaFfgvZ<>\"{}|\\^` \n\té\u{7f}6553"
        .chars()
        .collect();
    let mut rng = Lcg(2026);
    for _ in 0..4000 {
        let seed = seeds[rng.next(seeds.len())];
        cases.add(rng.mutate(seed, &alphabet, 4));
    }
}
