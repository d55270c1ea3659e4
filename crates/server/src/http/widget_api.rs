//! The JSON API of the citizen widgets (docs/widget-api.md). No cookies, no personal data in
//! any answer: the reporter's e-mail address never leaves the server here.

use super::citizen::{CitizenForm, Flood};
use super::{lang, rfc3339, ApiError, ApiJson, AppState, State};
use crate::db::reports::{Note, Report, ReportFilter};
use crate::intake::{submit_report, IntakeError};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::widget::{
    Category, CloseReasonInfo, Config, MapConfig, NearbyList, NearbyReport, NewReportRequest,
    PublicNote, PublicPhoto, ReportCreated, ReportDetail, ReportList, ReportSummary, StateInfo,
    SupportAnswer, SupportRequest, Tiles,
};
use civickit_model::validate::DESCRIPTION_MAX_CHARS;
use civickit_model::{BBox, CloseReason, LatLng, Status};
use serde::Deserialize;
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
) -> Result<ApiJson<Config>, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let tenant = state.tenant(&slug).await?;
    let categories = state.db.categories(tenant.id).await?;
    let base = state.base_url(&headers);
    Ok(ApiJson(Config {
        map: MapConfig {
            center: tenant.center,
            zoom: tenant.zoom,
            min_zoom: 12,
            max_zoom: 19,
            bounds: tenant.area.bbox(),
            area: tenant.area.clone(),
        },
        tiles: Tiles {
            url: super::tiles::widget_tile_url(&base, &tenant.slug, &tenant.tile_url),
            attribution: tenant.tile_attribution.clone(),
        },
        categories: categories
            .into_iter()
            .map(|c| Category {
                code: c.code,
                name: c.name,
                group: c.group,
                description: c.description,
            })
            .collect(),
        states: Status::PUBLIC
            .iter()
            .map(|s| StateInfo {
                state: *s,
                label: s.label(lang).into(),
                legend: s.legend(lang).into(),
                color: s.light(),
                hex: s.light().hex().into(),
                marker: s.marker(),
            })
            .collect(),
        close_reasons: CloseReason::ALL
            .iter()
            .map(|r| CloseReasonInfo {
                reason: *r,
                label: r.label(lang).into(),
            })
            .collect(),
        // Absolute (the widget runs on another site's page): the town's own notice, else its
        // generated one (`/t/{slug}/datenschutz`).
        privacy_url: super::statements::privacy_link(&base, &tenant, lang),
        duplicate_radius_m: DUPLICATE_RADIUS_M,
        description_max_chars: DESCRIPTION_MAX_CHARS,
        slug: tenant.slug,
        name: tenant.name,
    }))
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
fn compact(r: &Report) -> ReportSummary {
    ReportSummary {
        reference: r.reference.clone(),
        status: r.status,
        category: r.category_code.clone(),
        created: rfc3339(r.created_at),
        summary: summary(&r.description),
        supporters: r.supporters,
        position: r.position,
        address: r.address.clone(),
    }
}

