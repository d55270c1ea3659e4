//! `POST /track/{token}/photos`: the tracking page's "add a photo" form (multipart, field
//! `photo`), for a phone without script. The same processing (re-encoded JPEG, no metadata,
//! pixel and memory caps), the same limit of photos per report and the same review as the
//! widget's upload ([`crate::http::photos::add_citizen_photo`]); only while the report is
//! open. A stored photo answers 303 back to the page with a confirmation (so a reload does
//! not send it again); a refused one answers the page itself with the reason on top and the
//! status that says why (400, 409, 413, 415, 422, 429).

use super::page::{self, Notice};
use super::{html, internal, load, not_found, Found};
use crate::http::photos::{add_citizen_photo, MAX_UPLOAD_BYTES};
use crate::http::{ClientAddr, State};
use crate::photos::PhotoError;
use crate::texts::track as t;
use crate::texts::Text;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The largest form accepted: the photo's own limit and room for the multipart framing.
pub const FORM_LIMIT: usize = MAX_UPLOAD_BYTES + 64 * 1024;

pub async fn add_photo(
    state: State,
    client: ClientAddr,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let asked = crate::http::lang(None, &headers);
    let found = match load(&state, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&state, &token, asked).await,
        Err(e) => return internal(asked, e),
    };
    let lang = found.report.lang;
    let refuse = |status: StatusCode, why: String| refused(&found, &token, status, why);
    let plain = |status: StatusCode, text: Text| refuse(status, text.get(lang).to_string());

    if !found.report.status.is_open() {
        return plain(StatusCode::CONFLICT, t::REFUSED_CLOSED);
    }
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return plain(StatusCode::PAYLOAD_TOO_LARGE, t::TOO_BIG)
        }
        Err(_) => return plain(StatusCode::BAD_REQUEST, t::NO_FILE),
    };
    // Decoding a photo is the costly part: counted like a report from the same address (the
    // per-address limit, 30 in 10 minutes by default), before any decoding. A household that
    // reports and adds photos shares it, as it shares its address.
    if let Err(wait) = state
        .limiter
        .reports_per_address
        .check(&client.limit_key())
        .await
    {
        let mut r = plain(StatusCode::TOO_MANY_REQUESTS, t::SLOW_DOWN);
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        return r;
    }
    let bytes = match photo_field(&headers, body).await {
        Some(bytes) if !bytes.is_empty() => bytes,
        _ => return plain(StatusCode::BAD_REQUEST, t::NO_FILE),
    };
    let processed = match tokio::task::spawn_blocking(move || crate::photos::process_upload(&bytes))
        .await
    {
        Ok(Ok(p)) => p,
        Ok(Err(PhotoError::UnsupportedFormat)) => {
            return plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, t::UNSUPPORTED)
        }
        Ok(Err(PhotoError::TooLarge)) => {
            return plain(StatusCode::UNPROCESSABLE_ENTITY, t::TOO_MANY_PIXELS)
        }
        Ok(Err(PhotoError::Corrupt)) => return plain(StatusCode::UNPROCESSABLE_ENTITY, t::CORRUPT),
        Err(e) => return internal(lang, e),
    };
    match add_citizen_photo(&state, found.tenant.id, &found.report, &processed).await {
        Ok(Some(photo)) => {
            let shown = photo.status == "released";
            (
                StatusCode::SEE_OTHER,
                [
                    (
                        header::LOCATION,
                        format!(
                            "/track/{token}?photo={}",
                            if shown { "released" } else { "pending" }
                        ),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
            )
                .into_response()
        }
        Ok(None) => refuse(
            StatusCode::CONFLICT,
            t::TOO_MANY.with_n(lang, crate::db::photos::MAX_CITIZEN_PHOTOS),
        ),
        Err(e) => {
            tracing::error!("tracking page upload: {e:?}");
            plain(StatusCode::INTERNAL_SERVER_ERROR, t::TRY_LATER)
        }
    }
}

/// The page as it was, with why the photo was not added on top.
fn refused(found: &Found, token: &str, status: StatusCode, why: String) -> Response {
    html(
        status,
        page::render(found, token, Some(&Notice::Refused(why))),
    )
}

/// The bytes of the form's `photo` field; `None` for a body that is no multipart form.
async fn photo_field(headers: &HeaderMap, body: Bytes) -> Option<Bytes> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Some(field) = form.next_field().await.ok()? {
        if field.name() == Some("photo") {
            return field.bytes().await.ok();
        }
    }
    None
}
