//! Printable work orders: `GET /office/print/reports/{ref}` (one report) and
//! `GET /office/print/reports?…` (every report the inbox lists for the same filters, at most
//! [`SELECTION_LIMIT`]), one A4 sheet each, for the crew that goes out to fix it. Server-made
//! HTML without script ([`page`]), with a map excerpt of the town's own tiles
//! ([`crate::http::static_map`], shared with the tracking page) and a QR code back to the report in the office ([`qr`]).
//!
//! The same rules as the office API: the session cookie (a visitor without one is sent to the
//! office login), the official's tenant only, editors only their department's reports, 404
//! for a reference that is not theirs. `?notes=0` leaves internal notes out (for a sheet
//! handed to an outside contractor); `?lang=en` prints English labels.

mod page;
mod qr;

use super::guards::Official;
use super::reports::workable;
use crate::db::reports::{OfficeFilter, Report};
use crate::db::tenants::Tenant;
use crate::http::{ApiError, AppState, State};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::api::office::ReportQuery;
use civickit_model::Lang;
use std::sync::Arc;

/// A selection prints at most this many sheets: a stack a crew can carry, a page the browser
/// still lays out quickly. The first sheet says when more matched.
pub const SELECTION_LIMIT: i64 = 200;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/print/reports", get(selection))
        .route("/office/print/reports/{reference}", get(one))
}

/// What the printout itself takes, beside the inbox's filters.
#[derive(Debug, Default, serde::Deserialize)]
struct PrintOptions {
    /// `0` leaves the internal notes out.
    notes: Option<String>,
    /// `en` for English labels; German by default, whatever the browser prefers, so every
    /// sheet of a town looks the same unless asked otherwise.
    lang: Option<String>,
}

impl PrintOptions {
    fn lang(&self) -> Lang {
        self.lang.as_deref().map(Lang::from_tag).unwrap_or_default()
    }

    fn internal_notes(&self) -> bool {
        !matches!(self.notes.as_deref(), Some("0" | "false" | "no"))
    }
}

async fn one(
    state: State,
    official: Result<Official, ApiError>,
    headers: HeaderMap,
    uri: Uri,
    Path(reference): Path<String>,
    Query(options): Query<PrintOptions>,
) -> Result<Response, ApiError> {
    let official = match official {
        Ok(o) => o,
        Err(ApiError::Unauthorized) => return Ok(to_login(&uri, Some(&reference), options.lang())),
        Err(e) => return Err(e),
    };
    let report = match workable(&state, &official, &reference).await {
        Ok(r) => r,
        Err(ApiError::NotFound) => {
            return Ok(html(StatusCode::NOT_FOUND, page::not_found(options.lang())))
        }
        Err(e) => return Err(e),
    };
    let tenant = tenant(&state, &official).await?;
    print(
        &state,
        &official,
        &tenant,
        &headers,
        &options,
        &[report],
        None,
    )
    .await
}

async fn selection(
    state: State,
    official: Result<Official, ApiError>,
    headers: HeaderMap,
    uri: Uri,
    query: Result<Query<ReportQuery>, QueryRejection>,
    Query(options): Query<PrintOptions>,
) -> Result<Response, ApiError> {
    let official = match official {
        Ok(o) => o,
        Err(ApiError::Unauthorized) => return Ok(to_login(&uri, None, options.lang())),
        Err(e) => return Err(e),
    };
    let Query(query) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let tenant = tenant(&state, &official).await?;
    let filter = office_filter(&official, &tenant, &query)?;
    let (reports, more) = state
        .db
        .office_reports(official.tenant_id(), &filter)
        .await?;
    print(
        &state,
        &official,
        &tenant,
        &headers,
        &options,
        &reports,
        Some(more),
    )
    .await
}

async fn tenant(state: &AppState, official: &Official) -> Result<Tenant, ApiError> {
    state
        .db
        .tenant_by_id(official.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)
}

