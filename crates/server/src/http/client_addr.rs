//! The client's address, also behind a reverse proxy: for rate limits and the login throttle.
//! (The audit log records who, not from where; it keeps no address.)
//!
//! A forwarding header is believed only when the TCP peer is in `trusted_proxies`, and only the
//! header the operator named (`forwarded_header`: `X-Forwarded-For` by default, or RFC 7239
//! `Forwarded`). Reading both would let a client smuggle in the one its proxy does not rewrite.
//! The hops are walked right to left, each appended by the proxy in front of the previous one;
//! the right-most address that is not a trusted proxy is the client. Anything we cannot vouch
//! for (a malformed header, `unknown`, an obfuscated `_name`) falls back to the TCP peer, so a
//! client can never choose its own key; it can only share its proxy's.

use super::{ApiError, AppState};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};
use ipnet::{IpNet, Ipv6Net};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// The address of the client a request comes from. Every handler that needs one takes this
/// extractor, so proxies are handled in this one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// What limits count under: an IPv4 address, or the /64 of an IPv6 address. Providers hand
    /// a household or a phone a whole /64 (often a /56), so one client can pick from 2^64
    /// addresses; keying single IPv6 addresses would let it escape every limit and fill memory.
    /// The price: devices within one /64 (one household, one office) share a limit, as they
    /// share one address under IPv4 NAT.
    pub fn limit_key(self) -> IpAddr {
        match self.0 {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => IpAddr::V6(
                Ipv6Net::new(v6, 64)
                    .expect("64 is a valid IPv6 prefix")
                    .network(),
            ),
        }
    }
}

impl FromRequestParts<Arc<AppState>> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or_else(|| {
                ApiError::Internal("no peer address (served without connect info)".into())
            })?;
        Ok(ClientAddr(
            state.trusted_proxies.client(peer, &parts.headers),
        ))
    }
}

