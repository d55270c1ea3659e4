//! The office's statistics page (admins): the public figures of `docs/statistics.md`, exact,
//! with a table per department. The page is `<civic-stats data-source="office">`.

use super::guards::Admin;
use crate::http::stats::{localized, selection, StatsQuery};
use crate::http::{lang, ApiError, ApiJson, AppState, State};
use axum::extract::Query;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::stats::Audience;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/office/api/stats", get(stats))
}

async fn stats(
    state: State,
    admin: Admin,
    Query(q): Query<StatsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tenant = state
        .db
        .tenant_by_id(admin.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    let lang = lang(q.lang.as_deref(), &headers);
    let selection = selection(&state, &tenant, &q, lang, Audience::Office).await?;
    let answer = state.stats.answer(&state.db, &tenant, selection).await?;
    // An official's figures are not for shared caches.
    Ok((
        [(header::CACHE_CONTROL, "private, no-cache")],
        ApiJson(localized(&answer, lang)),
    )
        .into_response())
}