/// The inbox's query read exactly as the list and the map read it (every filter, an editor
/// always gets their own department, the map's `bbox`), without paging.
fn office_filter(
    official: &Official,
    tenant: &Tenant,
    q: &ReportQuery,
) -> Result<OfficeFilter, ApiError> {
    let cutoff = crate::db::now() - tenant.response_days * 86_400;
    let mut filter = super::reports::office_filter(q, official, cutoff)?;
    filter.limit = SELECTION_LIMIT;
    filter.offset = 0;
    Ok(filter)
}

/// The sheets for `reports`; `more` is `Some` for a selection (and whether more matched).
async fn print(
    state: &AppState,
    official: &Official,
    tenant: &Tenant,
    headers: &HeaderMap,
    options: &PrintOptions,
    reports: &[Report],
    more: Option<bool>,
) -> Result<Response, ApiError> {
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let internal_notes = options.internal_notes();
    let notes = state
        .db
        .notes(official.tenant_id(), &ids, !internal_notes)
        .await?;
    // Released photos only: pending ones are not yet checked for faces and number plates,
    // hidden ones were hidden for a reason; neither belongs on a sheet that leaves the office.
    let mut photos = Vec::with_capacity(reports.len());
    for r in reports {
        photos.push(state.db.photos(official.tenant_id(), r.id, true).await?);
    }
    let orders: Vec<page::Order> = reports
        .iter()
        .zip(&photos)
        .map(|(report, photos)| page::Order {
            report,
            notes: notes.iter().filter(|n| n.report_id == report.id).collect(),
            photos,
        })
        .collect();
    let base = state.base_url(headers);
    let tiles = crate::http::tiles::widget_tile_url(&base, &tenant.slug, &tenant.tile_url);
    let sheet = page::Sheet {
        lang: options.lang(),
        town: &tenant.name,
        base: &base,
        tiles: &tiles,
        attribution: &tenant.tile_attribution,
        internal_notes,
        printed_at: crate::db::now(),
        printed_by: &official.user().email,
    };
    Ok(html(
        StatusCode::OK,
        page::document(
            &sheet,
            &orders,
            more.is_some(),
            SELECTION_LIMIT as usize,
            more.unwrap_or(false),
        ),
    ))
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Tiles and photo thumbnails come from this server; nothing runs.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ),
            // Internal notes and the reporter's words: never in a shared cache.
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// Without a session: to the office login, on the report's own office page (which shows it
/// after the login) or the inbox, with `next=` naming this printout for the page to return to.
fn to_login(uri: &Uri, reference: Option<&str>, lang: Lang) -> Response {
    let target = match reference {
        Some(r) => format!("/office/reports/{}", path_segment(r)),
        None => "/office".to_string(),
    };
    let here = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or_else(|| uri.path());
    let mut query = vec![("next", here)];
    if lang == Lang::En {
        query.insert(0, ("lang", "en"));
    }
    let location = format!(
        "{target}?{}",
        serde_urlencoded::to_string(query).unwrap_or_default()
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

/// Percent-encodes everything but letters, digits, `-`, `_` and `.` for one path segment.
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_redirect_names_the_printout_to_return_to() {
        let uri: Uri = "/office/print/reports?status=received&notes=0"
            .parse()
            .unwrap();
        let r = to_login(&uri, None, Lang::En);
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers()[header::LOCATION],
            "/office?lang=en&next=%2Foffice%2Fprint%2Freports%3Fstatus%3Dreceived%26notes%3D0"
        );
        let uri: Uri = "/office/print/reports/M-2026-00042".parse().unwrap();
        let r = to_login(&uri, Some("M-2026-00042"), Lang::De);
        assert_eq!(
            r.headers()[header::LOCATION],
            "/office/reports/M-2026-00042?next=%2Foffice%2Fprint%2Freports%2FM-2026-00042"
        );
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
    }
}
