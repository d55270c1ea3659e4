//! The office: officials log in and work reports, messages and polls. JSON API under
//! `/office/api/` (`docs/office-api.md`, bodies in `civickit_model::api::office`); the office
//! page (its own wasm bundle, built into `dist/office/`) at `/office` and every page URL below
//! it, its files at `/office/assets/`.
//!
//! Security: sessions are random tokens in an HttpOnly, SameSite=Strict cookie scoped to
//! `/office` (Secure behind https); every state-changing request must carry the session's CSRF
//! token in `X-CSRF-Token` and, when the browser sends an Origin, come from our own origin
//! ([`guards`]). Every query is scoped to the official's tenant; editors only see and change
//! the reports and messages of their own department; admin areas take the [`guards::Admin`]
//! guard.

mod admin;
mod audit;
mod catalogue;
mod flags;
mod guards;
mod inventory;
mod messages;
mod photos;
mod places;
mod polls;
mod print;
mod reports;
mod retention;
mod session;
mod settings;
mod statements;
mod stats;
mod subject;
mod town;

use super::assets::{self, CachePolicy};
use super::{ApiError, AppState};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

const INDEX: &str = "office/index.html";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office", get(page))
        // The page's own URLs (`/office/reports/M-2026-00042`, `/office/settings`…) are links
        // officials get by mail: each answers the page, which then shows what the URL names.
        .route(
            "/office/{*page}",
            get(page).fallback(|| async { ApiError::NotFound }),
        )
        .route("/office/assets/{*file}", get(asset))
        .merge(session::routes())
        .merge(reports::routes())
        .merge(flags::routes())
        .merge(places::routes())
        .merge(photos::routes())
        .merge(messages::routes())
        .merge(polls::routes())
        .merge(admin::routes())
        .merge(settings::routes())
        .merge(retention::routes())
        .merge(subject::routes())
        .merge(inventory::routes())
        .merge(statements::routes())
        .merge(audit::routes())
        .merge(town::routes())
        .merge(catalogue::routes())
        .merge(stats::routes())
        .merge(print::routes())
}

/// The office page for a page URL; an unknown API path stays a JSON 404 instead of becoming
/// a page.
async fn page(state: super::State, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path == "/office/api" || path.starts_with("/office/api/") {
        return ApiError::NotFound.into_response();
    }
    assets::file(
        &state.assets,
        INDEX,
        &uri,
        &headers,
        CachePolicy::Revalidate,
    )
}

/// `/office/assets/…`: the files of `dist/office/`.
async fn asset(state: super::State, uri: Uri, headers: HeaderMap) -> Response {
    let path = format!(
        "office/{}",
        uri.path()
            .strip_prefix("/office/assets/")
            .unwrap_or_default()
    );
    assets::file(
        &state.assets,
        &path,
        &uri,
        &headers,
        CachePolicy::Revalidate,
    )
}

/// A comma list of states from a filter query (`status=received,in_progress`), each read by
/// `parse`; an unknown one is a 400 naming it. Reports and messages filter alike.
pub(super) fn states<T>(
    list: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, ApiError> {
    list.unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).ok_or_else(|| ApiError::BadRequest(format!("unknown status {s:?}"))))
        .collect()
}
