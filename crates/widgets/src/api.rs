//! The widget API (docs/widget-api.md) as the widgets see it: answer types and a small fetch
//! helper on plain web-sys (no gloo, no reqwest: every kilobyte is downloaded by citizens).

use civickit_model::{CloseReason, Lang, LatLng, Status};
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

// Answers are read with the browser's own JSON.parse and a few getters instead of serde_json:
// serde's generated visitors and serde_json's parser were a third of the wasm.

/// A parsed JSON value with lenient getters (absent or mistyped fields read as empty).
#[derive(Debug, Clone)]
pub struct Json(pub JsValue);

impl Json {
    pub fn parse(text: &str) -> Option<Json> {
        js_sys::JSON::parse(text).ok().map(Json)
    }
    pub fn get(&self, key: &str) -> Json {
        Json(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }
    pub fn opt_str(&self, key: &str) -> Option<String> {
        self.get(key).0.as_string()
    }
    pub fn str(&self, key: &str) -> String {
        self.opt_str(key).unwrap_or_default()
    }
    pub fn num(&self, key: &str) -> Option<f64> {
        self.get(key).0.as_f64()
    }
    pub fn int(&self, key: &str) -> i64 {
        self.num(key).unwrap_or(0.0) as i64
    }
    pub fn bool(&self, key: &str) -> bool {
        self.get(key).0.as_bool().unwrap_or(false)
    }
    pub fn list(&self, key: &str) -> Vec<Json> {
        let v = self.get(key).0;
        if Array::is_array(&v) {
            v.unchecked_into::<Array>().iter().map(Json).collect()
        } else {
            Vec::new()
        }
    }
    fn status(&self, key: &str) -> Option<Status> {
        Status::parse(&self.str(key))
    }
    fn latlng(&self) -> Option<LatLng> {
        Some(LatLng::new(self.num("lat")?, self.num("lng")?))
    }
}

/// Types read from an answer; `None` when a required field is missing.
pub trait FromJson: Sized {
    fn from_json(j: &Json) -> Option<Self>;
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub name: String,
    pub map: MapConfig,
    pub tiles: Tiles,
    pub categories: Vec<Category>,
    pub privacy_url: String,
    pub duplicate_radius_m: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapConfig {
    pub center: LatLng,
    pub zoom: f64,
    pub min_zoom: Option<f64>,
    pub max_zoom: Option<f64>,
    pub area: Vec<LatLng>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tiles {
    pub url: String,
    pub attribution: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub code: String,
    pub name: String,
}

impl FromJson for Config {
    fn from_json(j: &Json) -> Option<Config> {
        let map = j.get("map");
        let tiles = j.get("tiles");
        Some(Config {
            name: j.str("name"),
            map: MapConfig {
                center: map.get("center").latlng()?,
                zoom: map.num("zoom")?,
                min_zoom: map.num("min_zoom"),
                max_zoom: map.num("max_zoom"),
                area: map.list("area").iter().filter_map(Json::latlng).collect(),
            },
            tiles: Tiles {
                url: tiles.opt_str("url")?,
                attribution: tiles.str("attribution"),
            },
            categories: j
                .list("categories")
                .iter()
                .map(|c| Category {
                    code: c.str("code"),
                    name: c.str("name"),
                })
                .collect(),
            privacy_url: j.str("privacy_url"),
            duplicate_radius_m: j.num("duplicate_radius_m").unwrap_or(250.0),
        })
    }
}

/// One report as the map and the list show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub reference: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub status: Status,
    pub category: String,
    pub created: String,
    pub summary: String,
    pub supporters: i64,
    pub address: Option<String>,
    pub distance_m: Option<f64>,
}

impl Summary {
    pub fn position(&self) -> Option<LatLng> {
        Some(LatLng::new(self.lat?, self.lng?))
    }
}

impl FromJson for Summary {
    fn from_json(j: &Json) -> Option<Summary> {
        Some(Summary {
            reference: j.opt_str("ref")?,
            lat: j.num("lat"),
            lng: j.num("lng"),
            status: j.status("status")?,
            category: j.str("category"),
            created: j.str("created"),
            summary: j.str("summary"),
            supporters: j.int("supporters"),
            address: j.opt_str("address"),
            distance_m: j.num("distance_m"),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportList {
    pub reports: Vec<Summary>,
    pub truncated: bool,
}

impl FromJson for ReportList {
    fn from_json(j: &Json) -> Option<ReportList> {
        Some(ReportList {
            reports: j
                .list("reports")
                .iter()
                .filter_map(Summary::from_json)
                .collect(),
            truncated: j.bool("truncated"),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub at: String,
    pub status: Status,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub reference: String,
    pub status: Status,
    pub close_reason: Option<CloseReason>,
    pub category_name: String,
    pub description: String,
    pub address: Option<String>,
    pub created: String,
    pub supporters: i64,
    pub notes: Vec<Note>,
    /// Released photos (`kind` "report" or "after").
    pub photos: Vec<Photo>,
}

/// A released photo in a report's details.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub kind: String,
    pub url: String,
    pub thumb_url: String,
}

impl FromJson for Detail {
    fn from_json(j: &Json) -> Option<Detail> {
        Some(Detail {
            reference: j.opt_str("ref")?,
            status: j.status("status")?,
            close_reason: CloseReason::parse(&j.str("close_reason")),
            category_name: j.str("category_name"),
            description: j.str("description"),
            address: j.opt_str("address"),
            created: j.str("created"),
            supporters: j.int("supporters"),
            notes: j
                .list("notes")
                .iter()
                .filter_map(|n| {
                    Some(Note {
                        at: n.str("at"),
                        status: n.status("status")?,
                        text: n.str("text"),
                    })
                })
                .collect(),
            photos: j
                .list("photos")
                .iter()
                .filter_map(|p| {
                    Some(Photo {
                        kind: p.str("kind"),
                        url: p.opt_str("url")?,
                        thumb_url: p.str("thumb_url"),
                    })
                })
                .collect(),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    pub reference: String,
    pub status: Status,
    pub tracking_url: String,
    /// Authorises the photo uploads of this report (and nothing else).
    pub tracking_token: Option<String>,
}

impl FromJson for Created {
    fn from_json(j: &Json) -> Option<Created> {
        Some(Created {
            reference: j.opt_str("ref")?,
            status: j.status("status")?,
            tracking_url: j.str("tracking_url"),
            tracking_token: j.opt_str("tracking_token"),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupportAnswer {
    pub supporters: i64,
    pub counted: bool,
}

impl FromJson for SupportAnswer {
    fn from_json(j: &Json) -> Option<SupportAnswer> {
        Some(SupportAnswer {
            supporters: j.int("supporters"),
            counted: j.bool("counted"),
        })
    }
}

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
    fn text(&self) -> Option<String> {
        js_sys::JSON::stringify(&self.0).ok()?.as_string()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    pub fields: Vec<ErrorField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorField {
    pub field: String,
    pub message: String,
}

impl FromJson for ErrorBody {
    fn from_json(j: &Json) -> Option<ErrorBody> {
        Some(ErrorBody {
            error: j.str("error"),
            message: j.str("message"),
            fields: j
                .list("fields")
                .iter()
                .map(|f| ErrorField {
                    field: f.str("field"),
                    message: f.str("message"),
                })
                .collect(),
        })
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
        let (status, j) = request(&self.url(path, query), None).await?;
        decode(status, j)
    }

    pub async fn post<T: FromJson>(&self, path: &str, body: Body) -> Result<T, ApiError> {
        let text = body.text().ok_or(ApiError::Network)?;
        let (status, j) = request(&self.url(path, ""), Some(text)).await?;
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

fn decode<T: FromJson>(status: u16, j: Option<Json>) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        j.as_ref()
            .and_then(T::from_json)
            .ok_or_else(|| ApiError::Http(status, ErrorBody::default()))
    } else {
        let body = j
            .as_ref()
            .and_then(ErrorBody::from_json)
            .unwrap_or_default();
        Err(ApiError::Http(status, body))
    }
}

/// One fetch: the HTTP status and the parsed body (None if it was not JSON).
async fn request(url: &str, body: Option<String>) -> Result<(u16, Option<Json>), ApiError> {
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_mode(web_sys::RequestMode::Cors);
    if let Some(body) = body {
        init.set_method("POST");
        let headers = web_sys::Headers::new().map_err(|_| ApiError::Network)?;
        headers
            .set("Content-Type", "application/json")
            .map_err(|_| ApiError::Network)?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| ApiError::Network)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| ApiError::Network)?;
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
