//! Places in the office: the inbox's address search and correcting a report's position
//! (dragging its pin), which is audited and looks the address up again when the server had
//! looked it up in the first place.

use super::guards::Official;
use super::reports::{reload, workable};
use crate::http::places::{limit, query_text, SearchQuery};
use crate::http::{ApiError, ApiJson, AppState, State};
use axum::extract::{Path, Query};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{PositionChangeRequest, ReportChanged};
use civickit_model::api::widget::SearchAnswer;
use civickit_model::{FieldError, Lang, LatLng, ValidationCode};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/places/search", get(search))
        .route(
            "/office/api/reports/{reference}/position",
            post(move_report),
        )
}

async fn search(
    state: State,
    official: Official,
    Query(q): Query<SearchQuery>,
) -> Result<ApiJson<SearchAnswer>, ApiError> {
    let places =
        crate::places::search(&state.db, official.tenant_id(), &query_text(&q), limit(&q)).await?;
    Ok(ApiJson(SearchAnswer { places }))
}

/// An official corrects where a report is. Audited; the public map shows the new position at
/// once. Only inside the town's area, like a citizen's report.
async fn move_report(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<PositionChangeRequest>,
) -> Result<ApiJson<ReportChanged>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let to = LatLng::new(body.lat, body.lng);
    let tenant = state
        .db
        .tenant_by_id(official.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    if !to.is_valid() {
        return Err(ApiError::Validation(
            vec![FieldError::new("position", ValidationCode::InvalidPosition)],
            Lang::De,
        ));
    }
    if !tenant.area.contains(&to) {
        return Err(ApiError::Validation(
            vec![FieldError::new("position", ValidationCode::OutsideArea)],
            Lang::De,
        ));
    }
    let looked_up = crate::places::address_for(&state.db, tenant.id, to).await;
    state
        .db
        .move_report(tenant.id, &report, to, looked_up, &official.actor())
        .await?;
    reload(&state, &official, &report.reference).await
}
