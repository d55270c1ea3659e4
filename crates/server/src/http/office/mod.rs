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
mod guards;
mod messages;
mod photos;
mod polls;
mod reports;
mod session;
mod settings;
mod town;

use super::{ApiError, AppState};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

pub fn routes(state: &AppState) -> Router<Arc<AppState>> {
    let office_dir = state.dist.join("office");
    let index = office_dir.join("index.html");
    Router::new()
        .route_service("/office", ServeFile::new(&index))
        // The page's own URLs (`/office/reports/M-2026-00042`, `/office/settings`…) are links
        // officials get by mail: each answers the page, which then shows what the URL names.
        .route(
            "/office/{*page}",
            get(move |req: Request| page(index.clone(), req))
                .fallback(|| async { ApiError::NotFound }),
        )
        .nest_service("/office/assets", ServeDir::new(&office_dir))
        .merge(session::routes())
        .merge(reports::routes())
        .merge(photos::routes())
        .merge(messages::routes())
        .merge(polls::routes())
        .merge(admin::routes())
        .merge(settings::routes())
        .merge(audit::routes())
        .merge(town::routes())
        .merge(catalogue::routes())
}

/// The office page for a page URL; an unknown API path stays a JSON 404 instead of becoming
/// a page.
async fn page(index: PathBuf, req: Request) -> Response {
    let path = req.uri().path();
    if path == "/office/api" || path.starts_with("/office/api/") {
        return ApiError::NotFound.into_response();
    }
    match ServeFile::new(index).oneshot(req).await {
        Ok(answer) => answer.into_response(),
        Err(never) => match never {},
    }
}
