//! Signed result URLs, like a CDN's:
//! `http://ADDR/_mock/results/<task_id>/<n>.<ext>?expires=<unix>&token=<hex>`
//! (n from 1). The token is a SHA-256 over a secret drawn when the server
//! starts, the task, the index and the expiry, so a URL cannot be forged or
//! extended. Each status read issues new URLs: with `--result-ttl`, each
//! with its own expiry and token; without, no `expires` and the same token.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// The path every result URL starts with.
pub const RESULTS_PATH: &str = "/_mock/results";

/// Hex digits of a token.
const TOKEN_HEX: usize = 32;

/// Why a result URL is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Its expiry has passed.
    Expired,
    /// The token does not match (or is missing).
    Forbidden,
}

/// Issues and checks result URLs.
pub struct Links {
    base: String,
    secret: [u8; 32],
    ttl: Option<Duration>,
}

impl Links {
    /// Links to the server at `addr` (an unspecified address becomes
    /// loopback, which is where a client on this machine reaches it).
    pub fn new(addr: SocketAddr, ttl: Option<Duration>) -> Links {
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        // 160 random bits from two ULIDs, through SHA-256.
        let now = SystemTime::now();
        let seed = format!(
            "{}{}",
            ulid::Ulid::from_datetime(now),
            ulid::Ulid::from_datetime(now)
        );
        Links {
            base: format!("http://{}", SocketAddr::new(ip, addr.port())),
            secret: Sha256::digest(seed.as_bytes()).into(),
            ttl,
        }
    }

    /// The URL of result `index` (0-based) of `task_id`, issued at `now`.
    pub fn url(&self, task_id: &str, index: usize, extension: &str, now: SystemTime) -> String {
        let file = index + 1;
        let path = format!("{}{RESULTS_PATH}/{task_id}/{file}.{extension}", self.base);
        match self.ttl {
            Some(ttl) => {
                let expires = unix(now + ttl);
                let token = self.token(task_id, index, Some(expires));
                format!("{path}?expires={expires}&token={token}")
            }
            None => format!("{path}?token={}", self.token(task_id, index, None)),
        }
    }

    /// Checks a request's `expires` and `token` at `now`.
    pub fn check(
        &self,
        task_id: &str,
        index: usize,
        expires: Option<u64>,
        token: Option<&str>,
        now: SystemTime,
    ) -> Result<(), Refusal> {
        let expected = self.token(task_id, index, expires);
        let matches = token.is_some_and(|token| {
            token.len() == expected.len()
                && token
                    .bytes()
                    .zip(expected.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        });
        if !matches {
            return Err(Refusal::Forbidden);
        }
        match expires {
            Some(expires) if unix(now) >= expires => Err(Refusal::Expired),
            _ => Ok(()),
        }
    }

    fn token(&self, task_id: &str, index: usize, expires: Option<u64>) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.secret);
        let expires = expires.map_or_else(|| "-".to_owned(), |e| e.to_string());
        hasher.update(format!("{task_id}/{index}/{expires}").as_bytes());
        hasher.finalize()[..TOKEN_HEX / 2]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(url: &str) -> (Option<u64>, Option<String>) {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let mut expires = None;
        let mut token = None;
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("expires", v)) => expires = v.parse().ok(),
                Some(("token", v)) => token = Some(v.to_owned()),
                _ => {}
            }
        }
        (expires, token)
    }

    #[test]
    fn urls_expire_and_fresh_ones_differ() {
        let links = Links::new(
            "0.0.0.0:8080".parse().unwrap(),
            Some(Duration::from_secs(60)),
        );
        let t0 = UNIX_EPOCH + Duration::from_secs(1_780_610_400);
        let url = links.url("task_X", 0, "mp4", t0);
        assert!(
            url.starts_with(
                "http://127.0.0.1:8080/_mock/results/task_X/1.mp4?expires=1780610460&token="
            ),
            "{url}"
        );
        let (expires, token) = query(&url);
        assert_eq!(
            links.check("task_X", 0, expires, token.as_deref(), t0),
            Ok(())
        );
        let late = t0 + Duration::from_secs(60);
        assert_eq!(
            links.check("task_X", 0, expires, token.as_deref(), late),
            Err(Refusal::Expired)
        );
        let fresh = links.url("task_X", 0, "mp4", late);
        assert_ne!(fresh, url);
        let (expires, token) = query(&fresh);
        assert_eq!(
            links.check("task_X", 0, expires, token.as_deref(), late),
            Ok(())
        );
    }

    #[test]
    fn tokens_cannot_be_moved_or_extended() {
        let links = Links::new(
            "127.0.0.1:1".parse().unwrap(),
            Some(Duration::from_secs(60)),
        );
        let t0 = UNIX_EPOCH + Duration::from_secs(100);
        let (expires, token) = query(&links.url("task_X", 0, "mp4", t0));
        let token = token.as_deref();
        assert_eq!(
            links.check("task_Y", 0, expires, token, t0),
            Err(Refusal::Forbidden)
        );
        assert_eq!(
            links.check("task_X", 1, expires, token, t0),
            Err(Refusal::Forbidden)
        );
        assert_eq!(
            links.check("task_X", 0, expires.map(|e| e + 1), token, t0),
            Err(Refusal::Forbidden)
        );
        assert_eq!(
            links.check("task_X", 0, None, token, t0),
            Err(Refusal::Forbidden)
        );
        assert_eq!(
            links.check("task_X", 0, expires, None, t0),
            Err(Refusal::Forbidden)
        );
        let other = Links::new(
            "127.0.0.1:1".parse().unwrap(),
            Some(Duration::from_secs(60)),
        );
        assert_eq!(
            other.check("task_X", 0, expires, token, t0),
            Err(Refusal::Forbidden),
            "another server's secret"
        );
    }
}
