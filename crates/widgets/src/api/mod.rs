//! The widget API (docs/widget-api.md) as the widgets see it: a small fetch helper on plain
//! web-sys (no gloo, no reqwest: every kilobyte is downloaded by citizens), the request bodies
//! and the answers as the `civickit_model::api` types the server uses.
//!
//! - `json`: the size-lean reader (`JSON.parse` + getters, no serde in the wasm)
//! - `answers`: every answer read into its model type
//! - `requests`: every request body written from its model type
//! - `stats`: the statistics' answers (only `<civic-stats>` reads them)

mod answers;
mod json;
mod requests;
#[cfg(test)]
mod round_trip;
mod stats;

pub use answers::unreadable_error;
pub use json::{FromJson, Json, Value};
pub use requests::ToBody;

use civickit_model::api::ErrorBody;
use civickit_model::{Lang, LatLng};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A JSON request body, built as a JS object and serialised by `JSON.stringify`.
pub struct Body(js_sys::Object);

impl Default for Body {
    fn default() -> Self {
        Body(js_sys::Object::new())
    }
}

impl Body {
    pub fn str(self, key: &str, value: &str) -> Body {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }
    pub fn opt_str(self, key: &str, value: Option<&str>) -> Body {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }
    pub fn position(self, key: &str, p: Option<LatLng>) -> Body {
        if let Some(p) = p {
            let o = js_sys::Object::new();
            let _ = Reflect::set(&o, &"lat".into(), &p.lat.into());
            let _ = Reflect::set(&o, &"lng".into(), &p.lng.into());
            let _ = Reflect::set(&self.0, &key.into(), &o);
        }
        self
    }
    /// Any JS value (an array of answers, a number) under `key`.
    pub fn value(self, key: &str, value: &JsValue) -> Body {
        let _ = Reflect::set(&self.0, &key.into(), value);
        self
    }
    pub fn text(&self) -> Option<String> {
        js_sys::JSON::stringify(&self.0).ok()?.as_string()
    }
}

/// Why a call failed: no answer at all (keep the input, offer a retry) or an error answer.
#[derive(Debug, Clone)]
pub enum ApiError {
    Network,
    Http(u16, ErrorBody),
}

/// Where the widget API lives and in which language it should answer.
#[derive(Debug, Clone)]
pub struct Api {
    pub base: String,
    pub tenant: String,
    pub lang: Lang,
}

impl Api {
    /// The API as a widget's mount function gets it from the loader: its origin, the town's
    /// slug and the `data-lang` tag.
    pub fn new(base: String, tenant: String, lang: &str) -> Api {
        Api {
            base,
            tenant,
            lang: Lang::from_tag(lang),
        }
    }

    /// `path` is below `/api/v1/{tenant}`; `query` without `lang`.
    pub fn url(&self, path: &str, query: &str) -> String {
        let sep = if query.is_empty() { "" } else { "&" };
        format!(
            "{}/api/v1/{}{}?{}{}lang={}",
            self.base.trim_end_matches('/'),
            encode(&self.tenant),
            path,
            query,
            sep,
            self.lang.code()
        )
    }

    pub async fn get<T: FromJson>(&self, path: &str, query: &str) -> Result<T, ApiError> {
        let (status, j) = request(&self.url(path, query), true).await?;
        decode(status, j)
    }

    /// A GET of a whole URL (the county view and the office's statistics are not below
    /// `/api/v1/{tenant}`). Same-origin requests carry the office's session cookie: fetch's
    /// default `credentials: 'same-origin'`, which the cross-origin widget API never needs.
    /// An error answer's body is not read: the statistics, which alone use this, show one
    /// message for every failure, and the error body's reader (with the names of every error
    /// kind and validation code) would be most of a kilobyte of their wasm.
    pub async fn get_url<T: FromJson>(&self, url: &str) -> Result<T, ApiError> {
        let (status, j) = request(url, true).await?;
        match j.as_ref().and_then(T::from_json) {
            Some(answer) if (200..300).contains(&status) => Ok(answer),
            _ => Err(ApiError::Http(status, unreadable_error())),
        }
    }

    /// A GET that the browser may answer from its cache (`cached`), or only after asking the
    /// server whether its copy is still current (`cache: no-cache`, a conditional request with
    /// the ETag): for the map right after the citizen's own report, which a cached answer of
    /// the last 30 s would not show. Such a GET never takes an early answer either.
    pub async fn get_cached<T: FromJson>(
        &self,
        path: &str,
        query: &str,
        cached: bool,
    ) -> Result<T, ApiError> {
        let (status, j) = request(&self.url(path, query), cached).await?;
        decode(status, j)
    }
}

/// Percent-encodes a query or path component (RFC 3986 unreserved characters stay).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn decode<T: FromJson>(status: u16, j: Option<Json>) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        j.as_ref()
            .and_then(T::from_json)
            .ok_or_else(|| ApiError::Http(status, unreadable_error()))
    } else {
        Err(refusal(status, j))
    }
}

fn refusal(status: u16, j: Option<Json>) -> ApiError {
    let body = j
        .as_ref()
        .and_then(ErrorBody::from_json)
        .unwrap_or_else(unreadable_error);
    ApiError::Http(status, body)
}

/// An answer the loader fetched while this wasm was compiling (`civic.take` in www/civic.js):
/// the first config and map arrive with the widget instead of one round trip after it.
async fn fetched_early(url: &str) -> Option<(u16, Option<Json>)> {
    let civic = Reflect::get(&js_sys::global(), &"__civickit".into()).ok()?;
    let take: js_sys::Function = Reflect::get(&civic, &"take".into()).ok()?.dyn_into().ok()?;
    let promise: js_sys::Promise = take.call1(&civic, &url.into()).ok()?.dyn_into().ok()?;
    let answer = JsFuture::from(promise).await.ok()?;
    let status = Reflect::get(&answer, &"status".into()).ok()?.as_f64()?;
    let text = Reflect::get(&answer, &"text".into()).ok()?.as_string()?;
    Some((status as u16, Json::parse(&text)))
}

/// One GET: the HTTP status and the parsed body (None if it was not JSON). Citizens' writes
/// go through `challenge::Pow::post`, which adds the solved challenge.
async fn request(url: &str, cached: bool) -> Result<(u16, Option<Json>), ApiError> {
    if cached {
        if let Some(answer) = fetched_early(url).await {
            return Ok(answer);
        }
    }
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_mode(web_sys::RequestMode::Cors);
    if !cached {
        init.set_cache(web_sys::RequestCache::NoCache);
    }
    read(JsFuture::from(window.fetch_with_str_and_init(url, &init)).await).await
}

/// The status and parsed body of a fetch's outcome (a rejection: no network).
pub async fn read(response: Result<JsValue, JsValue>) -> Result<(u16, Option<Json>), ApiError> {
    let response: web_sys::Response = response
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or(ApiError::Network)?;
    let text = JsFuture::from(response.text().map_err(|_| ApiError::Network)?)
        .await
        .map_err(|_| ApiError::Network)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), Json::parse(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let api = Api {
            base: "http://127.0.0.1:8080/".into(),
            tenant: "musterstadt".into(),
            lang: Lang::En,
        };
        assert_eq!(
            api.url("/reports", "bbox=1,2,3,4"),
            "http://127.0.0.1:8080/api/v1/musterstadt/reports?bbox=1,2,3,4&lang=en"
        );
        assert_eq!(
            api.url("/config", ""),
            "http://127.0.0.1:8080/api/v1/musterstadt/config?lang=en"
        );
        assert_eq!(encode("M-2026 ä/"), "M-2026%20%C3%A4%2F");
    }
}
