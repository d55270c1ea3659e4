//! Photos in the office: the full picture and thumbnail of every state, review (release, hide,
//! back to pending), rotate and black out, and the officials' "after" photos.

use super::guards::Official;
use crate::db::photos::PhotoInfo;
use crate::db::reports::Report;
use crate::http::photos::{jpeg_response, process, MAX_UPLOAD_BYTES};
use crate::http::{ApiError, ApiJson, AppState, State};
use crate::photos::{edit, Rect};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{Photo, PhotoEditRequest, PhotoList, PhotoStatusRequest};
use serde_json::json;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/photos/{id}", get(office_photo))
        .route("/office/api/photos/{id}/thumb", get(office_thumb))
        .route("/office/api/photos/{id}/status", post(set_status))
        .route("/office/api/photos/{id}/edit", post(edit_photo))
        .route(
            "/office/api/reports/{reference}/photos",
            post(after_photo).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
}

/// A report's photos as the office lists them; the URLs need the office session.
pub fn photo_list(photos: &[PhotoInfo]) -> Vec<Photo> {
    photos
        .iter()
        .map(|p| Photo {
            id: p.id,
            kind: p.kind.clone(),
            status: p.status.clone(),
            width: p.width,
            height: p.height,
            url: format!("/office/api/photos/{}", p.id),
            thumb_url: format!("/office/api/photos/{}/thumb", p.id),
        })
        .collect()
}

async fn report_photos(
    state: &AppState,
    official: &Official,
    report: &Report,
) -> Result<PhotoList, ApiError> {
    let photos = state
        .db
        .photos(official.tenant_id(), report.id, false)
        .await?;
    Ok(PhotoList {
        photos: photo_list(&photos),
    })
}

async fn office_bytes(
    state: &AppState,
    official: &Official,
    id: i64,
    thumb: bool,
) -> Result<Response, ApiError> {
    let (report_id, bytes) = state
        .db
        .office_photo(official.tenant_id(), id, thumb)
        .await?
        .ok_or(ApiError::NotFound)?;
    workable_by_id(state, official, report_id).await?;
    Ok(jpeg_response(bytes, "private, no-store"))
}

async fn office_photo(
    state: State,
    official: Official,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    office_bytes(&state, &official, id, false).await
}

async fn office_thumb(
    state: State,
    official: Official,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    office_bytes(&state, &official, id, true).await
}

/// The report a photo belongs to, if the official may work it.
async fn workable_by_id(
    state: &AppState,
    official: &Official,
    report_id: i64,
) -> Result<Report, ApiError> {
    state
        .db
        .report_by_internal_id(official.tenant_id(), report_id)
        .await?
        .filter(|r| official.may_work(r))
        .ok_or(ApiError::NotFound)
}

async fn photo_report(state: &AppState, official: &Official, id: i64) -> Result<Report, ApiError> {
    let (report_id, _) = state
        .db
        .office_photo(official.tenant_id(), id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    workable_by_id(state, official, report_id).await
}

async fn set_status(
    state: State,
    official: Official,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PhotoStatusRequest>,
) -> Result<ApiJson<PhotoList>, ApiError> {
    if !matches!(body.status.as_str(), "released" | "hidden" | "pending") {
        return Err(ApiError::BadRequest(
            "status must be released, hidden or pending".into(),
        ));
    }
    let report = photo_report(&state, &official, id).await?;
    state
        .db
        .set_photo_status(
            official.tenant_id(),
            id,
            &body.status,
            &official.actor(),
            &report.reference,
        )
        .await?;
    Ok(ApiJson(report_photos(&state, &official, &report).await?))
}

async fn edit_photo(
    state: State,
    official: Official,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PhotoEditRequest>,
) -> Result<ApiJson<PhotoList>, ApiError> {
    let report = photo_report(&state, &official, id).await?;
    let (_, jpeg) = state
        .db
        .office_photo(official.tenant_id(), id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let redact: Vec<Rect> = body
        .redact
        .iter()
        .map(|r| Rect {
            x: r.x,
            y: r.y,
            w: r.w,
            h: r.h,
        })
        .collect();
    let rotate = body.rotate;
    let processed = tokio::task::spawn_blocking(move || edit(&jpeg, rotate, &redact))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(crate::http::photos::photo_error)?;
    state
        .db
        .replace_photo(
            official.tenant_id(),
            id,
            &processed,
            &official.actor(),
            &report.reference,
            &json!({"photo": id, "rotate": body.rotate, "redacted_rectangles": body.redact.len()}),
        )
        .await?;
    Ok(ApiJson(report_photos(&state, &official, &report).await?))
}

/// An official's "after" photo of the fixed place; released at once.
async fn after_photo(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, ApiJson<PhotoList>), ApiError> {
    let report = super::reports::workable(&state, &official, &reference).await?;
    let processed = process(body).await?;
    state
        .db
        .add_photo(
            official.tenant_id(),
            &report,
            "after",
            "released",
            &processed,
            &official.actor(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(report_photos(&state, &official, &report).await?),
    ))
}
