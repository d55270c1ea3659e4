//! The one way the office page talks to its server (`/office/api/…`): every request goes
//! through [`send`], which adds the CSRF token to every change, reads the documented error body
//! (`civickit_model::api::ErrorBody`) and, when the session has ended (401 while logged in),
//! sends the official back to the login form. The session itself is the HttpOnly cookie the
//! browser keeps.

use civickit_model::api::{ErrorBody, ErrorKind, FieldMessage};
use civickit_model::ValidationCode;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::cell::RefCell;

const BASE: &str = "/office/api";

/// An error answer; `status` 0 means the server was not reached.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiError {
    pub status: u16,
    pub kind: Option<ErrorKind>,
    pub message: String,
    pub fields: Vec<FieldMessage>,
}

impl ApiError {
    /// Reads the server's `{error, message, fields}`; anything else keeps only the status.
    pub fn from_body(status: u16, body: &str) -> ApiError {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(b) => ApiError {
                status,
                kind: Some(b.error),
                message: b.message,
                fields: b.fields,
            },
            Err(_) => ApiError {
                status,
                ..Default::default()
            },
        }
    }

    pub fn network() -> ApiError {
        ApiError::default()
    }

    pub fn bad_answer(e: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: 500,
            kind: Some(ErrorKind::Internal),
            message: e.to_string(),
            fields: Vec::new(),
        }
    }

    /// A field the page refuses before asking the server (e.g. no file chosen).
    pub fn field(field: &str, code: ValidationCode) -> ApiError {
        ApiError {
            status: 422,
            kind: Some(ErrorKind::Validation),
            message: String::new(),
            fields: vec![FieldMessage {
                field: field.into(),
                code,
                message: String::new(),
            }],
        }
    }
}

/// What a request carries.
pub enum Body {
    None,
    Json(Value),
    /// A file as the raw body, with its own content type.
    File(web_sys::File),
}

thread_local! {
    /// The CSRF token of the session (from `me` or the login answer); sent with every change.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
    /// What to do when the server says the session is over.
    static ON_SESSION_END: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Remembers the session's CSRF token (empty when logged out).
pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_string());
}

/// Sets what a 401 on any request does (the app: back to the login, keeping the URL).
pub fn on_session_end(f: impl Fn() + 'static) {
    ON_SESSION_END.with(|h| *h.borrow_mut() = Some(Box::new(f)));
}

fn session_ended() {
    ON_SESSION_END.with(|h| {
        if let Some(f) = h.borrow().as_ref() {
            f()
        }
    });
}

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?query`, or `path` alone when the query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// Reads a JSON answer as `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    // An empty answer reads as `null` (e.g. for `()`).
    let text = if text.trim().is_empty() { "null" } else { text };
    // Text to `Value` once, then `Value` to `T`: the JSON parser is then compiled once, not
    // once per answer type inside each type's `Deserialize` (wasm size, see ARCHITECTURE.md).
    serde_json::from_str::<Value>(text)
        .and_then(serde_json::from_value)
        .map_err(ApiError::bad_answer)
}

/// GET and read the JSON answer.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse(&send("GET", path, Body::None).await?)
}

/// GET a public answer of our own server outside the office API (the widget config).
pub async fn get_public<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    parse(&send_to("GET", url.to_string(), Body::None).await?)
}

/// Sends one request to the office API and answers the body of a 2xx as text, or the error.
pub async fn send(method: &str, path: &str, body: Body) -> Result<String, ApiError> {
    send_to(method, format!("{BASE}{path}"), body).await
}

/// POST a JSON body and read the JSON answer.
pub async fn post<T: DeserializeOwned>(path: &str, body: Value) -> Result<T, ApiError> {
    parse(&send("POST", path, Body::Json(body)).await?)
}

/// POST and keep the answer as text (a CSV or an HTML page to download).
pub async fn post_text(path: &str, body: Value) -> Result<String, ApiError> {
    send("POST", path, Body::Json(body)).await
}

/// POST a file as the raw body and read the JSON answer.
pub async fn upload<T: DeserializeOwned>(path: &str, file: web_sys::File) -> Result<T, ApiError> {
    parse(&send("POST", path, Body::File(file)).await?)
}

/// Sends one request to a URL of our origin and answers the body of a 2xx as text, or the error.
#[cfg(target_arch = "wasm32")]
async fn send_to(method: &str, url: String, body: Body) -> Result<String, ApiError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = web_sys::window().ok_or_else(ApiError::network)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::network())?;
    let _ = headers.set("Accept", "application/json");
    match &body {
        Body::None => {}
        Body::Json(v) => {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&wasm_bindgen::JsValue::from_str(&v.to_string()));
        }
        Body::File(file) => {
            let kind = file.type_();
            let kind = if kind.is_empty() {
                "application/octet-stream".to_string()
            } else {
                kind
            };
            let _ = headers.set("Content-Type", &kind);
            init.set_body(file);
        }
    }
    if method != "GET" {
        let token = CSRF.with(|c| c.borrow().clone());
        let _ = headers.set("X-CSRF-Token", &token);
    }
    init.set_headers(&headers);
    let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|_| ApiError::network())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| ApiError::network())?;
    let status = response.status();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        if status == 401 {
            session_ended();
        }
        Err(ApiError::from_body(status, &text))
    }
}

/// Natively (clippy, unit tests) there is no browser: every call reports "not reached".
#[cfg(not(target_arch = "wasm32"))]
async fn send_to(method: &str, url: String, body: Body) -> Result<String, ApiError> {
    let _ = (method, body, CSRF.with(|c| c.borrow().len()));
    if url == BASE {
        session_ended();
    }
    Err(ApiError::network())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_answers_keep_kind_and_fields_and_anything_else_its_status() {
        let e = ApiError::from_body(
            422,
            r#"{"error":"validation","message":"Bitte prüfen","fields":[{"field":"public_note","code":"required","message":"Pflicht"}]}"#,
        );
        assert_eq!(e.kind, Some(ErrorKind::Validation));
        assert_eq!(e.fields[0].field, "public_note");
        assert_eq!(e.fields[0].code, ValidationCode::Required);
        let html = ApiError::from_body(502, "<html>");
        assert_eq!((html.status, html.kind), (502, None));
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("M-2026-00001"), "M-2026-00001");
        assert_eq!(encode("Straße & Weg"), "Stra%C3%9Fe%20%26%20Weg");
        assert_eq!(with_query("/reports", ""), "/reports");
        assert_eq!(with_query("/reports", "page=2"), "/reports?page=2");
    }
}
