//! The client's address, for login throttling. Behind a TLS proxy every
//! request comes from the proxy, so the address the proxy reports
//! (`Forwarded: for=…`, else `X-Forwarded-For`) is used — but only when the
//! direct peer is one of the configured trusted proxies; anyone else could
//! write those headers to pose as a fresh address on every attempt.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// Parses one trusted-proxy entry: a CIDR (`10.0.0.0/8`) or a single address.
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is not an address or a CIDR range (e.g. 10.0.0.0/8)"))
}

fn trusted(address: IpAddr, proxies: &[IpNet]) -> bool {
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(address),
        v4 => v4,
    };
    proxies.iter().any(|net| net.contains(&address))
}

/// One hop's address as the headers write it: `192.0.2.1`, `192.0.2.1:4711`,
/// `"[2001:db8::1]:4711"`, `2001:db8::1`. `None` for `unknown` and obfuscated names.
fn hop(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(address);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    let (host, _port) = text.rsplit_once(':')?;
    host.parse().ok()
}

/// The hops the headers list, nearest the client first (`None` for a hop
/// that names no address). `Forwarded` wins over `X-Forwarded-For`.
fn hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let joined = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::to_owned)
            .collect()
    };
    let forwarded = joined("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then(|| hop(value))
                })?
            })
            .collect();
    }
    joined("x-forwarded-for").iter().map(|h| hop(h)).collect()
}

/// The client's address: the socket's peer, unless the peer is a trusted
/// proxy; then the nearest hop the proxies report that is not itself a
/// trusted proxy (the proxy's own address if the headers name none).
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    proxies: &[IpNet],
) -> Option<String> {
    let peer = peer?;
    if !trusted(peer, proxies) {
        return Some(peer.to_string());
    }
    let mut found = peer;
    for hop in hops(headers).into_iter().rev() {
        match hop {
            Some(address) if trusted(address, proxies) => found = address,
            Some(address) => return Some(address.to_string()),
            // A hop without an address: nothing nearer the client can be believed.
            None => break,
        }
    }
    Some(found.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn proxies() -> Vec<IpNet> {
        vec![
            parse_trusted_proxy("10.0.0.0/8").unwrap(),
            parse_trusted_proxy("::1").unwrap(),
        ]
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    /// The client address of a request from `peer` with `pairs` as its
    /// headers, behind the test's trusted proxies.
    fn behind_proxies(peer: &str, pairs: &[(&'static str, &str)]) -> Option<String> {
        client_address(ip(peer), &headers(pairs), &proxies())
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let spoofed = [("x-forwarded-for", "198.51.100.9")];
        assert_eq!(
            behind_proxies("203.0.113.5", &spoofed).as_deref(),
            Some("203.0.113.5")
        );
        assert_eq!(
            client_address(ip("203.0.113.5"), &headers(&spoofed), &[]).as_deref(),
            Some("203.0.113.5"),
            "no trusted proxies: the socket decides"
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        for (peer, header, client) in [
            (
                "10.0.0.1",
                ("x-forwarded-for", "198.51.100.9, 10.1.2.3"),
                "198.51.100.9",
            ),
            // What the client itself wrote at the left is not believed past an untrusted hop.
            (
                "10.0.0.1",
                ("x-forwarded-for", "1.1.1.1, 198.51.100.9"),
                "198.51.100.9",
            ),
            (
                "::1",
                (
                    "forwarded",
                    "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.9.9.9",
                ),
                "2001:db8:cafe::17",
            ),
            (
                "::ffff:10.0.0.1",
                ("forwarded", "for=192.0.2.60:8080;by=10.0.0.1"),
                "192.0.2.60",
            ),
        ] {
            assert_eq!(
                behind_proxies(peer, &[header]).as_deref(),
                Some(client),
                "{header:?}"
            );
        }
    }

    #[test]
    fn without_headers_or_with_unknown_hops_the_proxy_is_the_client() {
        assert_eq!(behind_proxies("10.0.0.1", &[]).as_deref(), Some("10.0.0.1"));
        let unknown = [("forwarded", "for=unknown")];
        assert_eq!(
            behind_proxies("10.0.0.1", &unknown).as_deref(),
            Some("10.0.0.1")
        );
        assert!(parse_trusted_proxy("not-a-range").is_err());
        assert_eq!(client_address(None, &headers(&unknown), &proxies()), None);
    }
}
