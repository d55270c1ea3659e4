//! The JSON API of the citizen widgets (docs/widget-api.md). No cookies, no personal data in
//! any answer: the reporter's e-mail address never leaves the server here.

use super::{lang, rfc3339, ApiError, AppState, State};
use crate::db::reports::{Note, Report, ReportFilter};
use crate::intake::{submit_report, IntakeError};
use axum::extract::{ConnectInfo, Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use civickit_model::validate::DESCRIPTION_MAX_CHARS;
use civickit_model::{BBox, CloseReason, FieldError, LatLng, NewReport, Status, ValidationCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;

const DEFAULT_LIMIT: i64 = 2000;
const MAX_LIMIT: i64 = 5000;
const DUPLICATE_RADIUS_M: f64 = 250.0;
const MAX_NEARBY_RADIUS_M: f64 = 1000.0;
const SUMMARY_CHARS: usize = 120;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/{tenant}/config", get(config))
        .route("/{tenant}/reports", get(list).post(create))
        .route("/{tenant}/reports/nearby", get(nearby))
        .route("/{tenant}/reports/{reference}", get(one))
        .route("/{tenant}/reports/{reference}/support", post(support))
        .route("/track/{token}", get(track))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn config(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let tenant = state.tenant(&slug).await?;
    let categories = state.db.categories(tenant.id).await?;
    let base = state.base_url(&headers);
    // Stored paths are relative to this server; the widget runs on another site's page.
    let absolute = |url: &str| {
        if url.starts_with('/') {
            format!("{base}{url}")
        } else {
            url.to_string()
        }
    };
    let bounds = tenant.area.bbox();
    Ok(Json(json!({
        "slug": tenant.slug,
        "name": tenant.name,
        "map": {
            "center": tenant.center,
            "zoom": tenant.zoom,
            "min_zoom": 12,
            "max_zoom": 19,
            "bounds": bounds,
            "area": tenant.area.ring,
        },
        "tiles": { "url": super::tiles::widget_tile_url(&base, &tenant.slug, &tenant.tile_url), "attribution": tenant.tile_attribution },
        "categories": categories.iter().map(|c| json!({
            "code": c.code, "name": c.name, "group": c.group, "description": c.description,
        })).collect::<Vec<_>>(),
        "states": Status::PUBLIC.iter().map(|s| json!({
            "state": s.as_str(),
            "label": s.label(lang),
            "legend": s.legend(lang),
            "color": s.light().as_str(),
            "hex": s.light().hex(),
            "marker": s.marker().as_str(),
        })).collect::<Vec<_>>(),
        "close_reasons": CloseReason::ALL.iter().map(|r| json!({
            "reason": r.as_str(), "label": r.label(lang),
        })).collect::<Vec<_>>(),
        "privacy_url": absolute(&tenant.privacy_url),
        "duplicate_radius_m": DUPLICATE_RADIUS_M,
        "description_max_chars": DESCRIPTION_MAX_CHARS,
    })))
}

fn summary(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(SUMMARY_CHARS).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

/// The compact form for map markers and the list.
fn compact(r: &Report) -> Value {
    let mut v = json!({
        "ref": r.reference,
        "status": r.status.as_str(),
        "category": r.category_code,
        "created": rfc3339(r.created_at),
        "summary": summary(&r.description),
        "supporters": r.supporters,
    });
    if let Some(p) = r.position {
        v["lat"] = json!(p.lat);
        v["lng"] = json!(p.lng);
    }
    if let Some(a) = &r.address {
        v["address"] = json!(a);
    }
    v
}

/// The full public form of one report with its public history.
pub fn detail(r: &Report, notes: &[Note], photos: Vec<Value>) -> Value {
    let mut v = json!({
        "ref": r.reference,
        "status": r.status.as_str(),
        "category": r.category_code,
        "category_name": r.category_name,
        "description": r.description,
        "created": rfc3339(r.created_at),
        "updated": rfc3339(r.updated_at),
        "supporters": r.supporters,
        "photos": photos,
        "notes": notes.iter().filter(|n| n.public).map(|n| json!({
            "at": rfc3339(n.at), "status": n.status.as_str(), "text": n.text,
        })).collect::<Vec<_>>(),
    });
    if let Some(reason) = r.close_reason {
        v["close_reason"] = json!(reason.as_str());
    }
    if let Some(p) = r.position {
        v["lat"] = json!(p.lat);
        v["lng"] = json!(p.lng);
    }
    if let Some(a) = &r.address {
        v["address"] = json!(a);
    }
    v
}

#[derive(Deserialize)]
struct ListQuery {
    bbox: Option<String>,
    status: Option<String>,
    category: Option<String>,
    limit: Option<i64>,
}

fn comma_list(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

async fn list(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let bbox = match q.bbox.as_deref() {
        None | Some("") => None,
        Some(s) => Some(BBox::parse(s).ok_or_else(|| {
            ApiError::BadRequest("bbox must be west,south,east,north in WGS84 degrees".into())
        })?),
    };
    let mut statuses = Vec::new();
    for s in comma_list(&q.status) {
        match Status::parse(&s).filter(|s| s.is_public()) {
            Some(s) => statuses.push(s),
            None => return Err(ApiError::BadRequest(format!("unknown status {s:?}"))),
        }
    }
    let filter = ReportFilter {
        bbox,
        statuses,
        category_codes: comma_list(&q.category),
        limit: q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        ..Default::default()
    };
    let (reports, truncated) = state.db.public_reports(tenant.id, &filter).await?;
    Ok(Json(json!({
        "reports": reports.iter().map(compact).collect::<Vec<_>>(),
        "truncated": truncated,
    })))
}

#[derive(Deserialize)]
struct NearbyQuery {
    lat: f64,
    lng: f64,
    category: String,
    radius: Option<f64>,
}

async fn nearby(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<NearbyQuery>,
) -> Result<Json<Value>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let at = LatLng::new(q.lat, q.lng);
    if !at.is_valid() {
        return Err(ApiError::BadRequest("lat/lng are not valid WGS84".into()));
    }
    let radius = q
        .radius
        .unwrap_or(DUPLICATE_RADIUS_M)
        .clamp(1.0, MAX_NEARBY_RADIUS_M);
    let near = state
        .db
        .nearby_open_reports(tenant.id, &q.category, at, radius)
        .await?;
    Ok(Json(json!({
        "reports": near.iter().map(|(r, d)| {
            let mut v = compact(r);
            v["distance_m"] = json!(d.round());
            v
        }).collect::<Vec<_>>(),
    })))
}

async fn public_photos(
    state: &AppState,
    headers: &HeaderMap,
    tenant_id: i64,
    report_id: i64,
) -> Result<Vec<Value>, ApiError> {
    let photos = state.db.photos(tenant_id, report_id, true).await?;
    Ok(super::photos::public_urls(
        &state.base_url(headers),
        &photos,
    ))
}

async fn one(
    state: State,
    Path((slug, reference)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let report = state
        .db
        .report_by_ref(tenant.id, &reference)
        .await?
        .filter(Report::is_public)
        .ok_or(ApiError::NotFound)?;
    let notes = state.db.notes(tenant.id, &[report.id], true).await?;
    let photos = public_photos(&state, &headers, tenant.id, report.id).await?;
    Ok(Json(detail(&report, &notes, photos)))
}

/// The body of a new report. Unknown fields are refused, so that a typo in an integration
/// shows up at once instead of silently dropping data.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    #[serde(default)]
    category: String,
    #[serde(default)]
    position: Option<LatLng>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    email: Option<String>,
    /// Honeypot: invisible in the form, so only bots fill it in.
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

async fn create(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<CreateBody>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let lang = lang(q.lang.as_deref().or(body.lang.as_deref()), &headers);
    if crate::abuse::honeypot_filled(body.website.as_deref()) {
        return Err(ApiError::Validation(
            vec![FieldError::new("website", ValidationCode::InvalidValue)],
            lang,
        ));
    }
    if !state.limiter.allow(
        &format!("report:{}", client.ip()),
        state.limits.reports_per_address,
    ) || !state
        .limiter
        .allow(&format!("tenant:{}", tenant.id), state.limits.per_tenant)
    {
        return Err(ApiError::RateLimited(
            lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Meldungen. Bitte versuchen Sie es in einigen Minuten erneut; Ihre Eingaben bleiben erhalten.",
                "Very many reports came from your connection just now. Please try again in a few minutes; your input is kept.",
            )
            .into(),
        ));
    }
    let new = NewReport {
        category: body.category,
        position: body.position,
        address: body.address,
        description: body.description,
        email: body.email,
    };
    let base = state.base_url(&headers);
    let created = match submit_report(&state.db, &tenant, &new, &base, lang).await {
        Ok(c) => {
            state.mail_wake.notify_one();
            c
        }
        Err(IntakeError::Invalid(errors)) => return Err(ApiError::Validation(errors, lang)),
        Err(IntakeError::Db(e)) => return Err(e.into()),
    };
    let notes = state
        .db
        .notes(tenant.id, &[created.report.id], true)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "ref": created.report.reference,
            "status": created.report.status.as_str(),
            "tracking_url": format!("{base}/track/{}", created.tracking_token),
            "tracking_token": created.tracking_token,
            "report": detail(&created.report, &notes, vec![]),
        })),
    ))
}

