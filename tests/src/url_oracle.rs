//! An independent statement of the URL rule, for differential tests: the
//! RFC 3986 `URI` grammar as the `fluent-uri` crate parses it, with the
//! https, host and port rules of `orux_models::HttpsUrl` applied on top.
//!
//! `fluent_uri::Uri` is RFC 3986 only (its `Iri` is the RFC 3987 one), so it
//! refuses every non-ASCII character itself.

use fluent_uri::Uri;

/// Whether `text` is an absolute `https` URL with a non-empty host and a
/// port of at most five digits worth at most 65535, by `fluent-uri`.
pub fn is_https_url(text: &str) -> bool {
    let Ok(uri) = Uri::parse(text) else {
        return false;
    };
    let Some(authority) = uri.authority() else {
        return false;
    };
    let port_ok = authority.port().is_none_or(|port| {
        let port = port.as_str();
        port.len() <= 5 && (port.is_empty() || port.parse::<u32>().is_ok_and(|v| v <= 65_535))
    });
    uri.scheme().as_str().eq_ignore_ascii_case("https") && !authority.host().is_empty() && port_ok
}

#[cfg(test)]
mod tests {
    use super::is_https_url;

    #[test]
    fn states_the_rule() {
        for url in [
            "https://x",
            "HTTPS://x:/",
            "https://[::1]:65535",
            "https://[v7.a:b]",
            "https://u:p@x/a?b#c",
        ] {
            assert!(is_https_url(url), "{url}");
        }
        for url in [
            "http://x",
            "https:/x",
            "https:///x",
            "https://x:65536",
            "https://x:000080",
            "https://[1]",
            "https://[fe80::1%25eth0]",
            "https://x/é",
            "https://x/<",
        ] {
            assert!(!is_https_url(url), "{url}");
        }
    }
}
