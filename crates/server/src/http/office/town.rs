//! The town page (admins): the town's profile and map (`/office/api/town`). Changes take
//! effect at once: the widget config, CORS and the tile proxy read the tenant per request.

use super::guards::Admin;
use crate::http::{ApiError, ApiJson, AppState, State};
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use civickit_model::api::office::{Town, TownChange};
use civickit_model::api::FieldMessage;
use civickit_model::town::{self, normalize_origin, TownProfile};
use civickit_model::{Area, FieldError, Lang, ValidationCode};
use std::sync::Arc;

/// A municipal boundary from OpenStreetMap or the BKG is a few hundred KB of GeoJSON; the
/// 64 KB of other bodies would refuse most real towns.
const TOWN_BODY_LIMIT: usize = 4 * 1024 * 1024;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route(
        "/office/api/town",
        get(town_answer)
            .post(change_town)
            .layer(DefaultBodyLimit::max(TOWN_BODY_LIMIT)),
    )
}

/// Field errors with the messages written for the town's settings.
pub(super) fn refused(errors: &[FieldError]) -> ApiError {
    ApiError::FieldMessages(
        errors
            .iter()
            .map(|e| FieldMessage {
                field: e.field.clone(),
                code: e.code,
                message: town::message(e, Lang::De),
            })
            .collect(),
    )
}

async fn town_answer(state: State, admin: Admin) -> Result<ApiJson<Town>, ApiError> {
    let tenant = state
        .db
        .tenant_by_id(admin.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(ApiJson(tenant.town()))
}

/// Applies `change` to `profile`; every field that cannot even be read is an error.
pub fn apply_change(profile: &mut TownProfile, change: &TownChange) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(name) = &change.name {
        profile.name = name.clone();
    }
    if let Some(center) = change.center {
        profile.center = center;
    }
    if let Some(zoom) = change.zoom {
        profile.zoom = zoom;
    }
    if let Some(area) = &change.area {
        match Area::from_geojson(area) {
            Ok(area) => profile.area = area,
            Err(_) => errors.push(FieldError::new("area", ValidationCode::InvalidValue)),
        }
    }
    if let Some(origins) = &change.allowed_origins {
        let normalized: Option<Vec<String>> = origins
            .iter()
            .filter(|o| !o.trim().is_empty())
            .map(|o| normalize_origin(o))
            .collect();
        match normalized {
            Some(list) => profile.allowed_origins = list,
            None => errors.push(FieldError::new(
                "allowed_origins",
                ValidationCode::InvalidValue,
            )),
        }
    }
    let trimmed = |s: &Option<String>| s.as_deref().map(|s| s.trim().to_string());
    if let Some(url) = trimmed(&change.tile_url) {
        profile.tile_url = url;
    }
    if let Some(text) = trimmed(&change.tile_attribution) {
        profile.tile_attribution = text;
    }
    if let Some(url) = trimmed(&change.privacy_url) {
        profile.privacy_url = url;
    }
    if let Some(url) = trimmed(&change.imprint_url) {
        profile.imprint_url = url;
    }
    if let Some(url) = trimmed(&change.geocoder_url) {
        profile.geocoder_url = url;
    }
    if let Some(days) = change.response_days {
        profile.response_days = days;
    }
    errors
}

async fn change_town(
    state: State,
    admin: Admin,
    ApiJson(change): ApiJson<TownChange>,
) -> Result<ApiJson<Town>, ApiError> {
    let tenant = state
        .db
        .tenant_by_id(admin.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut profile = tenant.profile();
    let mut errors = apply_change(&mut profile, &change);
    for e in profile.validate() {
        if !errors.iter().any(|known| known.field == e.field) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(refused(&errors));
    }
    let premoderation = change.premoderation.unwrap_or(tenant.premoderation);
    let after = state
        .db
        .update_town(tenant.id, &profile, premoderation, &admin.actor())
        .await?;
    Ok(ApiJson(after.town()))
}