#[derive(Deserialize)]
struct SupportBody {
    supporter: String,
}

async fn support(
    state: State,
    Path((slug, reference)): Path<(String, String)>,
    body: Result<Json<SupportBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let supporter = body.supporter.trim();
    if !(8..=64).contains(&supporter.len()) {
        return Err(ApiError::BadRequest(
            "supporter must be a random id of 8 to 64 characters".into(),
        ));
    }
    let report = state
        .db
        .report_by_ref(tenant.id, &reference)
        .await?
        .filter(Report::is_public)
        .ok_or(ApiError::NotFound)?;
    if !report.status.is_open() {
        return Err(ApiError::Conflict(
            "Diese Meldung ist bereits abgeschlossen.".into(),
        ));
    }
    let (supporters, counted) = state
        .db
        .support_report(tenant.id, &reference, supporter)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(
        json!({ "supporters": supporters, "counted": counted }),
    ))
}

async fn track(
    state: State,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let (tenant_id, report) = state
        .db
        .report_by_tracking_token(&token)
        .await?
        .ok_or(ApiError::NotFound)?;
    let notes = state.db.notes(tenant_id, &[report.id], true).await?;
    let photos = public_photos(&state, &headers, tenant_id, report.id).await?;
    Ok(Json(detail(&report, &notes, photos)))
}
