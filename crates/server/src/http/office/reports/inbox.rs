//! The inbox as a list (`GET /office/api/reports`) and as a map (`GET
//! /office/api/reports/markers`): one query, read into one filter by [`office_filter`], so the
//! map never shows a report the list would not (tenant, an editor's department, every filter).

use super::{overdue_cutoff, response_days, summary};
use crate::db::reports::{Marker, OfficeFilter, OfficeSort};
use crate::http::office::guards::Official;
use crate::http::{ApiError, ApiJson, State};
use axum::extract::Query;
use civickit_model::api::office::{MarkerList, ReportList, ReportMarker, ReportQuery};
use civickit_model::{BBox, FieldError, Lang, Status, ValidationCode};

const PAGE_SIZE: i64 = 100;

/// The filter a query asks for, as far as the official may see: an editor's department
/// replaces whatever department was asked for. `cutoff` is the overdue boundary. An unknown
/// state is a 400, a box that is not `west,south,east,north` in WGS84 degrees a 422 on `bbox`.
/// Work orders (`print.rs`) read their selection through it too.
pub(in crate::http::office) fn office_filter(
    q: &ReportQuery,
    official: &Official,
    cutoff: i64,
) -> Result<OfficeFilter, ApiError> {
    let statuses = crate::http::office::states(q.status.as_deref(), Status::parse)?;
    let bbox = match q.bbox.as_deref().filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(BBox::parse(b).ok_or_else(|| {
            ApiError::Validation(
                vec![FieldError::new("bbox", ValidationCode::InvalidValue)],
                Lang::De,
            )
        })?),
    };
    Ok(OfficeFilter {
        statuses,
        category_codes: q
            .category
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect(),
        // Editors see their department's reports, whatever they ask for.
        department_id: official.department_scope().or(q.department),
        overdue_before: q.overdue.unwrap_or(false).then_some(cutoff),
        search: q.q.clone(),
        bbox,
        sort: match q.sort.as_deref() {
            Some("oldest") => OfficeSort::Oldest,
            Some("updated") => OfficeSort::Updated,
            _ => OfficeSort::Newest,
        },
        limit: PAGE_SIZE,
        offset: 0,
    })
}

pub(super) async fn list_reports(
    state: State,
    official: Official,
    Query(q): Query<ReportQuery>,
) -> Result<ApiJson<ReportList>, ApiError> {
    let cutoff = overdue_cutoff(response_days(&state, &official).await?);
    let page = q.page.unwrap_or(1).max(1);
    let filter = OfficeFilter {
        offset: (page - 1) * PAGE_SIZE,
        ..office_filter(&q, &official, cutoff)?
    };
    let (reports, more) = state
        .db
        .office_reports(official.tenant_id(), &filter)
        .await?;
    Ok(ApiJson(ReportList {
        reports: reports.iter().map(|r| summary(r, cutoff)).collect(),
        more,
        page,
    }))
}

fn marker(m: Marker) -> ReportMarker {
    ReportMarker {
        reference: m.reference,
        status: m.status,
        category_name: m.category_name,
        summary: m.summary,
        lat: m.position.lat,
        lng: m.position.lng,
        address: m.address,
    }
}

/// Every report the list would show (all pages; `page` and `sort` are ignored) that has a
/// position, newest first, at most [`MarkerList::LIMIT`].
pub(super) async fn markers(
    state: State,
    official: Official,
    Query(q): Query<ReportQuery>,
) -> Result<ApiJson<MarkerList>, ApiError> {
    let cutoff = overdue_cutoff(response_days(&state, &official).await?);
    let filter = office_filter(&q, &official, cutoff)?;
    let (markers, truncated) = state
        .db
        .office_markers(official.tenant_id(), &filter, MarkerList::LIMIT)
        .await?;
    Ok(ApiJson(MarkerList {
        markers: markers.into_iter().map(marker).collect(),
        truncated,
    }))
}