/// The full public form of one report with its public history.
pub fn detail(r: &Report, notes: &[Note], photos: Vec<PublicPhoto>) -> ReportDetail {
    ReportDetail {
        reference: r.reference.clone(),
        status: r.status,
        category: r.category_code.clone(),
        category_name: r.category_name.clone(),
        description: r.description.clone(),
        created: rfc3339(r.created_at),
        updated: rfc3339(r.updated_at),
        supporters: r.supporters,
        photos,
        notes: notes
            .iter()
            .filter(|n| n.public)
            .map(|n| PublicNote {
                at: rfc3339(n.at),
                status: n.status,
                text: n.text.clone(),
            })
            .collect(),
        close_reason: r.close_reason,
        position: r.position,
        address: r.address.clone(),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    bbox: Option<String>,
    /// `no`: only the reports placed in words (the list shows them whatever the map shows);
    /// `yes`: only those with a position.
    located: Option<String>,
    status: Option<String>,
    category: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// `status=received,in_progress`: public states only.
pub(super) fn public_statuses(list: &Option<String>) -> Result<Vec<Status>, ApiError> {
    comma_list(list)
        .into_iter()
        .map(|s| {
            Status::parse(&s)
                .filter(|s| s.is_public())
                .ok_or_else(|| ApiError::BadRequest(format!("unknown status {s:?}")))
        })
        .collect()
}

pub(super) fn comma_list(s: &Option<String>) -> Vec<String> {
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
) -> Result<ApiJson<ReportList>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let bbox = match q.bbox.as_deref() {
        None | Some("") => None,
        Some(s) => Some(BBox::parse(s).ok_or_else(|| {
            ApiError::BadRequest("bbox must be west,south,east,north in WGS84 degrees".into())
        })?),
    };
    let located = match q.located.as_deref() {
        None | Some("") => None,
        Some("yes") => Some(true),
        Some("no") => Some(false),
        Some(_) => return Err(ApiError::BadRequest("located must be yes or no".into())),
    };
    let filter = ReportFilter {
        bbox,
        located,
        statuses: public_statuses(&q.status)?,
        category_codes: comma_list(&q.category),
        limit: q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        offset: q.offset.unwrap_or(0).max(0),
        ..Default::default()
    };
    let (reports, truncated) = state.db.public_reports(tenant.id, &filter).await?;
    Ok(ApiJson(ReportList {
        reports: reports.iter().map(compact).collect(),
        truncated,
    }))
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
) -> Result<ApiJson<NearbyList>, ApiError> {
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
    Ok(ApiJson(NearbyList {
        reports: near
            .iter()
            .map(|(r, d)| NearbyReport {
                report: compact(r),
                distance_m: d.round(),
            })
            .collect(),
    }))
}

async fn public_photos(
    state: &AppState,
    headers: &HeaderMap,
    tenant_id: i64,
    report_id: i64,
) -> Result<Vec<PublicPhoto>, ApiError> {
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
) -> Result<ApiJson<ReportDetail>, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let report = state
        .db
        .report_by_ref(tenant.id, &reference)
        .await?
        .filter(Report::is_public)
        .ok_or(ApiError::NotFound)?;
    let notes = state.db.notes(tenant.id, &[report.id], true).await?;
    let photos = public_photos(&state, &headers, tenant.id, report.id).await?;
    Ok(ApiJson(detail(&report, &notes, photos)))
}

async fn create(
    state: State,
    form: CitizenForm<NewReportRequest>,
) -> Result<(StatusCode, ApiJson<ReportCreated>), ApiError> {
    form.rate_limit(&state, Flood::Reports).await?;
    let (tenant, lang) = (&form.tenant, form.lang);
    let base = state.base_url(&form.headers);
    let created = match submit_report(&state.db, tenant, &form.body.report(), &base, lang).await {
        Ok(c) => {
            state.mail_wake.notify_one();
            state.metrics.report_created(&tenant.slug);
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
        ApiJson(ReportCreated {
            reference: created.report.reference.clone(),
            status: created.report.status,
            tracking_url: format!("{base}/track/{}", created.tracking_token),
            report: detail(&created.report, &notes, vec![]),
            tracking_token: created.tracking_token,
        }),
    ))
}

async fn support(
    state: State,
    Path((_, reference)): Path<(String, String)>,
    form: CitizenForm<SupportRequest>,
) -> Result<ApiJson<SupportAnswer>, ApiError> {
    let tenant = &form.tenant;
    let supporter = form.body.supporter.trim();
    if !(8..=64).contains(&supporter.len()) {
        return Err(ApiError::BadRequest(
            "supporter must be a random id of 8 to 64 characters".into(),
        ));
    }
    // Counted per address, whatever the supporter id: fresh ids cost a script a challenge
    // each and end at the limit.
    form.rate_limit(&state, Flood::Supports).await?;
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
    Ok(ApiJson(SupportAnswer {
        supporters,
        counted,
    }))
}

async fn track(
    state: State,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<ApiJson<ReportDetail>, ApiError> {
    let (tenant_id, report) = state
        .db
        .report_by_tracking_token(&token)
        .await?
        .ok_or(ApiError::NotFound)?;
    let notes = state.db.notes(tenant_id, &[report.id], true).await?;
    let photos = public_photos(&state, &headers, tenant_id, report.id).await?;
    Ok(ApiJson(detail(&report, &notes, photos)))
}
