//! Answering a request for a file of the table: the coding by `Accept-Encoding` (brotli >
//! gzip > identity, honouring `q=0`), `If-None-Match` → 304, and caching by kind of URL.
//! Deliberately no middleware: the answer is a handful of header inserts and a shared `Bytes`.

use super::{Asset, Encoding};
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

/// How long browsers and proxies may keep a file without asking again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CachePolicy {
    /// civic.js (the one URL webmasters paste), the demo pages, CSS, Leaflet: five minutes,
    /// then revalidated by ETag, so that an upgrade reaches every town's page within minutes.
    Short,
    /// The office page: its files are not versioned and its glue must match its wasm, so a
    /// browser asks every time (a 304 costs a round trip, not the download).
    Revalidate,
    /// Answers computed from data (the map's tiles): a browser or proxy may keep them half a
    /// minute, then revalidates by ETag; a change reaches every map within that.
    Brief,
}

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const SHORT: HeaderValue = HeaderValue::from_static("public, max-age=300");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
const BRIEF: HeaderValue = HeaderValue::from_static("public, max-age=30");
const ACCEPT_ENCODING: HeaderValue = HeaderValue::from_static("accept-encoding");

/// The answer for `asset` to a GET (HEAD drops the body in axum, keeping the headers).
/// `query` is the request's query string: `v=<the file's version>` (written into civic.js by
/// `cargo xtask build`) names these exact bytes forever, so that URL is `immutable`.
pub fn answer(
    asset: &Asset,
    request: &HeaderMap,
    query: Option<&str>,
    policy: CachePolicy,
) -> Response {
    let accepted = Accepted::parse(request);
    let chosen = asset
        .representations
        .iter()
        .find(|r| accepted.allows(r.encoding))
        .unwrap_or_else(|| {
            asset
                .representations
                .last()
                .expect("identity is always there")
        });

    let versioned = query
        .and_then(|q| q.strip_prefix("v="))
        .is_some_and(|v| v == asset.version);
    let cache_control = match policy {
        _ if versioned => IMMUTABLE,
        CachePolicy::Short => SHORT,
        CachePolicy::Revalidate => REVALIDATE,
        CachePolicy::Brief => BRIEF,
    };

    let not_modified = if_none_match(request, &chosen.etag);
    let mut response = if not_modified {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        Response::new(Body::from(chosen.body.clone()))
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, chosen.etag.clone());
    headers.insert(header::CACHE_CONTROL, cache_control);
    if asset.is_negotiated() {
        headers.insert(header::VARY, ACCEPT_ENCODING);
    }
    if !not_modified {
        headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(chosen.body.len()));
        if chosen.encoding != Encoding::Identity {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(chosen.encoding.token()),
            );
        }
    }
    response
}

/// What `Accept-Encoding` allows. No header means identity only (RFC 9110 §12.5.3); a coding
/// with `q=0` is refused even when `*` would allow it.
#[derive(Default)]
struct Accepted {
    br: Option<bool>,
    gzip: Option<bool>,
    any: Option<bool>,
}

impl Accepted {
    fn parse(headers: &HeaderMap) -> Accepted {
        let mut accepted = Accepted::default();
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim();
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .filter_map(|q| q.trim().parse::<f32>().ok())
                    .next()
                    .unwrap_or(1.0);
                let slot = if coding.eq_ignore_ascii_case("br") {
                    &mut accepted.br
                } else if coding.eq_ignore_ascii_case("gzip")
                    || coding.eq_ignore_ascii_case("x-gzip")
                {
                    &mut accepted.gzip
                } else if coding == "*" {
                    &mut accepted.any
                } else {
                    continue;
                };
                *slot = Some(q > 0.0);
            }
        }
        accepted
    }

    /// Identity is always answered: when a client refuses everything we have, the file
    /// uncompressed is still the most useful answer (as nginx does) rather than a 406.
    fn allows(&self, encoding: Encoding) -> bool {
        let explicit = match encoding {
            Encoding::Identity => return true,
            Encoding::Brotli => self.br,
            Encoding::Gzip => self.gzip,
        };
        explicit.or(self.any).unwrap_or(false)
    }
}

/// `If-None-Match` with our ETag (or `*`); weak comparison, as RFC 9110 §13.1.2 asks for GET.
fn if_none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/").as_bytes() == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(value: &str) -> Accepted {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
        Accepted::parse(&headers)
    }

    #[test]
    fn accept_encoding_honours_q_zero_and_the_wildcard() {
        let a = accepted("gzip, deflate, br, zstd");
        assert!(a.allows(Encoding::Brotli) && a.allows(Encoding::Gzip));
        let a = accepted("br;q=0, gzip;q=0.5");
        assert!(!a.allows(Encoding::Brotli) && a.allows(Encoding::Gzip));
        let a = accepted("*;q=0.1, gzip;q=0");
        assert!(a.allows(Encoding::Brotli) && !a.allows(Encoding::Gzip));
        let a = Accepted::parse(&HeaderMap::new());
        assert!(!a.allows(Encoding::Brotli) && !a.allows(Encoding::Gzip));
        assert!(a.allows(Encoding::Identity));
    }

    #[test]
    fn if_none_match_takes_lists_weak_tags_and_star() {
        let etag = HeaderValue::from_static("\"abc\"");
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, "\"x\", W/\"abc\"".parse().unwrap());
        assert!(if_none_match(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, "\"abcd\"".parse().unwrap());
        assert!(!if_none_match(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, "*".parse().unwrap());
        assert!(if_none_match(&headers, &etag));
    }
}
