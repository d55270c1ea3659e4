//! Photos over HTTP: citizens upload to their own report (authorised by the secret tracking
//! token), the public sees released photos at `/media/…`, the office reviews, releases, hides,
//! rotates, redacts and adds "after" photos.

use super::office::Official;
use super::{ApiError, ApiJson, AppState, State};
use crate::db::audit::Actor;
use crate::db::photos::PhotoInfo;
use crate::db::reports::Report;
use crate::photos::{edit, process_upload, PhotoError, Rect};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use civickit_model::api::widget::{PhotoKind, PhotoStatus, PhotoUploaded, PublicPhoto};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The largest upload accepted; the widget shrinks photos to about 300 KB before sending.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

pub fn widget_routes() -> Router<Arc<AppState>> {
    Router::new().route(
        "/{tenant}/reports/{reference}/photos",
        post(citizen_upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
    )
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/media/{file}", get(public_photo))
        .route("/office/api/photos/{id}", get(office_photo))
        .route("/office/api/photos/{id}/thumb", get(office_thumb))
        .route("/office/api/photos/{id}/status", post(set_status))
        .route("/office/api/photos/{id}/edit", post(edit_photo))
        .route(
            "/office/api/reports/{reference}/photos",
            post(after_photo).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
}

/// Public URLs of released photos, for the widget API.
pub fn public_urls(base: &str, photos: &[PhotoInfo]) -> Vec<PublicPhoto> {
    photos
        .iter()
        .filter(|p| PhotoStatus::parse(&p.status) == Some(PhotoStatus::Released))
        .map(|p| PublicPhoto {
            // The server stores only these two kinds; an official's photo is "after".
            kind: PhotoKind::parse(&p.kind).unwrap_or(PhotoKind::Report),
            url: format!("{base}/media/{}.jpg", p.public_id),
            thumb_url: format!("{base}/media/{}_thumb.jpg", p.public_id),
            width: p.width,
            height: p.height,
        })
        .collect()
}

pub fn office_list(photos: &[PhotoInfo]) -> Vec<Value> {
    photos
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "kind": p.kind, "status": p.status, "width": p.width, "height": p.height,
                "url": format!("/office/api/photos/{}", p.id),
                "thumb_url": format!("/office/api/photos/{}/thumb", p.id),
            })
        })
        .collect()
}

fn photo_error(e: PhotoError) -> ApiError {
    match e {
        PhotoError::UnsupportedFormat => ApiError::Unsupported(e.to_string()),
        PhotoError::TooLarge | PhotoError::Corrupt => ApiError::Unprocessable(e.to_string()),
    }
}

async fn process(bytes: Bytes) -> Result<crate::photos::Processed, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::BadRequest(
            "Die Anfrage enthält kein Bild.".into(),
        ));
    }
    tokio::task::spawn_blocking(move || process_upload(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(photo_error)
}

#[derive(Deserialize)]
struct TokenQuery {
    token: String,
}

async fn citizen_upload(
    state: State,
    Path((slug, reference)): Path<(String, String)>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, ApiJson<PhotoUploaded>), ApiError> {
    let tenant = state.tenant(&slug).await?;
    // Only the reporter holds the tracking token of this very report.
    let (tenant_id, report) = state
        .db
        .report_by_tracking_token(&q.token)
        .await?
        .filter(|(tid, r)| *tid == tenant.id && r.reference == reference)
        .ok_or(ApiError::NotFound)?;
    let processed = process(body).await?;
    let status = if state.db.photos_auto_release(tenant_id).await? {
        PhotoStatus::Released
    } else {
        PhotoStatus::Pending
    };
    let actor = Actor {
        user_id: None,
        email: "citizen".into(),
    };
    let photo = state
        .db
        .add_photo(
            tenant_id,
            &report,
            PhotoKind::Report.as_str(),
            status.as_str(),
            &processed,
            &actor,
        )
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(format!(
                "Höchstens {} Fotos je Meldung.",
                crate::db::photos::MAX_CITIZEN_PHOTOS
            ))
        })?;
    let base = state.base_url(&headers);
    let released = public_urls(&base, std::slice::from_ref(&photo)).pop();
    Ok((
        StatusCode::CREATED,
        ApiJson(PhotoUploaded {
            status: PhotoStatus::parse(&photo.status).unwrap_or(status),
            width: photo.width,
            height: photo.height,
            bytes: processed.jpeg.len(),
            url: released.as_ref().map(|p| p.url.clone()),
            thumb_url: released.map(|p| p.thumb_url),
        }),
    ))
}