/// The header a trusted proxy writes the client into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1`: what nginx, Apache, HAProxy, Caddy and Traefik send.
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for="[2001:db8::1]:4711"`.
    Forwarded,
}

impl ForwardedHeader {
    fn name(self) -> HeaderName {
        match self {
            ForwardedHeader::XForwardedFor => HeaderName::from_static("x-forwarded-for"),
            ForwardedHeader::Forwarded => axum::http::header::FORWARDED,
        }
    }
}

/// The reverse proxies whose forwarding header we believe; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    ranges: Vec<IpNet>,
    header: ForwardedHeader,
}

impl TrustedProxies {
    pub fn new(ranges: Vec<IpNet>, header: ForwardedHeader) -> TrustedProxies {
        TrustedProxies { ranges, header }
    }

    /// A range as the operator writes it: `10.0.0.0/8`, `fd00::/8`, or a single address
    /// (`127.0.0.1` is `127.0.0.1/32`, `::1` is `::1/128`).
    pub fn parse_range(text: &str) -> Result<IpNet, String> {
        let text = text.trim();
        text.parse::<IpNet>()
            .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
            .map_err(|_| {
                format!(
                    "trusted proxy {text:?} is neither an address nor a CIDR range like 10.0.0.0/8"
                )
            })
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.ranges.iter().any(|range| range.contains(&ip))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        // A dual-stack socket shows IPv4 peers as ::ffff:a.b.c.d; ranges are written in IPv4.
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let values = headers.get_all(self.header.name());
        let mut hops = Vec::new();
        for value in values {
            let Ok(value) = value.to_str() else {
                return peer;
            };
            let parsed = match self.header {
                ForwardedHeader::XForwardedFor => parse_x_forwarded_for(value, &mut hops),
                ForwardedHeader::Forwarded => parse_forwarded(value, &mut hops),
            };
            if parsed.is_none() {
                return peer;
            }
        }
        let mut nearest = peer;
        for hop in hops.iter().rev() {
            match hop {
                Hop::Addr(ip) if self.trusts(*ip) => nearest = *ip,
                Hop::Addr(ip) => return *ip,
                Hop::Hidden => return peer,
            }
        }
        // Every hop is a trusted proxy: the request began at the left-most one.
        nearest
    }
}

/// One hop of a forwarding header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hop {
    Addr(IpAddr),
    /// `unknown`, an obfuscated `_name`, or a `Forwarded` element without `for=`.
    Hidden,
}

/// `X-Forwarded-For: 203.0.113.7, 10.0.0.2` (ports and brackets, which some proxies add, are
/// accepted). `None` when any entry is not an address.
fn parse_x_forwarded_for(value: &str, hops: &mut Vec<Hop>) -> Option<()> {
    for entry in value.split(',') {
        let entry = entry.trim();
        let hop = if entry.eq_ignore_ascii_case("unknown") {
            Hop::Hidden
        } else if let Ok(ip) = entry.parse::<IpAddr>() {
            Hop::Addr(ip.to_canonical())
        } else {
            Hop::Addr(entry.parse::<SocketAddr>().ok()?.ip().to_canonical())
        };
        hops.push(hop);
    }
    Some(())
}

/// RFC 7239: `Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::17]:4711"`.
/// Elements are separated by commas, their pairs by semicolons; values are tokens or quoted
/// strings. Only `for` matters here. `None` when the syntax is broken.
fn parse_forwarded(value: &str, hops: &mut Vec<Hop>) -> Option<()> {
    let mut rest = value;
    let mut element_for: Option<Hop> = None;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if !rest.is_empty() && !rest.starts_with([',', ';']) {
            let (name, after) = rest.split_once('=')?;
            if name.is_empty() || !name.bytes().all(is_token_char) {
                return None;
            }
            let (value, after) = match after.strip_prefix('"') {
                Some(quoted) => quoted_string(quoted)?,
                None => {
                    let end = after.find([',', ';', ' ', '\t']).unwrap_or(after.len());
                    let token = &after[..end];
                    if token.is_empty() || !token.bytes().all(is_token_char) {
                        return None;
                    }
                    (token.to_string(), &after[end..])
                }
            };
            if name.eq_ignore_ascii_case("for") {
                if element_for.is_some() {
                    return None; // two `for` in one element
                }
                element_for = Some(parse_node(&value)?);
            }
            rest = after.trim_start_matches([' ', '\t']);
        }
        match rest.as_bytes().first() {
            Some(b';') => rest = &rest[1..],
            Some(b',') | None => {
                hops.push(element_for.take().unwrap_or(Hop::Hidden));
                if rest.is_empty() {
                    return Some(());
                }
                rest = &rest[1..];
            }
            Some(_) => return None,
        }
    }
}

/// The rest of a quoted string after its opening quote: its unescaped text and what follows.
fn quoted_string(text: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &text[i + 1..])),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

/// RFC 7230 `tchar`.
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 7239 `node`: `192.0.2.43`, `"[2001:db8::1]"`, either with `:port`, `unknown`, `_hidden`.
fn parse_node(node: &str) -> Option<Hop> {
    if let Some(bracketed) = node.strip_prefix('[') {
        let (ip, after) = bracketed.split_once(']')?;
        if !after.is_empty() {
            valid_port(after.strip_prefix(':')?)?;
        }
        return Some(Hop::Addr(ip.parse::<Ipv6Addr>().ok()?.to_canonical()));
    }
    let name = match node.split_once(':') {
        Some((name, port)) => {
            valid_port(port)?;
            name
        }
        None => node,
    };
    if name.eq_ignore_ascii_case("unknown") || is_obfuscated(name) {
        return Some(Hop::Hidden);
    }
    Some(Hop::Addr(IpAddr::V4(name.parse::<Ipv4Addr>().ok()?)))
}

/// `_` followed by letters, digits, `.`, `_`, `-` (RFC 7239 section 6.3).
fn is_obfuscated(name: &str) -> bool {
    name.strip_prefix('_').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    })
}

