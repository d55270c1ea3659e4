//! Places for the widgets: "bei Hauptstraße 12" and the address search
//! (`/api/v1/{tenant}/places/…`; the office's side is `office/places.rs`). Answers come from
//! the town's imported places only; no request leaves the server.

use super::{ApiError, ApiJson, AppState, State};
use axum::extract::{Path, Query};
use axum::routing::get;
use axum::Router;
use civickit_model::api::widget::{ReverseAnswer, SearchAnswer};
use civickit_model::{FieldError, Lang, LatLng, ValidationCode};
use serde::Deserialize;
use std::sync::Arc;

const DEFAULT_LIMIT: usize = 8;
const MAX_LIMIT: usize = 20;
/// Longer texts are no address; cut instead of refusing, like a search box would.
const MAX_QUERY_CHARS: usize = 100;

/// Under `/api/v1`, with the widget API's CORS.
pub fn widget_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/{tenant}/places/reverse", get(reverse))
        .route("/{tenant}/places/search", get(widget_search))
}

/// Strings, so that `lat=abc` is the documented 422 on that field, not a bare 400.
#[derive(Deserialize)]
struct ReverseQuery {
    lat: Option<String>,
    lng: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct SearchQuery {
    #[serde(default)]
    q: String,
    limit: Option<String>,
}

fn position(q: &ReverseQuery) -> Result<LatLng, ApiError> {
    let coordinate = |field: &str, value: &Option<String>, max: f64| {
        value
            .as_deref()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && v.abs() <= max)
            .ok_or_else(|| FieldError::new(field, ValidationCode::InvalidPosition))
    };
    match (
        coordinate("lat", &q.lat, 90.0),
        coordinate("lng", &q.lng, 180.0),
    ) {
        (Ok(lat), Ok(lng)) => Ok(LatLng::new(lat, lng)),
        (lat, lng) => Err(ApiError::Validation(
            [lat.err(), lng.err()].into_iter().flatten().collect(),
            Lang::De,
        )),
    }
}

pub(super) fn limit(q: &SearchQuery) -> usize {
    q.limit
        .as_deref()
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, MAX_LIMIT)
}

pub(super) fn query_text(q: &SearchQuery) -> String {
    q.q.chars().take(MAX_QUERY_CHARS).collect()
}

async fn reverse(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<ReverseQuery>,
) -> Result<ApiJson<ReverseAnswer>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let at = position(&q)?;
    let place = crate::places::reverse(&state.db, tenant.id, at).await?;
    Ok(ApiJson(ReverseAnswer { place }))
}

async fn widget_search(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Result<ApiJson<SearchAnswer>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let places = crate::places::search(&state.db, tenant.id, &query_text(&q), limit(&q)).await?;
    Ok(ApiJson(SearchAnswer { places }))
}
