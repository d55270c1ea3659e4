//! Photos over HTTP: citizens upload to their own report (authorised by the secret tracking
//! token), the public sees released photos at `/media/…`. The office's photo routes are in
//! `office/photos.rs`.

use super::{ApiError, ApiJson, AppState, State};
use crate::db::audit::Actor;
use crate::db::photos::PhotoInfo;
use crate::photos::{process_upload, PhotoError};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::widget::{PhotoKind, PhotoStatus, PhotoUploaded, PublicPhoto};
use serde::Deserialize;
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
    Router::new().route("/media/{file}", get(public_photo))
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

pub(crate) fn photo_error(e: PhotoError) -> ApiError {
    match e {
        PhotoError::UnsupportedFormat => ApiError::Unsupported(e.to_string()),
        PhotoError::TooLarge | PhotoError::Corrupt => ApiError::Unprocessable(e.to_string()),
    }
}

pub(crate) async fn process(bytes: Bytes) -> Result<crate::photos::Processed, ApiError> {
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
    client: super::ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, ApiJson<PhotoUploaded>), ApiError> {
    let tenant = state.tenant(&slug).await?;
    // Only the reporter holds the tracking token of this very report: that, not a
    // proof-of-work, authorises the upload.
    let (tenant_id, report) = state
        .db
        .report_by_tracking_token(&q.token)
        .await?
        .filter(|(tid, r)| *tid == tenant.id && r.reference == reference)
        .ok_or(ApiError::NotFound)?;
    // Decoding and re-encoding a photo is the costliest work a citizen can ask for; the
    // limit per address bounds it before it starts.
    let lang = super::lang(None, &headers);
    super::citizen::Flood::Photos
        .check(&state, &client, tenant_id, lang)
        .await?;
    let processed = process(body).await?;
    let photo = add_citizen_photo(&state, tenant_id, &report, &processed)
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
            status: PhotoStatus::parse(&photo.status).unwrap_or(PhotoStatus::Pending),
            width: photo.width,
            height: photo.height,
            bytes: processed.jpeg.len(),
            url: released.as_ref().map(|p| p.url.clone()),
            thumb_url: released.map(|p| p.thumb_url),
        }),
    ))
}

/// Stores a citizen's processed photo on their report: released at once if the town lets
/// citizens' photos through unchecked, else pending for the office's review. `None` when the
/// report already has [`crate::db::photos::MAX_CITIZEN_PHOTOS`]. The widget's upload and the
/// tracking page's form both come here.
pub(crate) async fn add_citizen_photo(
    state: &AppState,
    tenant_id: i64,
    report: &crate::db::reports::Report,
    processed: &crate::photos::Processed,
) -> Result<Option<PhotoInfo>, ApiError> {
    let status = if state.db.photos_auto_release(tenant_id).await? {
        PhotoStatus::Released
    } else {
        PhotoStatus::Pending
    };
    let actor = Actor {
        user_id: None,
        email: "citizen".into(),
    };
    Ok(state
        .db
        .add_photo(
            tenant_id,
            report,
            PhotoKind::Report.as_str(),
            status.as_str(),
            processed,
            &actor,
        )
        .await?)
}

pub(crate) fn jpeg_response(bytes: Vec<u8>, cache: &'static str) -> Response {
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
