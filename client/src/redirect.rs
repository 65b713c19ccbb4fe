//! Which redirects the client follows, in one place (status requests now,
//! downloads later):
//!
//! - a submission (`POST /api/v1/tasks`) follows none: a 3xx there is
//!   [`Error::Redirected`](crate::Error::Redirected), and nothing is re-sent;
//! - a GET follows at most [`MAX_REDIRECTS`] hops, each to an `https` URL, or
//!   to plain `http` on a loopback host when the base URL itself is loopback
//!   (the mock server);
//! - the API key goes only to the base URL's origin (scheme, host and port):
//!   a hop elsewhere is made without it, and so is every hop after it.

use http::{HeaderMap, StatusCode};
use reqwest::Url;

/// Most redirects one GET follows.
pub const MAX_REDIRECTS: usize = 5;

/// Why a redirect is not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The `Location` as sent, when there was one.
    pub location: Option<String>,
    /// Why, in words.
    pub reason: &'static str,
}

/// The rules of [the module](self) for one base URL.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RedirectPolicy {
    /// Plain http is followed to loopback hosts: only when the base URL is one.
    loopback_http: bool,
}

impl RedirectPolicy {
    /// The policy for requests made from `base`.
    pub fn for_base(base: &Url) -> RedirectPolicy {
        RedirectPolicy {
            loopback_http: is_loopback(base),
        }
    }

    /// Where a GET that got the 3xx answer `status` from `from` goes next,
    /// when `hops` redirects were already followed.
    pub fn next(
        self,
        from: &Url,
        status: StatusCode,
        headers: &HeaderMap,
        hops: usize,
    ) -> Result<Url, Refused> {
        let location = crate::edge::location(headers);
        let refuse = |reason| Refused {
            location: location.clone(),
            reason,
        };
        if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
            return Err(refuse("not a redirect the client follows"));
        }
        let Some(text) = location.as_deref() else {
            return Err(refuse("the redirect has no Location"));
        };
        if hops >= MAX_REDIRECTS {
            return Err(refuse("too many redirects"));
        }
        let Ok(url) = from.join(text.trim()) else {
            return Err(refuse("its Location is not a URL"));
        };
        let allowed = match url.scheme() {
            "https" => url.host().is_some(),
            "http" => self.loopback_http && is_loopback(&url),
            _ => false,
        };
        if !allowed {
            return Err(refuse(if self.loopback_http {
                "only https, or http to a loopback address, is followed"
            } else {
                "only https is followed"
            }));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("its Location carries credentials"));
        }
        Ok(url)
    }
}

/// Whether `a` and `b` have the same origin (scheme, host and port): the API
/// key is sent only to the base URL's.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// Whether the URL's host is a loopback address (`127.0.0.0/8`, `[::1]`,
/// `localhost`), by its spelling: nothing is resolved.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header;

    fn located(location: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::LOCATION, location.parse().expect("a header value"));
        headers
    }

    fn url(text: &str) -> Url {
        Url::parse(text).expect("a URL")
    }

    #[test]
    fn https_hops_only_from_a_remote_base() {
        let base = url("https://orux.top/api/v1/tasks/t");
        let policy = RedirectPolicy::for_base(&base);
        let moved = StatusCode::MOVED_PERMANENTLY;
        let next = policy.next(&base, moved, &located("/elsewhere"), 0);
        assert_eq!(next, Ok(url("https://orux.top/elsewhere")));
        for refused in [
            "http://orux.top/x",
            "http://127.0.0.1/x",
            "ftp://orux.top/x",
            "https://user:pw@orux.top/x",
            "data:text/plain,x",
        ] {
            assert!(
                policy.next(&base, moved, &located(refused), 0).is_err(),
                "{refused}"
            );
        }
        let too_many = policy.next(&base, moved, &located("/x"), MAX_REDIRECTS);
        assert_eq!(too_many.map_err(|r| r.reason), Err("too many redirects"));
        let none = policy.next(&base, moved, &HeaderMap::new(), 0);
        assert_eq!(none.map_err(|r| r.location), Err(None));
        let not_modified = policy.next(&base, StatusCode::NOT_MODIFIED, &located("/x"), 0);
        assert!(not_modified.is_err());
    }

    #[test]
    fn loopback_http_only_from_a_loopback_base() {
        let base = url("http://127.0.0.1:8080/api/v1/tasks/t");
        let policy = RedirectPolicy::for_base(&base);
        let found = StatusCode::FOUND;
        for ok in [
            "http://127.0.0.1:9000/x",
            "http://localhost/x",
            "http://[::1]/x",
            "https://cdn.example/x",
        ] {
            assert!(policy.next(&base, found, &located(ok), 0).is_ok(), "{ok}");
        }
        for refused in ["http://10.0.0.1/x", "http://localhost.evil.example/x"] {
            assert!(
                policy.next(&base, found, &located(refused), 0).is_err(),
                "{refused}"
            );
        }
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let base = url("https://orux.top/api");
        assert!(same_origin(&base, &url("https://orux.top:443/other")));
        assert!(!same_origin(&base, &url("https://orux.top:8443/api")));
        assert!(!same_origin(&base, &url("https://cdn.orux.top/api")));
        assert!(!same_origin(&base, &url("http://orux.top/api")));
    }
}
