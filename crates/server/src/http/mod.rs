//! HTTP: one axum router for the widget API, Open311, the reporter's tracking page, the
//! towns' generated statements, demo tiles, the static widget bundle, and the office (`office/`).

pub mod assets;
mod challenge;
mod citizen;
mod client_addr;
mod error;
pub(crate) mod extract;
mod flags;
mod health;
pub(crate) mod local_time;
mod mailbox;
mod map;
mod notify;
mod office;
mod open311;
mod opendata;
mod photos;
mod places;
pub(crate) mod polls;
pub(crate) mod statements;
pub(crate) mod static_map;
mod stats;
pub(crate) mod tiles;
mod track;
mod widget_api;
mod xml;

pub(crate) use client_addr::ClientAddr;
pub use client_addr::{ForwardedHeader, TrustedProxies};
pub use error::ApiError;
pub(crate) use extract::ApiJson;
pub use health::Readiness;
pub use photos::MAX_UPLOAD_BYTES;

use crate::db::tenants::Tenant;
use crate::db::Db;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::Router;
use civickit_model::Lang;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

pub struct AppState {
    pub db: Db,
    /// The widget bundle (`widgets/`), the demo page (`demo/`) and the office page
    /// (`office/`), in memory: built in, or read from `--dist` at start.
    pub assets: assets::Assets,
    /// Fixed public base URL (e.g. behind a proxy); else taken from the Host header.
    pub public_url: Option<String>,
    /// Wakes the mail worker after a mail was queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// The rate limits (built from the `[limits]` settings) and their counters.
    pub limiter: crate::limits::RateLimiter,
    /// Reverse proxies whose forwarding header names the client (`ClientAddr`).
    pub trusted_proxies: TrustedProxies,
    /// Signs form tokens (minimum fill time); shared by all instances via the database.
    pub form_key: String,
    /// Proof-of-work settings and each town's recent write count (`crate::pow`).
    pub pow: crate::pow::Pow,
    /// Prometheus figures of this process and who may read them (`/metrics`).
    pub metrics: crate::metrics::Metrics,
    /// Processing statistics, kept a few minutes (`crate::stats`).
    pub stats: crate::stats::Cache,
}

pub type State = axum::extract::State<Arc<AppState>>;

/// Largest request body we accept for JSON and form posts (photos come with their own limit).
const BODY_LIMIT: usize = 64 * 1024;

pub fn router(state: Arc<AppState>) -> Router {
    let widget_cors = {
        let db = state.db.clone();
        CorsLayer::new()
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::ACCEPT_LANGUAGE])
            // A widget on the town's page waits out a 429 ("too fast", a limit) for exactly as
            // long as the server says; without this it can only guess.
            .expose_headers([header::RETRY_AFTER])
            .allow_origin(AllowOrigin::async_predicate(move |origin, parts| {
                let db = db.clone();
                // Inside the nested router the path no longer carries the /api/v1 prefix.
                let path = parts.uri.path();
                let slug = path
                    .strip_prefix("/api/v1")
                    .unwrap_or(path)
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .map(str::to_string);
                async move {
                    let (Some(slug), Ok(origin)) = (slug, origin.to_str()) else {
                        return false;
                    };
                    matches!(db.tenant_by_slug(&slug).await, Ok(Some(t)) if t.allows_origin(origin))
                }
            }))
    };
    let public_cors = CorsLayer::new()
        .allow_methods([Method::GET])
        .allow_origin(AllowOrigin::any());

    Router::new()
        .nest(
            "/api/v1",
            widget_api::routes()
                .merge(challenge::routes())
                .merge(mailbox::routes())
                .merge(polls::routes())
                .merge(photos::widget_routes())
                .merge(opendata::routes())
                .merge(places::widget_routes())
                .merge(flags::routes())
                .layer(widget_cors.clone())
                .layer(CompressionLayer::new()),
        )
        // Encodes its own answers (kept encoded in memory), so outside the compression layer.
        .merge(map::routes().layer(widget_cors))
        .nest(
            "/open311/v2",
            open311::routes()
                .layer(public_cors.clone())
                .layer(CompressionLayer::new()),
        )
        .merge(
            stats::routes()
                .layer(public_cors.clone())
                .layer(CompressionLayer::new()),
        )
        .merge(tiles::routes().layer(public_cors))
        .merge(track::routes())
        .merge(statements::routes())
        .merge(notify::routes())
        .merge(office::routes())
        .merge(photos::routes())
        .merge(health::routes())
        // Precompressed brotli/gzip from memory: on a rural 1.6 Mbit/s line that is the
        // difference between 5 and under 3 seconds to a usable widget.
        .merge(assets::routes())
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // Outermost, so the time counted is the whole answer's.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            health::count_request,
        ))
        .with_state(state)
}

impl AppState {
    /// The origin clients reach us under, for absolute URLs in answers.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(url) = &self.public_url {
            return url.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
            })
            .unwrap_or("127.0.0.1");
        format!("http://{host}")
    }

    pub async fn tenant(&self, slug: &str) -> Result<Tenant, ApiError> {
        self.db
            .tenant_by_slug(slug)
            .await?
            .ok_or(ApiError::NotFound)
    }
}

/// An official's text input: cleaned, at most `max` characters, and present if `required`;
/// the error names the field so the office can show it in place.
pub(crate) fn check_text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<String, civickit_model::FieldError> {
    use civickit_model::{FieldError, ValidationCode};
    let text = civickit_model::validate::clean_text(value);
    if required && text.is_empty() {
        return Err(FieldError::new(field, ValidationCode::Required));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(field, ValidationCode::TooLong));
    }
    Ok(text)
}

/// [`check_text`] for a required field, as an API answer.
pub(crate) fn required_text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    check_text(field, value, max, true).map_err(|e| ApiError::Validation(vec![e], Lang::De))
}

/// The language for messages: `?lang=` wins over `Accept-Language`; German by default.
pub fn lang(query_lang: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(l) = query_lang {
        return Lang::from_tag(l);
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_tag)
        .unwrap_or_default()
}

/// RFC 3339 in UTC, e.g. `2026-11-22T10:15:00Z`.
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