fn valid_port(port: &str) -> Option<()> {
    (port.parse::<u16>().is_ok() || is_obfuscated(port)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies(ranges: &[&str], header: ForwardedHeader) -> TrustedProxies {
        TrustedProxies::new(
            ranges
                .iter()
                .map(|r| TrustedProxies::parse_range(r).unwrap())
                .collect(),
            header,
        )
    }

    fn headers(name: &str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn forwarded(value: &str) -> Option<Vec<Hop>> {
        let mut hops = Vec::new();
        parse_forwarded(value, &mut hops).map(|()| hops)
    }

    #[test]
    fn ranges_are_cidr_or_single_addresses() {
        assert_eq!(
            TrustedProxies::parse_range("127.0.0.1")
                .unwrap()
                .to_string(),
            "127.0.0.1/32"
        );
        assert_eq!(
            TrustedProxies::parse_range("::1").unwrap().to_string(),
            "::1/128"
        );
        assert_eq!(
            TrustedProxies::parse_range(" 10.0.0.0/8 ")
                .unwrap()
                .to_string(),
            "10.0.0.0/8"
        );
        for bad in ["10.0.0.0/33", "localhost", "10.0.0", "", "fd00::/129"] {
            let err = TrustedProxies::parse_range(bad).unwrap_err();
            assert!(err.contains("CIDR"), "{bad}: {err}");
        }
        let p = proxies(
            &["10.0.0.0/8", "2001:db8::/32"],
            ForwardedHeader::XForwardedFor,
        );
        assert!(p.trusts(ip("10.255.0.1")));
        assert!(!p.trusts(ip("11.0.0.1")));
        assert!(p.trusts(ip("2001:db8:ffff::1")));
        assert!(!p.trusts(ip("2001:db9::1")));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let p = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let peer = ip("10.0.0.1");
        // The client wrote a fake first entry; the proxies appended the real ones.
        let h = headers("x-forwarded-for", &["6.6.6.6, 203.0.113.7, 10.0.0.2"]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.7"));
        // Several header lines are one list, in order.
        let h = headers("x-forwarded-for", &["6.6.6.6", "203.0.113.7, 10.0.0.2"]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.7"));
        // Ports and IPv4-mapped IPv6 entries.
        let h = headers("x-forwarded-for", &["[::ffff:198.51.100.1]:443"]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.1"));
        let h = headers("x-forwarded-for", &["198.51.100.2:5000"]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.2"));
        // All hops trusted: the request began at the left-most one.
        let h = headers("x-forwarded-for", &["10.1.1.1, 10.0.0.2"]);
        assert_eq!(p.client(peer, &h), ip("10.1.1.1"));
        // No header: the proxy itself.
        assert_eq!(p.client(peer, &HeaderMap::new()), peer);
    }

    #[test]
    fn headers_from_untrusted_peers_are_ignored() {
        let p = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let h = headers("x-forwarded-for", &["203.0.113.7"]);
        assert_eq!(p.client(ip("198.51.100.9"), &h), ip("198.51.100.9"));
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    }

    #[test]
    fn ipv4_mapped_peers_are_their_ipv4_address() {
        let p = proxies(&["127.0.0.1"], ForwardedHeader::XForwardedFor);
        let h = headers("x-forwarded-for", &["203.0.113.7"]);
        assert_eq!(p.client(ip("::ffff:127.0.0.1"), &h), ip("203.0.113.7"));
        assert_eq!(
            p.client(ip("::ffff:192.0.2.1"), &HeaderMap::new()),
            ip("192.0.2.1")
        );
    }

    #[test]
    fn malformed_or_hidden_hops_fall_back_to_the_peer() {
        let p = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let peer = ip("10.0.0.1");
        for bad in [
            "",
            "203.0.113.7,",
            "not-an-ip",
            "203.0.113.7, 999.1.1.1",
            "unknown",
        ] {
            let h = headers("x-forwarded-for", &[bad]);
            assert_eq!(p.client(peer, &h), peer, "{bad:?}");
        }
        // A hidden hop behind an untrusted one does not matter: the walk stops before it.
        let h = headers("x-forwarded-for", &["unknown, 203.0.113.7"]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.7"));
    }

    #[test]
    fn only_the_configured_header_counts() {
        let xff = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let fwd = proxies(&["10.0.0.0/8"], ForwardedHeader::Forwarded);
        let mut h = headers("forwarded", &["for=6.6.6.6"]);
        h.append("x-forwarded-for", HeaderValue::from_static("203.0.113.7"));
        let peer = ip("10.0.0.1");
        assert_eq!(xff.client(peer, &h), ip("203.0.113.7"));
        assert_eq!(fwd.client(peer, &h), ip("6.6.6.6"));
    }

    #[test]
    fn forwarded_elements_are_read_as_rfc_7239_says() {
        use Hop::{Addr, Hidden};
        assert_eq!(
            forwarded("for=192.0.2.60;proto=http;by=203.0.113.43"),
            Some(vec![Addr(ip("192.0.2.60"))])
        );
        assert_eq!(
            forwarded(r#"for="[2001:db8:cafe::17]:4711", for="198.51.100.17:80""#),
            Some(vec![
                Addr(ip("2001:db8:cafe::17")),
                Addr(ip("198.51.100.17"))
            ])
        );
        assert_eq!(
            forwarded(r#"For="[2001:db8::1]""#),
            Some(vec![Addr(ip("2001:db8::1"))])
        );
        assert_eq!(
            forwarded("for=_hidden, for=unknown;proto=https, for=\"_SEVKISEK:_port\", by=10.0.0.1"),
            Some(vec![Hidden, Hidden, Hidden, Hidden])
        );
        assert_eq!(
            forwarded(r#"proto="a,b;c";for="192.0.2.1""#),
            Some(vec![Addr(ip("192.0.2.1"))]),
            "commas and semicolons inside quotes are text"
        );
        assert_eq!(
            forwarded(r#"for="\[::1\]""#),
            Some(vec![Addr(ip("::1"))]),
            "quoted-pair escapes"
        );
        for bad in [
            "for=2001:db8::1",         // IPv6 must be quoted and bracketed
            "for=\"[2001:db8::1\"",    // no closing bracket
            "for=\"192.0.2.1",         // no closing quote
            "for=\"192.0.2.1:99999\"", // port out of range
            "for=192.0.2.1:80",        // a port needs quotes (':' is not a token character)
            "for=192.0.2.1;for=192.0.2.2",
            "for",
            "=192.0.2.1",
            "for=192.0.2.1 junk",
            "for=[::1]",
            "for=example.org",
        ] {
            assert_eq!(forwarded(bad), None, "{bad}");
        }
    }

    #[test]
    fn several_forwarded_headers_are_one_list() {
        let p = proxies(&["10.0.0.0/8"], ForwardedHeader::Forwarded);
        let peer = ip("10.0.0.1");
        let h = headers(
            "forwarded",
            &[
                r#"for=6.6.6.6"#,
                r#"for="[2001:db8::7]:1234";proto=https, for=10.0.0.9"#,
            ],
        );
        assert_eq!(p.client(peer, &h), ip("2001:db8::7"));
        let h = headers("forwarded", &["for=192.0.2.1", "for=_hidden, for=10.0.0.9"]);
        assert_eq!(p.client(peer, &h), peer, "an obfuscated client falls back");
        let h = headers("forwarded", &["for=192.0.2.1", "for=2001:db8::1"]);
        assert_eq!(p.client(peer, &h), peer, "one malformed header spoils all");
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64() {
        let a = ClientAddr(ip("2001:db8:1:2:aaaa::1")).limit_key();
        let b = ClientAddr(ip("2001:db8:1:2:bbbb::2")).limit_key();
        let c = ClientAddr(ip("2001:db8:1:3::1")).limit_key();
        assert_eq!(a, ip("2001:db8:1:2::"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(ClientAddr(ip("192.0.2.7")).limit_key(), ip("192.0.2.7"));
    }
}
