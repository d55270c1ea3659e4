//! The reporter's secret tracking page (`/track/{token}`), made for a phone: the town's name
//! and links, the state, the place with a map of our own tiles, dates in the citizen's
//! language and the town's time, the public history, released photos, the e-mail state, and
//! a plain form to add a photo while the report is open (`POST /track/{token}/photos`,
//! [`upload`]). Server-rendered HTML without script ([`page`]), so it works on any phone, in
//! the language the report was made in (texts in `texts/track.rs`).
//!
//! Fast on a weak connection: one lookup of the report, then the town, the notes and the
//! photos at once; one document with its stylesheet inline; the only other requests are the
//! map's tiles and the thumbnails, from this server.

mod page;
mod upload;

use super::{AppState, State};
use crate::db::photos::PhotoInfo;
use crate::db::reports::{Note, Report};
use crate::db::tenants::Tenant;
use crate::db::DbError;
use crate::texts;
use axum::extract::{DefaultBodyLimit, Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::Lang;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/track/{token}", get(show)).route(
        "/track/{token}/photos",
        post(upload::add_photo).layer(DefaultBodyLimit::max(upload::FORM_LIMIT)),
    )
}

/// Everything the page shows of one report.
pub struct Found {
    pub tenant: Tenant,
    pub report: Report,
    /// Public notes only, oldest first.
    pub notes: Vec<Note>,
    /// Every photo of the report; the page decides which it may show.
    pub photos: Vec<PhotoInfo>,
}

/// The report behind a tracking token with what its page shows; `None` for an unknown token.
async fn load(state: &AppState, token: &str) -> Result<Option<Found>, DbError> {
    let Some((tenant_id, report)) = state.db.report_by_tracking_token(token).await? else {
        return Ok(None);
    };
    // Independent of each other: asked at once, so a slow database costs one wait, not three.
    let ids = [report.id];
    let (tenant, notes, photos) = tokio::try_join!(
        state.db.tenant_by_id(tenant_id),
        state.db.notes(tenant_id, &ids, true),
        state.db.photos(tenant_id, report.id, false),
    )?;
    let tenant = tenant.ok_or(DbError::RowNotFound)?;
    Ok(Some(Found {
        tenant,
        report,
        notes,
        photos,
    }))
}

/// The page's answer with its headers: nothing runs, images and the form stay on this server,
/// no other site may frame it, and nothing is cached (the page is behind a secret link).
fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; \
                 form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// A link that opens no report: one that expired (its report's time is up, or the citizen's
/// data was erased) says so, with the town's name, in the report's language; an unknown one
/// says it is not valid, in the browser's.
async fn not_found(state: &AppState, token: &str, asked: Lang) -> Response {
    let expired = match state.db.expired_link_town(token).await {
        Ok(Some((tenant_id, lang))) => match state.db.tenant_by_id(tenant_id).await {
            Ok(Some(tenant)) => Some((tenant, lang)),
            Ok(None) => None,
            Err(e) => return internal(asked, e),
        },
        Ok(None) => None,
        Err(e) => return internal(asked, e),
    };
    match expired {
        Some((tenant, lang)) => html(
            StatusCode::GONE,
            page::message(
                lang,
                texts::TRACK_EXPIRED.get(lang),
                &texts::TRACK_EXPIRED_TEXT
                    .get(lang)
                    .replace("{town}", &tenant.name),
            ),
        ),
        None => html(
            StatusCode::NOT_FOUND,
            page::message(
                asked,
                texts::TRACK_NOT_FOUND.get(asked),
                texts::TRACK_NOT_FOUND_TEXT.get(asked),
            ),
        ),
    }
}

fn internal(lang: Lang, e: impl std::fmt::Display) -> Response {
    tracing::error!("tracking page: {e}");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        page::message(
            lang,
            texts::INTERNAL_ERROR.get(lang),
            texts::TRY_LATER.get(lang),
        ),
    )
}

#[derive(serde::Deserialize)]
struct PageQuery {
    /// The language of a page without a report behind it.
    lang: Option<String>,
    /// `released` or `pending` after a photo was added (the redirect of [`upload`]).
    photo: Option<String>,
}

async fn show(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let asked = super::lang(q.lang.as_deref(), &headers);
    let found = match load(&state, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&state, &token, asked).await,
        Err(e) => return internal(asked, e),
    };
    let notice = match q.photo.as_deref() {
        Some("released") => Some(page::Notice::Added { released: true }),
        Some("pending") => Some(page::Notice::Added { released: false }),
        _ => None,
    };
    html(
        StatusCode::OK,
        page::render(&found, &token, notice.as_ref()),
    )
}
