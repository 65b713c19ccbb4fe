//! Where the mock may send a webhook delivery.
//!
//! A request body names its own `webhook_url`, so whoever can reach the mock
//! could make it POST to any host it can reach: a cloud metadata address, a
//! service on the CI network. By default a delivery to a task's
//! `webhook_url` goes only to loopback addresses:
//!
//! - the URL's host is resolved first, and the delivery is made only when
//!   every address it names is loopback (`127.0.0.0/8`, `::1`, or
//!   `::ffff:127.x.y.z`); any other delivery is skipped, and logged once;
//! - the connection itself resolves through [`LoopbackResolver`], which
//!   keeps only loopback addresses, so a name that changes its answer
//!   between the check and the connection still reaches nothing else.
//!
//! `--webhook-target` (the operator's own choice) and
//! `--webhook-allow-any-host` lift this.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};

use orux_models::display::excerpt;
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Which hosts a task's `webhook_url` may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Only hosts that are, or resolve only to, loopback addresses.
    LoopbackOnly,
    /// Any host (`--webhook-allow-any-host`).
    AnyHost,
}

/// Whether `ip` is a loopback address, an IPv4 one mapped into IPv6 too.
pub fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// Checks that `url` leads only to loopback addresses, resolving a name
/// with `resolve`. `Err` says why not, for the log (the host quoted
/// escaped and bounded: it came from a request body).
pub async fn check_loopback<R, F>(url: &Url, resolve: R) -> Result<(), String>
where
    R: FnOnce(String, u16) -> F,
    F: Future<Output = io::Result<Vec<SocketAddr>>>,
{
    let port = url.port_or_known_default().unwrap_or(443);
    let name = match url.host() {
        Some(url::Host::Ipv4(ip)) if is_loopback(IpAddr::V4(ip)) => return Ok(()),
        Some(url::Host::Ipv6(ip)) if is_loopback(IpAddr::V6(ip)) => return Ok(()),
        Some(url::Host::Domain(name)) => name.to_owned(),
        Some(host) => {
            return Err(format!(
                "{} is not a loopback address",
                excerpt(&host.to_string())
            ));
        }
        None => return Err("the URL has no host".to_owned()),
    };
    let shown = excerpt(&name).into_owned();
    let addresses = resolve(name, port)
        .await
        .map_err(|error| format!("{shown} does not resolve ({error})"))?;
    if addresses.is_empty() {
        return Err(format!("{shown} resolves to no address"));
    }
    match addresses.iter().find(|address| !is_loopback(address.ip())) {
        Some(other) => Err(format!(
            "{shown} resolves to {}, not a loopback address",
            other.ip()
        )),
        None => Ok(()),
    }
}

/// The system's resolver (`getaddrinfo`, through tokio).
pub async fn system_resolve(name: String, port: u16) -> io::Result<Vec<SocketAddr>> {
    Ok(tokio::net::lookup_host((name.as_str(), port))
        .await?
        .collect())
}

/// A resolver for the webhook sender that answers only with loopback
/// addresses: a name that resolves elsewhere fails to connect.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoopbackResolver;

impl Resolve for LoopbackResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let name = name.as_str().to_owned();
        Box::pin(async move {
            let loopback: Vec<SocketAddr> = system_resolve(name, 0)
                .await?
                .into_iter()
                .filter(|address| is_loopback(address.ip()))
                .collect();
            if loopback.is_empty() {
                let refused = io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "the name resolves to no loopback address",
                );
                return Err(refused.into());
            }
            let addresses: Addrs = Box::new(loopback.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("a URL")
    }

    /// A resolver that answers `addresses` for any name.
    fn answering(
        addresses: &'static [&'static str],
    ) -> impl FnOnce(String, u16) -> std::future::Ready<io::Result<Vec<SocketAddr>>> {
        move |_, port| {
            std::future::ready(Ok(addresses
                .iter()
                .map(|ip| SocketAddr::new(ip.parse().expect("an IP"), port))
                .collect()))
        }
    }

    fn failing(_: String, _: u16) -> std::future::Ready<io::Result<Vec<SocketAddr>>> {
        std::future::ready(Err(io::Error::other("no such host")))
    }

    #[tokio::test]
    async fn loopback_literals_pass_without_resolving() {
        for ok in [
            "https://127.0.0.1/hook",
            "https://127.8.9.10:8443/hook",
            "https://[::1]/hook",
            "https://[::ffff:127.0.0.1]/hook",
        ] {
            assert_eq!(check_loopback(&url(ok), failing).await, Ok(()), "{ok}");
        }
        for refused in [
            "https://203.0.113.7/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://0.0.0.0/",
            "https://[::]/",
            "https://10.0.0.1/",
            "https://[::ffff:10.0.0.1]/",
        ] {
            let outcome = check_loopback(&url(refused), failing).await;
            assert!(outcome.is_err(), "{refused}");
        }
    }

    #[tokio::test]
    async fn a_name_counts_by_every_address_it_resolves_to() {
        let name = url("https://hooks.test:9000/x");
        assert_eq!(
            check_loopback(&name, answering(&["127.0.0.1", "::1"])).await,
            Ok(())
        );
        let elsewhere = check_loopback(&name, answering(&["127.0.0.1", "192.0.2.1"])).await;
        assert!(elsewhere.is_err_and(|why| why.contains("192.0.2.1")));
        assert!(check_loopback(&name, answering(&[])).await.is_err());
        assert!(check_loopback(&name, failing).await.is_err());
    }

    #[tokio::test]
    async fn a_hostile_host_is_quoted_bounded_and_escaped() {
        let long = format!("https://{}.example/", "a".repeat(300));
        let why = check_loopback(&url(&long), failing).await.unwrap_err();
        assert!(why.len() < 200, "{why}");
    }

    #[tokio::test]
    async fn the_resolver_keeps_only_loopback_addresses() {
        let resolved = LoopbackResolver
            .resolve("localhost".parse().expect("a name"))
            .await
            .expect("localhost is loopback");
        let addresses: Vec<SocketAddr> = resolved.collect();
        assert!(!addresses.is_empty());
        assert!(addresses.iter().all(|a| is_loopback(a.ip())));
    }
}