fn jpeg_response(bytes: Vec<u8>, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, cache),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        bytes,
    )
        .into_response()
}

async fn public_photo(state: State, Path(file): Path<String>) -> Result<Response, ApiError> {
    let name = file.strip_suffix(".jpg").ok_or(ApiError::NotFound)?;
    let (public_id, thumb) = match name.strip_suffix("_thumb") {
        Some(id) => (id, true),
        None => (name, false),
    };
    let bytes = state
        .db
        .released_photo(public_id, thumb)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(jpeg_response(bytes, "public, max-age=3600"))
}

async fn office_bytes(
    state: &AppState,
    official: &Official,
    id: i64,
    thumb: bool,
) -> Result<Response, ApiError> {
    let (report_id, bytes) = state
        .db
        .office_photo(official.user().tenant_id, id, thumb)
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
        .report_by_internal_id(official.user().tenant_id, report_id)
        .await?
        .filter(|r| official.may_work(r))
        .ok_or(ApiError::NotFound)
}

async fn photo_report(state: &AppState, official: &Official, id: i64) -> Result<Report, ApiError> {
    let (report_id, _) = state
        .db
        .office_photo(official.user().tenant_id, id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    workable_by_id(state, official, report_id).await
}

#[derive(Deserialize)]
struct StatusBody {
    status: String,
}

async fn set_status(
    state: State,
    official: Official,
    Path(id): Path<i64>,
    Json(body): Json<StatusBody>,
) -> Result<Json<Value>, ApiError> {
    if !matches!(body.status.as_str(), "released" | "hidden" | "pending") {
        return Err(ApiError::BadRequest(
            "status must be released, hidden or pending".into(),
        ));
    }
    let report = photo_report(&state, &official, id).await?;
    state
        .db
        .set_photo_status(
            official.user().tenant_id,
            id,
            &body.status,
            &official.actor(),
            &report.reference,
        )
        .await?;
    let photos = state
        .db
        .photos(official.user().tenant_id, report.id, false)
        .await?;
    Ok(Json(json!({"photos": office_list(&photos)})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditBody {
    #[serde(default)]
    rotate: u8,
    #[serde(default)]
    redact: Vec<Rect>,
}

async fn edit_photo(
    state: State,
    official: Official,
    Path(id): Path<i64>,
    Json(body): Json<EditBody>,
) -> Result<Json<Value>, ApiError> {
    let report = photo_report(&state, &official, id).await?;
    let (_, jpeg) = state
        .db
        .office_photo(official.user().tenant_id, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let redact = body.redact.clone();
    let processed = tokio::task::spawn_blocking(move || edit(&jpeg, body.rotate, &redact))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(photo_error)?;
    state
        .db
        .replace_photo(
            official.user().tenant_id,
            id,
            &processed,
            &official.actor(),
            &report.reference,
            &json!({"photo": id, "rotate": body.rotate, "redacted_rectangles": body.redact.len()}),
        )
        .await?;
    let photos = state
        .db
        .photos(official.user().tenant_id, report.id, false)
        .await?;
    Ok(Json(json!({"photos": office_list(&photos)})))
}

/// An official's "after" photo of the fixed place; released at once.
async fn after_photo(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let report = state
        .db
        .report_by_ref(official.user().tenant_id, &reference)
        .await?
        .filter(|r| official.may_work(r))
        .ok_or(ApiError::NotFound)?;
    let processed = process(body).await?;
    state
        .db
        .add_photo(
            official.user().tenant_id,
            &report,
            "after",
            "released",
            &processed,
            &official.actor(),
        )
        .await?;
    let photos = state
        .db
        .photos(official.user().tenant_id, report.id, false)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"photos": office_list(&photos)})),
    ))
}
